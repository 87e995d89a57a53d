// The LMTP listener (RFC 2033) that Postfix's lmtp: transport delivers to: one coroutine per connection on its own
// strand, PIPELINING, size limits and a deadline on every read and write, one reply per recipient after DATA that is
// sent only once the MailSink has durably stored the message, a connection limit, and graceful shutdown that lets
// in-flight deliveries finish.
#pragma once

#include "core/result.hpp"
#include "intake/email/mail_sink.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace lifeline::intake::email {

struct LmtpLimits {
    // The largest message (after dot-unstuffing, line endings included) that is handed to the sink; advertised as
    // SIZE. A larger message is read to its end, discarded, and answered with 552 for every recipient.
    std::size_t max_message_bytes = 50 * 1024 * 1024;
    // RCPT commands beyond this many in one transaction are answered 452 4.5.3 (the client retries them later).
    std::size_t max_recipients = 100;
    // The longest command line, without its line ending. Message content lines are not limited by this; they only
    // count toward max_message_bytes.
    std::size_t max_line_bytes = 4096;
    // The deadline for every read (waiting for a command or for more message content) and every write. When it
    // passes the client gets "421 4.4.2" and the connection is closed.
    std::chrono::seconds command_timeout{300};
    // The name in the greeting and in replies to LHLO.
    std::string hostname = "lifeline";
    // Connections beyond this many are answered "421 4.3.2" and closed at once.
    std::size_t max_connections = 1000;
};

class LmtpServer {
public:
    // Borrows `io` and `sink`, which must outlive the server. The sink is called on the connection's strand.
    LmtpServer(boost::asio::io_context& io, MailSink& sink, LmtpLimits limits);
    ~LmtpServer();
    LmtpServer(const LmtpServer&) = delete;
    LmtpServer& operator=(const LmtpServer&) = delete;

    // Binds and listens; port 0 picks a free port, which the returned endpoint reports. Errors: InvalidArgument when
    // `host` is not an IP address; Unavailable with a clear message (address in use, permission denied).
    core::Result<boost::asio::ip::tcp::endpoint> listen(const std::string& host, std::uint16_t port);

    // Starts accepting on the io_context. Call once, after a successful listen().
    void start();

    // Stops accepting, answers "421 4.3.2" to and closes every connection that is waiting for a command, and
    // completes once every connection has closed or `grace` has passed; connections still receiving or delivering a
    // message by then are closed without a reply (the client retries). Runs on the io_context. The server may be
    // destroyed only once the io_context has stopped running its handlers.
    boost::asio::awaitable<void> shutdown(std::chrono::seconds grace);

    // True while the listener accepts connections.
    bool ready() const { return accepting_.load(); }

private:
    class Connection;
    boost::asio::awaitable<void> accept_loop();
    void reject(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& io_;
    MailSink& sink_;
    LmtpLimits limits_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> accepting_{false};
    std::atomic<bool> stopping_{false};

    std::mutex connections_mutex_;
    std::set<std::shared_ptr<Connection>> connections_;
};

}  // namespace lifeline::intake::email
