#include "support/twilio_standin.hpp"

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lifeline::testing {

namespace {

namespace fs = std::filesystem;

std::string standin_script()
{
    if (const char* path = std::getenv("LIFELINE_TWILIO_STANDIN"); path && *path) return path;
#ifdef LIFELINE_TWILIO_STANDIN_SCRIPT
    return LIFELINE_TWILIO_STANDIN_SCRIPT;
#else
    throw std::runtime_error(
        "TwilioStandIn: set LIFELINE_TWILIO_STANDIN to the path of tests/support/twilio_standin.py");
#endif
}

std::string python()
{
    if (const char* path = std::getenv("LIFELINE_PYTHON"); path && *path) return path;
    if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
    return "python3";
}

std::string random_hex(std::size_t bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
        const auto byte = device() & 0xff;
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0x0f]);
    }
    return out;
}

// Waits up to `timeout` for the child to exit; true if it did (and was reaped).
bool reap(pid_t pid, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string text_field(const boost::json::object& object, const char* key)
{
    if (auto* value = object.if_contains(key); value && value->is_string()) return std::string(value->get_string());
    return {};
}

}  // namespace

TwilioStandIn::TwilioStandIn()
{
    char pattern[] = "/tmp/lifeline-twilio-standin-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("TwilioStandIn: mkdtemp failed");
    directory_ = pattern;
    account_sid_ = "AC" + random_hex(16);
    auth_token_ = random_hex(16);
    try {
        start();
    } catch (...) {
        std::error_code ec;
        fs::remove_all(directory_, ec);
        throw;
    }
}

TwilioStandIn::~TwilioStandIn()
{
    stop();
    std::error_code ec;
    fs::remove_all(directory_, ec);
}

void TwilioStandIn::start()
{
    std::vector<std::string> args{python(),        standin_script(), "--port",       "0",        "--dir", directory_,
                                  "--account-sid", account_sid_,     "--auth-token", auth_token_};
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("TwilioStandIn: pipe failed");
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("TwilioStandIn: fork failed");
    if (pid_ == 0) {
        // If the test dies (a crash, a ctest timeout), take the stand-in with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        ::dup2(out_pipe[1], 1);
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);

    // The script prints one line, "PORT <port>", and nothing else on stdout.
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int listening_port = 0;
    while (listening_port == 0) {
        if (std::chrono::steady_clock::now() > deadline) break;
        pollfd p{out_pipe[0], POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buffer[256];
        auto n = ::read(out_pipe[0], buffer, sizeof buffer);
        if (n <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(n));
        constexpr std::string_view kMarker = "PORT ";
        if (auto at = seen.find(kMarker); at != std::string::npos && seen.find('\n', at) != std::string::npos)
            listening_port = std::stoi(seen.substr(at + kMarker.size()));
    }
    ::close(out_pipe[0]);
    if (listening_port == 0) {
        stop();
        throw std::runtime_error("TwilioStandIn: " + args[0] + " " + args[1] + " did not start listening (stdout: \"" +
                                 seen + "\"; see stderr)");
    }
    port_ = listening_port;
}

void TwilioStandIn::stop()
{
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!reap(pid_, std::chrono::seconds(5))) {
        ::kill(pid_, SIGKILL);
        reap(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
}

std::vector<TwilioRequest> TwilioStandIn::requests() const
{
    std::vector<TwilioRequest> out;
    std::ifstream in(fs::path(directory_) / "requests.jsonl", std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        // A line is written whole with its newline; a reader racing the writer may see a partial last line.
        if (in.eof()) break;
        boost::system::error_code ec;
        auto value = boost::json::parse(line, ec);
        if (ec || !value.is_object()) continue;
        const auto& object = value.get_object();
        TwilioRequest request;
        request.kind = text_field(object, "kind");
        request.to = text_field(object, "to");
        request.from = text_field(object, "from");
        request.body = text_field(object, request.kind == "call" ? "twiml" : "body");
        request.sid = text_field(object, "sid");
        out.push_back(std::move(request));
    }
    return out;
}

bool TwilioStandIn::wait_for(std::size_t count, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (requests().size() >= count) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::pair<int, std::string> TwilioStandIn::control(const std::string& path, const std::string& json) const
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("TwilioStandIn: socket failed");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    timeval tv{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("TwilioStandIn: cannot connect to the stand-in on port " + std::to_string(port_));

    const std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
                                "\r\nConnection: close\r\n\r\n" + json;
    for (std::size_t sent = 0; sent < request.size();) {
        const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("TwilioStandIn: sending " + path + " failed");
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    char buffer[4096];
    for (;;) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0) throw std::runtime_error("TwilioStandIn: no answer to " + path);
        if (n == 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    // "HTTP/1.1 200 OK\r\n…\r\n\r\nbody"
    const auto space = answer.find(' ');
    const auto head_end = answer.find("\r\n\r\n");
    if (answer.rfind("HTTP/", 0) != 0 || space == std::string::npos || head_end == std::string::npos)
        throw std::runtime_error("TwilioStandIn: malformed answer to " + path + ": " + answer.substr(0, 200));
    return {std::atoi(answer.c_str() + space + 1), answer.substr(head_end + 4)};
}

void TwilioStandIn::fail_next(int status, int count)
{
    boost::json::object command{{"fail_status", status}, {"fail_count", count}};
    auto [code, body] = control("/_control", boost::json::serialize(command));
    if (code != 200)
        throw std::runtime_error("TwilioStandIn: /_control answered " + std::to_string(code) + ": " + body);
}

void TwilioStandIn::hang_next(double seconds)
{
    boost::json::object command{{"hang_seconds", seconds}, {"hang_count", 1}};
    auto [code, body] = control("/_control", boost::json::serialize(command));
    if (code != 200)
        throw std::runtime_error("TwilioStandIn: /_control answered " + std::to_string(code) + ": " + body);
}

InboundSmsResult TwilioStandIn::simulate_inbound_sms(const std::string& url, const std::string& from,
                                                     const std::string& to, const std::string& body, bool bad_signature)
{
    boost::json::object command{
        {"url", url}, {"from", from}, {"to", to}, {"body", body}, {"bad_signature", bad_signature}};
    auto [code, answer] = control("/_simulate/inbound-sms", boost::json::serialize(command));
    if (code != 200)
        throw std::runtime_error("TwilioStandIn: /_simulate/inbound-sms answered " + std::to_string(code) + ": " +
                                 answer);
    const auto object = boost::json::parse(answer).as_object();
    InboundSmsResult result;
    if (auto* status = object.if_contains("status"); status && status->is_int64())
        result.status = static_cast<int>(status->get_int64());
    result.body = text_field(object, "body");
    result.error = text_field(object, "error");
    return result;
}

}  // namespace lifeline::testing
