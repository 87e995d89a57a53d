// The listener protects itself: idle and slow clients are cut off by deadlines, oversized headers refused,
// keep-alive reuses a connection, and SIGTERM lets an in-flight request finish.
#include "support/server_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

namespace lifeline::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class ServerLimits : public ::testing::Test {
protected:
    void SetUp() override
    {
        token = init_desk(dir.path(), "admin@desk.test");
        config = dir.path() + "/lifeline.toml";
        std::ofstream(config) << "read_timeout_seconds = 1\nidle_timeout_seconds = 1\naccess_log = false\n";
        server = std::make_unique<ServerProcess>("serve", dir.path(), std::vector<std::string>{"--config", config});
    }

    tcp::socket connect()
    {
        tcp::socket s(io);
        s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server->port())});
        return s;
    }

    // Reads until the peer closes; returns what arrived and how long it took.
    std::pair<std::string, std::chrono::milliseconds> read_until_closed(tcp::socket& s)
    {
        auto start = std::chrono::steady_clock::now();
        std::string data;
        boost::system::error_code ec;
        char buf[4096];
        for (;;) {
            auto n = s.read_some(asio::buffer(buf), ec);
            if (ec) break;
            data.append(buf, n);
        }
        return {data, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)};
    }

    TempDir dir;
    std::string token;
    std::string config;
    asio::io_context io;
    std::unique_ptr<ServerProcess> server;
};

TEST_F(ServerLimits, IdleConnectionIsClosedAfterTheIdleTimeout)
{
    auto s = connect();
    auto [data, waited] = read_until_closed(s);
    EXPECT_TRUE(data.empty());
    EXPECT_GE(waited.count(), 800);
    EXPECT_LT(waited.count(), 5000);
}

TEST_F(ServerLimits, SlowClientSendingHalfAHeaderIsCutOff)
{
    auto s = connect();
    asio::write(s, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
    auto [data, waited] = read_until_closed(s);
    EXPECT_LT(waited.count(), 5000);
    EXPECT_EQ(data.find("200 OK"), std::string::npos);
}

TEST_F(ServerLimits, OversizedHeadersAre431)
{
    auto res = server->request("GET", "/healthz", {}, {{"X-Big", std::string(20000, 'a')}});
    EXPECT_EQ(res.status, 431);
}

TEST_F(ServerLimits, KeepAliveServesSeveralRequestsOnOneConnection)
{
    auto s = connect();
    std::string two =
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    asio::write(s, asio::buffer(two));
    auto [data, waited] = read_until_closed(s);
    std::size_t count = 0;
    for (auto at = data.find("HTTP/1.1 200"); at != std::string::npos; at = data.find("HTTP/1.1 200", at + 1))
        ++count;
    EXPECT_EQ(count, 2u) << data;
}

TEST_F(ServerLimits, GarbageIsABadRequest)
{
    auto s = connect();
    asio::write(s, asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
    auto [data, waited] = read_until_closed(s);
    EXPECT_EQ(data.rfind("HTTP/1.1 400", 0), 0u) << data;
    EXPECT_NE(data.find("application/problem+json"), std::string::npos);
}

TEST_F(ServerLimits, SigtermFinishesTheRequestInFlight)
{
    std::string body = R"({"subject":"In flight","body":"sent in two parts","requester":{"email":"x@y.test"}})";
    std::string head = "POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                       "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\n\r\n";
    auto s = connect();
    asio::write(s, asio::buffer(head + body.substr(0, 10)));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(server->pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    asio::write(s, asio::buffer(body.substr(10)));
    auto [data, waited] = read_until_closed(s);
    EXPECT_EQ(data.rfind("HTTP/1.1 201", 0), 0u) << data;
    EXPECT_NE(data.find("Connection: close"), std::string::npos) << data;
    EXPECT_EQ(server->stop(), 0);
    // The ticket answered 201 is there after a restart.
    ServerProcess again("serve", dir.path());
    EXPECT_NE(again.get("/api/v1/tickets", token).body.find("In flight"), std::string::npos);
}

}  // namespace
}  // namespace lifeline::testing
