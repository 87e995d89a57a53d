// The HTTP/1.1 listener: keep-alive sessions as coroutines, size limits and deadlines on every read,
// a JSON-lines access log, per-route metrics, and graceful shutdown that finishes in-flight requests.
// Stream routes (Router::add_stream) take their connection over for server-sent events (http/event_stream.hpp).
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
#include <optional>
#include <set>
#include <vector>

namespace lifeline::http {

struct Limits {
    std::uint32_t header_bytes = 16 * 1024;
    std::uint64_t body_bytes = 1024 * 1024;
    std::chrono::seconds read_timeout{15};   // for a whole request once its first byte arrived
    std::chrono::seconds idle_timeout{60};   // between requests on a keep-alive connection
    std::chrono::seconds write_timeout{30};  // for a response, and for each write to an event stream
    std::size_t max_connections = 10000;
    std::size_t max_streams = 1000;                      // live event streams; more are answered 503
    std::chrono::milliseconds stream_keep_alive{15000};  // a ": keep-alive" comment after this long idle
    // Connections' threads. 0: connections run on the server's io_context, each on a strand, with whatever threads
    // run it. N: the server runs N io_contexts of one thread each and gives each accepted connection to the next,
    // as nginx's workers do; a connection never changes thread, so it needs no strand and its handlers never wait
    // on another thread's lock of the same context (measured in docs/benchmarks.md, "Status page").
    std::size_t io_threads = 0;
};

class Server {
public:
    Server(boost::asio::io_context& io, const Router& router, Metrics& metrics, Limits limits);
    ~Server();

    // Binds and listens. Errors: Unavailable with a clear message (address in use, bad address).
    core::Result<boost::asio::ip::tcp::endpoint> listen(const std::string& host, std::uint16_t port);

    // Starts accepting on the io_context.
    void start();

    // Stops accepting, closes idle connections, ends event streams (they are not waited for), and completes
    // once every in-flight request has been answered or `grace` has passed. Runs on the io_context.
    boost::asio::awaitable<void> shutdown(std::chrono::seconds grace);

    bool ready() const { return accepting_.load(); }

    // Event streams open now (for a gauge).
    std::size_t open_streams() const { return streams_.load(); }

private:
    class Connection;
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    boost::asio::awaitable<Response> dispatch(Context& ctx, Match match);
    // Runs a stream route. Returns the Response to send when the route refused to stream (or the stream limit
    // was reached); nullopt once it streamed, logged and counted, and the connection must close.
    boost::asio::awaitable<std::optional<Response>> run_stream(Connection& connection, Context& ctx, Match match,
                                                               std::chrono::steady_clock::time_point started);

    boost::asio::io_context& io_;
    const Router& router_;
    Metrics& metrics_;
    Limits limits_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> accepting_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> next_request_{1};
    std::atomic<std::size_t> streams_{0};

    std::mutex connections_mutex_;
    std::set<std::shared_ptr<Connection>> connections_;

    // Limits::io_threads of them, or none. Declared last: destroyed first, while the connection set still exists.
    struct Worker;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::atomic<std::size_t> next_worker_{0};
};

}  // namespace lifeline::http
