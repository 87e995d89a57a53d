// Server-sent events (text/event-stream) on a connection that a stream route (Router::add_stream) has taken over.
// See core/hub.hpp for how a handler subscribes to a topic and pumps it into the stream.
#pragma once

#include "core/hub.hpp"
#include "http/message.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace lifeline::http {

// Why pump() returned.
enum class StreamEnd {
    ClientGone,      // the client closed the connection, or a write failed or timed out
    ServerStopping,  // graceful shutdown
    Lagging,         // the subscription fell too far behind and was dropped by the hub
    Closed,          // the subscription was closed by someone else
};

const char* to_string(StreamEnd end);

struct StreamSettings {
    std::chrono::milliseconds keep_alive{15000};  // a ": keep-alive" comment after this long without a write
    std::chrono::seconds write_timeout{30};       // for each write; a client that stops reading is cut off
};

// One event frame: "id: N" (when given), "event: name" (when not empty; CR and LF in it become spaces), one
// "data: " line per line of `data` (CRLF, CR and LF all end a line), then a blank line.
std::string format_event(std::optional<std::uint64_t> id, std::string_view name, std::string_view data);
// A comment frame (": text"), which EventSource ignores: it keeps proxies and NATs from closing an idle stream.
std::string format_comment(std::string_view text);
// The event id the client last saw: the Last-Event-ID header (a reconnecting EventSource), else the
// last_event_id query parameter (a page's first connection); nullopt when absent or not a decimal integer.
std::optional<std::uint64_t> requested_last_event_id(const Context& ctx);

// The writing end of one stream. Made by the server for a stream route and used by its handler on the
// connection's executor (the handler's coroutine runs there). Nothing is sent before start().
class EventStream {
public:
    EventStream(boost::beast::tcp_stream& stream, const Context& ctx, StreamSettings settings);
    ~EventStream();
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    // See requested_last_event_id(): pass it to Hub::subscribe.
    std::optional<std::uint64_t> last_event_id() const { return last_event_id_; }

    // Sends "200 OK" with Content-Type: text/event-stream, Cache-Control: no-store, X-Accel-Buffering: no and
    // Connection: close, once; the connection is not reused afterwards. False when the stream has ended.
    boost::asio::awaitable<bool> start();
    // Sends one event (starting the stream if needed). False when the stream has ended.
    boost::asio::awaitable<bool> send(const core::HubEvent& event);
    boost::asio::awaitable<bool> send(std::string_view event_name, std::string_view data);
    boost::asio::awaitable<bool> comment(std::string_view text);

    // Starts the stream and writes the subscription's events as they come (several queued events in one write),
    // with a keep-alive comment whenever nothing was written for StreamSettings::keep_alive. Returns when the
    // client goes away, the server stops, or the subscription lags or is closed; closes the subscription then.
    boost::asio::awaitable<StreamEnd> pump(core::Subscription& subscription);

    // Ends the stream for a graceful shutdown: a pump() returns ServerStopping and writes fail from now on.
    // Called by the server on the connection's executor.
    void stop();

    bool started() const { return started_; }
    bool ended() const;
    std::uint64_t bytes_sent() const { return bytes_; }
    std::uint64_t events_sent() const { return events_; }
    // Why the stream ended, or would end now.
    StreamEnd end_reason() const;

private:
    struct Watch;
    boost::asio::awaitable<bool> write(std::string bytes, std::uint64_t events);

    boost::beast::tcp_stream& stream_;
    const Context& ctx_;
    StreamSettings settings_;
    std::optional<std::uint64_t> last_event_id_;
    std::shared_ptr<Watch> watch_;  // shared with the pending read that notices the client leaving
    bool started_ = false;
    bool stopped_ = false;
    bool lagging_ = false;
    std::uint64_t bytes_ = 0;
    std::uint64_t events_ = 0;
};

}  // namespace lifeline::http
