// The 90-day uptime bars of the status page: one bar per calendar day in the page's time zone, coloured by the worst
// status the component held that day, and an uptime percentage over the whole window. Pure computation; no I/O.
//
// The rule, as Atlassian Statuspage counts it: time in major_outage is downtime in full, time in partial_outage
// counts 30 % (kPartialOutageWeight), and degraded_performance and under_maintenance count none (they colour the
// bar, but the component is up). The time comes from two sources:
//   - incidents: each public update's affected components take their new status at the update's time, and hold it
//     until a later update of that incident changes it or the incident is resolved (or now, while it is open).
//     Outside incidents the component counts as operational: a status set by hand without an incident is not
//     history.
//   - the component's monitor: each hour's failed checks count as that share of the hour spent in the link's
//     down_status. An hour belongs to the day its start falls in.
// A day's downtime is the larger of the two, not their sum: when both saw the outage it is the same outage. The
// day's colour is the worst status an incident held that day, and the link's down_status when a check failed.
// Days run from local midnight to local midnight, so a DST change day has 23 or 25 hours; today ends now. The
// percentage is 100 × (1 − downtime ÷ the window's length), from the first day's midnight to now.
#pragma once

#include "core/result.hpp"
#include "status/status.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::status {

inline constexpr int kUptimeDays = 90;
inline constexpr double kPartialOutageWeight = 0.3;

// A stretch of time a component spent in a status other than operational.
struct StatusPeriod {
    core::UtcTime from{};
    core::UtcTime to{};
    ComponentStatus status = ComponentStatus::Operational;
};

// The checks and passes of a monitor in the UTC hour starting at `hour`.
struct MonitorHour {
    core::UtcTime hour{};
    std::int64_t checks = 0;
    std::int64_t passed = 0;
};

struct UptimeSources {
    std::vector<StatusPeriod> periods;  // from incidents; may overlap
    ComponentStatus monitor_down_status = ComponentStatus::MajorOutage;
    std::vector<MonitorHour> monitor_hours;  // empty without a monitor
};

struct UptimeDay {
    std::string date;       // "2026-11-23", the local date
    core::UtcTime start{};  // local midnight, in UTC
    core::UtcTime end{};    // the next local midnight, or now for today
    ComponentStatus worst = ComponentStatus::Operational;
    std::chrono::seconds downtime{0};  // weighted as above
};

struct UptimeBars {
    std::vector<UptimeDay> days;  // oldest first, the last is today
    double percent = 100.0;
};

// The periods incidents put one component in. `incidents` may come in any order; open incidents last until `now`.
std::vector<StatusPeriod> incident_periods(const std::vector<IncidentRecord>& incidents, std::int64_t component_id,
                                           core::UtcTime now);

// The bars of the `days` days that end today in `time_zone` (an IANA name). Errors: InvalidArgument
// ("time_zone": unknown).
core::Result<UptimeBars> uptime_bars(const UptimeSources& sources, std::string_view time_zone, core::UtcTime now,
                                     int days = kUptimeDays);

// "99.95": two decimals, rounded down, so that any downtime shows below "100.00".
std::string format_percent(double percent);

// The calendar month `t` falls in, in `time_zone`, as "2026-11" (UTC when the zone is unknown): the history pages
// group incidents by it.
std::string local_month(core::UtcTime t, std::string_view time_zone);

// The downtime weight of a status: 1 for major_outage, kPartialOutageWeight for partial_outage, else 0.
double downtime_weight(ComponentStatus status);

}  // namespace lifeline::status
