// The command line: exit codes follow sysexits(3) and every failure is one clear line on stderr.
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

namespace lifeline::testing {
namespace {

int count_lines(const std::string& s)
{
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

std::string last_line(std::string s)
{
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s.substr(s.find_last_of('\n') + 1);
}

TEST(Cli, VersionPrintsAndExitsZero)
{
    auto r = run_lifeline({"version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("lifeline ", 0), 0u) << r.out;
}

TEST(Cli, BadFlagIsUsageErrorWithOneLine)
{
    auto r = run_lifeline({"serve", "--no-such-flag"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("lifeline: ", 0), 0u) << r.err;
    EXPECT_EQ(run_lifeline({}).exit_code, 64);
    EXPECT_EQ(run_lifeline({"serve", "--listen", "localhost"}).exit_code, 64);
    EXPECT_EQ(run_lifeline({"serve", "--listen", "127.0.0.1:99999"}).exit_code, 64);
}

TEST(Cli, InitPrintsATokenThatAuthenticates)
{
    TempDir dir;
    auto r = run_lifeline({"init", "--data-dir", dir.path(), "--admin-email", "Boss@Desk.test"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto token = last_line(r.out);
    EXPECT_EQ(token.rfind("ll_", 0), 0u) << token;
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/lifeline.db"));
    ServerProcess server("serve", dir.path());
    EXPECT_EQ(server.get("/api/v1/tickets", token).status, 200);
    auto again = run_lifeline({"init", "--data-dir", dir.path(), "--admin-email", "other@desk.test"});
    EXPECT_EQ(again.exit_code, 73);
    EXPECT_EQ(count_lines(again.err), 1) << again.err;
    auto more = run_lifeline({"token", "create", "--data-dir", dir.path(), "--user", "boss@desk.test"});
    ASSERT_EQ(more.exit_code, 0) << more.err;
    EXPECT_EQ(server.get("/api/v1/tickets", last_line(more.out)).status, 200);
}

TEST(Cli, InitRejectsABadEmail)
{
    TempDir dir;
    auto r = run_lifeline({"init", "--data-dir", dir.path(), "--admin-email", "not an email"});
    EXPECT_EQ(r.exit_code, 65);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

TEST(Cli, TokenForUnknownUserOrMissingDesk)
{
    TempDir dir;
    auto missing = run_lifeline({"token", "create", "--data-dir", dir.path(), "--user", "x@y.test"});
    EXPECT_EQ(missing.exit_code, 66);
    EXPECT_NE(missing.err.find("lifeline init"), std::string::npos) << missing.err;
    ASSERT_EQ(run_lifeline({"init", "--data-dir", dir.path(), "--admin-email", "a@desk.test"}).exit_code, 0);
    auto unknown = run_lifeline({"token", "create", "--data-dir", dir.path(), "--user", "x@y.test"});
    EXPECT_EQ(unknown.exit_code, 67);
    EXPECT_EQ(count_lines(unknown.err), 1) << unknown.err;
}

TEST(Cli, UnwritableDataDirIsCantCreate)
{
    if (::geteuid() == 0) {
        // root ignores permission bits; a path under a regular file is unusable for everyone.
        TempDir dir;
        std::ofstream(dir.path() + "/file") << "x";
        auto r = run_lifeline({"serve", "--data-dir", dir.path() + "/file/data"});
        EXPECT_EQ(r.exit_code, 73);
        EXPECT_EQ(count_lines(r.err), 1) << r.err;
        return;
    }
    TempDir dir;
    ::chmod(dir.path().c_str(), 0500);
    auto r = run_lifeline({"serve", "--data-dir", dir.path()});
    EXPECT_EQ(r.exit_code, 73);
    ::chmod(dir.path().c_str(), 0700);
}

TEST(Cli, PortInUseIsUnavailable)
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto port = std::to_string(taken.local_endpoint().port());
    TempDir dir;
    auto r = run_lifeline({"serve", "--data-dir", dir.path(), "--listen", "127.0.0.1:" + port});
    EXPECT_EQ(r.exit_code, 69);
    EXPECT_NE(r.err.find("127.0.0.1:" + port), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

TEST(Cli, EnvironmentAndConfigFileSupplyOptions)
{
    TempDir dir;
    auto r = run_lifeline({"init", "--admin-email", "env@desk.test"}, {{"LIFELINE_DATA_DIR", dir.path()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/lifeline.db"));

    TempDir other;
    auto config = other.path() + "/lifeline.toml";
    std::ofstream(config) << "data_dir = \"" << other.path() << "\"\n";
    auto migrate = run_lifeline({"migrate", "--config", config});
    ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
    EXPECT_NE(migrate.out.find("20261123_0001_foundation"), std::string::npos) << migrate.out;

    std::ofstream(config) << "listen = 8080\n";
    auto bad = run_lifeline({"migrate", "--config", config});
    EXPECT_EQ(bad.exit_code, 78);
    std::ofstream(config) << "colour = \"blue\"\n";
    EXPECT_EQ(run_lifeline({"migrate", "--config", config}).exit_code, 78);
    std::ofstream(config) << "data_dir = [unclosed\n";
    auto broken = run_lifeline({"migrate", "--config", config});
    EXPECT_EQ(broken.exit_code, 78);
    EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace lifeline::testing
