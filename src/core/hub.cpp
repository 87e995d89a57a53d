#include "core/hub.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace lifeline::core {

namespace asio = boost::asio;

namespace detail {

using EventPtr = std::shared_ptr<const HubEvent>;

struct Subscriber {
    enum class State { Open, Lagging, Closed };

    // Guarded by HubState::mutex.
    std::string topic;
    std::deque<EventPtr> queue;
    State state = State::Open;
    bool attached = false;                          // listed in its topic's subscribers
    bool waiting = false;                           // a next() sleeps on `timer`; a publish must wake it
    std::optional<asio::any_io_executor> executor;  // of the coroutine in next(), while it runs

    // The timer next() sleeps on, a local of that coroutine: only touched on `executor`, by next() and by the
    // wake-ups publishers post there. Neither it nor `executor` is kept after next() returns, so a subscription
    // may outlive the io_context it was used on.
    asio::steady_timer* timer = nullptr;
};

struct Topic {
    std::deque<EventPtr> recent;          // the replay buffer, oldest first
    std::uint64_t last = 0;               // id of the newest event; 0 before the first
    std::uint64_t forgotten_through = 0;  // events of this topic with ids up to this one may be lost
    std::vector<std::shared_ptr<Subscriber>> subscribers;
};

struct HubState {
    explicit HubState(HubLimits l, std::uint64_t first_id)
        : limits(l), last_id(first_id - 1), forgotten_through(first_id - 1)
    {
    }

    HubLimits limits;
    mutable std::mutex mutex;
    std::uint64_t last_id;            // the newest id issued
    std::uint64_t forgotten_through;  // the newest id of any event dropped with an evicted topic
    std::map<std::string, Topic, std::less<>> topics;
    std::map<std::uint64_t, std::string> idle;  // topics without subscribers, by their newest event id
    std::size_t subscribers = 0;

    Topic& topic(std::string_view name)
    {
        auto it = topics.find(name);
        if (it != topics.end()) return it->second;
        auto& t = topics[std::string(name)];
        // Anything this topic had before it was forgotten (or before this process) is unknown.
        t.forgotten_through = forgotten_through;
        return t;
    }

    // After `t` lost its last subscriber or, being idle, received an event.
    void became_idle(const std::string& name, Topic& t)
    {
        if (t.last == 0) {
            topics.erase(name);
            return;
        }
        idle[t.last] = name;
        while (idle.size() > limits.idle_topics) {
            auto oldest = idle.begin();
            auto gone = topics.find(oldest->second);
            if (gone != topics.end()) {
                forgotten_through = std::max(forgotten_through, gone->second.last);
                topics.erase(gone);
            }
            idle.erase(oldest);
        }
    }

    void detach(Subscriber& s)
    {
        if (!s.attached) return;
        s.attached = false;
        --subscribers;
        auto it = topics.find(s.topic);
        if (it == topics.end()) return;
        auto& list = it->second.subscribers;
        std::erase_if(list, [&](const std::shared_ptr<Subscriber>& p) { return p.get() == &s; });
        if (list.empty()) became_idle(it->first, it->second);
    }
};

namespace {

// Wakes the next() sleeping on `s`, on its executor. Called without the hub's mutex held.
void wake(const asio::any_io_executor& executor, const std::weak_ptr<Subscriber>& s)
{
    asio::post(executor, [s] {
        if (auto subscriber = s.lock())
            if (subscriber->timer) subscriber->timer->cancel();
    });
}

// The next thing next()/poll() should report, if any. Called with the hub's mutex held.
std::optional<Subscription::Next> take(Subscriber& s)
{
    if (s.state == Subscriber::State::Closed) return Subscription::Next{Subscription::Status::Closed, nullptr};
    if (!s.queue.empty()) {
        auto event = std::move(s.queue.front());
        s.queue.pop_front();
        return Subscription::Next{Subscription::Status::Event, std::move(event)};
    }
    if (s.state == Subscriber::State::Lagging) return Subscription::Next{Subscription::Status::Lagging, nullptr};
    return std::nullopt;
}

}  // namespace

}  // namespace detail

// --- Subscription ---

Subscription::Subscription(std::shared_ptr<detail::HubState> hub, std::shared_ptr<detail::Subscriber> subscriber,
                           bool missed)
    : hub_(std::move(hub)), subscriber_(std::move(subscriber)), missed_(missed)
{
}

Subscription::Subscription(Subscription&& other) noexcept
    : hub_(std::move(other.hub_)), subscriber_(std::move(other.subscriber_)), missed_(other.missed_)
{
}

Subscription& Subscription::operator=(Subscription&& other) noexcept
{
    if (this != &other) {
        release();
        hub_ = std::move(other.hub_);
        subscriber_ = std::move(other.subscriber_);
        missed_ = other.missed_;
    }
    return *this;
}

Subscription::~Subscription()
{
    release();
}

void Subscription::release()
{
    if (!subscriber_) return;
    {
        std::lock_guard lock(hub_->mutex);
        hub_->detach(*subscriber_);
        subscriber_->state = detail::Subscriber::State::Closed;
        subscriber_->queue.clear();
    }
    subscriber_.reset();
    hub_.reset();
}

const std::string& Subscription::topic() const
{
    return subscriber_->topic;
}

Subscription::Next Subscription::poll()
{
    std::lock_guard lock(hub_->mutex);
    if (auto next = detail::take(*subscriber_)) return std::move(*next);
    return Next{Status::Timeout, nullptr};
}

void Subscription::close()
{
    std::optional<asio::any_io_executor> executor;
    {
        std::lock_guard lock(hub_->mutex);
        auto& s = *subscriber_;
        hub_->detach(s);
        s.state = detail::Subscriber::State::Closed;
        s.queue.clear();
        if (s.waiting) {
            s.waiting = false;
            executor = s.executor;
        }
    }
    if (executor) detail::wake(*executor, subscriber_);
}

asio::awaitable<Subscription::Next> Subscription::next(std::chrono::steady_clock::duration timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto hub = hub_;  // both alive until this returns, even if the Subscription is moved
    auto subscriber = subscriber_;
    auto& s = *subscriber;
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    struct Sleeping {
        detail::HubState& hub;
        detail::Subscriber& s;
        ~Sleeping()
        {
            std::lock_guard lock(hub.mutex);
            s.waiting = false;
            s.executor.reset();
            s.timer = nullptr;
        }
    } sleeping{*hub, s};
    {
        std::lock_guard lock(hub->mutex);
        s.executor = executor;
        s.timer = &timer;
    }
    for (;;) {
        {
            std::lock_guard lock(hub->mutex);
            if (auto next = detail::take(s)) co_return std::move(*next);
            if (std::chrono::steady_clock::now() >= deadline) co_return Next{Status::Timeout, nullptr};
            s.waiting = true;
        }
        // A wake-up posted by a publisher runs on this executor, so not before this wait has begun. A stale one
        // from an earlier round only makes this loop look again.
        timer.expires_at(deadline);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        std::lock_guard lock(hub->mutex);
        s.waiting = false;
    }
}

// --- Hub ---

Hub::Hub(HubLimits limits, std::uint64_t first_id)
    : state_(std::make_shared<detail::HubState>(limits, std::max<std::uint64_t>(first_id, 1)))
{
}

Hub::~Hub() = default;

std::uint64_t Hub::publish(std::string_view topic, std::string event_name, std::string data)
{
    std::vector<std::pair<asio::any_io_executor, std::weak_ptr<detail::Subscriber>>> to_wake;
    std::uint64_t id = 0;
    {
        auto& hub = *state_;
        std::lock_guard lock(hub.mutex);
        auto it = hub.topics.find(topic);
        if (it == hub.topics.end()) {
            hub.topic(topic);
            it = hub.topics.find(topic);
        }
        auto& t = it->second;
        bool was_idle = t.subscribers.empty();
        if (was_idle && t.last != 0) hub.idle.erase(t.last);

        id = ++hub.last_id;
        auto event = std::make_shared<const HubEvent>(HubEvent{id, std::move(event_name), std::move(data)});
        t.last = id;
        t.recent.push_back(event);
        while (t.recent.size() > hub.limits.replay_events) {
            t.forgotten_through = std::max(t.forgotten_through, t.recent.front()->id);
            t.recent.pop_front();
        }

        std::vector<std::shared_ptr<detail::Subscriber>> lagging;
        for (const auto& s : t.subscribers) {
            if (s->queue.size() >= hub.limits.queue_events) {
                lagging.push_back(s);
            } else {
                s->queue.push_back(event);
            }
            if (s->waiting) {
                s->waiting = false;
                to_wake.emplace_back(*s->executor, s);
            }
        }
        // Dropping the subscriber, rather than waiting for it, keeps publishers fast and memory bounded.
        for (const auto& s : lagging) {
            s->queue.clear();
            s->state = detail::Subscriber::State::Lagging;
            s->attached = false;
            --hub.subscribers;
            std::erase(t.subscribers, s);
        }
        // The topic may be forgotten right here when idle_topics is 0; `t` is not used after this.
        if (t.subscribers.empty()) hub.became_idle(it->first, t);
    }
    for (const auto& [executor, s] : to_wake)
        detail::wake(executor, s);
    return id;
}

Subscription Hub::subscribe(std::string topic, std::optional<std::uint64_t> last_event_id)
{
    auto subscriber = std::make_shared<detail::Subscriber>();
    subscriber->topic = topic;
    bool missed = false;
    auto& hub = *state_;
    std::lock_guard lock(hub.mutex);
    auto& t = hub.topic(topic);
    if (t.subscribers.empty() && t.last != 0) hub.idle.erase(t.last);
    if (last_event_id) {
        auto after = *last_event_id;
        if (after > hub.last_id || after < t.forgotten_through) {
            missed = true;
        } else {
            for (const auto& event : t.recent)
                if (event->id > after) subscriber->queue.push_back(event);
            // A replay buffer larger than the queue: the oldest part cannot be delivered.
            if (subscriber->queue.size() > hub.limits.queue_events) {
                subscriber->queue.clear();
                missed = true;
            }
        }
    }
    subscriber->attached = true;
    t.subscribers.push_back(subscriber);
    ++hub.subscribers;
    return Subscription(state_, std::move(subscriber), missed);
}

std::uint64_t Hub::last_id() const
{
    std::lock_guard lock(state_->mutex);
    return state_->last_id;
}

std::size_t Hub::subscriber_count() const
{
    std::lock_guard lock(state_->mutex);
    return state_->subscribers;
}

std::size_t Hub::subscriber_count(std::string_view topic) const
{
    std::lock_guard lock(state_->mutex);
    auto it = state_->topics.find(topic);
    return it == state_->topics.end() ? 0 : it->second.subscribers.size();
}

std::size_t Hub::topic_count() const
{
    std::lock_guard lock(state_->mutex);
    return state_->topics.size();
}

}  // namespace lifeline::core
