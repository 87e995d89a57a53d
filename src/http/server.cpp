#include "http/server.hpp"

#include "http/event_stream.hpp"
#include "http/response.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <thread>

namespace lifeline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

class Server::Connection {
public:
    explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    std::atomic<bool> busy{false};        // between reading a request's first byte and writing its response
    std::atomic<bool> streaming{false};   // a stream route runs
    EventStream* event_stream = nullptr;  // while streaming; only on the connection's strand
};

namespace {

void fill_target(Context& ctx)
{
    auto target = std::string_view(ctx.request.target().data(), ctx.request.target().size());
    // Without '%' or '?', the decoded path is the target itself, and parsing it would only copy it.
    if (target.find_first_of("%?") == std::string_view::npos) {
        ctx.path = std::string(target);
        return;
    }
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) {
        ctx.path = std::string(target.substr(0, target.find('?')));
        return;
    }
    ctx.path = std::string(parsed->path());
    for (auto param : parsed->params())
        ctx.query.emplace_back(std::string(param.key), std::string(param.value));
}

std::shared_ptr<spdlog::logger> access_logger()
{
    static auto logger = [] {
        auto existing = spdlog::get("access");
        return existing ? existing : spdlog::default_logger();
    }();
    return logger;
}

// One JSON line per request (or per event stream, when it ends); nothing is built when the access log is off.
void log_access(const Context& ctx, const std::string& method, std::string_view route, int status, std::uint64_t bytes,
                std::chrono::steady_clock::time_point started, boost::json::object extra = {})
{
    if (!access_logger()->should_log(spdlog::level::info)) return;
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    boost::json::object line{{"ts", std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count()},
                             {"id", ctx.request_id},
                             {"remote", ctx.client_address},
                             {"method", method},
                             {"path", ctx.path},
                             {"route", route},
                             {"status", status},
                             {"bytes", bytes},
                             {"us", elapsed.count()}};
    for (auto& [key, value] : extra)
        line[key] = std::move(value);
    access_logger()->info(boost::json::serialize(line));
}

// The status line and header fields of `res` as Beast's serializer writes them, into `out` (cleared first; its
// capacity stays for the connection's next response). Written with the body in one gathered write, they skip
// Beast's serializer, whose layered buffer sequences cost more CPU than a cached status page's bytes.
void serialize_head(const Response& res, std::string& out)
{
    out.clear();
    std::array<char, 3> code{};
    std::to_chars(code.data(), code.data() + code.size(), res.result_int() % 1000);
    out.append("HTTP/")
        .append(1, static_cast<char>('0' + res.version() / 10))
        .append(1, '.')
        .append(1, static_cast<char>('0' + res.version() % 10))
        .append(1, ' ')
        .append(code.data(), code.size())
        .append(1, ' ');
    out.append(res.reason().data(), res.reason().size()).append("\r\n");
    for (const auto& field : res)
        out.append(field.name_string().data(), field.name_string().size())
            .append(": ")
            .append(field.value().data(), field.value().size())
            .append("\r\n");
    out.append("\r\n");
}

}  // namespace

struct Server::Worker {
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    std::thread thread{[this] { io.run(); }};
};

Server::Server(asio::io_context& io, const Router& router, Metrics& metrics, Limits limits)
    : io_(io), router_(router), metrics_(metrics), limits_(limits), acceptor_(io)
{
    for (std::size_t i = 0; i < limits_.io_threads; ++i)
        workers_.push_back(std::make_unique<Worker>());
}

Server::~Server()
{
    // Connections still open at this point were cancelled by shutdown(); what is left of them is dropped.
    for (auto& w : workers_) {
        w->guard.reset();
        w->io.stop();
    }
    for (auto& w : workers_)
        w->thread.join();
}

core::Result<tcp::endpoint> Server::listen(const std::string& host, std::uint16_t port)
{
    beast::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return core::Error::invalid("'" + host + "' is not an IP address");
    tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return core::Error::unavailable("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    return acceptor_.local_endpoint();
}

void Server::start()
{
    accepting_ = true;
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

asio::awaitable<void> Server::accept_loop()
{
    while (!stopping_) {
        beast::error_code ec;
        auto home = workers_.empty()
                        ? asio::any_io_executor(asio::make_strand(io_))
                        : asio::any_io_executor(workers_[next_worker_++ % workers_.size()]->io.get_executor());
        auto socket = co_await acceptor_.async_accept(home, asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (stopping_ || ec == asio::error::operation_aborted) break;
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        auto connection = std::make_shared<Connection>(std::move(socket));
        {
            std::lock_guard lock(connections_mutex_);
            if (connections_.size() >= limits_.max_connections) {
                beast::error_code ignored;
                connection->stream.socket().close(ignored);
                continue;
            }
            connections_.insert(connection);
        }
        auto executor = connection->stream.get_executor();
        asio::co_spawn(executor, serve(connection), [this, connection](std::exception_ptr) {
            std::lock_guard lock(connections_mutex_);
            connections_.erase(connection);
        });
    }
    accepting_ = false;
}

asio::awaitable<Response> Server::dispatch(Context& ctx, Match match)
{
    if (!match.route) {
        if (match.path_exists)
            co_return problem(ctx, beast_http::status::method_not_allowed, "this method is not allowed here");
        co_return problem(ctx, beast_http::status::not_found, "no such page or endpoint");
    }
    ctx.params = std::move(match.params);
    try {
        co_return co_await match.route->handler(ctx);
    } catch (const std::exception& e) {
        spdlog::error("request {} {} failed: {}", std::string(ctx.request.method_string()), ctx.path, e.what());
    }
    co_return problem(ctx, core::Error::internal("an unexpected error occurred; it has been logged"));
}

asio::awaitable<std::optional<Response>> Server::run_stream(Connection& connection, Context& ctx, Match match,
                                                            std::chrono::steady_clock::time_point started)
{
    if (stopping_) co_return problem(ctx, core::Error::unavailable("the server is shutting down"));
    if (streams_.fetch_add(1) >= limits_.max_streams) {
        streams_.fetch_sub(1);
        co_return problem(ctx, core::Error::unavailable("too many live event streams; try again shortly"));
    }
    struct Slot {
        std::atomic<std::size_t>& open;
        ~Slot() { open.fetch_sub(1); }
    } slot{streams_};

    const auto& route = *match.route;
    ctx.params = std::move(match.params);
    EventStream events(connection.stream, ctx, StreamSettings{limits_.stream_keep_alive, limits_.write_timeout});
    connection.event_stream = &events;
    connection.streaming = true;
    std::optional<Response> refused;
    bool failed = false;
    try {
        refused = co_await route.stream(ctx, events);
    } catch (const std::exception& e) {
        spdlog::error("stream {} {} failed: {}", std::string(ctx.request.method_string()), ctx.path, e.what());
        failed = true;
    }
    if (!events.started()) {
        if (failed) refused = problem(ctx, core::Error::internal("an unexpected error occurred; it has been logged"));
        if (refused) {
            connection.event_stream = nullptr;
            connection.streaming = false;
            co_return refused;
        }
        co_await events.start();  // nullopt without streaming: an empty stream
    } else if (refused) {
        spdlog::error("stream {} returned a response after streaming; it was not sent", route.pattern);
    }
    connection.event_stream = nullptr;
    connection.streaming = false;

    // 499 (as nginx logs it): the client left, or the server stopped, before the stream began.
    int status = events.started() ? 200 : 499;
    std::string method(ctx.request.method_string());
    metrics_.observe(method, route.pattern, status,
                     std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    log_access(ctx, method, route.pattern, status, events.bytes_sent(), started,
               {{"stream", true}, {"events", events.events_sent()}, {"end", to_string(events.end_reason())}});
    co_return std::nullopt;
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> connection)
{
    auto& stream = connection->stream;
    beast::flat_buffer buffer;
    std::string peer;
    {
        beast::error_code ec;
        auto remote = stream.socket().remote_endpoint(ec);
        if (!ec) peer = remote.address().to_string();
    }
    bool first = true;
    std::string head;
    while (!stopping_) {
        beast_http::request_parser<beast_http::string_body> parser;
        parser.header_limit(limits_.header_bytes);
        parser.body_limit(limits_.body_bytes);
        stream.expires_after(first ? limits_.read_timeout : limits_.idle_timeout);
        first = false;
        beast::error_code ec;
        // Wait for the first byte while idle, so shutdown can tell idle connections from busy ones.
        if (buffer.size() == 0) {
            auto n = co_await stream.async_read_some(buffer.prepare(8192), asio::redirect_error(use_awaitable, ec));
            if (ec) break;
            buffer.commit(n);
        }
        connection->busy = true;
        stream.expires_after(limits_.read_timeout);
        // Headers first, so that a route with its own body limit (raw email) can raise it before the body. A header
        // that arrived whole (the usual case) is parsed from the buffer at once: Beast's async_read_header would post
        // its completion through the scheduler even when it has nothing to read.
        buffer.consume(parser.put(buffer.data(), ec));
        if (ec == beast_http::error::need_more) {
            ec = {};
            co_await beast_http::async_read_header(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        }
        // Matched once on the raw path; matched again below only when percent-decoding changed the path.
        Match early;
        std::string raw_path;
        if (!ec) {
            auto target = parser.get().target();
            auto path = std::string_view(target.data(), target.size());
            raw_path = path.substr(0, path.find('?'));
            early = router_.match(parser.get().method(), raw_path);
            if (early.route && early.route->body_limit > 0) parser.body_limit(early.route->body_limit);
            if (!parser.is_done())
                co_await beast_http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        }
        auto started = std::chrono::steady_clock::now();
        Request request = ec ? Request{} : parser.release();
        Context ctx{request, {}, {}, {}, peer, std::to_string(next_request_.fetch_add(1)), {}, {}};
        Response response;
        std::string_view route = "unmatched";
        if (ec == beast_http::error::body_limit) {
            response = problem(ctx, beast_http::status::payload_too_large,
                               "the request body is larger than " + std::to_string(limits_.body_bytes) + " bytes");
        } else if (ec == beast_http::error::header_limit) {
            response =
                problem(ctx, beast_http::status::request_header_fields_too_large, "the request headers are too large");
        } else if (ec) {
            if (ec != beast_http::error::end_of_stream && ec != asio::error::operation_aborted &&
                ec != beast::error::timeout && ec != asio::error::eof && ec != asio::error::connection_reset)
                response = problem(ctx, beast_http::status::bad_request, "the request is not valid HTTP/1.1");
            else
                break;
        } else {
            fill_target(ctx);
            auto match = ctx.path == raw_path ? std::move(early) : router_.match(request.method(), ctx.path);
            if (match.route) route = match.route->pattern;
            if (match.route && match.route->stream) {
                auto refused = co_await run_stream(*connection, ctx, std::move(match), started);
                if (!refused) break;  // streamed: the connection is not reused
                response = std::move(*refused);
            } else {
                response = co_await dispatch(ctx, std::move(match));
            }
        }
        bool keep = !ec && request.keep_alive() && !stopping_;
        response.keep_alive(keep);
        if (request.method() == beast_http::verb::head) response.body().clear();
        // Counted before the write, so that a client that reads its response and then asks /metrics sees it.
        auto status = static_cast<int>(response.result_int());
        std::string method = ec ? "-" : std::string(request.method_string());
        metrics_.observe(
            method, route, status,
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
        stream.expires_after(limits_.write_timeout);
        beast::error_code write_ec;
        serialize_head(response, head);
        auto body = response.body().view();
        std::array<asio::const_buffer, 2> wire{asio::buffer(head), asio::buffer(body.data(), body.size())};
        co_await asio::async_write(stream, wire, asio::redirect_error(use_awaitable, write_ec));
        connection->busy = false;
        log_access(ctx, method, route, status, response.body().size(), started);
        if (write_ec || !keep) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
}

asio::awaitable<void> Server::shutdown(std::chrono::seconds grace)
{
    stopping_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    accepting_ = false;
    auto deadline = std::chrono::steady_clock::now() + grace;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        std::vector<std::shared_ptr<Connection>> idle;
        std::vector<std::shared_ptr<Connection>> streaming;
        std::size_t open = 0;
        {
            std::lock_guard lock(connections_mutex_);
            open = connections_.size();
            for (const auto& c : connections_)
                if (c->streaming)
                    streaming.push_back(c);
                else if (!c->busy)
                    idle.push_back(c);
        }
        for (const auto& c : idle)
            asio::post(c->stream.get_executor(), [c] { c->stream.cancel(); });
        // Streams never finish by themselves: end them (again each round, for one that has just begun).
        for (const auto& c : streaming)
            asio::post(c->stream.get_executor(), [c] {
                if (c->event_stream) c->event_stream->stop();
            });
        if (open == 0 || std::chrono::steady_clock::now() >= deadline) break;
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(use_awaitable);
    }
    std::vector<std::shared_ptr<Connection>> rest;
    {
        std::lock_guard lock(connections_mutex_);
        rest.assign(connections_.begin(), connections_.end());
    }
    for (const auto& c : rest)
        asio::post(c->stream.get_executor(), [c] { c->stream.cancel(); });
}

}  // namespace lifeline::http
