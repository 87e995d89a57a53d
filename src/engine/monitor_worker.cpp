#include "engine/monitor_worker.hpp"

#include "core/sync_wait.hpp"
#include "monitor/check.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace lifeline::engine {

namespace {

constexpr auto kPruneEvery = std::chrono::hours(1);

}  // namespace

MonitorWorker::MonitorWorker(monitor::MonitorService& monitors, const core::Clock& clock, Probe probe,
                             std::chrono::milliseconds poll)
    : monitors_(monitors), clock_(clock), probe_(std::move(probe)), poll_(poll)
{
    if (!probe_)
        probe_ = [&clock](const monitor::Monitor& m, const std::atomic<bool>& cancelled) {
            return monitor::run_check(m, clock, cancelled);
        };
}

MonitorWorker::~MonitorWorker()
{
    stop();
}

void MonitorWorker::start()
{
    auto released = monitors_.release_claims();
    if (!released)
        spdlog::error("monitors: cannot release the checks held at the last stop: {}", released.error().message());
    else if (*released > 0)
        spdlog::info("monitors: {} checks were running at the last stop; they run again now", *released);
    thread_ = std::thread([this] { run(); });
}

void MonitorWorker::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancelled_ = true;
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    probes_.join();
}

void MonitorWorker::wake()
{
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void MonitorWorker::run()
{
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (stopping_) return;
            woken_ = false;
        }
        auto now = clock_.now();
        deliver_alerts();
        prune_if_due(now);
        int started = start_due(now, {});
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        if (started == 0) wake_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
    }
}

int MonitorWorker::run_once(core::UtcTime now)
{
    deliver_alerts();
    prune_if_due(now);
    std::mutex mutex;
    std::condition_variable finished;
    int done = 0;
    int started = start_due(now, [&] {
        std::lock_guard lock(mutex);
        ++done;
        finished.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        finished.wait(lock, [&] { return done == started; });
    }
    deliver_alerts();
    return started;
}

int MonitorWorker::start_due(core::UtcTime now, const std::function<void()>& finished)
{
    int free = kParallelChecks - in_flight_.load();
    if (free <= 0) return 0;
    // A read first, so that an idle pass costs no write.
    auto next = monitors_.next_due(now);
    if (!next) {
        spdlog::error("monitors: cannot read the next due check: {}", next.error().message());
        return 0;
    }
    if (!*next || **next > now) return 0;
    auto due = monitors_.claim_due(now, free);
    if (!due) {
        spdlog::error("monitors: cannot claim due checks: {}", due.error().message());
        return 0;
    }
    for (auto& m : *due) {
        in_flight_.fetch_add(1);
        boost::asio::post(probes_, [this, m = std::move(m), finished] {
            auto result = m.kind == monitor::Kind::Heartbeat ? monitor::missed_heartbeat(m) : probe_(m, cancelled_);
            // A probe cut short by stop() proves nothing; the check stays due and runs after the restart.
            if (!cancelled_) finish(m, result);
            in_flight_.fetch_sub(1);
            if (finished) finished();
            wake();
        });
    }
    return static_cast<int>(due->size());
}

void MonitorWorker::finish(const monitor::Monitor& m, const monitor::CheckResult& result)
{
    auto recorded = core::sync_wait(monitors_.record(m, result, clock_.now()));
    if (!recorded) {
        spdlog::error("monitors: cannot record the check of monitor {} ({}): {}", m.id, m.name,
                      recorded.error().message());
        return;
    }
    checks_.fetch_add(1, std::memory_order_relaxed);
    if (!result.ok) spdlog::debug("monitors: {} failed: {}", m.name, result.detail);
}

void MonitorWorker::deliver_alerts()
{
    auto delivered = core::sync_wait(monitors_.deliver_pending_alerts());
    if (!delivered)
        spdlog::warn("monitors: cannot hand alert decisions to the alert service (will retry): {}",
                     delivered.error().message());
}

void MonitorWorker::prune_if_due(core::UtcTime now)
{
    if (last_prune_ && now - *last_prune_ < kPruneEvery) return;
    last_prune_ = now;
    auto pruned = monitors_.prune(now - monitor::kHistoryKept);
    if (!pruned)
        spdlog::error("monitors: cannot prune check history: {}", pruned.error().message());
    else if (*pruned > 0)
        spdlog::info("monitors: pruned {} checks older than 90 days", *pruned);
}

}  // namespace lifeline::engine
