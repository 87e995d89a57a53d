// Monitors, their check history and hourly uptime counts. Storage interface; implementations live in
// storage/<backend>/.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "monitor/monitor.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::monitor {

// Checks and passes over one window, read from the hourly counts.
struct UptimeCounts {
    std::int64_t checks = 0;
    std::int64_t passed = 0;
};

// The checks and passes of one UTC hour.
struct HourCounts {
    core::UtcTime hour{};
    std::int64_t checks = 0;
    std::int64_t passed = 0;
};

class MonitorStore {
public:
    virtual ~MonitorStore() = default;

    // Inserts the definition with the given status, next_check_at and times. Errors: Conflict when the name is
    // taken, InvalidArgument when the service does not exist.
    virtual core::Result<std::int64_t> insert(const Monitor& monitor) = 0;
    // Replaces the definition (everything validated() sets), the status, next_check_at and updated_at; drops any
    // claim. Errors: NotFound, Conflict (name taken), InvalidArgument (no such service).
    virtual core::Status update(const Monitor& monitor) = 0;
    // Deletes the monitor with its history. False when there was none.
    virtual bool remove(std::int64_t id) = 0;

    // With the service's name and integration key.
    virtual std::optional<Monitor> find(std::int64_t id) = 0;
    virtual std::optional<Monitor> find_by_token_hash(std::string_view token_hash) = 0;
    // Ordered by name.
    virtual std::vector<Monitor> list() = 0;

    // Up to `limit` monitors whose next check is due (next_check_at <= now) and that no worker holds, soonest first;
    // each is held until `held_until` so that no other pass claims it while its check runs.
    virtual std::vector<Monitor> claim_due(core::UtcTime now, core::UtcTime held_until, int limit) = 0;
    // Drops every hold (at start: the process that held them is gone). Returns how many there were.
    virtual std::int64_t release_claims() = 0;
    // The earliest next_check_at of the monitors no worker holds at `now`, if there is one.
    virtual std::optional<core::UtcTime> next_due(core::UtcTime now) = 0;

    // Records one check: appends it to the history, counts it in its hour, and sets the status (with
    // state_changed_at when the state changed), last check, next_check_at and the pending alert action; drops the
    // claim. A step whose alert is None leaves the stored pending action as it is.
    virtual void record(std::int64_t id, const CheckRecord& check, const Step& step, core::UtcTime next_check_at,
                        core::UtcTime now) = 0;
    // Drops the hold without recording anything (a stale or superseded result).
    virtual void release(std::int64_t id) = 0;

    // Monitors whose alert action was decided but not yet handed over, oldest change first.
    virtual std::vector<Monitor> pending_alerts(int limit) = 0;
    // Clears the pending action if it is still `action` (a newer decision is kept).
    virtual void clear_pending_alert(std::int64_t id, AlertAction action) = 0;

    // The newest checks first.
    virtual std::vector<CheckRecord> recent_checks(std::int64_t id, int limit) = 0;
    // Checks counted in the hours that start at or after `since`.
    virtual UptimeCounts uptime(std::int64_t id, core::UtcTime since) = 0;
    // The hourly counts of the hours that start at or after `since`, oldest first.
    virtual std::vector<HourCounts> hourly_uptime(std::int64_t id, core::UtcTime since) = 0;
    // Deletes at most `limit` history rows (and hourly counts) older than `before`. Returns how many rows went.
    virtual std::int64_t prune(core::UtcTime before, int limit) = 0;
};

}  // namespace lifeline::monitor
