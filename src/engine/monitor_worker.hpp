// The monitor worker: runs the checks that are due, records their results, and hands the alert decisions they make
// to the alert service. Runs on its own thread, with the probes on a small pool.
//
// Durable timers. Every monitor's next check (for a heartbeat, its deadline) is a column in the store, not a timer in
// memory. A pass claims the monitors whose time has come (holding each so no other pass takes it), runs their probes,
// and records each result with the new state and the next check time in one unit of work. A check interrupted by a
// crash is neither recorded nor moved on, so after a restart (start() drops the holds) every overdue check runs
// exactly once; a server that was down for a day runs each monitor's check once, not once per missed interval.
#pragma once

#include "core/clock.hpp"
#include "monitor/monitor.hpp"
#include "monitor/monitor_service.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace lifeline::engine {

class MonitorWorker {
public:
    // Runs one check; blocking, and bounded by the monitor's timeout or `cancelled` turning true.
    using Probe = std::function<monitor::CheckResult(const monitor::Monitor&, const std::atomic<bool>& cancelled)>;

    // `probe` defaults to monitor::run_check (libcurl). Tests pass a scripted one.
    MonitorWorker(monitor::MonitorService& monitors, const core::Clock& clock, Probe probe = {},
                  std::chrono::milliseconds poll = std::chrono::milliseconds(250));
    ~MonitorWorker();

    // Drops the holds a previous process left on checks, then starts the thread.
    void start();
    // Stops the thread; probes in flight are cancelled and their results dropped (they run again after a restart).
    // Idempotent.
    void stop();
    // Looks for due checks and alert decisions now rather than at the next poll.
    void wake();

    // One deterministic pass at `now`, for tests and the thread alike: hands over pending alert decisions, claims the
    // checks due at `now`, runs them (up to kParallelChecks at once) and waits for them, records their results (at
    // clock.now()), hands over the decisions they made, and prunes history older than 90 days once an hour.
    // Returns how many checks ran. Must not be called while the thread runs.
    int run_once(core::UtcTime now);

    std::uint64_t checks_count() const { return checks_.load(); }

    static constexpr int kParallelChecks = 8;

private:
    void run();
    // Claims up to the free probe slots and starts those checks on the pool. `finished` (may be null) counts down
    // once per check started, after its result is recorded. Returns how many started.
    int start_due(core::UtcTime now, const std::function<void()>& finished);
    void finish(const monitor::Monitor& m, const monitor::CheckResult& result);
    void deliver_alerts();
    void prune_if_due(core::UtcTime now);

    monitor::MonitorService& monitors_;
    const core::Clock& clock_;
    Probe probe_;
    std::chrono::milliseconds poll_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
    std::atomic<bool> cancelled_{false};
    std::atomic<int> in_flight_{0};
    std::optional<core::UtcTime> last_prune_;
    std::atomic<std::uint64_t> checks_{0};
    boost::asio::thread_pool probes_{kParallelChecks};
};

}  // namespace lifeline::engine
