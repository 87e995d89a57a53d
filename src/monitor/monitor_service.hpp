// Monitor use-cases: admins define monitors, staff read their state, history and uptime, outside jobs send
// heartbeats, and the engine (engine/monitor_worker.hpp) claims due checks and records their results.
//
// Alerts. A monitor belongs to an alert service and raises one alert through AlertService::ingest with dedup key
// "monitor-<id>": trigger when it goes Down, resolve when it comes back Up. The decision is stored with the state
// change in the same unit of work (the monitor's pending alert action) and handed to ingest afterwards by
// deliver_pending_alerts(), which only the worker calls, one at a time: so a decision survives a crash or an
// unavailable store, and triggers and resolves reach the alert service in the order they were decided.
#pragma once

#include "alert/alert_service.hpp"
#include "auth/user.hpp"
#include "monitor/monitor.hpp"
#include "monitor/monitor_store.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>
#include <vector>

namespace lifeline::monitor {

// Uptime over the last 24 hours, 7, 30 and 90 days, to the hour; nullopt when no check ran in the window.
struct Uptime {
    std::optional<double> day, week, month, quarter;
};

struct MonitorView {
    Monitor monitor;
    Uptime uptime;
    std::vector<CheckRecord> recent_checks;  // newest first; only from get()
};

struct Created {
    MonitorView view;
    std::string heartbeat_token;  // heartbeat monitors only: the secret, shown once and stored hashed
};

// The alert key a monitor raises its alert under.
std::string dedup_key(std::int64_t monitor_id);

// The checks get() returns, and how long history is kept (the longest uptime window).
inline constexpr int kRecentChecks = 50;
inline constexpr auto kHistoryKept = std::chrono::days(90);

class MonitorService {
public:
    // `changed` is called after every write that makes a check due sooner or decides an alert action (the
    // worker's wake()); it may be empty.
    MonitorService(storage::Database& db, const core::Clock& clock, alert::AlertService& alerts,
                   std::function<void()> changed = {})
        : db_(db), clock_(clock), alerts_(alerts), changed_(std::move(changed))
    {
    }

    // Admins only. HTTP and TCP monitors are first checked at once; a heartbeat's first deadline is interval +
    // grace from now. Errors: PermissionDenied, InvalidArgument (every field, including an unknown service),
    // Conflict (name taken), Unavailable.
    boost::asio::awaitable<core::Result<Created>> create(const auth::Actor& actor, MonitorInput input);
    // Admins only. Replaces the definition (the kind cannot change). The state is kept unless the service changes,
    // which resolves the old service's alert and starts over as Pending. HTTP and TCP monitors are checked again at
    // once; a heartbeat's deadline restarts. Errors: as create, and NotFound.
    boost::asio::awaitable<core::Result<MonitorView>> update(const auth::Actor& actor, std::int64_t id,
                                                             MonitorInput input);
    // Admins only. Deletes the monitor and its history, and resolves its alert if it is down (and tells the state
    // follower it is up, so that components it held down return to operational).
    // Errors: PermissionDenied, NotFound, Unavailable.
    boost::asio::awaitable<core::Status> remove(const auth::Actor& actor, std::int64_t id);
    // Staff only. Every monitor with its uptime, by name. Errors: PermissionDenied, Unavailable.
    core::Result<std::vector<MonitorView>> list(const auth::Actor& actor);
    // Staff only. With uptime and the kRecentChecks newest checks. Errors: PermissionDenied, NotFound, Unavailable.
    core::Result<MonitorView> get(const auth::Actor& actor, std::int64_t id);

    // A heartbeat from the job whose secret token this is: records a passing check, moves the deadline to now +
    // interval + grace, and (from Down) decides to resolve the alert. The token is the credential.
    // Errors: NotFound (unknown token), Unavailable.
    boost::asio::awaitable<core::Result<Monitor>> beat(std::string_view token);

    // --- For the engine. The blocking calls must not run on an I/O thread. ---

    // Claims up to `limit` due checks, holding each for kMaxTimeoutSeconds + 30 s. Blocking. Errors: Unavailable.
    core::Result<std::vector<Monitor>> claim_due(core::UtcTime now, int limit);
    // Drops the holds a previous process left. Blocking. Errors: Unavailable.
    core::Result<std::int64_t> release_claims();
    // The earliest next_check_at of the monitors not held at `now`, if any. Errors: Unavailable.
    core::Result<std::optional<core::UtcTime>> next_due(core::UtcTime now);
    // Records the result of a claimed check taken at `at`, the new state and the next check (at + interval), in one
    // unit of work. A result for a monitor deleted or redefined since the claim is dropped, and so is a heartbeat
    // miss when a beat arrived meanwhile. Errors: Unavailable.
    boost::asio::awaitable<core::Status> record(const Monitor& claimed, CheckResult result, core::UtcTime at);
    // Hands up to 64 decided alert actions to AlertService::ingest, in the order decided, and clears each once
    // ingested. Call from one thread only (the worker). Returns how many were delivered; stops at the first failure.
    // Errors: NotFound (the service's key is gone), Unavailable.
    boost::asio::awaitable<core::Result<int>> deliver_pending_alerts();
    // Deletes history older than `before` in batches. Blocking. Returns the rows deleted. Errors: Unavailable.
    core::Result<std::int64_t> prune(core::UtcTime before);

    // Told of each monitor going down or coming back up (the moments its alert is triggered or resolved), inside
    // the unit of work that records it, so that what follows from it (status page components) commits with the
    // state. `in_work` returns true when it changed something; `after_commit` is then called after the commit.
    struct StateFollower {
        std::function<bool(storage::Transaction&, std::int64_t monitor_id, bool down, core::UtcTime at)> in_work;
        std::function<void()> after_commit;
    };
    // Set once, before the worker starts.
    void follow_state(StateFollower follower) { follower_ = std::move(follower); }

private:
    // validated(), and the service must exist. Errors: InvalidArgument listing every field, Unavailable.
    core::Result<Monitor> checked(const auth::Actor& actor, const MonitorInput& input);
    boost::asio::awaitable<core::Status> resolve_now(const Monitor& monitor);
    MonitorView view(storage::Transaction& tx, Monitor m, core::UtcTime now, int recent);
    // Tells the follower of a state change decided by `applied`, inside the unit of work. True when it acted.
    bool tell_follower(storage::Transaction& tx, std::int64_t id, const Step& applied, core::UtcTime at) const;
    void notify_changed() const
    {
        if (changed_) changed_();
    }

    storage::Database& db_;
    const core::Clock& clock_;
    alert::AlertService& alerts_;
    std::function<void()> changed_;
    StateFollower follower_;
};

}  // namespace lifeline::monitor
