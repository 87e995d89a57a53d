#include "status/uptime.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lifeline::status {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The weighted downtime of [from, to) and the worst status held in it, from periods that may overlap: at each
// moment the worst covering status counts, so two incidents on one component do not count the same time twice.
std::pair<milliseconds, ComponentStatus> incident_share(const std::vector<StatusPeriod>& periods, core::UtcTime from,
                                                        core::UtcTime to)
{
    std::vector<core::UtcTime> edges{from, to};
    ComponentStatus worst = ComponentStatus::Operational;
    for (const auto& p : periods) {
        if (p.to <= from || p.from >= to) continue;
        worst = std::max(worst, p.status);
        edges.push_back(std::max(p.from, from));
        edges.push_back(std::min(p.to, to));
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    double down = 0;
    for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
        auto status = ComponentStatus::Operational;
        for (const auto& p : periods)
            if (p.from <= edges[i] && p.to >= edges[i + 1]) status = std::max(status, p.status);
        down += downtime_weight(status) * static_cast<double>((edges[i + 1] - edges[i]).count());
    }
    return {milliseconds(static_cast<std::int64_t>(down)), worst};
}

// The monitor's weighted downtime in [from, to), and whether any check failed there. The current hour counts only
// up to `to`.
std::pair<milliseconds, bool> monitor_share(const UptimeSources& s, core::UtcTime from, core::UtcTime to)
{
    double down = 0;
    bool failed = false;
    for (const auto& h : s.monitor_hours) {
        if (h.hour < from || h.hour >= to || h.checks <= 0 || h.passed >= h.checks) continue;
        failed = true;
        auto span = std::min(milliseconds(std::chrono::hours(1)), milliseconds(to - h.hour));
        down += downtime_weight(s.monitor_down_status) * static_cast<double>(span.count()) *
                static_cast<double>(h.checks - h.passed) / static_cast<double>(h.checks);
    }
    return {milliseconds(static_cast<std::int64_t>(down)), failed};
}

}  // namespace

double downtime_weight(ComponentStatus status)
{
    switch (status) {
    case ComponentStatus::MajorOutage: return 1.0;
    case ComponentStatus::PartialOutage: return kPartialOutageWeight;
    default: return 0.0;
    }
}

std::vector<StatusPeriod> incident_periods(const std::vector<IncidentRecord>& incidents, std::int64_t component_id,
                                           core::UtcTime now)
{
    std::vector<StatusPeriod> out;
    for (const auto& r : incidents) {
        auto end = r.incident.resolved_at.value_or(now);
        std::vector<const PublicUpdate*> updates;
        for (const auto& u : r.updates)
            updates.push_back(&u);
        std::sort(updates.begin(), updates.end(), [](const PublicUpdate* a, const PublicUpdate* b) {
            return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
        });
        std::optional<StatusPeriod> open;
        for (const auto* u : updates)
            for (const auto& a : u->affected) {
                if (a.component_id != component_id) continue;
                if (open) {
                    open->to = u->created_at;
                    if (open->to > open->from) out.push_back(*open);
                }
                open = StatusPeriod{u->created_at, end, a.new_status};
            }
        if (open && open->status != ComponentStatus::Operational && open->to > open->from) out.push_back(*open);
    }
    std::erase_if(out, [](const StatusPeriod& p) { return p.status == ComponentStatus::Operational; });
    return out;
}

core::Result<UptimeBars> uptime_bars(const UptimeSources& sources, std::string_view time_zone, core::UtcTime now,
                                     int days)
{
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(time_zone);
    } catch (const std::runtime_error&) {
        return core::Error::invalid("the time zone is not valid",
                                    {{"time_zone", "no time zone is named '" + std::string(time_zone) + "'"}});
    }
    auto local_now = zone->to_local(std::chrono::floor<seconds>(now));
    auto today = std::chrono::floor<date::days>(local_now);
    // Local midnight in UTC; a midnight skipped by a DST change becomes the moment of the change.
    auto midnight = [&](date::local_days d) {
        return core::UtcTime(std::chrono::time_point_cast<milliseconds>(zone->to_sys(d, date::choose::earliest)));
    };
    UptimeBars out;
    milliseconds down{0};
    for (int i = days - 1; i >= 0; --i) {
        auto day = today - date::days(i);
        UptimeDay bar;
        bar.date = date::format("%F", day);
        bar.start = midnight(day);
        bar.end = i == 0 ? now : midnight(day + date::days(1));
        auto [incident_down, worst] = incident_share(sources.periods, bar.start, bar.end);
        auto [monitor_down, failed] = monitor_share(sources, bar.start, bar.end);
        if (failed) worst = std::max(worst, sources.monitor_down_status);
        auto day_down = std::max(incident_down, monitor_down);
        bar.worst = worst;
        bar.downtime = std::chrono::duration_cast<seconds>(day_down);
        down += day_down;
        out.days.push_back(std::move(bar));
    }
    auto window = now - out.days.front().start;
    if (window.count() > 0)
        out.percent = std::clamp(
            100.0 * (1.0 - static_cast<double>(down.count()) / static_cast<double>(window.count())), 0.0, 100.0);
    return out;
}

std::string local_month(core::UtcTime t, std::string_view time_zone)
{
    auto seconds_at = std::chrono::floor<seconds>(t);
    try {
        return date::format("%Y-%m", date::locate_zone(time_zone)->to_local(seconds_at));
    } catch (const std::runtime_error&) {
        return date::format("%Y-%m", seconds_at);
    }
}

std::string format_percent(double percent)
{
    // Rounded down in hundredths; the small epsilon keeps 99.95 from printing as 99.94 through binary rounding.
    auto hundredths = std::floor(percent * 100.0 + 1e-6);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", hundredths / 100.0);
    return buf;
}

}  // namespace lifeline::status
