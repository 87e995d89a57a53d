#include "support/twilio_standin.hpp"

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef LIFELINE_TWILIO_STANDIN_SCRIPT
#define LIFELINE_TWILIO_STANDIN_SCRIPT nullptr
#endif

namespace lifeline::testing {

namespace {

namespace fs = std::filesystem;

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

std::string text_field(const boost::json::object& object, const char* key)
{
    if (auto* value = object.if_contains(key); value && value->is_string()) return std::string(value->get_string());
    return {};
}

}  // namespace

TwilioStandIn::TwilioStandIn() : account_sid_("AC" + random_hex(16)), auth_token_(random_hex(16))
{
    child_.start({python_interpreter(),
                  support_script("LIFELINE_TWILIO_STANDIN", LIFELINE_TWILIO_STANDIN_SCRIPT, "twilio_standin.py"),
                  "--port", "0", "--dir", directory(), "--account-sid", account_sid_, "--auth-token", auth_token_});
    // The script prints one line, "PORT <port>", and nothing else on stdout.
    port_ = child_.read_port("PORT ");
}

std::vector<TwilioRequest> TwilioStandIn::requests() const
{
    std::vector<TwilioRequest> out;
    std::ifstream in(fs::path(directory()) / "requests.jsonl", std::ios::binary);
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
    return wait_until([&] { return requests().size() >= count; }, timeout);
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

namespace {

InboundSmsResult target_answer(int code, const std::string& answer, std::string_view what)
{
    if (code != 200)
        throw std::runtime_error("TwilioStandIn: " + std::string(what) + " answered " + std::to_string(code) + ": " +
                                 answer);
    const auto object = boost::json::parse(answer).as_object();
    InboundSmsResult result;
    if (auto* status = object.if_contains("status"); status && status->is_int64())
        result.status = static_cast<int>(status->get_int64());
    result.body = text_field(object, "body");
    result.error = text_field(object, "error");
    return result;
}

}  // namespace

InboundSmsResult TwilioStandIn::simulate_inbound_sms(const std::string& url, const std::string& from,
                                                     const std::string& to, const std::string& body, bool bad_signature)
{
    boost::json::object command{
        {"url", url}, {"from", from}, {"to", to}, {"body", body}, {"bad_signature", bad_signature}};
    auto [code, answer] = control("/_simulate/inbound-sms", boost::json::serialize(command));
    return target_answer(code, answer, "/_simulate/inbound-sms");
}

InboundSmsResult TwilioStandIn::simulate_key_press(const std::string& url, const std::string& digits,
                                                   bool bad_signature)
{
    boost::json::object command{{"url", url}, {"digits", digits}, {"bad_signature", bad_signature}};
    auto [code, answer] = control("/_simulate/key-press", boost::json::serialize(command));
    return target_answer(code, answer, "/_simulate/key-press");
}

}  // namespace lifeline::testing
