// An in-process publish/subscribe hub for live pages: services publish to a topic ("incident:7") after a commit,
// and HTTP event streams (server-sent events, http/event_stream.hpp) subscribe to it.
//
// How the incident room uses it:
//
//     // app/: one Hub for the process, outliving the server. Seed the ids from the clock so that they keep
//     // growing across restarts (a browser's Last-Event-ID from before a restart is then recognised as stale).
//     core::Hub hub(core::HubLimits{}, static_cast<std::uint64_t>(core::to_unix_ms(clock.now())) * 1000);
//
//     // the incident service, after its unit of work committed (any thread; never blocks):
//     hub.publish("incident:" + std::to_string(id), "update", html_fragment);
//
//     // http/web/: a streaming route. Returning a Response refuses the stream (not signed in, no such incident);
//     // the server answers it like any other response. Beyond Limits::max_streams the server answers 503 itself.
//     router.add_stream(beast_http::verb::get, "/console/incidents/{id}/events",
//                       [&](Context& ctx, EventStream& stream) -> asio::awaitable<std::optional<Response>> {
//         auto id = int_param(ctx, "id");
//         if (!id) co_return problem(ctx, core::Error::not_found("no such incident"));
//         // ... authenticate (guard.hpp) and check the incident exists and is visible ...
//         auto subscription = hub.subscribe("incident:" + std::to_string(*id), stream.last_event_id());
//         if (subscription.missed_events()) co_await stream.send("reset", "");  // the page re-renders itself
//         co_await stream.pump(subscription);  // until the client leaves, the server stops, or it lags behind
//         co_return std::nullopt;              // the server logs the stream and closes the connection
//     });
//
//     // the page, rendered with hub.last_id() so that nothing published between render and connect is lost:
//     //   new EventSource("/console/incidents/7/events?last_event_id={{LAST_ID}}")
//     // The browser reconnects by itself after a network error and sends Last-Event-ID then.
//
// Ids: one hub-wide sequence, so every event's id is unique and ids increase strictly within a topic (they are not
// contiguous within one). Replay: each topic keeps its newest HubLimits::replay_events events (64 by default), also
// while nobody is subscribed; up to HubLimits::idle_topics topics without subscribers are kept (the least recently
// published are forgotten first). Slow subscribers: each has a queue of at most HubLimits::queue_events events (256
// by default); a publish that would overflow it drops the subscriber instead of waiting or growing: its queue is
// freed, it is detached from the topic, and its next() says Lagging. The stream then ends and the browser reconnects
// with its Last-Event-ID, which replays from the topic's buffer or reports missed_events().
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace lifeline::core {

struct HubEvent {
    std::uint64_t id = 0;  // hub-wide sequence; strictly increasing within a topic
    std::string name;      // the SSE "event:" field; empty for the default ("message")
    std::string data;      // may span lines
};

struct HubLimits {
    std::size_t replay_events = 64;  // newest events kept per topic for Last-Event-ID replay
    std::size_t queue_events = 256;  // undelivered events per subscriber before it is dropped as lagging
    std::size_t idle_topics = 1024;  // topics kept (for replay) while nobody subscribes to them
};

namespace detail {
struct HubState;
struct Subscriber;
}  // namespace detail

// One subscriber's view of a topic. Move-only; destroying it unsubscribes. Its methods may be called from any
// thread except next(), which see.
class Subscription {
public:
    enum class Status {
        Event,    // `event` holds the next event
        Timeout,  // nothing arrived in time (next()) or nothing is queued (poll())
        Lagging,  // the subscriber fell queue_events behind and was dropped; no more events will come
        Closed,   // close() was called; no more events will come
    };
    struct Next {
        Status status = Status::Timeout;
        std::shared_ptr<const HubEvent> event;  // set when status is Event
    };

    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();

    const std::string& topic() const;

    // True when the subscriber asked to resume after an event the hub no longer retains (older than the topic's
    // replay buffer, forgotten with an idle topic, or from before a restart). Nothing was replayed then: the view
    // should be rebuilt from the store, and the events that follow applied to it.
    bool missed_events() const { return missed_; }

    // Waits up to `timeout` for the next event without blocking the thread. Must be awaited on a strand or a
    // single-threaded io_context (every HTTP connection runs on its own strand), and by one coroutine at a time.
    boost::asio::awaitable<Next> next(std::chrono::steady_clock::duration timeout);

    // The next queued event, or Timeout when there is none; never waits.
    Next poll();

    // Ends the subscription: it is detached from the topic, its queue is freed, and a pending or later next()
    // returns Closed. Idempotent; any thread.
    void close();

private:
    friend class Hub;
    Subscription(std::shared_ptr<detail::HubState> hub, std::shared_ptr<detail::Subscriber> subscriber, bool missed);
    void release();

    std::shared_ptr<detail::HubState> hub_;
    std::shared_ptr<detail::Subscriber> subscriber_;
    bool missed_ = false;
};

// Thread-safe. Subscriptions may outlive the hub (they then receive nothing more) and the io_context they waited on.
class Hub {
public:
    // `first_id` is the id of the first event published.
    explicit Hub(HubLimits limits = {}, std::uint64_t first_id = 1);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // Appends an event to `topic` and hands it to every subscriber; returns its id. Never blocks on subscribers:
    // one that is queue_events behind is dropped (see the header comment). Any thread.
    std::uint64_t publish(std::string_view topic, std::string event_name, std::string data);

    // Subscribes to `topic`. With `last_event_id`, the retained events after it are queued first (replay), or
    // missed_events() is set when the hub cannot tell what came after it.
    Subscription subscribe(std::string topic, std::optional<std::uint64_t> last_event_id = std::nullopt);

    // The id of the newest event published on any topic (first_id - 1 before the first). A page rendered now can
    // pass it as its stream's last event id so that events published meanwhile are replayed.
    std::uint64_t last_id() const;

    std::size_t subscriber_count() const;
    std::size_t subscriber_count(std::string_view topic) const;
    // Topics held in memory: with subscribers, or idle with events to replay.
    std::size_t topic_count() const;

private:
    std::shared_ptr<detail::HubState> state_;
};

}  // namespace lifeline::core
