// Support plans: weekly hours, business calendars across DST, and first-response deadlines.
// Every expected instant below was worked out by hand from the zone's rules (zdump) and written as a literal.
#include "plan/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace lifeline::plan {
namespace {

using namespace std::chrono_literals;
using core::UtcTime;
using std::chrono::minutes;

UtcTime at(const char* text)
{
    auto t = core::parse_rfc3339(text);
    if (!t) ADD_FAILURE() << "bad timestamp in test: " << text;
    return t.value_or(UtcTime{});
}

OpenPeriod period(int start_hour, int start_minute, int end_hour, int end_minute)
{
    return OpenPeriod{minutes(start_hour * 60 + start_minute), minutes(end_hour * 60 + end_minute)};
}

BusinessCalendar calendar(const std::string& zone, std::string_view spec,
                          std::vector<date::year_month_day> holidays = {})
{
    BusinessCalendar c;
    c.time_zone = zone;
    auto hours = parse_weekly_hours(spec);
    if (!hours) {
        ADD_FAILURE() << "bad spec in test: " << spec << ": " << hours.error().message();
        return c;
    }
    c.hours = hours.value();
    c.holidays = std::move(holidays);
    return c;
}

SupportPlan plan_with(BusinessCalendar cal, minutes p1, minutes p2, bool after_hours_emergency)
{
    SupportPlan p;
    p.name = "Business Critical";
    p.calendar = std::move(cal);
    p.targets = {Targets{p1, 8h}, Targets{p2, 16h}, Targets{4h, 40h}, Targets{8h, 80h}};
    p.after_hours_emergency = after_hours_emergency;
    p.emergency_phone = "+44 20 7946 0000";
    return p;
}

std::string error_message(std::string_view spec)
{
    auto result = parse_weekly_hours(spec);
    if (result) return "(accepted)";
    return result.error().message();
}

bool has_field(const core::Error& error, const std::string& field)
{
    return std::any_of(error.fields().begin(), error.fields().end(),
                       [&](const core::FieldError& f) { return f.field == field; });
}

constexpr date::year_month_day ymd(int y, unsigned m, unsigned d)
{
    return date::year_month_day{date::year{y}, date::month{m}, date::day{d}};
}

// ---- Priority -----------------------------------------------------------------------------------------------------

TEST(Priority, ParsesBothCasesAndRejectsOthers)
{
    EXPECT_EQ(parse_priority("P1").value(), Priority::P1);
    EXPECT_EQ(parse_priority("p4").value(), Priority::P4);
    EXPECT_EQ(to_string(Priority::P3), "P3");
    for (const char* bad : {"P0", "P5", "", "high", "P12"}) {
        auto result = parse_priority(bad);
        ASSERT_FALSE(result) << bad;
        EXPECT_EQ(result.error().code(), core::ErrorCode::InvalidArgument);
    }
}

// ---- WeeklyHours --------------------------------------------------------------------------------------------------

TEST(WeeklyHours, ParsesRangesAndSeveralPeriodsPerDay)
{
    auto hours = parse_weekly_hours("Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-14:00");
    ASSERT_TRUE(hours) << hours.error().message();
    const std::vector<OpenPeriod> weekday{period(9, 0, 12, 0), period(13, 0, 17, 30)};
    EXPECT_TRUE(hours->at(0).empty());
    for (int day = 1; day <= 5; ++day)
        EXPECT_EQ(hours->at(day), weekday) << day;
    EXPECT_EQ(hours->at(6), (std::vector<OpenPeriod>{period(10, 0, 14, 0)}));
}

TEST(WeeklyHours, ParsesWrappingRangesCommaListsAndAnyCase)
{
    auto hours = parse_weekly_hours("fri-MON 08:00-10:00 ; Wed, Thu 12:00-13:00");
    ASSERT_TRUE(hours) << hours.error().message();
    const std::vector<OpenPeriod> morning{period(8, 0, 10, 0)};
    const std::vector<OpenPeriod> noon{period(12, 0, 13, 0)};
    EXPECT_EQ(hours->at(5), morning);
    EXPECT_EQ(hours->at(6), morning);
    EXPECT_EQ(hours->at(0), morning);
    EXPECT_EQ(hours->at(1), morning);
    EXPECT_TRUE(hours->at(2).empty());
    EXPECT_EQ(hours->at(3), noon);
    EXPECT_EQ(hours->at(4), noon);
}

TEST(WeeklyHours, TwentyFourSevenIsEveryWholeDay)
{
    auto hours = parse_weekly_hours("24/7");
    ASSERT_TRUE(hours);
    for (int day = 0; day < 7; ++day) {
        EXPECT_EQ(hours->at(day), (std::vector<OpenPeriod>{OpenPeriod{0min, 1440min}})) << day;
    }
}

TEST(WeeklyHours, RejectsUnknownDayNamingIt)
{
    auto result = parse_weekly_hours("Mno-Fri 09:00-17:00");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_NE(result.error().message().find("unknown day 'Mno'"), std::string::npos) << result.error().message();
    ASSERT_EQ(result.error().fields().size(), 1u);
    EXPECT_EQ(result.error().fields()[0].field, "hours");
}

TEST(WeeklyHours, RejectsPeriodCrossingMidnight)
{
    EXPECT_NE(
        error_message("Mon 18:00-09:00").find("period 18:00-09:00 ends before it starts; split periods at midnight"),
        std::string::npos)
        << error_message("Mon 18:00-09:00");
}

TEST(WeeklyHours, RejectsBadTimesOverlapsAndMissingParts)
{
    EXPECT_NE(error_message("Mon 25:00-26:00").find("invalid time '25:00'"), std::string::npos);
    EXPECT_NE(error_message("Mon 09:60-10:00").find("invalid time '09:60'"), std::string::npos);
    EXPECT_NE(error_message("Mon 24:00-24:00").find("invalid time '24:00'"), std::string::npos);
    EXPECT_NE(error_message("Mon 09:00-09:00").find("is empty"), std::string::npos);
    EXPECT_NE(error_message("Mon-Fri 09:00-12:00,11:00-13:00").find("overlap on Mon"), std::string::npos);
    EXPECT_NE(error_message("Mon-Fri 09:00-17:00; Fri 16:00-18:00").find("overlap on Fri"), std::string::npos);
    EXPECT_NE(error_message("Mon-Fri").find("no opening hours"), std::string::npos);
    EXPECT_NE(error_message("09:00-17:00").find("does not name any days"), std::string::npos);
    EXPECT_NE(error_message("Mon 0900").find("invalid period '0900'"), std::string::npos);
    EXPECT_NE(error_message("Mon,,Tue 09:00-10:00").find("empty day"), std::string::npos);
}

TEST(WeeklyHours, FormatsCanonicallyAndRoundTrips)
{
    WeeklyHours hours;
    for (int day = 1; day <= 5; ++day)
        hours[day] = {period(9, 0, 12, 0), period(13, 0, 17, 30)};
    hours[6] = {period(10, 0, 14, 0)};
    EXPECT_EQ(format_weekly_hours(hours), "Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-14:00");
    EXPECT_EQ(parse_weekly_hours(format_weekly_hours(hours)).value(), hours);

    WeeklyHours scattered;
    scattered[1] = scattered[3] = scattered[5] = {period(9, 0, 17, 0)};
    scattered[0] = {period(0, 0, 24, 0)};
    EXPECT_EQ(format_weekly_hours(scattered), "Mon,Wed,Fri 09:00-17:00; Sun 00:00-24:00");
    EXPECT_EQ(parse_weekly_hours(format_weekly_hours(scattered)).value(), scattered);

    WeeklyHours all_day;
    for (auto& day : all_day)
        day = {period(0, 0, 24, 0)};
    EXPECT_EQ(format_weekly_hours(all_day), "24/7");
    EXPECT_EQ(parse_weekly_hours("24/7").value(), all_day);

    EXPECT_EQ(format_weekly_hours(WeeklyHours{}), "closed");
    EXPECT_EQ(parse_weekly_hours("closed").value(), WeeklyHours{});

    for (const char* spec : {"Sat-Sun 10:00-16:00", "Mon 08:00-09:00; Tue 08:00-09:30", "Tue,Sun 07:15-07:45"}) {
        EXPECT_EQ(format_weekly_hours(parse_weekly_hours(spec).value()), spec);
    }
}

// ---- BusinessCalendar ---------------------------------------------------------------------------------------------

TEST(BusinessCalendar, IsOpenHonoursPeriodBoundariesInWinterAndSummer)
{
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-17:00");
    // Monday 23 November 2026, GMT (UTC+0).
    EXPECT_FALSE(london.is_open(at("2026-11-23T08:59:59.999Z")));
    EXPECT_TRUE(london.is_open(at("2026-11-23T09:00:00Z")));
    EXPECT_TRUE(london.is_open(at("2026-11-23T16:59:00Z")));
    EXPECT_FALSE(london.is_open(at("2026-11-23T17:00:00Z")));
    EXPECT_FALSE(london.is_open(at("2026-11-28T12:00:00Z")));  // Saturday
    // Monday 6 July 2026, BST (UTC+1): open 08:00Z-16:00Z.
    EXPECT_FALSE(london.is_open(at("2026-07-06T07:59:00Z")));
    EXPECT_TRUE(london.is_open(at("2026-07-06T08:00:00Z")));
    EXPECT_TRUE(london.is_open(at("2026-07-06T15:59:00Z")));
    EXPECT_FALSE(london.is_open(at("2026-07-06T16:00:00Z")));
}

TEST(BusinessCalendar, SkipsWeekendAndHoliday)
{
    // Christmas Day is Friday 25 December 2026; the bank holiday in lieu of Boxing Day is Monday 28 December.
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-17:00", {ymd(2026, 12, 25), ymd(2026, 12, 28)});
    EXPECT_FALSE(london.is_open(at("2026-12-25T10:00:00Z")));
    EXPECT_EQ(london.next_open(at("2026-12-24T17:00:00Z")), at("2026-12-29T09:00:00Z"));
    // Thursday 16:00 + 3h: one hour on Thursday, two on Tuesday.
    EXPECT_EQ(london.add_open_time(at("2026-12-24T16:00:00Z"), 3h), at("2026-12-29T11:00:00Z"));
}

TEST(BusinessCalendar, NextOpenReturnsTheSameInstantWhenOpen)
{
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-17:00");
    EXPECT_EQ(london.next_open(at("2026-11-23T10:15:30Z")), at("2026-11-23T10:15:30Z"));
    EXPECT_EQ(london.next_open(at("2026-11-23T17:00:00Z")), at("2026-11-24T09:00:00Z"));
    EXPECT_EQ(london.next_open(at("2026-11-27T17:30:00Z")), at("2026-11-30T09:00:00Z"));
}

TEST(BusinessCalendar, FridayFivePmCountsIntoMonday)
{
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-17:00");
    EXPECT_EQ(london.add_open_time(at("2026-11-27T17:00:00Z"), 4h), at("2026-11-30T13:00:00Z"));
    EXPECT_EQ(london.add_open_time(at("2026-11-27T16:00:00Z"), 2h), at("2026-11-30T10:00:00Z"));
    EXPECT_EQ(london.add_open_time(at("2026-11-27T16:00:00Z"), 0min), at("2026-11-27T16:00:00Z"));
}

TEST(BusinessCalendar, LunchBreakIsNotCounted)
{
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-12:00,13:00-17:00");
    EXPECT_FALSE(london.is_open(at("2026-11-23T12:30:00Z")));
    EXPECT_EQ(london.next_open(at("2026-11-23T12:30:00Z")), at("2026-11-23T13:00:00Z"));
    EXPECT_EQ(london.add_open_time(at("2026-11-23T11:30:00Z"), 60min), at("2026-11-23T13:30:00Z"));
    // Exactly the morning: ends at the moment the lunch break starts.
    EXPECT_EQ(london.add_open_time(at("2026-11-23T09:00:00Z"), 3h), at("2026-11-23T12:00:00Z"));
    // A full day is 7 hours: Monday 09:00 + 8h is Tuesday 10:00.
    EXPECT_EQ(london.add_open_time(at("2026-11-23T09:00:00Z"), 8h), at("2026-11-24T10:00:00Z"));
}

TEST(BusinessCalendar, LondonWeekdayHoursAcrossSpringForwardWeekend)
{
    // Friday 27 March 2026 is GMT; Monday 30 March is BST, so 09:00 local is 08:00Z.
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-17:00");
    EXPECT_EQ(london.add_open_time(at("2026-03-27T16:00:00Z"), 4h), at("2026-03-30T11:00:00Z"));
}

TEST(BusinessCalendar, LondonSpringForwardDayIsAnHourShorter)
{
    // Sunday 29 March 2026: 01:00 GMT jumps to 02:00 BST at 01:00Z. 00:00-12:00 local is 00:00Z-11:00Z, 11 hours.
    const auto london = calendar("Europe/London", "Sun 00:00-12:00");
    EXPECT_TRUE(london.is_open(at("2026-03-29T10:59:00Z")));
    EXPECT_FALSE(london.is_open(at("2026-03-29T11:00:00Z")));
    EXPECT_EQ(london.add_open_time(at("2026-03-29T00:00:00Z"), 11h), at("2026-03-29T11:00:00Z"));
    // One more minute spills to Sunday 5 April, 00:00 BST = 23:00Z on the Saturday.
    EXPECT_EQ(london.add_open_time(at("2026-03-29T00:00:00Z"), 11h + 1min), at("2026-04-04T23:01:00Z"));
}

TEST(BusinessCalendar, PeriodStartingInSpringGapOpensAtTheTransition)
{
    // Local 01:30 does not exist on 29 March 2026 in London; the period opens when the clocks reach 02:00 BST
    // (01:00Z) and closes at 03:00 BST (02:00Z).
    const auto london = calendar("Europe/London", "Sun 01:30-03:00");
    EXPECT_EQ(london.next_open(at("2026-03-29T00:00:00Z")), at("2026-03-29T01:00:00Z"));
    EXPECT_EQ(london.add_open_time(at("2026-03-29T00:00:00Z"), 60min), at("2026-03-29T02:00:00Z"));
}

TEST(BusinessCalendar, LondonFallBackDayIsAnHourLonger)
{
    // Sunday 25 October 2026: 02:00 BST falls back to 01:00 GMT at 01:00Z. 00:00 BST is 23:00Z on the Saturday and
    // 12:00 GMT is 12:00Z, so 00:00-12:00 local holds 13 hours.
    const auto london = calendar("Europe/London", "Sun 00:00-12:00");
    EXPECT_EQ(london.next_open(at("2026-10-24T12:00:00Z")), at("2026-10-24T23:00:00Z"));
    EXPECT_TRUE(london.is_open(at("2026-10-25T11:30:00Z")));
    EXPECT_EQ(london.add_open_time(at("2026-10-24T23:00:00Z"), 13h), at("2026-10-25T12:00:00Z"));
}

TEST(BusinessCalendar, RepeatedHourCountsBothTimes)
{
    // 01:00-01:30 local happens twice on 25 October 2026: 00:00Z-00:30Z (BST) and 01:00Z-01:30Z (GMT).
    const auto london = calendar("Europe/London", "Sun 01:00-01:30");
    EXPECT_TRUE(london.is_open(at("2026-10-25T00:15:00Z")));
    EXPECT_FALSE(london.is_open(at("2026-10-25T00:45:00Z")));
    EXPECT_TRUE(london.is_open(at("2026-10-25T01:15:00Z")));
    EXPECT_FALSE(london.is_open(at("2026-10-25T01:45:00Z")));
    EXPECT_EQ(london.next_open(at("2026-10-25T00:30:00Z")), at("2026-10-25T01:00:00Z"));
    EXPECT_EQ(london.add_open_time(at("2026-10-25T00:00:00Z"), 45min), at("2026-10-25T01:15:00Z"));
}

TEST(BusinessCalendar, NewYorkSpringForwardSkipsTheMissingHour)
{
    // Sunday 8 March 2026: 02:00 EST jumps to 03:00 EDT at 07:00Z. 00:00 EST = 05:00Z, 06:00 EDT = 10:00Z: 5 hours.
    const auto new_york = calendar("America/New_York", "Sun 00:00-06:00");
    EXPECT_EQ(new_york.add_open_time(at("2026-03-08T05:00:00Z"), 5h), at("2026-03-08T10:00:00Z"));
    // Next Sunday 15 March, 00:00 EDT = 04:00Z.
    EXPECT_EQ(new_york.add_open_time(at("2026-03-08T05:00:00Z"), 5h + 30min), at("2026-03-15T04:30:00Z"));

    // Local 02:30 does not exist that day: a period from 02:30 opens at 03:00 EDT (07:00Z) and closes 04:00 EDT.
    const auto gap = calendar("America/New_York", "Sun 02:30-04:00");
    EXPECT_EQ(gap.next_open(at("2026-03-08T05:00:00Z")), at("2026-03-08T07:00:00Z"));
    EXPECT_FALSE(gap.is_open(at("2026-03-08T06:59:00Z")));
    EXPECT_TRUE(gap.is_open(at("2026-03-08T07:59:00Z")));
    EXPECT_FALSE(gap.is_open(at("2026-03-08T08:00:00Z")));
}

TEST(BusinessCalendar, NewYorkFallBackAndWeekdayHours)
{
    // Sunday 1 November 2026: 02:00 EDT falls back to 01:00 EST at 06:00Z. 00:00 EDT = 04:00Z, 06:00 EST = 11:00Z.
    const auto sunday = calendar("America/New_York", "Sun 00:00-06:00");
    EXPECT_EQ(sunday.add_open_time(at("2026-11-01T04:00:00Z"), 7h), at("2026-11-01T11:00:00Z"));
    EXPECT_TRUE(sunday.is_open(at("2026-11-01T10:59:00Z")));
    EXPECT_FALSE(sunday.is_open(at("2026-11-01T11:00:00Z")));

    // Friday 30 October 16:00 EDT = 20:00Z; + 2h = 1h Friday, then Monday 2 November 09:00-10:00 EST (14:00Z-15:00Z).
    const auto weekdays = calendar("America/New_York", "Mon-Fri 09:00-17:00");
    EXPECT_EQ(weekdays.add_open_time(at("2026-10-30T20:00:00Z"), 2h), at("2026-11-02T15:00:00Z"));
}

TEST(BusinessCalendar, HalfHourOffsetKolkata)
{
    // IST is UTC+05:30: 09:30-18:00 local is 04:00Z-12:30Z.
    const auto kolkata = calendar("Asia/Kolkata", "Mon-Fri 09:30-18:00");
    EXPECT_FALSE(kolkata.is_open(at("2026-11-23T03:59:00Z")));
    EXPECT_TRUE(kolkata.is_open(at("2026-11-23T04:00:00Z")));
    EXPECT_FALSE(kolkata.is_open(at("2026-11-23T12:30:00Z")));
    // Friday 17:30 IST (12:00Z) + 1h: 30 minutes Friday, 30 minutes from Monday 09:30 IST (04:00Z).
    EXPECT_EQ(kolkata.add_open_time(at("2026-11-27T12:00:00Z"), 1h), at("2026-11-30T04:30:00Z"));
}

TEST(BusinessCalendar, LordHoweThirtyMinuteDaylightSaving)
{
    // Sunday 4 October 2026: 02:00 (+10:30) jumps to 02:30 (+11) at 15:30Z on the 3rd.
    // 00:00 +10:30 = 13:30Z; 06:00 +11 = 19:00Z: 5.5 hours.
    const auto lord_howe = calendar("Australia/Lord_Howe", "Sun 00:00-06:00");
    EXPECT_EQ(lord_howe.next_open(at("2026-10-03T00:00:00Z")), at("2026-10-03T13:30:00Z"));
    EXPECT_EQ(lord_howe.add_open_time(at("2026-10-03T13:30:00Z"), 330min), at("2026-10-03T19:00:00Z"));
    // Next Sunday 11 October, 00:00 +11 = 13:00Z on the 10th.
    EXPECT_EQ(lord_howe.add_open_time(at("2026-10-03T13:30:00Z"), 331min), at("2026-10-10T13:01:00Z"));
}

TEST(BusinessCalendar, HolidayIsAWholeLocalDay)
{
    // Thanksgiving, Thursday 26 November 2026, in New York (EST, UTC-5): closed 05:00Z on the 26th to 05:00Z the 27th.
    const auto new_york = calendar("America/New_York", "24/7", {ymd(2026, 11, 26)});
    EXPECT_TRUE(new_york.is_open(at("2026-11-26T04:59:00Z")));
    EXPECT_FALSE(new_york.is_open(at("2026-11-26T05:00:00Z")));
    EXPECT_FALSE(new_york.is_open(at("2026-11-27T04:59:00Z")));
    EXPECT_TRUE(new_york.is_open(at("2026-11-27T05:00:00Z")));
    EXPECT_EQ(new_york.next_open(at("2026-11-26T12:00:00Z")), at("2026-11-27T05:00:00Z"));
    EXPECT_EQ(new_york.add_open_time(at("2026-11-26T04:00:00Z"), 2h), at("2026-11-27T06:00:00Z"));
}

TEST(BusinessCalendar, LongWorkSpansMonthsAndDst)
{
    // 1000 hours = 125 eight-hour days = 25 full weeks from Monday 23 November 2026: the last day is Friday
    // 14 May 2027, closing at 17:00 BST = 16:00Z.
    const auto london = calendar("Europe/London", "Mon-Fri 09:00-17:00");
    EXPECT_EQ(london.add_open_time(at("2026-11-23T09:00:00Z"), 1000h), at("2027-05-14T16:00:00Z"));
    // Four years of working time is beyond the search horizon.
    EXPECT_EQ(london.add_open_time(at("2026-11-23T09:00:00Z"), 4 * 52 * 40h), std::nullopt);
}

TEST(BusinessCalendar, NeverOpenCalendarHasNoOpenTime)
{
    const auto closed = calendar("Europe/London", "closed");
    EXPECT_FALSE(closed.is_open(at("2026-11-23T10:00:00Z")));
    EXPECT_EQ(closed.next_open(at("2026-11-23T10:00:00Z")), std::nullopt);
    EXPECT_EQ(closed.add_open_time(at("2026-11-23T10:00:00Z"), 1min), std::nullopt);
    EXPECT_EQ(closed.add_open_time(at("2026-11-23T10:00:00Z"), 0min), at("2026-11-23T10:00:00Z"));
}

TEST(BusinessCalendar, ValidatedTrimsSortsAndDeduplicates)
{
    BusinessCalendar c;
    c.time_zone = "  Europe/London ";
    c.hours[1] = {period(13, 0, 17, 0), period(9, 0, 12, 0)};
    c.holidays = {ymd(2026, 12, 28), ymd(2026, 12, 25), ymd(2026, 12, 28)};
    auto checked = c.validated();
    ASSERT_TRUE(checked) << checked.error().message();
    EXPECT_EQ(checked->time_zone, "Europe/London");
    EXPECT_EQ(checked->hours[1], (std::vector<OpenPeriod>{period(9, 0, 12, 0), period(13, 0, 17, 0)}));
    EXPECT_EQ(checked->holidays, (std::vector<date::year_month_day>{ymd(2026, 12, 25), ymd(2026, 12, 28)}));
}

TEST(BusinessCalendar, ValidatedRejectsBadZoneAndBadHours)
{
    BusinessCalendar c;
    c.time_zone = "Europe/Lodnon";
    c.hours[2] = {period(9, 0, 12, 0), period(11, 0, 13, 0)};
    c.hours[3] = {period(18, 0, 9, 0)};
    auto checked = c.validated();
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_TRUE(has_field(checked.error(), "time_zone"));
    EXPECT_TRUE(has_field(checked.error(), "hours"));
    EXPECT_EQ(checked.error().fields().size(), 3u);

    c = BusinessCalendar{};
    c.time_zone = "   ";
    EXPECT_TRUE(has_field(c.validated().error(), "time_zone"));
}

// ---- SupportPlan and deadlines ------------------------------------------------------------------------------------

TEST(SupportPlan, ValidatedCollectsEveryFieldError)
{
    SupportPlan p = plan_with(calendar("Mars/Olympus_Mons", "Mon-Fri 09:00-17:00"), 0min, 1h, false);
    p.name = "   ";
    p.targets[2] = Targets{50h, 40h};
    auto checked = p.validated();
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_TRUE(has_field(checked.error(), "name"));
    EXPECT_TRUE(has_field(checked.error(), "time_zone"));
    EXPECT_TRUE(has_field(checked.error(), "targets.P1.first_response"));
    EXPECT_TRUE(has_field(checked.error(), "targets.P3.first_response"));
    EXPECT_FALSE(has_field(checked.error(), "targets.P2.first_response"));
    EXPECT_EQ(checked.error().fields().size(), 4u);

    SupportPlan long_name = plan_with(calendar("UTC", "24/7"), 1h, 2h, false);
    long_name.name = std::string(101, 'x');
    EXPECT_TRUE(has_field(long_name.validated().error(), "name"));
}

TEST(SupportPlan, ValidatedAcceptsAGoodPlan)
{
    SupportPlan p = plan_with(calendar(" Europe/London", "Mon-Fri 09:00-17:00"), 1h, 4h, true);
    p.name = "  Business Critical ";
    auto checked = p.validated();
    ASSERT_TRUE(checked) << checked.error().message();
    EXPECT_EQ(checked->name, "Business Critical");
    EXPECT_EQ(checked->calendar.time_zone, "Europe/London");
    EXPECT_EQ(checked->targets_for(Priority::P2).first_response, 4h);
}

TEST(FirstResponseDeadline, CreatedExactlyAtOpening)
{
    const auto p = plan_with(calendar("Europe/London", "Mon-Fri 09:00-17:00"), 1h, 2h, false);
    const Deadline d = first_response_deadline(p, Priority::P2, at("2026-11-23T09:00:00Z"));
    EXPECT_EQ(d.due, at("2026-11-23T11:00:00Z"));
    EXPECT_EQ(d.coverage, Coverage::BusinessHours);
    EXPECT_FALSE(d.starts_after_hours);
    EXPECT_EQ(d.clock_starts, at("2026-11-23T09:00:00Z"));
}

TEST(FirstResponseDeadline, CreatedExactlyAtClosingStartsNextMorning)
{
    const auto p = plan_with(calendar("Europe/London", "Mon-Fri 09:00-17:00"), 1h, 2h, false);
    const Deadline d = first_response_deadline(p, Priority::P2, at("2026-11-23T17:00:00Z"));
    EXPECT_EQ(d.due, at("2026-11-24T11:00:00Z"));
    EXPECT_TRUE(d.starts_after_hours);
    EXPECT_EQ(d.clock_starts, at("2026-11-24T09:00:00Z"));
}

TEST(FirstResponseDeadline, CreatedOnHolidayStartsAfterIt)
{
    const auto p = plan_with(calendar("Europe/London", "Mon-Fri 09:00-17:00", {ymd(2026, 12, 25)}), 1h, 2h, false);
    const Deadline d = first_response_deadline(p, Priority::P3, at("2026-12-25T10:00:00Z"));
    EXPECT_EQ(d.clock_starts, at("2026-12-28T09:00:00Z"));
    EXPECT_EQ(d.due, at("2026-12-28T13:00:00Z"));
    EXPECT_TRUE(d.starts_after_hours);
    EXPECT_EQ(d.coverage, Coverage::BusinessHours);
}

TEST(FirstResponseDeadline, EmergencyP1CountsWallClockAndOthersDoNot)
{
    const auto p = plan_with(calendar("Europe/London", "Mon-Fri 09:00-17:00"), 1h, 4h, true);
    // Saturday 28 November 2026, 03:00.
    const Deadline p1 = first_response_deadline(p, Priority::P1, at("2026-11-28T03:00:00Z"));
    EXPECT_EQ(p1.due, at("2026-11-28T04:00:00Z"));
    EXPECT_EQ(p1.coverage, Coverage::RoundTheClock);
    EXPECT_FALSE(p1.starts_after_hours);
    EXPECT_EQ(p1.clock_starts, at("2026-11-28T03:00:00Z"));

    const Deadline p2 = first_response_deadline(p, Priority::P2, at("2026-11-28T03:00:00Z"));
    EXPECT_EQ(p2.due, at("2026-11-30T13:00:00Z"));
    EXPECT_EQ(p2.coverage, Coverage::BusinessHours);
    EXPECT_TRUE(p2.starts_after_hours);
}

TEST(FirstResponseDeadline, P1WithoutCoverageWaitsForBusinessHours)
{
    const auto p = plan_with(calendar("Europe/London", "Mon-Fri 09:00-17:00"), 1h, 4h, false);
    const Deadline d = first_response_deadline(p, Priority::P1, at("2026-11-28T03:00:00Z"));
    EXPECT_EQ(d.due, at("2026-11-30T10:00:00Z"));
    EXPECT_EQ(d.coverage, Coverage::BusinessHours);
    EXPECT_TRUE(d.starts_after_hours);
    EXPECT_EQ(d.clock_starts, at("2026-11-30T09:00:00Z"));
}

TEST(FirstResponseDeadline, NeverOpenPlanFallsBackToWallClock)
{
    const auto p = plan_with(calendar("Europe/London", "closed"), 1h, 4h, false);
    const Deadline d = first_response_deadline(p, Priority::P2, at("2026-11-28T03:00:00Z"));
    EXPECT_EQ(d.due, at("2026-11-28T07:00:00Z"));
    EXPECT_EQ(d.clock_starts, at("2026-11-28T03:00:00Z"));
    EXPECT_FALSE(d.starts_after_hours);
}

// ---- describe_local_time ------------------------------------------------------------------------------------------

TEST(DescribeLocalTime, UsesZoneAndAbbreviation)
{
    EXPECT_EQ(describe_local_time(at("2026-11-23T09:00:00Z"), "Europe/London"), "Monday 23 November 2026, 09:00 GMT");
    EXPECT_EQ(describe_local_time(at("2026-07-06T08:00:00Z"), "Europe/London"), "Monday 6 July 2026, 09:00 BST");
    EXPECT_EQ(describe_local_time(at("2026-11-23T04:00:00Z"), "Asia/Kolkata"), "Monday 23 November 2026, 09:30 IST");
    EXPECT_EQ(describe_local_time(at("2026-11-23T03:30:00Z"), "America/New_York"),
              "Sunday 22 November 2026, 22:30 EST");
}

}  // namespace
}  // namespace lifeline::plan
