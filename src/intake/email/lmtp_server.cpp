#include "intake/email/lmtp_server.hpp"

#include "core/text.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace lifeline::intake::email {

namespace asio = boost::asio;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using core::iequals;
using core::trim_spaces;

namespace {

// How much one read asks the kernel for.
constexpr std::size_t kReadChunk = 64 * 1024;
// RFC 5321 §4.5.3.1.3 allows 256 octets for a path; be tolerant of a little more.
constexpr std::size_t kMaxAddressBytes = 512;
// Error details from the sink are cut to this length before they go into a reply line.
constexpr std::size_t kMaxDetailBytes = 400;

bool istarts_with(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool has_control_characters(std::string_view s)
{
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

// Makes a sink's error message safe for a reply line: no line breaks or control characters, bounded length.
std::string reply_detail(std::string_view message, std::string_view fallback)
{
    std::string out;
    for (char c : message) {
        auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
        if (out.size() >= kMaxDetailBytes) break;
    }
    auto trimmed = trim_spaces(out);
    if (trimmed.empty()) return std::string(fallback);
    return std::string(trimmed);
}

// The envelope address of a MAIL FROM or RCPT TO command and the ESMTP parameters after it.
struct Path {
    std::string address;
    std::string_view parameters;
};

// Parses `<address> [parameters]` (the text after "FROM:" or "TO:"). Tolerates a space before the '<', a missing
// pair of angle brackets, and drops an RFC 5321 source route ("<@relay:user@host>"). Returns nullopt when the
// path is malformed.
std::optional<Path> parse_path(std::string_view text)
{
    text = trim_spaces(text);
    if (text.empty()) return std::nullopt;
    Path path;
    std::string_view address;
    if (text.front() == '<') {
        bool quoted = false;
        std::size_t i = 1;
        for (; i < text.size(); ++i) {
            char c = text[i];
            if (c == '\\' && quoted) {
                ++i;
                continue;
            }
            if (c == '"')
                quoted = !quoted;
            else if (c == '>' && !quoted)
                break;
        }
        if (i >= text.size()) return std::nullopt;
        address = text.substr(1, i - 1);
        auto rest = text.substr(i + 1);
        if (!rest.empty() && rest.front() != ' ') return std::nullopt;
        path.parameters = trim_spaces(rest);
    } else {
        auto end = text.find(' ');
        address = text.substr(0, end);
        if (end != std::string_view::npos) path.parameters = trim_spaces(text.substr(end + 1));
    }
    if (!address.empty() && address.front() == '@') {
        auto colon = address.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        address.remove_prefix(colon + 1);
    }
    if (address.size() > kMaxAddressBytes || has_control_characters(address)) return std::nullopt;
    if (address.find(' ') != std::string_view::npos && address.find('"') == std::string_view::npos) return std::nullopt;
    path.address = std::string(address);
    return path;
}

// Splits ESMTP parameters ("SIZE=123 BODY=8BITMIME") into keyword and value.
std::vector<std::pair<std::string_view, std::string_view>> split_parameters(std::string_view text)
{
    std::vector<std::pair<std::string_view, std::string_view>> out;
    while (!text.empty()) {
        auto end = text.find(' ');
        auto token = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : trim_spaces(text.substr(end + 1));
        if (token.empty()) continue;
        auto equals = token.find('=');
        if (equals == std::string_view::npos)
            out.emplace_back(token, std::string_view{});
        else
            out.emplace_back(token.substr(0, equals), token.substr(equals + 1));
    }
    return out;
}

// The reply line for one recipient after the sink has answered.
std::string delivery_reply(const std::string& recipient, const core::Status& status)
{
    if (status.ok()) return "250 2.0.0 <" + recipient + "> delivered";
    const auto& error = status.error();
    switch (error.code()) {
    case core::ErrorCode::Unavailable:
    case core::ErrorCode::Internal:
        return "451 4.3.0 " + reply_detail(error.message(), "temporary failure; try again later");
    case core::ErrorCode::LimitExceeded:
        return "452 4.2.2 " + reply_detail(error.message(), "limit exceeded; try again later");
    case core::ErrorCode::NotFound: return "550 5.1.1 " + reply_detail(error.message(), "no such mailbox");
    case core::ErrorCode::PermissionDenied:
    case core::ErrorCode::Unauthenticated:
        return "550 5.7.1 " + reply_detail(error.message(), "delivery not authorised");
    case core::ErrorCode::InvalidArgument:
    case core::ErrorCode::Conflict: break;
    }
    return "554 5.6.0 " + reply_detail(error.message(), "message rejected");
}

enum class Verb { Lhlo, Helo, Ehlo, Mail, Rcpt, Data, Rset, Noop, Quit, Vrfy, Help, NotImplemented, Unknown };

Verb parse_verb(std::string_view word)
{
    static constexpr std::pair<std::string_view, Verb> kVerbs[] = {
        {"LHLO", Verb::Lhlo},           {"HELO", Verb::Helo},
        {"EHLO", Verb::Ehlo},           {"MAIL", Verb::Mail},
        {"RCPT", Verb::Rcpt},           {"DATA", Verb::Data},
        {"RSET", Verb::Rset},           {"NOOP", Verb::Noop},
        {"QUIT", Verb::Quit},           {"VRFY", Verb::Vrfy},
        {"HELP", Verb::Help},           {"EXPN", Verb::NotImplemented},
        {"BDAT", Verb::NotImplemented}, {"STARTTLS", Verb::NotImplemented},
        {"AUTH", Verb::NotImplemented}, {"ETRN", Verb::NotImplemented},
        {"TURN", Verb::NotImplemented},
    };
    for (const auto& [name, verb] : kVerbs)
        if (iequals(word, name)) return verb;
    return Verb::Unknown;
}

}  // namespace

// One client connection: its socket, buffers and the state of the LMTP dialogue. Everything except the constructor
// runs on the connection's strand.
class LmtpServer::Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(LmtpServer& server, tcp::socket socket)
        : server_(server), limits_(server.limits_), socket_(std::move(socket)), deadline_(socket_.get_executor())
    {
        error_code ec;
        auto remote = socket_.remote_endpoint(ec);
        if (!ec) peer_ = remote.address().to_string() + ":" + std::to_string(remote.port());
    }

    asio::any_io_executor executor() { return socket_.get_executor(); }

    // Runs the dialogue until the client quits, the connection fails, times out or the server shuts down.
    asio::awaitable<void> run();

    // Called by shutdown(): interrupts a read that waits for the next command, so the client gets 421.
    void interrupt_if_idle()
    {
        if (!waiting_for_command_) return;
        error_code ignored;
        socket_.cancel(ignored);
    }

    // Called by shutdown() once the grace period is over.
    void force_close()
    {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

    const std::string& peer() const { return peer_; }

private:
    enum class Phase { Command, Content };
    enum class Outcome { Ok, LineTooLong, Closed, TimedOut, ShuttingDown };
    enum class Next { Continue, Close };

    struct Transaction {
        std::optional<std::string> sender;  // set by MAIL; empty for the null sender "<>"
        std::vector<std::string> recipients;
    };

    void reply(std::string_view line)
    {
        output_.append(line);
        output_.append("\r\n");
    }

    void arm_deadline()
    {
        auto generation = ++deadline_generation_;
        timed_out_ = false;
        deadline_.expires_after(limits_.command_timeout);
        deadline_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
            if (ec || generation != self->deadline_generation_) return;
            self->timed_out_ = true;
            error_code ignored;
            self->socket_.cancel(ignored);
        });
    }

    void disarm_deadline()
    {
        ++deadline_generation_;
        deadline_.cancel();
    }

    // Writes the queued replies. Returns false when the connection failed.
    asio::awaitable<bool> flush()
    {
        if (output_.empty()) co_return true;
        arm_deadline();
        error_code ec;
        co_await asio::async_write(socket_, asio::buffer(output_), asio::redirect_error(use_awaitable, ec));
        disarm_deadline();
        output_.clear();
        co_return !ec;
    }

    // Sends the queued replies, then reads more bytes into input_, under the deadline. While waiting for a command,
    // shutdown() may interrupt the read.
    asio::awaitable<Outcome> read_more(Phase phase)
    {
        // About to wait for the client: send what it is waiting for first (RFC 2920 §3.1).
        bool written = co_await flush();
        if (!written) co_return Outcome::Closed;
        if (consumed_ > 0) {
            input_.erase(0, consumed_);
            consumed_ = 0;
        }
        if (phase == Phase::Command && server_.stopping_) co_return Outcome::ShuttingDown;
        auto old_size = input_.size();
        input_.resize(old_size + kReadChunk);
        arm_deadline();
        waiting_for_command_ = phase == Phase::Command;
        error_code ec;
        auto n = co_await socket_.async_read_some(asio::buffer(input_.data() + old_size, kReadChunk),
                                                  asio::redirect_error(use_awaitable, ec));
        waiting_for_command_ = false;
        disarm_deadline();
        input_.resize(old_size + n);
        if (!ec) co_return Outcome::Ok;
        if (timed_out_) co_return Outcome::TimedOut;
        if (phase == Phase::Command && server_.stopping_ && ec == asio::error::operation_aborted)
            co_return Outcome::ShuttingDown;
        co_return Outcome::Closed;
    }

    asio::awaitable<Outcome> read_command(std::string& line);
    asio::awaitable<Outcome> read_content(std::string& content, bool& too_big);
    asio::awaitable<Next> handle(std::string_view line);
    void handle_lhlo(std::string_view arguments);
    void handle_mail(std::string_view arguments);
    void handle_rcpt(std::string_view arguments);
    asio::awaitable<Next> handle_data(std::string_view arguments);

    LmtpServer& server_;
    const LmtpLimits& limits_;
    tcp::socket socket_;
    asio::steady_timer deadline_;
    std::uint64_t deadline_generation_ = 0;
    bool timed_out_ = false;
    bool waiting_for_command_ = false;
    std::string peer_;

    std::string input_;  // bytes received; the first consumed_ of them are processed
    std::size_t consumed_ = 0;
    std::size_t discarded_ = 0;  // bytes of an over-long command line dropped so far
    bool discarding_ = false;    // dropping the rest of an over-long command line
    std::string output_;         // replies not yet written

    bool greeted_ = false;
    Transaction transaction_;
};

asio::awaitable<LmtpServer::Connection::Outcome> LmtpServer::Connection::read_command(std::string& line)
{
    for (;;) {
        auto newline = input_.find('\n', consumed_);
        if (newline != std::string::npos) {
            if (discarding_) {
                consumed_ = newline + 1;
                discarding_ = false;
                discarded_ = 0;
                co_return Outcome::LineTooLong;
            }
            line.assign(input_, consumed_, newline - consumed_);
            consumed_ = newline + 1;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.size() > limits_.max_line_bytes) co_return Outcome::LineTooLong;
            co_return Outcome::Ok;
        }
        // No complete line yet. Drop a line that is already too long instead of buffering it.
        auto pending = input_.size() - consumed_;
        if (discarding_ || pending > limits_.max_line_bytes + 1) {
            discarding_ = true;
            discarded_ += pending;
            consumed_ = input_.size();
            if (discarded_ > limits_.max_message_bytes) co_return Outcome::Closed;
        }
        auto outcome = co_await read_more(Phase::Command);
        if (outcome != Outcome::Ok) co_return outcome;
    }
}

// Reads message content up to the line holding a single ".", undoing dot-stuffing. Accepts CRLF and bare LF line
// endings and keeps them as received. Content beyond max_message_bytes is read and dropped, and too_big is set.
asio::awaitable<LmtpServer::Connection::Outcome> LmtpServer::Connection::read_content(std::string& content,
                                                                                      bool& too_big)
{
    bool at_line_start = true;
    auto append = [&](std::size_t from, std::size_t to) {
        if (too_big) return;
        if (content.size() + (to - from) > limits_.max_message_bytes) {
            too_big = true;
            std::string().swap(content);
            return;
        }
        content.append(input_, from, to - from);
    };
    for (;;) {
        while (consumed_ < input_.size()) {
            if (at_line_start && input_[consumed_] == '.') {
                auto available = input_.size() - consumed_;
                if (available < 2) break;
                char next = input_[consumed_ + 1];
                if (next == '\n') {
                    consumed_ += 2;
                    co_return Outcome::Ok;
                }
                if (next == '\r') {
                    if (available < 3) break;
                    if (input_[consumed_ + 2] == '\n') {
                        consumed_ += 3;
                        co_return Outcome::Ok;
                    }
                }
                ++consumed_;  // a stuffed dot
            }
            auto newline = input_.find('\n', consumed_);
            auto end = newline == std::string::npos ? input_.size() : newline + 1;
            append(consumed_, end);
            consumed_ = end;
            at_line_start = newline != std::string::npos;
        }
        auto outcome = co_await read_more(Phase::Content);
        if (outcome != Outcome::Ok) co_return outcome;
    }
}

asio::awaitable<void> LmtpServer::Connection::run()
{
    if (server_.stopping_) {
        reply("421 4.3.2 " + limits_.hostname + " Service shutting down");
    } else {
        reply("220 " + limits_.hostname + " LMTP server ready");
        for (;;) {
            if (server_.stopping_) {
                reply("421 4.3.2 " + limits_.hostname + " Service shutting down");
                break;
            }
            std::string line;
            auto outcome = co_await read_command(line);
            if (outcome == Outcome::TimedOut) {
                reply("421 4.4.2 " + limits_.hostname + " Error: timeout exceeded");
                break;
            }
            if (outcome == Outcome::ShuttingDown) {
                reply("421 4.3.2 " + limits_.hostname + " Service shutting down");
                break;
            }
            if (outcome == Outcome::Closed) {
                output_.clear();
                break;
            }
            if (outcome == Outcome::LineTooLong) {
                reply("500 5.5.6 Line too long (the limit is " + std::to_string(limits_.max_line_bytes) + " bytes)");
                continue;
            }
            auto next = co_await handle(line);
            if (next == Next::Close) break;
        }
    }
    co_await flush();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
    deadline_.cancel();
}

asio::awaitable<LmtpServer::Connection::Next> LmtpServer::Connection::handle(std::string_view line)
{
    auto space = line.find(' ');
    auto word = line.substr(0, space);
    auto arguments = space == std::string_view::npos ? std::string_view{} : trim_spaces(line.substr(space + 1));
    switch (parse_verb(word)) {
    case Verb::Lhlo: handle_lhlo(arguments); break;
    case Verb::Helo:
    case Verb::Ehlo: reply("500 5.5.1 This is an LMTP server (RFC 2033); use LHLO instead of HELO or EHLO"); break;
    case Verb::Mail: handle_mail(arguments); break;
    case Verb::Rcpt: handle_rcpt(arguments); break;
    case Verb::Data: co_return co_await handle_data(arguments);
    case Verb::Rset:
        transaction_ = {};
        reply("250 2.0.0 Ok");
        break;
    case Verb::Noop: reply("250 2.0.0 Ok"); break;
    case Verb::Quit: reply("221 2.0.0 " + limits_.hostname + " closing connection"); co_return Next::Close;
    case Verb::Vrfy:
        if (arguments.empty())
            reply("501 5.5.4 Syntax: VRFY <address>");
        else
            reply("252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery");
        break;
    case Verb::Help: reply("214 2.0.0 Commands: LHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"); break;
    case Verb::NotImplemented: reply("502 5.5.1 Command not implemented"); break;
    case Verb::Unknown: reply("500 5.5.2 Command not recognised"); break;
    }
    co_return Next::Continue;
}

void LmtpServer::Connection::handle_lhlo(std::string_view arguments)
{
    if (arguments.empty()) {
        reply("501 5.5.4 Syntax: LHLO <hostname>");
        return;
    }
    greeted_ = true;
    transaction_ = {};
    reply("250-" + limits_.hostname);
    reply("250-PIPELINING");
    reply("250-ENHANCEDSTATUSCODES");
    reply("250-SIZE " + std::to_string(limits_.max_message_bytes));
    reply("250-8BITMIME");
    reply("250 SMTPUTF8");
}

void LmtpServer::Connection::handle_mail(std::string_view arguments)
{
    if (!greeted_) return reply("503 5.5.1 Send LHLO first");
    if (transaction_.sender) return reply("503 5.5.1 Nested MAIL command");
    if (!istarts_with(arguments, "FROM:")) return reply("501 5.5.4 Syntax: MAIL FROM:<address>");
    auto path = parse_path(arguments.substr(5));
    if (!path) return reply("501 5.1.7 Bad sender address syntax");
    for (auto [keyword, value] : split_parameters(path->parameters)) {
        if (iequals(keyword, "SIZE")) {
            std::uint64_t size = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
            if (ec != std::errc{} || end != value.data() + value.size() || value.empty())
                return reply("501 5.5.4 Bad SIZE parameter");
            if (size > limits_.max_message_bytes)
                return reply("552 5.3.4 Message size exceeds the fixed limit of " +
                             std::to_string(limits_.max_message_bytes) + " bytes");
        } else if (iequals(keyword, "BODY")) {
            if (!iequals(value, "7BIT") && !iequals(value, "8BITMIME"))
                return reply("555 5.5.4 Unsupported BODY type " + reply_detail(value, "?"));
        } else if (iequals(keyword, "SMTPUTF8")) {
            if (!value.empty()) return reply("501 5.5.4 SMTPUTF8 takes no value");
        } else {
            return reply("555 5.5.4 Unsupported MAIL parameter " + reply_detail(keyword, "?"));
        }
    }
    transaction_.sender = std::move(path->address);
    reply("250 2.1.0 Sender ok");
}

void LmtpServer::Connection::handle_rcpt(std::string_view arguments)
{
    if (!transaction_.sender) return reply("503 5.5.1 Need MAIL before RCPT");
    if (!istarts_with(arguments, "TO:")) return reply("501 5.5.4 Syntax: RCPT TO:<address>");
    auto path = parse_path(arguments.substr(3));
    if (!path || path->address.empty()) return reply("501 5.1.3 Bad recipient address syntax");
    if (!path->parameters.empty()) return reply("555 5.5.4 Unsupported RCPT parameter");
    if (transaction_.recipients.size() >= limits_.max_recipients)
        return reply("452 4.5.3 Too many recipients (the limit is " + std::to_string(limits_.max_recipients) + ")");
    transaction_.recipients.push_back(std::move(path->address));
    reply("250 2.1.5 Recipient ok");
}

asio::awaitable<LmtpServer::Connection::Next> LmtpServer::Connection::handle_data(std::string_view arguments)
{
    if (!transaction_.sender) {
        reply("503 5.5.1 Need MAIL before DATA");
        co_return Next::Continue;
    }
    if (transaction_.recipients.empty()) {
        reply("503 5.5.1 No valid recipients");
        co_return Next::Continue;
    }
    if (!arguments.empty()) {
        reply("501 5.5.4 Syntax: DATA");
        co_return Next::Continue;
    }
    reply("354 Start mail input; end with <CRLF>.<CRLF>");
    auto transaction = std::exchange(transaction_, {});
    std::string content;
    bool too_big = false;
    auto outcome = co_await read_content(content, too_big);
    if (outcome == Outcome::TimedOut) {
        reply("421 4.4.2 " + limits_.hostname + " Error: timeout exceeded");
        co_return Next::Close;
    }
    if (outcome != Outcome::Ok) {
        spdlog::info("lmtp: {} closed the connection in the middle of a message", peer_);
        co_return Next::Close;
    }
    if (too_big) {
        spdlog::info("lmtp: rejected a message from <{}> over {} bytes from {}", *transaction.sender,
                     limits_.max_message_bytes, peer_);
        for (std::size_t i = 0; i < transaction.recipients.size(); ++i)
            reply("552 5.3.4 Message size exceeds the fixed limit of " + std::to_string(limits_.max_message_bytes) +
                  " bytes");
        co_return Next::Continue;
    }

    auto bytes = content.size();
    std::vector<core::Status> results;
    try {
        results = co_await server_.sink_.deliver(std::move(content), *transaction.sender, transaction.recipients);
    } catch (const std::exception& e) {
        spdlog::error("lmtp: delivering a message from <{}> failed: {}", *transaction.sender, e.what());
        results.clear();
    }
    if (results.size() != transaction.recipients.size() && !results.empty())
        spdlog::error("lmtp: the mail sink returned {} statuses for {} recipients", results.size(),
                      transaction.recipients.size());
    std::size_t delivered = 0;
    for (std::size_t i = 0; i < transaction.recipients.size(); ++i) {
        if (i < results.size()) {
            if (results[i].ok()) ++delivered;
            reply(delivery_reply(transaction.recipients[i], results[i]));
        } else {
            reply("451 4.3.0 Delivery status unknown; try again later");
        }
    }
    spdlog::info("lmtp: message from <{}> ({} bytes) delivered to {} of {} recipients from {}", *transaction.sender,
                 bytes, delivered, transaction.recipients.size(), peer_);
    co_return Next::Continue;
}

LmtpServer::LmtpServer(asio::io_context& io, MailSink& sink, LmtpLimits limits)
    : io_(io), sink_(sink), limits_(std::move(limits)), acceptor_(asio::make_strand(io))
{
}

LmtpServer::~LmtpServer() = default;

core::Result<tcp::endpoint> LmtpServer::listen(const std::string& host, std::uint16_t port)
{
    error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return core::Error::invalid("'" + host + "' is not an IP address");
    tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        error_code ignored;
        acceptor_.close(ignored);
        return core::Error::unavailable("cannot listen for LMTP on " + host + ":" + std::to_string(port) + ": " +
                                        ec.message());
    }
    return acceptor_.local_endpoint();
}

void LmtpServer::start()
{
    accepting_ = true;
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

// Answers a connection over the limit without waiting: a fresh socket's send buffer takes the one line, and if it
// does not the client just sees the connection close.
void LmtpServer::reject(tcp::socket socket)
{
    error_code ignored;
    socket.non_blocking(true, ignored);
    std::string line = "421 4.3.2 " + limits_.hostname + " Too many connections; try again later\r\n";
    socket.write_some(asio::buffer(line), ignored);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
}

asio::awaitable<void> LmtpServer::accept_loop()
{
    while (!stopping_) {
        error_code ec;
        auto socket = co_await acceptor_.async_accept(asio::make_strand(io_), asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (stopping_ || ec == asio::error::operation_aborted) break;
            // Typically out of file descriptors: back off instead of spinning.
            spdlog::warn("lmtp: accept failed: {}", ec.message());
            asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(connections_mutex_);
            if (connections_.size() < limits_.max_connections) {
                connection = std::make_shared<Connection>(*this, std::move(socket));
                connections_.insert(connection);
            }
        }
        if (!connection) {
            spdlog::warn("lmtp: refused a connection: {} connections are open", limits_.max_connections);
            reject(tcp::socket(std::move(socket)));
            continue;
        }
        asio::co_spawn(connection->executor(), connection->run(), [this, connection](std::exception_ptr error) {
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception& e) {
                    spdlog::error("lmtp: connection from {} failed: {}", connection->peer(), e.what());
                }
            }
            std::lock_guard lock(connections_mutex_);
            connections_.erase(connection);
        });
    }
    accepting_ = false;
}

asio::awaitable<void> LmtpServer::shutdown(std::chrono::seconds grace)
{
    stopping_ = true;
    // The acceptor lives on its own strand, where the accept loop uses it; close it there.
    co_await asio::co_spawn(
        acceptor_.get_executor(),
        [this]() -> asio::awaitable<void> {
            error_code ignored;
            acceptor_.close(ignored);
            co_return;
        },
        use_awaitable);
    accepting_ = false;
    auto deadline = std::chrono::steady_clock::now() + grace;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        std::vector<std::shared_ptr<Connection>> open;
        {
            std::lock_guard lock(connections_mutex_);
            open.assign(connections_.begin(), connections_.end());
        }
        for (const auto& c : open)
            asio::post(c->executor(), [c] { c->interrupt_if_idle(); });
        if (open.empty() || std::chrono::steady_clock::now() >= deadline) break;
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(use_awaitable);
    }
    std::vector<std::shared_ptr<Connection>> rest;
    {
        std::lock_guard lock(connections_mutex_);
        rest.assign(connections_.begin(), connections_.end());
    }
    if (!rest.empty()) spdlog::warn("lmtp: closing {} connections still busy after the grace period", rest.size());
    for (const auto& c : rest)
        asio::post(c->executor(), [c] { c->force_close(); });
}

}  // namespace lifeline::intake::email
