#include "support/server_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lifeline::testing {

namespace beast = boost::beast;
namespace asio = boost::asio;

std::string lifeline_binary()
{
    const char* bin = std::getenv("LIFELINE_BIN");
    if (!bin) throw std::runtime_error("LIFELINE_BIN is not set");
    return bin;
}

namespace {

std::vector<char*> argv_of(std::vector<std::string>& args)
{
    std::vector<char*> out;
    for (auto& a : args)
        out.push_back(a.data());
    out.push_back(nullptr);
    return out;
}

std::string read_all(int fd)
{
    std::string out;
    char buf[4096];
    for (;;) {
        auto n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    return out;
}

}  // namespace

CommandResult run_lifeline(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
{
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> all{lifeline_binary()};
    all.insert(all.end(), args.begin(), args.end());
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        for (const auto& [k, v] : env)
            ::setenv(k.c_str(), v.c_str(), 1);
        auto argv = argv_of(all);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    CommandResult r;
    std::thread err_reader([&] { r.err = read_all(err_pipe[0]); });
    r.out = read_all(out_pipe[0]);
    err_reader.join();
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

namespace {

std::string last_line(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s.substr(s.find_last_of('\n') + 1);
}

}  // namespace

std::string init_desk(const std::string& data_dir, const std::string& admin_email)
{
    auto r = run_lifeline({"init", "--data-dir", data_dir, "--admin-email", admin_email});
    if (r.exit_code != 0) throw std::runtime_error("lifeline init failed: " + r.err);
    return last_line(r.out);
}

std::string create_token(const std::string& data_dir, const std::string& email)
{
    auto r = run_lifeline({"token", "create", "--data-dir", data_dir, "--user", email});
    if (r.exit_code != 0) throw std::runtime_error("lifeline token create failed: " + r.err);
    return last_line(r.out);
}

std::string HttpResponse::header(const std::string& name) const
{
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

ServerProcess::ServerProcess(const std::string& command, const std::string& data_dir, std::vector<std::string> extra)
{
    int out_pipe[2];
    if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args{lifeline_binary(), command, "--listen", "127.0.0.1:0", "--data-dir", data_dir};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
        // If the test process dies (a crash, a ctest timeout), take the server with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::dup2(out_pipe[1], 1);
        ::close(out_pipe[0]);
        auto argv = argv_of(args);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    stdout_fd_ = out_pipe[0];
    // Read stdout until the listening line; keep draining it afterwards so the server never blocks on a full pipe.
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    constexpr std::string_view kMarker = "listening on http://127.0.0.1:";
    while (port_ == 0) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("server did not start: " + seen);
        pollfd p{stdout_fd_, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        char buf[4096];
        auto n = ::read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) throw std::runtime_error("server exited before listening: " + seen);
        seen.append(buf, static_cast<std::size_t>(n));
        constexpr std::string_view kLmtp = "LMTP is listening on 127.0.0.1:";
        if (auto at = seen.find(kLmtp); at != std::string::npos && lmtp_port_ == 0) {
            auto rest = seen.substr(at + kLmtp.size());
            if (rest.find('\n') != std::string::npos) lmtp_port_ = std::stoi(rest);
        }
        if (auto at = seen.find(kMarker); at != std::string::npos) {
            auto rest = seen.substr(at + kMarker.size());
            if (rest.find('/') != std::string::npos) port_ = std::stoi(rest);
        }
    }
    int fd = stdout_fd_;
    std::thread([fd] {
        char buf[4096];
        while (::read(fd, buf, sizeof buf) > 0) {
        }
        ::close(fd);
    }).detach();
}

ServerProcess::~ServerProcess()
{
    if (pid_ > 0) stop();
}

int ServerProcess::stop()
{
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::kill_hard()
{
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

HttpResponse http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers)
{
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(method), target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::http::write(socket, req);
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    beast::http::read(socket, buffer, parser);
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    beast::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return out;
}

HttpResponse ServerProcess::request(const std::string& method, const std::string& target, const std::string& body,
                                    const std::map<std::string, std::string>& headers) const
{
    return http_request(port_, method, target, body, headers);
}

HttpResponse ServerProcess::get(const std::string& target, const std::string& token) const
{
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return request("GET", target, {}, headers);
}

HttpResponse ServerProcess::post_json(const std::string& target, const std::string& json, const std::string& token,
                                      const std::map<std::string, std::string>& headers) const
{
    auto all = headers;
    if (!token.empty()) all["Authorization"] = "Bearer " + token;
    all.emplace("Content-Type", "application/json");
    return request("POST", target, json, all);
}

}  // namespace lifeline::testing
