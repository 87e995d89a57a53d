// The uptime bars' rule (status/uptime.hpp), on a fake clock: days in the page's zone (including a DST change day),
// major outage counting fully and partial outage 30 %, the worst status colouring a day, a monitor's failed checks,
// incidents and monitors not counted twice, and the monitor-follows rule for components.
#include "status/uptime.hpp"

#include <gtest/gtest.h>

namespace lifeline::status {
namespace {

using namespace std::chrono_literals;

core::UtcTime at(const char* rfc3339)
{
    return *core::parse_rfc3339(rfc3339);
}

AffectedComponent change(std::int64_t id, ComponentStatus from, ComponentStatus to)
{
    return {id, "API", from, to};
}

PublicUpdate update(std::int64_t id, const char* when, std::vector<AffectedComponent> affected)
{
    PublicUpdate u;
    u.id = id;
    u.created_at = at(when);
    u.affected = std::move(affected);
    return u;
}

const UptimeDay& day(const UptimeBars& bars, const std::string& date)
{
    for (const auto& d : bars.days)
        if (d.date == date) return d;
    throw std::runtime_error("no bar for " + date);
}

TEST(Uptime, NinetyDaysEndingTodayInThePagesZone)
{
    core::FakeClock clock(at("2026-11-23T10:00:00Z"));
    auto bars = uptime_bars({}, "Pacific/Auckland", clock.now());
    ASSERT_TRUE(bars);
    ASSERT_EQ(bars->days.size(), 90u);
    // 10:00 UTC is 23:00 in Auckland (UTC+13 in November): still the 23rd there.
    EXPECT_EQ(bars->days.back().date, "2026-11-23");
    EXPECT_EQ(bars->days.back().start, at("2026-11-22T11:00:00Z"));
    EXPECT_EQ(bars->days.back().end, clock.now());
    EXPECT_EQ(bars->days.front().date, "2026-08-26");
    EXPECT_EQ(format_percent(bars->percent), "100.00");
    for (const auto& d : bars->days)
        EXPECT_EQ(d.worst, ComponentStatus::Operational);
}

TEST(Uptime, ADstChangeDayHas23Or25HoursInItsZone)
{
    // Europe/Berlin leaves summer time on 25 October 2026: that day lasts 25 hours; it entered on 29 March (23 h).
    core::FakeClock clock(at("2026-11-01T12:00:00Z"));
    auto bars = uptime_bars({}, "Europe/Berlin", clock.now());
    ASSERT_TRUE(bars);
    const auto& autumn = day(*bars, "2026-10-25");
    EXPECT_EQ(autumn.start, at("2026-10-24T22:00:00Z"));
    EXPECT_EQ(autumn.end - autumn.start, 25h);
    EXPECT_EQ(day(*bars, "2026-10-26").end - day(*bars, "2026-10-26").start, 24h);

    clock.set(at("2026-04-15T12:00:00Z"));
    bars = uptime_bars({}, "Europe/Berlin", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-03-29").end - day(*bars, "2026-03-29").start, 23h);

    // An outage of the whole 25-hour day counts 25 hours, not 24.
    UptimeSources s;
    s.periods.push_back({at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"), ComponentStatus::MajorOutage});
    clock.set(at("2026-11-01T12:00:00Z"));
    bars = uptime_bars(s, "Europe/Berlin", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-10-25").downtime, 25h);
    EXPECT_EQ(day(*bars, "2026-10-25").worst, ComponentStatus::MajorOutage);
    EXPECT_EQ(day(*bars, "2026-10-24").worst, ComponentStatus::Operational);
    EXPECT_EQ(day(*bars, "2026-10-26").worst, ComponentStatus::Operational);
}

TEST(Uptime, MajorOutageCountsFullyPartialOutage30PercentDegradedNone)
{
    core::FakeClock clock(at("2026-11-23T00:00:00Z"));
    UptimeSources s;
    s.periods.push_back({at("2026-11-20T10:00:00Z"), at("2026-11-20T11:00:00Z"), ComponentStatus::MajorOutage});
    s.periods.push_back({at("2026-11-21T10:00:00Z"), at("2026-11-21T20:00:00Z"), ComponentStatus::PartialOutage});
    s.periods.push_back({at("2026-11-22T00:00:00Z"), at("2026-11-22T23:00:00Z"), ComponentStatus::DegradedPerformance});
    auto bars = uptime_bars(s, "Etc/UTC", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-11-20").downtime, 1h);
    EXPECT_EQ(day(*bars, "2026-11-20").worst, ComponentStatus::MajorOutage);
    EXPECT_EQ(day(*bars, "2026-11-21").downtime, 3h);  // 10 h × 30 %
    EXPECT_EQ(day(*bars, "2026-11-21").worst, ComponentStatus::PartialOutage);
    EXPECT_EQ(day(*bars, "2026-11-22").downtime, 0s);
    EXPECT_EQ(day(*bars, "2026-11-22").worst, ComponentStatus::DegradedPerformance);
    // 4 hours down in 89 whole days (today has just begun): 1 − 4 / 2136.
    EXPECT_EQ(format_percent(bars->percent), "99.81");
}

TEST(Uptime, OverlappingIncidentsCountTheWorstStatusOnce)
{
    core::FakeClock clock(at("2026-11-23T00:00:00Z"));
    UptimeSources s;
    s.periods.push_back({at("2026-11-20T10:00:00Z"), at("2026-11-20T12:00:00Z"), ComponentStatus::PartialOutage});
    s.periods.push_back({at("2026-11-20T11:00:00Z"), at("2026-11-20T13:00:00Z"), ComponentStatus::MajorOutage});
    auto bars = uptime_bars(s, "Etc/UTC", clock.now());
    ASSERT_TRUE(bars);
    // 10-11 partial (18 min), 11-13 major (2 h).
    EXPECT_EQ(day(*bars, "2026-11-20").downtime, 2h + 18min);
}

TEST(Uptime, AMonitorsFailedChecksCountAsItsDownStatusAndAreNotAddedToAnIncidentsTime)
{
    core::FakeClock clock(at("2026-11-23T00:30:00Z"));
    UptimeSources s;
    s.monitor_down_status = ComponentStatus::MajorOutage;
    s.monitor_hours.push_back({at("2026-11-20T10:00:00Z"), 60, 30});  // half the hour failed
    s.monitor_hours.push_back({at("2026-11-21T10:00:00Z"), 60, 60});  // all passed
    s.monitor_hours.push_back({at("2026-11-23T00:00:00Z"), 30, 0});   // the current hour, 30 minutes old
    auto bars = uptime_bars(s, "Etc/UTC", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-11-20").downtime, 30min);
    EXPECT_EQ(day(*bars, "2026-11-20").worst, ComponentStatus::MajorOutage);
    EXPECT_EQ(day(*bars, "2026-11-21").worst, ComponentStatus::Operational);
    EXPECT_EQ(day(*bars, "2026-11-23").downtime, 30min);

    // An incident over the same outage: the larger of the two counts, not the sum.
    s.periods.push_back({at("2026-11-20T10:00:00Z"), at("2026-11-20T10:45:00Z"), ComponentStatus::MajorOutage});
    bars = uptime_bars(s, "Etc/UTC", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-11-20").downtime, 45min);

    // A monitor linked with partial_outage weighs its failures at 30 %.
    s.periods.clear();
    s.monitor_down_status = ComponentStatus::PartialOutage;
    bars = uptime_bars(s, "Etc/UTC", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-11-20").downtime, 9min);
    EXPECT_EQ(day(*bars, "2026-11-20").worst, ComponentStatus::PartialOutage);
}

TEST(Uptime, IncidentPeriodsFollowTheUpdatesUntilResolvedOrNow)
{
    core::FakeClock clock(at("2026-11-23T12:00:00Z"));
    IncidentRecord resolved;
    resolved.incident.id = 1;
    resolved.incident.status = IncidentStatus::Resolved;
    resolved.incident.resolved_at = at("2026-11-20T12:00:00Z");
    // Newest first, as the store gives them.
    resolved.updates = {
        update(3, "2026-11-20T12:00:00Z", {change(7, ComponentStatus::PartialOutage, ComponentStatus::Operational)}),
        update(2, "2026-11-20T11:00:00Z", {change(7, ComponentStatus::MajorOutage, ComponentStatus::PartialOutage)}),
        update(1, "2026-11-20T10:00:00Z",
               {change(7, ComponentStatus::Operational, ComponentStatus::MajorOutage),
                change(8, ComponentStatus::Operational, ComponentStatus::MajorOutage)})};
    IncidentRecord open;
    open.incident.id = 2;
    open.updates = {
        update(4, "2026-11-23T11:00:00Z", {change(7, ComponentStatus::Operational, ComponentStatus::PartialOutage)})};
    auto periods = incident_periods({open, resolved}, 7, clock.now());
    ASSERT_EQ(periods.size(), 3u);
    auto bars = uptime_bars({periods, ComponentStatus::MajorOutage, {}}, "Etc/UTC", clock.now());
    ASSERT_TRUE(bars);
    EXPECT_EQ(day(*bars, "2026-11-20").downtime, 1h + 18min);  // 1 h major, 1 h partial
    EXPECT_EQ(day(*bars, "2026-11-23").downtime, 18min);       // open: partial from 11:00 until now
    EXPECT_EQ(day(*bars, "2026-11-23").worst, ComponentStatus::PartialOutage);
    // Component 8 was never set back by an update, so it lasts until the incident was resolved.
    auto other = incident_periods({resolved}, 8, clock.now());
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0].to, at("2026-11-20T12:00:00Z"));
}

TEST(Uptime, BadInputAnUnknownZoneIsRefused)
{
    auto bars = uptime_bars({}, "Mars/Olympus_Mons", at("2026-11-23T00:00:00Z"));
    ASSERT_FALSE(bars);
    EXPECT_EQ(bars.error().code(), core::ErrorCode::InvalidArgument);
}

TEST(Uptime, PercentIsRoundedDownSoAnyDowntimeShowsBelow100)
{
    EXPECT_EQ(format_percent(100.0), "100.00");
    EXPECT_EQ(format_percent(99.9999), "99.99");
    EXPECT_EQ(format_percent(99.95), "99.95");
    EXPECT_EQ(format_percent(0.0), "0.00");
}

TEST(MonitorLink, DownTakesTheLinkedStatusUpReturnsToOperationalUnlessAnIncidentHoldsIt)
{
    MonitorLink link{1, 2, ComponentStatus::MajorOutage};
    EXPECT_EQ(follow_monitor(ComponentStatus::Operational, link, true, false), ComponentStatus::MajorOutage);
    EXPECT_EQ(follow_monitor(ComponentStatus::MajorOutage, link, false, false), ComponentStatus::Operational);
    EXPECT_EQ(follow_monitor(ComponentStatus::MajorOutage, link, false, true), std::nullopt);
    EXPECT_EQ(follow_monitor(ComponentStatus::Operational, link, false, false), std::nullopt);
    // Maintenance is expected downtime: the monitor leaves it alone both ways.
    EXPECT_EQ(follow_monitor(ComponentStatus::UnderMaintenance, link, true, false), std::nullopt);
    EXPECT_EQ(follow_monitor(ComponentStatus::UnderMaintenance, link, false, false), std::nullopt);
    // A worse status set by people stays when the monitor's is milder.
    MonitorLink mild{1, 2, ComponentStatus::DegradedPerformance};
    EXPECT_EQ(follow_monitor(ComponentStatus::PartialOutage, mild, true, false), std::nullopt);
    EXPECT_EQ(follow_monitor(ComponentStatus::Operational, mild, true, false), ComponentStatus::DegradedPerformance);
}

}  // namespace
}  // namespace lifeline::status
