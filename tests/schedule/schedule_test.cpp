// On-call schedules: rotations across DST and New Year, restrictions, layers, overrides and gaps.
// Every expected instant below was worked out by hand from the zone's rules (zdump) and written as a literal:
//   Europe/Berlin     CET (+01) -> CEST (+02) at 2026-03-29T01:00Z, CEST -> CET at 2026-10-25T01:00Z.
//   America/New_York  EST (-05) -> EDT (-04) at 2026-03-08T07:00Z, EDT -> EST at 2026-11-01T06:00Z.
#include "schedule/schedule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lifeline::schedule {
namespace {

using namespace std::chrono_literals;
using core::UtcTime;

const Participant kAna{1, "Ana"};
const Participant kTom{2, "Tom"};
const Participant kLea{3, "Lea"};
const Participant kMax{4, "Max"};

UtcTime at(const char* text)
{
    auto t = core::parse_rfc3339(text);
    if (!t) ADD_FAILURE() << "bad timestamp in test: " << text;
    return t.value_or(UtcTime{});
}

// A local wall-clock reading, e.g. local(2026, 3, 27, 9) for 27 March 2026 09:00.
date::local_seconds local(int y, unsigned m, unsigned d, int hour, int minute = 0)
{
    return date::local_days{date::year{y} / m / d} + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

Layer layer(std::vector<Participant> people, date::local_seconds start, Layer::Length length, int hours = 0)
{
    Layer l;
    l.participants = std::move(people);
    l.start = start;
    l.length = length;
    l.hours = hours;
    return l;
}

std::vector<Restriction> restrictions(std::string_view spec)
{
    auto parsed = parse_restriction_spec(spec);
    if (!parsed) {
        ADD_FAILURE() << "bad restriction in test: " << spec << ": " << parsed.error().message();
        return {};
    }
    return parsed.value();
}

Schedule schedule_in(const std::string& zone, std::vector<Layer> layers, std::vector<Override> overrides = {})
{
    Schedule s;
    s.id = 7;
    s.name = "Platform on call";
    s.time_zone = zone;
    s.layers = std::move(layers);
    s.overrides = std::move(overrides);
    auto checked = s.validated();
    if (!checked) {
        ADD_FAILURE() << "invalid schedule in test: " << checked.error().message();
        return s;
    }
    return checked.value();
}

// "start..end who" per stretch; who is the participant's name, "-" for a gap.
std::string describe(const std::vector<Shift>& timeline)
{
    std::string out;
    for (const Shift& s : timeline) {
        if (!out.empty()) out += "\n";
        out += core::format_rfc3339(s.start) + ".." + core::format_rfc3339(s.end) + " " +
               (s.person ? s.person->name : std::string("-"));
    }
    return out;
}

std::string lines(std::initializer_list<const char*> items)
{
    std::string out;
    for (const char* item : items) {
        if (!out.empty()) out += "\n";
        out += item;
    }
    return out;
}

std::string who(const Schedule& s, const char* when)
{
    auto now = on_call_at(s, at(when));
    if (now.empty()) return "-";
    EXPECT_EQ(now.size(), 1u);
    return now[0].person.name;
}

// --- Rotations across DST ---------------------------------------------------------------------------------------

TEST(Schedule, DailyHandOffStaysAtNineLocalAcrossBerlinSpringForward)
{
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom, kLea}, local(2026, 3, 27, 9), Layer::Length::Daily)});
    EXPECT_EQ(
        describe(shifts(s, at("2026-03-27T08:00:00Z"), at("2026-03-31T07:00:00Z"))),
        lines({"2026-03-27T08:00:00Z..2026-03-28T08:00:00Z Ana",
               "2026-03-28T08:00:00Z..2026-03-29T07:00:00Z Tom",  // 23 hours
               "2026-03-29T07:00:00Z..2026-03-30T07:00:00Z Lea", "2026-03-30T07:00:00Z..2026-03-31T07:00:00Z Ana"}));
}

TEST(Schedule, DailyHandOffStaysAtNineLocalAcrossBerlinFallBack)
{
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom}, local(2026, 10, 23, 9), Layer::Length::Daily)});
    EXPECT_EQ(
        describe(shifts(s, at("2026-10-24T00:00:00Z"), at("2026-10-26T12:00:00Z"))),
        lines({"2026-10-24T00:00:00Z..2026-10-24T07:00:00Z Ana",
               "2026-10-24T07:00:00Z..2026-10-25T08:00:00Z Tom",  // 25 hours
               "2026-10-25T08:00:00Z..2026-10-26T08:00:00Z Ana", "2026-10-26T08:00:00Z..2026-10-26T12:00:00Z Tom"}));
}

TEST(Schedule, OnCallAtReportsTheShortShiftOnTheBerlinChangeDay)
{
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom, kLea}, local(2026, 3, 27, 9), Layer::Length::Daily)});
    auto before = on_call_at(s, at("2026-03-29T06:59:59Z"));
    ASSERT_EQ(before.size(), 1u);
    EXPECT_EQ(before[0].person, kTom);
    EXPECT_EQ(before[0].origin, Origin::Layer);
    EXPECT_EQ(before[0].index, 0u);
    EXPECT_EQ(core::format_rfc3339(before[0].start), "2026-03-28T08:00:00Z");
    EXPECT_EQ(core::format_rfc3339(before[0].end), "2026-03-29T07:00:00Z");
    EXPECT_EQ(who(s, "2026-03-29T07:00:00Z"), "Lea");
}

TEST(Schedule, WeeklyHandOffStaysAtMondayNineInNewYorkAcrossSpringForward)
{
    const Schedule s =
        schedule_in("America/New_York", {layer({kAna, kTom}, local(2026, 3, 2, 9), Layer::Length::Weekly)});
    EXPECT_EQ(describe(shifts(s, at("2026-03-02T14:00:00Z"), at("2026-03-16T13:00:00Z"))),
              lines({"2026-03-02T14:00:00Z..2026-03-09T13:00:00Z Ana",  // 167 hours
                     "2026-03-09T13:00:00Z..2026-03-16T13:00:00Z Tom"}));
}

TEST(Schedule, WeeklyHandOffStaysAtMondayNineInNewYorkAcrossFallBack)
{
    const Schedule s =
        schedule_in("America/New_York", {layer({kAna, kTom}, local(2026, 10, 26, 9), Layer::Length::Weekly)});
    EXPECT_EQ(describe(shifts(s, at("2026-10-26T13:00:00Z"), at("2026-11-09T14:00:00Z"))),
              lines({"2026-10-26T13:00:00Z..2026-11-02T14:00:00Z Ana",  // 169 hours
                     "2026-11-02T14:00:00Z..2026-11-09T14:00:00Z Tom"}));
    EXPECT_EQ(who(s, "2026-11-02T13:59:59Z"), "Ana");
    EXPECT_EQ(who(s, "2026-11-02T14:00:00Z"), "Tom");
}

TEST(Schedule, HandOffInTheSpringForwardGapHappensWhenTheGapEnds)
{
    // 02:30 does not exist in New York on 8 March 2026; that hand-off happens at 03:00 EDT (07:00Z).
    const Schedule s =
        schedule_in("America/New_York", {layer({kAna, kTom}, local(2026, 3, 7, 2, 30), Layer::Length::Daily)});
    EXPECT_EQ(describe(shifts(s, at("2026-03-07T07:30:00Z"), at("2026-03-10T06:30:00Z"))),
              lines({"2026-03-07T07:30:00Z..2026-03-08T07:00:00Z Ana", "2026-03-08T07:00:00Z..2026-03-09T06:30:00Z Tom",
                     "2026-03-09T06:30:00Z..2026-03-10T06:30:00Z Ana"}));
}

TEST(Schedule, HandOffAtARepeatedTimeUsesTheEarlierOccurrence)
{
    // 01:30 happens twice in New York on 1 November 2026; the hand-off is at 01:30 EDT (05:30Z), not EST (06:30Z).
    const Schedule s =
        schedule_in("America/New_York", {layer({kAna, kTom}, local(2026, 10, 31, 1, 30), Layer::Length::Daily)});
    EXPECT_EQ(describe(shifts(s, at("2026-10-31T05:30:00Z"), at("2026-11-03T06:30:00Z"))),
              lines({"2026-10-31T05:30:00Z..2026-11-01T05:30:00Z Ana",
                     "2026-11-01T05:30:00Z..2026-11-02T06:30:00Z Tom",  // 25 hours
                     "2026-11-02T06:30:00Z..2026-11-03T06:30:00Z Ana"}));
}

TEST(Schedule, HoursRotationCountsRealElapsedHoursAcrossBerlinSpringForward)
{
    // Starts 08:00 CET (07:00Z); every 12 real hours, so after the change hand-offs fall at 09:00 and 21:00 CEST.
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom}, local(2026, 3, 28, 8), Layer::Length::Hours, 12)});
    EXPECT_EQ(
        describe(shifts(s, at("2026-03-28T07:00:00Z"), at("2026-03-30T07:00:00Z"))),
        lines({"2026-03-28T07:00:00Z..2026-03-28T19:00:00Z Ana", "2026-03-28T19:00:00Z..2026-03-29T07:00:00Z Tom",
               "2026-03-29T07:00:00Z..2026-03-29T19:00:00Z Ana", "2026-03-29T19:00:00Z..2026-03-30T07:00:00Z Tom"}));
    auto now = on_call_at(s, at("2026-03-29T07:30:00Z"));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].person, kAna);
    EXPECT_EQ(core::format_rfc3339(now[0].start), "2026-03-29T07:00:00Z");
    EXPECT_EQ(core::format_rfc3339(now[0].end), "2026-03-29T19:00:00Z");
}

// --- New Year -------------------------------------------------------------------------------------------------------

TEST(Schedule, WeeklyRotationContinuesInOrderAcrossNewYear)
{
    // Mondays 09:00 CET (08:00Z) from 14 Dec 2026: Ana, Tom, Lea, then Ana again on 4 Jan 2027 (ISO week 1 after
    // week 53), Tom on 11 Jan.
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom, kLea}, local(2026, 12, 14, 9), Layer::Length::Weekly)});
    EXPECT_EQ(
        describe(shifts(s, at("2026-12-28T00:00:00Z"), at("2027-01-12T00:00:00Z"))),
        lines({"2026-12-28T00:00:00Z..2026-12-28T08:00:00Z Tom", "2026-12-28T08:00:00Z..2027-01-04T08:00:00Z Lea",
               "2027-01-04T08:00:00Z..2027-01-11T08:00:00Z Ana", "2027-01-11T08:00:00Z..2027-01-12T00:00:00Z Tom"}));
    EXPECT_EQ(who(s, "2026-12-31T23:00:00Z"), "Lea");  // midnight local, New Year
    EXPECT_EQ(who(s, "2027-01-05T00:00:00Z"), "Ana");
    EXPECT_EQ(who(s, "2027-01-12T00:00:00Z"), "Tom");
}

TEST(Schedule, DailyRotationContinuesAcrossNewYearInNewYork)
{
    // Daily at 18:00 EST (23:00Z) from 30 Dec 2026: Ana 30th, Tom 31st (through midnight into 2027), Ana 1 Jan.
    const Schedule s =
        schedule_in("America/New_York", {layer({kAna, kTom}, local(2026, 12, 30, 18), Layer::Length::Daily)});
    EXPECT_EQ(describe(shifts(s, at("2026-12-30T23:00:00Z"), at("2027-01-02T23:00:00Z"))),
              lines({"2026-12-30T23:00:00Z..2026-12-31T23:00:00Z Ana", "2026-12-31T23:00:00Z..2027-01-01T23:00:00Z Tom",
                     "2027-01-01T23:00:00Z..2027-01-02T23:00:00Z Ana"}));
}

TEST(Schedule, AYearOfDailyHandOffsIsOneStretchPerDay)
{
    // 2026 has 365 days; hand-off k goes to participant k mod 2, so the 365th (k = 364, 31 Dec) is Ana's.
    const Schedule s = schedule_in("Europe/Berlin", {layer({kAna, kTom}, local(2026, 1, 1, 9), Layer::Length::Daily)});
    const auto year = shifts(s, at("2026-01-01T08:00:00Z"), at("2027-01-01T08:00:00Z"));
    ASSERT_EQ(year.size(), 365u);
    EXPECT_EQ(describe({year.back()}), "2026-12-31T08:00:00Z..2027-01-01T08:00:00Z Ana");
    EXPECT_EQ(describe({year[87]}), "2026-03-29T07:00:00Z..2026-03-30T07:00:00Z Tom");  // 29 March is day 88
}

// --- Restrictions ---------------------------------------------------------------------------------------------------

TEST(Schedule, WeekdayNightRestrictionCrossesMidnightAndLeavesTheWeekendUncovered)
{
    // Berlin in November is CET (+01): weeknights 18:00-08:00 are 17:00Z-07:00Z. Friday 6 Nov 2026 onwards.
    Layer nights = layer({kAna}, local(2026, 11, 2, 8), Layer::Length::Weekly);
    nights.restrictions = restrictions("Mon-Fri 18:00-08:00");
    const Schedule s = schedule_in("Europe/Berlin", {nights});
    EXPECT_EQ(describe(shifts(s, at("2026-11-06T00:00:00Z"), at("2026-11-10T00:00:00Z"))),
              lines({"2026-11-06T00:00:00Z..2026-11-06T07:00:00Z Ana",  // Thursday night until Friday 08:00
                     "2026-11-06T07:00:00Z..2026-11-06T17:00:00Z -",
                     "2026-11-06T17:00:00Z..2026-11-07T07:00:00Z Ana",  // Friday night until Saturday 08:00
                     "2026-11-07T07:00:00Z..2026-11-09T17:00:00Z -",    // the weekend
                     "2026-11-09T17:00:00Z..2026-11-10T00:00:00Z Ana"}));
}

TEST(Schedule, WeekendRestrictionJoinsWeeknightsIntoOneStretchOnlyWithSundayNight)
{
    // "Mon-Fri 18:00-08:00" are the nights starting Monday to Friday; Monday 00:00-08:00 belongs to Sunday night.
    Layer nights = layer({kAna}, local(2026, 11, 2, 8), Layer::Length::Weekly);
    nights.restrictions = restrictions("Mon-Fri 18:00-08:00; Sat-Sun 00:00-24:00");
    EXPECT_EQ(describe(shifts(schedule_in("Europe/Berlin", {nights}), at("2026-11-06T12:00:00Z"),
                              at("2026-11-09T12:00:00Z"))),
              lines({"2026-11-06T12:00:00Z..2026-11-06T17:00:00Z -",
                     "2026-11-06T17:00:00Z..2026-11-08T23:00:00Z Ana",  // Friday 18:00 to Monday 00:00
                     "2026-11-08T23:00:00Z..2026-11-09T12:00:00Z -"}));
    nights.restrictions = restrictions("Sun-Fri 18:00-08:00; Sat-Sun 00:00-24:00");
    EXPECT_EQ(describe(shifts(schedule_in("Europe/Berlin", {nights}), at("2026-11-06T12:00:00Z"),
                              at("2026-11-09T12:00:00Z"))),
              lines({"2026-11-06T12:00:00Z..2026-11-06T17:00:00Z -",
                     "2026-11-06T17:00:00Z..2026-11-09T07:00:00Z Ana",  // Friday 18:00 to Monday 08:00
                     "2026-11-09T07:00:00Z..2026-11-09T12:00:00Z -"}));
}

TEST(Schedule, NightRestrictionSpanningBerlinFallBackIsFifteenHours)
{
    // Saturday 24 Oct 18:00 CEST (16:00Z) to Sunday 25 Oct 08:00 CET (07:00Z).
    Layer nights = layer({kAna}, local(2026, 10, 19, 9), Layer::Length::Daily);
    nights.restrictions = restrictions("Sat 18:00-08:00");
    const Schedule s = schedule_in("Europe/Berlin", {nights});
    EXPECT_EQ(describe(shifts(s, at("2026-10-24T12:00:00Z"), at("2026-10-25T12:00:00Z"))),
              lines({"2026-10-24T12:00:00Z..2026-10-24T16:00:00Z -", "2026-10-24T16:00:00Z..2026-10-25T07:00:00Z Ana",
                     "2026-10-25T07:00:00Z..2026-10-25T12:00:00Z -"}));
}

TEST(Schedule, GapsListsTheHolesLeftByRestrictions)
{
    Layer days = layer({kAna, kTom}, local(2026, 11, 2, 9), Layer::Length::Daily);
    days.restrictions = restrictions("Mon-Fri 09:00-17:00");
    const Schedule s = schedule_in("Europe/Berlin", {days});
    // Friday 6 Nov 2026 09:00-17:00 CET is 08:00Z-16:00Z; the rest up to Monday 09:00 CET (08:00Z) is a gap.
    const auto holes = gaps(s, at("2026-11-06T00:00:00Z"), at("2026-11-09T12:00:00Z"));
    ASSERT_EQ(holes.size(), 2u);
    EXPECT_EQ(core::format_rfc3339(holes[0].start), "2026-11-06T00:00:00Z");
    EXPECT_EQ(core::format_rfc3339(holes[0].end), "2026-11-06T08:00:00Z");
    EXPECT_EQ(core::format_rfc3339(holes[1].start), "2026-11-06T16:00:00Z");
    EXPECT_EQ(core::format_rfc3339(holes[1].end), "2026-11-09T08:00:00Z");
    EXPECT_TRUE(on_call_at(s, at("2026-11-07T12:00:00Z")).empty());
    // Daily hand-offs Mon 2 Nov Ana, Tue Tom, Wed Ana, Thu Tom, Fri Ana, Sat Tom, Sun Ana, Mon 9 Nov Tom.
    EXPECT_EQ(who(s, "2026-11-06T12:00:00Z"), "Ana");
    EXPECT_EQ(who(s, "2026-11-09T08:00:00Z"), "Tom");
}

// --- Layers ---------------------------------------------------------------------------------------------------------

TEST(Schedule, WeekdayDaytimeLayerWinsOverTheBaseLayerAndTheBaseShowsThroughAtNight)
{
    Layer base = layer({kAna, kTom}, local(2026, 11, 2, 9), Layer::Length::Weekly);
    Layer day = layer({kLea, kMax}, local(2026, 11, 2, 9), Layer::Length::Daily);
    day.restrictions = restrictions("Mon-Fri 09:00-17:00");
    const Schedule s = schedule_in("Europe/Berlin", {base, day});
    // Friday 6 Nov: daily hand-offs Lea Mon, Max Tue, Lea Wed, Max Thu, Lea Fri. 09:00-17:00 CET = 08:00Z-16:00Z.
    EXPECT_EQ(describe(shifts(s, at("2026-11-06T00:00:00Z"), at("2026-11-07T00:00:00Z"))),
              lines({"2026-11-06T00:00:00Z..2026-11-06T08:00:00Z Ana", "2026-11-06T08:00:00Z..2026-11-06T16:00:00Z Lea",
                     "2026-11-06T16:00:00Z..2026-11-07T00:00:00Z Ana"}));
    auto now = on_call_at(s, at("2026-11-06T12:00:00Z"));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].person, kLea);
    EXPECT_EQ(now[0].origin, Origin::Layer);
    EXPECT_EQ(now[0].index, 1u);
    EXPECT_EQ(core::format_rfc3339(now[0].start), "2026-11-06T08:00:00Z");
    EXPECT_EQ(core::format_rfc3339(now[0].end), "2026-11-06T16:00:00Z");
    auto weekend = on_call_at(s, at("2026-11-07T12:00:00Z"));
    ASSERT_EQ(weekend.size(), 1u);
    EXPECT_EQ(weekend[0].person, kAna);
    EXPECT_EQ(weekend[0].index, 0u);
    // Monday 9 Nov 09:00 CET (08:00Z): the base hands off to Tom, the day layer to Max.
    EXPECT_EQ(who(s, "2026-11-09T07:59:59Z"), "Ana");
    EXPECT_EQ(who(s, "2026-11-09T08:00:00Z"), "Max");
    EXPECT_EQ(who(s, "2026-11-09T16:00:00Z"), "Tom");
}

TEST(Schedule, SingleParticipantLayerIsOneStretchAndOnCallIsClippedToTheLookaround)
{
    const Schedule s = schedule_in("Europe/Berlin", {layer({kAna}, local(2026, 3, 27, 9), Layer::Length::Daily)});
    EXPECT_EQ(describe(shifts(s, at("2026-03-28T00:00:00Z"), at("2026-04-02T00:00:00Z"))),
              "2026-03-28T00:00:00Z..2026-04-02T00:00:00Z Ana");
    auto now = on_call_at(s, at("2026-03-30T12:00:00Z"));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(core::format_rfc3339(now[0].start), "2026-03-27T08:00:00Z");  // the first hand-off
    EXPECT_EQ(core::format_rfc3339(now[0].end), "2026-05-11T12:00:00Z");    // t + 42 days
}

TEST(Schedule, NobodyIsOnCallBeforeTheFirstHandOff)
{
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom}, local(2026, 3, 27, 9), Layer::Length::Weekly)});
    EXPECT_EQ(
        describe(shifts(s, at("2026-03-26T00:00:00Z"), at("2026-03-28T00:00:00Z"))),
        lines({"2026-03-26T00:00:00Z..2026-03-27T08:00:00Z -", "2026-03-27T08:00:00Z..2026-03-28T00:00:00Z Ana"}));
    EXPECT_TRUE(on_call_at(s, at("2026-03-27T07:59:59Z")).empty());
}

TEST(Schedule, EmptyScheduleIsOneGap)
{
    const Schedule s = schedule_in("UTC", {});
    const auto holes = gaps(s, at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z"));
    ASSERT_EQ(holes.size(), 1u);
    EXPECT_EQ(core::format_rfc3339(holes[0].start), "2026-01-01T00:00:00Z");
    EXPECT_EQ(core::format_rfc3339(holes[0].end), "2026-02-01T00:00:00Z");
    EXPECT_TRUE(on_call_at(s, at("2026-01-15T00:00:00Z")).empty());
    EXPECT_TRUE(shifts(s, at("2026-02-01T00:00:00Z"), at("2026-01-01T00:00:00Z")).empty());
}

// --- Overrides ------------------------------------------------------------------------------------------------------

TEST(Schedule, OverrideForSaturdaySplitsTheWeeklyShift)
{
    // Tom covers Ana on Saturday 7 Nov 2026, 00:00-24:00 CET = 6 Nov 23:00Z to 7 Nov 23:00Z.
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kLea}, local(2026, 11, 2, 9), Layer::Length::Weekly)},
                    {Override{kTom.user_id, "Tom", at("2026-11-06T23:00:00Z"), at("2026-11-07T23:00:00Z")}});
    EXPECT_EQ(describe(shifts(s, at("2026-11-06T00:00:00Z"), at("2026-11-09T00:00:00Z"))),
              lines({"2026-11-06T00:00:00Z..2026-11-06T23:00:00Z Ana", "2026-11-06T23:00:00Z..2026-11-07T23:00:00Z Tom",
                     "2026-11-07T23:00:00Z..2026-11-09T00:00:00Z Ana"}));
    auto now = on_call_at(s, at("2026-11-07T12:00:00Z"));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].person, kTom);
    EXPECT_EQ(now[0].origin, Origin::Override);
    EXPECT_EQ(now[0].index, 0u);
    EXPECT_EQ(shifts_for(s, kAna.user_id, at("2026-11-06T00:00:00Z"), at("2026-11-09T00:00:00Z")).size(), 2u);
}

TEST(Schedule, OverrideAcrossAHandOffCoversTheEndOfOneShiftAndTheStartOfTheNext)
{
    // The weekly hand-off Ana -> Lea is Monday 9 Nov 09:00 CET (08:00Z); Tom covers 06:00Z-10:00Z.
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kLea}, local(2026, 11, 2, 9), Layer::Length::Weekly)},
                    {Override{kTom.user_id, "Tom", at("2026-11-09T06:00:00Z"), at("2026-11-09T10:00:00Z")}});
    EXPECT_EQ(describe(shifts(s, at("2026-11-09T00:00:00Z"), at("2026-11-09T12:00:00Z"))),
              lines({"2026-11-09T00:00:00Z..2026-11-09T06:00:00Z Ana", "2026-11-09T06:00:00Z..2026-11-09T10:00:00Z Tom",
                     "2026-11-09T10:00:00Z..2026-11-09T12:00:00Z Lea"}));
}

TEST(Schedule, LaterOverrideWinsWhereOverridesOverlapAndOverridesFillGaps)
{
    const Schedule s =
        schedule_in("UTC", {},
                    {Override{kTom.user_id, "Tom", at("2026-05-01T00:00:00Z"), at("2026-05-01T12:00:00Z")},
                     Override{kLea.user_id, "Lea", at("2026-05-01T06:00:00Z"), at("2026-05-01T08:00:00Z")}});
    EXPECT_EQ(
        describe(shifts(s, at("2026-05-01T00:00:00Z"), at("2026-05-01T13:00:00Z"))),
        lines({"2026-05-01T00:00:00Z..2026-05-01T06:00:00Z Tom", "2026-05-01T06:00:00Z..2026-05-01T08:00:00Z Lea",
               "2026-05-01T08:00:00Z..2026-05-01T12:00:00Z Tom", "2026-05-01T12:00:00Z..2026-05-01T13:00:00Z -"}));
    auto now = on_call_at(s, at("2026-05-01T09:00:00Z"));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].index, 0u);
    EXPECT_EQ(core::format_rfc3339(now[0].start), "2026-05-01T08:00:00Z");
}

TEST(Schedule, UpcomingShiftsForAPersonFromAnInjectedClock)
{
    core::FakeClock clock(at("2026-10-22T10:00:00Z"));
    const Schedule s =
        schedule_in("Europe/Berlin", {layer({kAna, kTom, kLea}, local(2026, 10, 19, 9), Layer::Length::Daily)});
    // Hand-offs 09:00 local: Mon 19 Ana, Tue Tom, Wed Lea, Thu 22 Ana, Fri Tom, Sat Lea, Sun 25 Ana (CET from here).
    const auto upcoming = shifts_for(s, kAna.user_id, clock.now(), clock.now() + date::days(7));
    EXPECT_EQ(describe(upcoming),
              lines({"2026-10-22T10:00:00Z..2026-10-23T07:00:00Z Ana", "2026-10-25T08:00:00Z..2026-10-26T08:00:00Z Ana",
                     "2026-10-28T08:00:00Z..2026-10-29T08:00:00Z Ana"}));
    clock.advance(std::chrono::hours(24 * 3));  // Sunday 25 Oct 10:00Z
    EXPECT_EQ(who(s, core::format_rfc3339(clock.now()).c_str()), "Ana");
}

// --- Validation and parsing -----------------------------------------------------------------------------------------

bool has_field(const core::Error& error, const std::string& field)
{
    for (const auto& f : error.fields())
        if (f.field == field) return true;
    return false;
}

TEST(Schedule, ValidatedRejectsEveryProblemAtOnce)
{
    Schedule s;
    s.name = "  ";
    s.time_zone = "Europe/Atlantis";
    s.layers.push_back(layer({}, local(2026, 1, 5, 9), Layer::Length::Weekly));
    s.layers.push_back(layer({kAna}, local(2026, 1, 5, 9), Layer::Length::Hours, 0));
    s.overrides.push_back(Override{kTom.user_id, "Tom", at("2026-01-02T00:00:00Z"), at("2026-01-01T00:00:00Z")});
    s.overrides.push_back(Override{0, "Nobody", at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z")});
    auto result = s.validated();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_TRUE(has_field(result.error(), "name"));
    EXPECT_TRUE(has_field(result.error(), "time_zone"));
    EXPECT_TRUE(has_field(result.error(), "layers[0].participants"));
    EXPECT_TRUE(has_field(result.error(), "layers[1].hours"));
    EXPECT_TRUE(has_field(result.error(), "overrides[0].end"));
    EXPECT_TRUE(has_field(result.error(), "overrides[1].user_id"));
    EXPECT_EQ(result.error().fields().size(), 6u);
}

TEST(Schedule, ValidatedRejectsAnOverrideEndingAtItsStartAndBadRestrictionTimes)
{
    Layer l = layer({kAna}, local(2026, 1, 5, 9), Layer::Length::Daily);
    l.restrictions.push_back(Restriction{date::Monday, std::chrono::minutes(24 * 60), date::Tuesday, {}});
    Schedule s;
    s.name = "Ops";
    s.time_zone = "Europe/Berlin";
    s.layers = {l};
    s.overrides = {Override{kTom.user_id, "Tom", at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")}};
    auto result = s.validated();
    ASSERT_FALSE(result);
    EXPECT_TRUE(has_field(result.error(), "overrides[0].end"));
    EXPECT_TRUE(has_field(result.error(), "layers[0].restrictions[0]"));
}

TEST(Schedule, ValidatedTrimsAndNamesLayers)
{
    Schedule s;
    s.name = "  Platform  ";
    s.time_zone = " America/New_York ";
    s.layers = {layer({kAna}, local(2026, 1, 5, 9), Layer::Length::Weekly)};
    auto result = s.validated();
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result->name, "Platform");
    EXPECT_EQ(result->time_zone, "America/New_York");
    EXPECT_EQ(result->layers[0].name, "Layer 1");
}

TEST(Schedule, ParseRestrictionSpecEndsOvernightPeriodsOnTheNextDay)
{
    const auto parsed = parse_restriction_spec("Fri-Sat 18:00-08:00; sun 00:00-24:00");
    ASSERT_TRUE(parsed) << parsed.error().message();
    ASSERT_EQ(parsed->size(), 3u);
    // In the order written; within a clause, Sunday first.
    EXPECT_TRUE(((*parsed)[0] == Restriction{date::Friday, 18h, date::Saturday, 8h}));
    EXPECT_TRUE(((*parsed)[1] == Restriction{date::Saturday, 18h, date::Sunday, 8h}));
    EXPECT_TRUE(((*parsed)[2] == Restriction{date::Sunday, 0min, date::Sunday, 24h}));
    EXPECT_TRUE(parse_restriction_spec("always")->empty());
}

TEST(Schedule, ParseRestrictionSpecRejectsBadTokens)
{
    auto bad_day = parse_restriction_spec("Mno-Fri 18:00-08:00");
    ASSERT_FALSE(bad_day);
    EXPECT_EQ(bad_day.error().message(), "unknown day 'Mno'");
    EXPECT_EQ(bad_day.error().fields().at(0).field, "restrictions");
    EXPECT_FALSE(parse_restriction_spec("Mon 25:00-08:00"));
    EXPECT_FALSE(parse_restriction_spec("Mon 18:00"));
    EXPECT_FALSE(parse_restriction_spec(""));
}

TEST(Schedule, FormatRestrictionSpecWritesWhatParseRestrictionSpecReadsBack)
{
    // Written as the console's edit form shows them: grouped, Monday first, wrapping runs kept whole.
    for (std::string spec : {"Mon-Fri 18:00-08:00", "Mon-Fri 18:00-08:00; Sat-Sun 00:00-24:00",
                             "Sun-Fri 00:00-24:00; Sat 00:00-02:00, 06:00-24:00", "Sat-Mon 09:00-17:00",
                             "Mon,Wed,Fri 09:00-12:00", "Mon-Sun 00:00-24:00"}) {
        auto parsed = parse_restriction_spec(spec);
        ASSERT_TRUE(parsed) << spec;
        EXPECT_EQ(format_restriction_spec(*parsed), spec);
    }
    EXPECT_EQ(format_restriction_spec({}), "always");
    // A window longer than a night is written day by day, and means the same.
    const std::vector<Restriction> weekend{{date::Friday, std::chrono::hours(18), date::Monday, std::chrono::hours(8)}};
    const auto written = format_restriction_spec(weekend);
    EXPECT_EQ(written, "Fri 18:00-24:00; Sat-Sun 00:00-24:00; Mon 00:00-08:00");
    Schedule a;
    a.time_zone = "UTC";
    a.layers.push_back(
        {"L", {{1, "ana"}}, date::local_days{date::year{2026} / 1 / 5}, Layer::Length::Weekly, 0, weekend});
    Schedule b = a;
    b.layers[0].restrictions = *parse_restriction_spec(written);
    const auto from = core::UtcTime(date::sys_days{date::year{2026} / 1 / 5});
    const auto to = from + std::chrono::days(21);
    EXPECT_EQ(gaps(a, from, to).size(), gaps(b, from, to).size());
    for (std::size_t i = 0; i < gaps(a, from, to).size(); ++i) {
        EXPECT_EQ(gaps(a, from, to)[i].start, gaps(b, from, to)[i].start);
        EXPECT_EQ(gaps(a, from, to)[i].end, gaps(b, from, to)[i].end);
    }
}

}  // namespace
}  // namespace lifeline::schedule
