// Live updates: the publish/subscribe hub (ordering, ids, replay, back-pressure) and server-sent event streams
// served by an in-process Server to a raw socket client.
#include "core/hub.hpp"
#include "http/event_stream.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <poll.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lifeline {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using core::Hub;
using core::HubLimits;
using core::Subscription;
using Status = core::Subscription::Status;
using tcp = asio::ip::tcp;

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s)
{
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

std::string data_of(const Subscription::Next& next)
{
    return next.event ? next.event->data : "<none>";
}

// --- the hub ---

TEST(Hub, IdsIncreaseFromTheFirstIdAcrossTopics)
{
    Hub hub({}, 100);
    EXPECT_EQ(hub.last_id(), 99u);
    EXPECT_EQ(hub.publish("a", "e", "1"), 100u);
    EXPECT_EQ(hub.publish("b", "e", "2"), 101u);
    EXPECT_EQ(hub.publish("a", "e", "3"), 102u);
    EXPECT_EQ(hub.last_id(), 102u);
}

TEST(Hub, SubscriberReceivesLaterEventsOfItsTopicInOrder)
{
    Hub hub;
    hub.publish("t", "e", "before");
    auto sub = hub.subscribe("t");
    EXPECT_FALSE(sub.missed_events());
    EXPECT_EQ(sub.topic(), "t");
    std::vector<std::uint64_t> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(hub.publish("t", "update", std::to_string(i)));
        hub.publish("other", "update", "not for t");
    }
    for (int i = 0; i < 5; ++i) {
        auto next = sub.poll();
        ASSERT_EQ(next.status, Status::Event);
        EXPECT_EQ(next.event->id, ids[i]);
        EXPECT_EQ(next.event->name, "update");
        EXPECT_EQ(next.event->data, std::to_string(i));
    }
    EXPECT_EQ(sub.poll().status, Status::Timeout);
}

TEST(Hub, LastEventIdReplaysTheRetainedEventsAfterIt)
{
    Hub hub;
    auto a = hub.publish("t", "e", "a");
    hub.publish("t", "e", "b");
    auto c = hub.publish("t", "e", "c");
    auto sub = hub.subscribe("t", a);
    EXPECT_FALSE(sub.missed_events());
    EXPECT_EQ(data_of(sub.poll()), "b");
    EXPECT_EQ(data_of(sub.poll()), "c");
    EXPECT_EQ(sub.poll().status, Status::Timeout);
    hub.publish("t", "e", "d");
    EXPECT_EQ(data_of(sub.poll()), "d");

    auto up_to_date = hub.subscribe("t", c + 1);
    EXPECT_FALSE(up_to_date.missed_events());
    EXPECT_EQ(up_to_date.poll().status, Status::Timeout);
}

TEST(Hub, ReplayBufferKeepsOnlyTheNewestEventsAndReportsWhatIsMissed)
{
    Hub hub(HubLimits{.replay_events = 3});
    std::vector<std::uint64_t> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(hub.publish("t", "e", std::to_string(i)));

    auto resumes = hub.subscribe("t", ids[1]);  // saw 0 and 1; 2, 3, 4 are retained
    EXPECT_FALSE(resumes.missed_events());
    EXPECT_EQ(data_of(resumes.poll()), "2");
    EXPECT_EQ(data_of(resumes.poll()), "3");
    EXPECT_EQ(data_of(resumes.poll()), "4");

    auto too_old = hub.subscribe("t", ids[0]);  // 1 is gone
    EXPECT_TRUE(too_old.missed_events());
    EXPECT_EQ(too_old.poll().status, Status::Timeout);  // nothing replayed: the view is rebuilt instead

    auto from_the_future = hub.subscribe("t", ids[4] + 1000);
    EXPECT_TRUE(from_the_future.missed_events());
}

TEST(Hub, AnIdFromBeforeARestartIsMissed)
{
    Hub hub({}, 1000);  // as if seeded from the clock
    hub.publish("t", "e", "x");
    EXPECT_TRUE(hub.subscribe("t", 5).missed_events());
    EXPECT_TRUE(hub.subscribe("new-topic", 5).missed_events());
    EXPECT_FALSE(hub.subscribe("new-topic", 1000).missed_events());
}

TEST(Hub, DestroyingTheSubscriptionUnsubscribes)
{
    Hub hub;
    {
        auto first = hub.subscribe("t");
        auto second = hub.subscribe("u");
        EXPECT_EQ(hub.subscriber_count(), 2u);
        EXPECT_EQ(hub.subscriber_count("t"), 1u);
        auto moved = std::move(first);
        EXPECT_EQ(hub.subscriber_count(), 2u);
        second = std::move(moved);  // the old "u" subscription ends
        EXPECT_EQ(hub.subscriber_count(), 1u);
        EXPECT_EQ(hub.subscriber_count("u"), 0u);
        EXPECT_EQ(hub.subscriber_count("t"), 1u);
    }
    EXPECT_EQ(hub.subscriber_count(), 0u);
    EXPECT_EQ(hub.topic_count(), 0u);  // no events to replay: nothing kept
    hub.publish("t", "e", "x");
    EXPECT_EQ(hub.topic_count(), 1u);  // kept for replay
}

TEST(Hub, CloseEndsTheSubscription)
{
    Hub hub;
    auto sub = hub.subscribe("t");
    hub.publish("t", "e", "queued");
    sub.close();
    sub.close();
    EXPECT_EQ(hub.subscriber_count(), 0u);
    EXPECT_EQ(sub.poll().status, Status::Closed);
    hub.publish("t", "e", "later");
    EXPECT_EQ(sub.poll().status, Status::Closed);
}

TEST(Hub, ASubscriberTooFarBehindIsDroppedAndTheOthersAreNot)
{
    Hub hub(HubLimits{.queue_events = 4});
    auto slow = hub.subscribe("t");
    auto fast = hub.subscribe("t");
    for (int i = 0; i < 10; ++i) {
        hub.publish("t", "e", std::to_string(i));
        EXPECT_EQ(data_of(fast.poll()), std::to_string(i));
    }
    EXPECT_EQ(hub.subscriber_count("t"), 1u);
    EXPECT_EQ(slow.poll().status, Status::Lagging);  // its queue was freed, not delivered late
    EXPECT_EQ(slow.poll().status, Status::Lagging);
    // It resumes by subscribing again from the last event it saw, as a reconnecting browser does.
    auto again = hub.subscribe("t", hub.last_id() - 1);
    EXPECT_EQ(data_of(again.poll()), "9");
}

TEST(Hub, IdleTopicsBeyondTheLimitAreForgottenOldestFirst)
{
    Hub hub(HubLimits{.idle_topics = 2});
    auto watched = hub.subscribe("watched");
    auto a1 = hub.publish("a", "e", "a1");
    hub.publish("a", "e", "a2");
    hub.publish("b", "e", "b");
    auto c = hub.publish("c", "e", "c");
    hub.publish("watched", "e", "w");
    EXPECT_EQ(hub.topic_count(), 3u);  // b, c and the one with a subscriber
    EXPECT_TRUE(hub.subscribe("a", a1).missed_events());
    EXPECT_FALSE(hub.subscribe("c", c - 1).missed_events());
    EXPECT_EQ(data_of(watched.poll()), "w");
}

TEST(Hub, NextWaitsForAPublishFromAnotherThread)
{
    Hub hub;
    auto sub = hub.subscribe("t");
    asio::io_context io;
    Subscription::Next got;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { got = co_await sub.next(10s); }, asio::detached);
    std::thread publisher([&] {
        std::this_thread::sleep_for(50ms);
        hub.publish("t", "e", "hello");
    });
    auto start = Clock::now();
    io.run();
    publisher.join();
    EXPECT_LT(since(start).count(), 2000);
    ASSERT_EQ(got.status, Status::Event);
    EXPECT_EQ(got.event->data, "hello");
}

TEST(Hub, NextTimesOutWhenNothingIsPublished)
{
    Hub hub;
    auto sub = hub.subscribe("t");
    asio::io_context io;
    Subscription::Next got{Status::Event, nullptr};
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { got = co_await sub.next(60ms); }, asio::detached);
    auto start = Clock::now();
    io.run();
    EXPECT_EQ(got.status, Status::Timeout);
    EXPECT_GE(since(start).count(), 55);
    EXPECT_LT(since(start).count(), 2000);
}

TEST(Hub, CloseFromAnotherThreadWakesTheWaiter)
{
    Hub hub;
    auto sub = hub.subscribe("t");
    asio::io_context io;
    Subscription::Next got;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { got = co_await sub.next(10s); }, asio::detached);
    std::thread closer([&] {
        std::this_thread::sleep_for(50ms);
        sub.close();
    });
    auto start = Clock::now();
    io.run();
    closer.join();
    EXPECT_EQ(got.status, Status::Closed);
    EXPECT_LT(since(start).count(), 2000);
}

TEST(Hub, ConcurrentPublishersReachAStrandSubscriberInIdOrder)
{
    Hub hub(HubLimits{.queue_events = 100000});
    auto sub = hub.subscribe("t");
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    constexpr int kPublishers = 4;
    constexpr int kEach = 2000;
    std::vector<std::uint64_t> received;
    asio::co_spawn(
        asio::make_strand(io),
        [&]() -> asio::awaitable<void> {
            while (received.size() < kPublishers * kEach) {
                auto next = co_await sub.next(5s);
                if (next.status != Status::Event) co_return;
                received.push_back(next.event->id);
            }
        },
        [&](std::exception_ptr) { guard.reset(); });
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
        threads.emplace_back([&] { io.run(); });
    std::vector<std::thread> publishers;
    for (int p = 0; p < kPublishers; ++p)
        publishers.emplace_back([&] {
            for (int i = 0; i < kEach; ++i)
                hub.publish("t", "e", "x");
        });
    for (auto& t : publishers)
        t.join();
    for (auto& t : threads)
        t.join();
    ASSERT_EQ(received.size(), static_cast<std::size_t>(kPublishers * kEach));
    for (std::size_t i = 1; i < received.size(); ++i)
        ASSERT_LT(received[i - 1], received[i]);
}

// --- frames ---

TEST(EventFormat, MultiLineDataBecomesSeveralDataLines)
{
    EXPECT_EQ(http::format_event(7, "update", "a\nb\r\nc\rd"),
              "id: 7\nevent: update\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    EXPECT_EQ(http::format_event(std::nullopt, "", ""), "data: \n\n");
    EXPECT_EQ(http::format_event(3, "", "ends with newline\n"), "id: 3\ndata: ends with newline\ndata: \n\n");
}

TEST(EventFormat, NewlinesCannotForgeFieldsThroughTheEventName)
{
    EXPECT_EQ(http::format_event(1, "bad\ndata: forged", "x"), "id: 1\nevent: bad data: forged\ndata: x\n\n");
    EXPECT_EQ(http::format_comment("keep-alive"), ": keep-alive\n\n");
    EXPECT_EQ(http::format_comment("two\nlines"), ": two\n: lines\n\n");
}

// --- streams over a socket ---

// Collects the access log lines.
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::string> lines()
    {
        std::lock_guard lock(mutex_);
        return lines_;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        lines_.emplace_back(msg.payload.begin(), msg.payload.end());
    }
    void flush_() override {}

private:
    std::vector<std::string> lines_;
};

std::shared_ptr<CaptureSink> access_log()
{
    static auto sink = [] {
        auto s = std::make_shared<CaptureSink>();
        spdlog::register_logger(std::make_shared<spdlog::logger>("access", s));
        return s;
    }();
    return sink;
}

// A raw HTTP client: writes bytes and reads with deadlines.
class Client {
public:
    explicit Client(std::uint16_t port, int receive_buffer = 0) : socket_(io_)
    {
        socket_.open(tcp::v4());
        if (receive_buffer > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
        socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    }

    void write(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }

    void get(const std::string& target, const std::string& headers = "")
    {
        write("GET " + target + " HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n" + headers + "\r\n");
    }

    // What arrived up to and including `marker`, consumed; empty when it did not arrive within `timeout`.
    std::string read_until(std::string_view marker, std::chrono::milliseconds timeout = 5s)
    {
        auto deadline = Clock::now() + timeout;
        for (;;) {
            auto at = buffer_.find(marker);
            if (at != std::string::npos) {
                auto out = buffer_.substr(0, at + marker.size());
                buffer_.erase(0, at + marker.size());
                return out;
            }
            if (!fill(deadline)) return {};
        }
    }

    // True when the server closes the connection within `timeout` (what arrives meanwhile is kept).
    bool closed_within(std::chrono::milliseconds timeout)
    {
        auto deadline = Clock::now() + timeout;
        while (!eof_)
            if (!fill(deadline) && !eof_) return false;
        return true;
    }

    void close()
    {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    const std::string& unread() const { return buffer_; }

private:
    bool fill(Clock::time_point deadline)
    {
        if (eof_) return false;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd pfd{socket_.native_handle(), POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) return false;
        char chunk[8192];
        boost::system::error_code ec;
        auto n = socket_.read_some(asio::buffer(chunk), ec);
        if (ec) {
            eof_ = true;
            return false;
        }
        buffer_.append(chunk, n);
        return true;
    }

    asio::io_context io_;
    tcp::socket socket_;
    std::string buffer_;
    bool eof_ = false;
};

std::string frame(std::uint64_t id, std::string_view name, std::string_view data)
{
    return http::format_event(id, name, data);
}

class EventStreams : public ::testing::Test {
protected:
    void SetUp() override
    {
        log = access_log();
        log_start = log->lines().size();
    }

    void start(http::Limits limits = {})
    {
        // A test-only route: streams topic "test:{name}"; "missing" is refused like an unknown incident.
        router.add_stream(
            http::beast_http::verb::get, "/topics/{name}/events",
            [this](http::Context& ctx, http::EventStream& stream) -> asio::awaitable<std::optional<http::Response>> {
                auto name = ctx.params.at("name");
                if (name == "missing") co_return http::problem(ctx, core::Error::not_found("no such topic"));
                auto subscription = hub.subscribe("test:" + name, stream.last_event_id());
                if (subscription.missed_events()) co_await stream.send("reset", "");
                co_await stream.pump(subscription);
                co_return std::nullopt;
            });
        router.add(http::beast_http::verb::get, "/plain", [](http::Context& ctx) -> asio::awaitable<http::Response> {
            co_return http::text(ctx, http::beast_http::status::ok, "plain", "text/plain");
        });
        server = std::make_unique<http::Server>(io, router, metrics, limits);
        auto endpoint = server->listen("127.0.0.1", 0);
        ASSERT_TRUE(endpoint);
        port = endpoint->port();
        server->start();
        for (int i = 0; i < 2; ++i)
            threads.emplace_back([this] { io.run(); });
    }

    // Graceful shutdown, as on SIGTERM; returns how long it took.
    std::chrono::milliseconds shut_down()
    {
        auto begin = Clock::now();
        if (server && !shut) {
            shut = true;
            asio::co_spawn(io, server->shutdown(std::chrono::seconds(10)), asio::use_future).get();
        }
        return since(begin);
    }

    void TearDown() override
    {
        shut_down();
        guard.reset();
        io.stop();
        for (auto& t : threads)
            t.join();
    }

    // The access log lines of this test's streams.
    std::vector<std::string> stream_log_lines()
    {
        std::vector<std::string> out;
        auto lines = log->lines();
        for (auto i = log_start; i < lines.size(); ++i)
            if (lines[i].find("\"stream\":true") != std::string::npos) out.push_back(lines[i]);
        return out;
    }

    std::shared_ptr<CaptureSink> log;
    std::size_t log_start = 0;
    Hub hub;
    http::Metrics metrics;
    http::Router router;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
    std::unique_ptr<http::Server> server;
    std::vector<std::thread> threads;
    std::uint16_t port = 0;
    bool shut = false;
};

TEST_F(EventStreams, EventsPublishedAfterSubscribingArriveInOrderWithIds)
{
    start();
    Client client(port);
    client.get("/topics/a/events");
    auto head = client.read_until("\r\n\r\n");
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Cache-Control: no-store\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("X-Accel-Buffering: no\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
    EXPECT_EQ(hub.subscriber_count("test:a"), 1u);  // subscribed before the headers went out
    EXPECT_EQ(server->open_streams(), 1u);

    auto first = hub.publish("test:a", "update", "first");
    auto second = hub.publish("test:a", "update", "two\nlines");
    hub.publish("test:b", "update", "elsewhere");
    auto third = hub.publish("test:a", "", "third");
    auto got = client.read_until("data: third\n\n");
    EXPECT_EQ(got, frame(first, "update", "first") + frame(second, "update", "two\nlines") + frame(third, "", "third"));
    EXPECT_EQ(got, "id: " + std::to_string(first) + "\nevent: update\ndata: first\n\n" +
                       "id: " + std::to_string(second) + "\nevent: update\ndata: two\ndata: lines\n\n" +
                       "id: " + std::to_string(third) + "\ndata: third\n\n");
}

TEST_F(EventStreams, LastEventIdReplaysMissedEvents)
{
    start();
    auto a = hub.publish("test:r", "update", "a");
    auto b = hub.publish("test:r", "update", "b");
    auto c = hub.publish("test:r", "update", "c");

    Client reconnecting(port);
    reconnecting.get("/topics/r/events", "Last-Event-ID: " + std::to_string(a) + "\r\n");
    ASSERT_FALSE(reconnecting.read_until("\r\n\r\n").empty());
    EXPECT_EQ(reconnecting.read_until("data: c\n\n"), frame(b, "update", "b") + frame(c, "update", "c"));
    auto d = hub.publish("test:r", "update", "d");
    EXPECT_EQ(reconnecting.read_until("data: d\n\n"), frame(d, "update", "d"));

    // A page's first connection passes the id it was rendered with in the query.
    Client page(port);
    page.get("/topics/r/events?last_event_id=" + std::to_string(c));
    ASSERT_FALSE(page.read_until("\r\n\r\n").empty());
    EXPECT_EQ(page.read_until("data: d\n\n"), frame(d, "update", "d"));

    // An id the hub cannot resume from: the handler tells the page to rebuild its view.
    Client stale(port);
    stale.get("/topics/r/events", "Last-Event-ID: " + std::to_string(d + 1000) + "\r\n");
    ASSERT_FALSE(stale.read_until("\r\n\r\n").empty());
    EXPECT_EQ(stale.read_until("\n\n"), "event: reset\ndata: \n\n");
}

TEST_F(EventStreams, KeepAliveCommentsArriveWhenNothingHappens)
{
    http::Limits limits;
    limits.stream_keep_alive = 100ms;
    start(limits);
    Client client(port);
    client.get("/topics/k/events");
    ASSERT_FALSE(client.read_until("\r\n\r\n").empty());
    auto begin = Clock::now();
    EXPECT_EQ(client.read_until(": keep-alive\n\n", 2s), ": keep-alive\n\n");
    EXPECT_EQ(client.read_until(": keep-alive\n\n", 2s), ": keep-alive\n\n");
    EXPECT_GE(since(begin).count(), 150);
    auto id = hub.publish("test:k", "update", "still here");
    EXPECT_NE(client.read_until("data: still here\n\n").find(frame(id, "update", "still here")), std::string::npos);
}

TEST_F(EventStreams, ClientDisconnectFreesTheSubscriptionAndLogsTheStream)
{
    start();
    {
        Client client(port);
        client.get("/topics/gone/events");
        ASSERT_FALSE(client.read_until("\r\n\r\n").empty());
        auto id = hub.publish("test:gone", "update", "one");
        ASSERT_FALSE(client.read_until("data: one\n\n").empty());
        EXPECT_EQ(hub.subscriber_count(), 1u);
        (void)id;
        client.close();
    }
    // Noticed by the stream's read, not by the next keep-alive (15 s away).
    EXPECT_TRUE(eventually([&] { return hub.subscriber_count() == 0 && server->open_streams() == 0; }, 3s));
    auto lines = stream_log_lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("\"route\":\"/topics/{name}/events\""), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("\"status\":200"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("\"events\":1"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("\"end\":\"client_gone\""), std::string::npos) << lines[0];
    EXPECT_NE(metrics.render().find(
                  "lifeline_http_requests_total{method=\"GET\",route=\"/topics/{name}/events\",status=\"200\"} 1"),
              std::string::npos);
}

TEST_F(EventStreams, ShutdownEndsStreamsPromptly)
{
    start();
    Client one(port);
    Client two(port);
    one.get("/topics/s/events");
    two.get("/topics/s/events");
    ASSERT_FALSE(one.read_until("\r\n\r\n").empty());
    ASSERT_FALSE(two.read_until("\r\n\r\n").empty());
    auto took = shut_down();  // the grace period is 10 s
    EXPECT_LT(took.count(), 2000);
    EXPECT_TRUE(one.closed_within(2s));
    EXPECT_TRUE(two.closed_within(2s));
    EXPECT_EQ(hub.subscriber_count(), 0u);
    auto lines = stream_log_lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find("\"end\":\"server_stopping\""), std::string::npos) << lines[0];
}

TEST_F(EventStreams, StreamsBeyondTheLimitAre503)
{
    http::Limits limits;
    limits.max_streams = 2;
    start(limits);
    Client one(port);
    Client two(port);
    one.get("/topics/l/events");
    two.get("/topics/l/events");
    ASSERT_FALSE(one.read_until("\r\n\r\n").empty());
    ASSERT_FALSE(two.read_until("\r\n\r\n").empty());

    Client three(port);
    three.get("/topics/l/events");
    auto head = three.read_until("\r\n\r\n");
    EXPECT_EQ(head.rfind("HTTP/1.1 503", 0), 0u) << head;
    EXPECT_NE(head.find("Retry-After"), std::string::npos) << head;
    EXPECT_NE(head.find("application/problem+json"), std::string::npos) << head;
    EXPECT_EQ(hub.subscriber_count(), 2u);

    one.close();
    ASSERT_TRUE(eventually([&] { return server->open_streams() == 1; }));
    Client four(port);
    four.get("/topics/l/events");
    EXPECT_EQ(four.read_until("\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(EventStreams, ARefusedStreamIsAnOrdinaryResponseOnAReusableConnection)
{
    start();
    Client client(port);
    client.get("/topics/missing/events");
    auto head = client.read_until("\r\n\r\n");
    EXPECT_EQ(head.rfind("HTTP/1.1 404", 0), 0u) << head;
    ASSERT_FALSE(client.read_until("}").empty());
    client.get("/plain");
    auto plain = client.read_until("plain", 5s);
    EXPECT_EQ(plain.rfind("HTTP/1.1 200", 0), 0u) << plain;
    EXPECT_EQ(hub.subscriber_count(), 0u);
    EXPECT_EQ(server->open_streams(), 0u);

    Client head_request(port);
    head_request.write("HEAD /topics/a/events HTTP/1.1\r\nHost: test\r\n\r\n");
    EXPECT_EQ(head_request.read_until("\r\n\r\n").rfind("HTTP/1.1 405", 0), 0u);
}

// The server writes response heads itself and parses a header that arrived whole from its buffer: pipelined
// requests, a header split across packets and HTTP/1.0 must still get exact, ordered answers.
TEST_F(EventStreams, PipelinedSplitAndHttp10RequestsGetExactAnswers)
{
    start();
    Client client(port);
    client.write("GET /plain HTTP/1.1\r\nHost: test\r\n\r\nGET /plain HTTP/1.1\r\nHost: test\r\n\r\nGET /pl");
    client.write("ain HTTP/1.1\r\nHost: te");
    client.write("st\r\n\r\n");
    for (int i = 0; i < 3; ++i) {
        auto head = client.read_until("\r\n\r\n");
        EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\nServer: lifeline\r\n", 0), 0u) << i << head;
        EXPECT_NE(head.find("\r\nContent-Length: 5\r\n"), std::string::npos) << head;
        EXPECT_EQ(head.find("Connection:"), std::string::npos) << head;
        EXPECT_EQ(client.read_until("plain"), "plain") << i;
    }
    EXPECT_TRUE(client.unread().empty());

    Client old(port);
    old.write("GET /plain HTTP/1.0\r\n\r\n");
    auto head = old.read_until("\r\n\r\n");
    EXPECT_EQ(head.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << head;
    EXPECT_TRUE(old.closed_within(5s));
    EXPECT_EQ(old.unread(), "plain");
}

TEST_F(EventStreams, ASlowClientThatNeverReadsDoesNotBlockPublishers)
{
    http::Limits limits;
    limits.write_timeout = std::chrono::seconds(1);
    start(limits);
    Client slow(port, 4096);
    slow.get("/topics/slow/events");  // and never reads
    ASSERT_TRUE(eventually([&] { return hub.subscriber_count("test:slow") == 1; }));

    std::string payload(8 * 1024, 'x');
    auto begin = Clock::now();
    for (int i = 0; i < 2000; ++i)  // 16 MB, far more than the socket buffers hold
        hub.publish("test:slow", "update", payload);
    EXPECT_LT(since(begin).count(), 2000);
    // Dropped as lagging at once, its queue freed; the stuck write is cut off by the write timeout.
    EXPECT_EQ(hub.subscriber_count(), 0u);
    EXPECT_TRUE(eventually([&] { return server->open_streams() == 0; }, 10s));

    // The server was answering others all along.
    Client other(port);
    other.get("/plain");
    EXPECT_EQ(other.read_until("plain").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(EventStreams, AWriteStuckOnAClientThatStoppedReadingIsCutOffByTheWriteTimeout)
{
    http::Limits limits;
    limits.write_timeout = std::chrono::seconds(1);
    start(limits);
    Client stuck(port, 4096);
    stuck.get("/topics/stuck/events");
    ASSERT_TRUE(eventually([&] { return hub.subscriber_count("test:stuck") == 1; }));
    // Fewer events than the subscriber queue holds, but far more bytes than the socket buffers: the stream's
    // write blocks without the subscriber ever lagging.
    std::string payload(64 * 1024, 'y');
    auto begin = Clock::now();
    for (int i = 0; i < 200; ++i)
        hub.publish("test:stuck", "update", payload);
    EXPECT_LT(since(begin).count(), 1000);
    EXPECT_TRUE(eventually([&] { return server->open_streams() == 0; }, 10s));
    EXPECT_GE(since(begin).count(), 900);
    EXPECT_EQ(hub.subscriber_count(), 0u);
    auto lines = stream_log_lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("\"end\":\"client_gone\""), std::string::npos) << lines[0];
}

TEST_F(EventStreams, RequestDeadlinesDoNotEndAHealthyStream)
{
    http::Limits limits;
    limits.read_timeout = std::chrono::seconds(1);
    limits.idle_timeout = std::chrono::seconds(1);
    limits.stream_keep_alive = 300ms;
    start(limits);
    Client client(port);
    client.get("/topics/long/events");
    ASSERT_FALSE(client.read_until("\r\n\r\n").empty());
    auto begin = Clock::now();
    while (since(begin) < 2500ms)
        ASSERT_FALSE(client.read_until(": keep-alive\n\n", 2s).empty());
    auto id = hub.publish("test:long", "update", "late");
    EXPECT_NE(client.read_until("data: late\n\n").find(frame(id, "update", "late")), std::string::npos);
    EXPECT_EQ(server->open_streams(), 1u);
}

}  // namespace
}  // namespace lifeline
