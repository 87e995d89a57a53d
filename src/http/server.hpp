// The HTTP/1.1 listener: keep-alive sessions as coroutines, size limits and deadlines on every read,
// a JSON-lines access log, per-route metrics, and graceful shutdown that finishes in-flight requests.
#pragma once

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>

namespace lifeline::http {

struct Limits {
    std::uint32_t header_bytes = 16 * 1024;
    std::uint64_t body_bytes = 1024 * 1024;
    std::chrono::seconds read_timeout{15};   // for a whole request once its first byte arrived
    std::chrono::seconds idle_timeout{60};   // between requests on a keep-alive connection
    std::chrono::seconds write_timeout{30};
    std::size_t max_connections = 10000;
};

class Server {
public:
    Server(boost::asio::io_context& io, const Router& router, Metrics& metrics, Limits limits);
    ~Server();

    // Binds and listens. Errors: Unavailable with a clear message (address in use, bad address).
    core::Result<boost::asio::ip::tcp::endpoint> listen(const std::string& host, std::uint16_t port);

    // Starts accepting on the io_context.
    void start();

    // Stops accepting, closes idle connections, and completes once every in-flight request has been
    // answered or `grace` has passed. Runs on the io_context.
    boost::asio::awaitable<void> shutdown(std::chrono::seconds grace);

    bool ready() const { return accepting_.load(); }

private:
    class Connection;
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    boost::asio::awaitable<Response> dispatch(Context& ctx, Match match);

    boost::asio::io_context& io_;
    const Router& router_;
    Metrics& metrics_;
    Limits limits_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> accepting_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> next_request_{1};

    std::mutex connections_mutex_;
    std::set<std::shared_ptr<Connection>> connections_;
};

}  // namespace lifeline::http
