// Support plans: business hours in an IANA zone, holidays, response targets per priority,
// and the first-response deadline they commit us to. Pure values and time arithmetic; no I/O.
#pragma once

#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/result.hpp"

#include <date/date.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::plan {

struct PlanTag;
using PlanId = core::Id<PlanTag>;

// P1 is an emergency (the business is down); P4 is a question.
enum class Priority { P1 = 1, P2 = 2, P3 = 3, P4 = 4 };

std::string_view to_string(Priority p);                        // "P1".."P4"
core::Result<Priority> parse_priority(std::string_view text);  // accepts "P1".."P4" and "p1".."p4"

// One open period of a day, in minutes after local midnight: [start, end). end may be 1440.
struct OpenPeriod {
    std::chrono::minutes start{0};
    std::chrono::minutes end{0};
    bool operator==(const OpenPeriod&) const = default;
};

// Opening hours per weekday; index 0 is Sunday (as date::weekday::c_encoding()).
using WeeklyHours = std::array<std::vector<OpenPeriod>, 7>;

// Parses a compact spec such as "Mon-Fri 09:00-17:30; Sat 10:00-14:00" or "24/7".
// Days: Sun Mon Tue Wed Thu Fri Sat, single or ranges (Fri-Mon wraps), comma lists ("Mon,Wed 09:00-12:00"),
// several periods per day ("Mon-Fri 09:00-12:00,13:00-17:00"). Periods may not overlap or cross midnight.
// Day names are case-insensitive; times are H:MM or HH:MM, and 24:00 may end a period. "24/7" means every day
// 00:00-24:00; "closed" or an empty spec means never open. Errors: InvalidArgument, field "hours", with a message
// naming the bad token (e.g. "unknown day 'Mno'").
core::Result<WeeklyHours> parse_weekly_hours(std::string_view spec);
// The canonical spec for hours (round-trips through parse_weekly_hours): clauses in Monday-first order, days with
// identical periods grouped ("Mon-Fri 09:00-17:00; Sat 10:00-14:00"), "24/7" and "closed" for the special cases.
std::string format_weekly_hours(const WeeklyHours& hours);

// When a human is at work: weekly hours in a zone, minus public holidays (whole local days).
struct BusinessCalendar {
    std::string time_zone = "UTC";               // IANA name, e.g. "Europe/London"
    WeeklyHours hours;                           // all empty means never open
    std::vector<date::year_month_day> holidays;  // local dates, closed all day

    // Trims, checks the zone exists in the system tzdata, sorts periods and checks each lies within one day without
    // overlapping, sorts and de-duplicates holidays.
    // Errors: InvalidArgument with fields "time_zone", "hours" or "holidays" (every problem is listed).
    //
    // The queries below expect a validated calendar: an unknown zone throws std::invalid_argument.
    // Open means the local wall-clock reading lies in a period: a local time skipped by a spring-forward change
    // is never open (a period starting in the gap opens at the change), and a repeated fall-back hour counts twice.
    core::Result<BusinessCalendar> validated() const;

    // True when t falls inside an open period on a non-holiday local day.
    bool is_open(core::UtcTime t) const;

    // The earliest instant >= t that is open; nullopt when the calendar is never open.
    std::optional<core::UtcTime> next_open(core::UtcTime t) const;

    // Adds `work` minutes of open time to `start`, skipping closed time, weekends and holidays,
    // correct across DST changes (a period 09:00-17:00 local stays 8 hours on a 23- or 25-hour day).
    // Walks open periods day by day. Returns start when work <= 0; the result may be the exact end of a period.
    // nullopt when the calendar is never open and work > 0, or when the work does not fit in 3 years.
    std::optional<core::UtcTime> add_open_time(core::UtcTime start, std::chrono::minutes work) const;
};

// Targets for one priority. first_response is the commitment given in the acknowledgement.
struct Targets {
    std::chrono::minutes first_response{0};
    std::chrono::minutes resolution{0};
};

// A customer's support plan.
struct SupportPlan {
    PlanId id;
    std::string name;  // e.g. "Business Critical"
    BusinessCalendar calendar;
    std::array<Targets, 4> targets;      // index: priority - 1
    bool after_hours_emergency = false;  // P1s are answered round the clock
    std::string emergency_phone;         // shown in acknowledgements when after_hours_emergency

    const Targets& targets_for(Priority p) const { return targets[static_cast<int>(p) - 1]; }

    // Validates the calendar, the name (1..100 chars) and targets (each > 0, response <= resolution),
    // collecting every field error; trims name and emergency_phone. Errors: InvalidArgument with fields "name",
    // the calendar's fields ("time_zone", "hours", "holidays") and "targets.P1.first_response",
    // "targets.P1.resolution" and so on.
    core::Result<SupportPlan> validated() const;
};

// How a deadline was computed, so the acknowledgement can say it plainly.
enum class Coverage {
    RoundTheClock,  // wall-clock minutes: a P1 with after-hours emergency coverage, or a never-open calendar
    BusinessHours,  // counted in open time only
};

struct Deadline {
    core::UtcTime due;
    Coverage coverage = Coverage::BusinessHours;
    bool starts_after_hours = false;  // created while closed: the clock starts at the next opening
    core::UtcTime clock_starts;       // when counting began (created, or the next opening)
};

// The first-response deadline for a ticket of `priority` created at `created` under `plan`.
// P1 with after_hours_emergency counts wall-clock minutes; everything else counts open time.
// A plan that is never open and not round the clock yields created + target (wall clock) so that a
// misconfigured plan still produces a promise rather than none (coverage RoundTheClock, clock_starts = created).
// Otherwise clock_starts is the next opening at or after created; created exactly at closing time is after hours.
Deadline first_response_deadline(const SupportPlan& plan, Priority priority, core::UtcTime created);

// "Monday 23 November 2026, 09:00 GMT" in the calendar's zone, for messages to people. Seconds are truncated;
// the abbreviation is the zone's own (it may be numeric, e.g. "+1030"). An unknown zone falls back to UTC.
std::string describe_local_time(core::UtcTime t, const std::string& time_zone);

}  // namespace lifeline::plan
