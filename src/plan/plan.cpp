#include "plan/plan.hpp"

#include "core/text.hpp"
#include "core/weekly.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace lifeline::plan {

namespace {

using date::days;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

using core::kDayLength;
// How far ahead next_open and add_open_time search before giving up.
constexpr days kSearchHorizon{3 * 366};
constexpr const auto& kDayNames = core::kWeekdayNames;
// Weekday indexes in the order people read a week: Monday first.
constexpr std::array<int, 7> kWeekOrder{1, 2, 3, 4, 5, 6, 0};

core::Error hours_error(const std::string& message)
{
    return core::Error::invalid(message, {core::FieldError{"hours", message}});
}

std::string format_period(const OpenPeriod& p)
{
    return core::format_clock(p.start) + "-" + core::format_clock(p.end);
}

bool overlaps(const OpenPeriod& a, const OpenPeriod& b)
{
    return a.start < b.end && b.start < a.end;
}

void sort_periods(std::vector<OpenPeriod>& periods)
{
    std::sort(periods.begin(), periods.end(),
              [](const OpenPeriod& a, const OpenPeriod& b) { return a.start < b.start; });
}

bool never_open(const WeeklyHours& hours)
{
    return std::all_of(hours.begin(), hours.end(), [](const auto& day) { return day.empty(); });
}

bool is_twenty_four_seven(const WeeklyHours& hours)
{
    return std::all_of(hours.begin(), hours.end(), [](const auto& day) {
        return day.size() == 1 && day[0] == OpenPeriod{minutes(0), kDayLength};
    });
}

// Walks the open intervals [begin, end) of the calendar in UTC order, clipped to [from, horizon).
// Within one sys_info segment the zone's offset is constant, so local periods map to UTC by subtracting it; segment
// boundaries (DST changes) clip the intervals, which makes nonexistent local times vanish and repeated ones count
// twice. visit(begin, end) returns false to stop.
template <class Visit>
void walk_open_intervals(const BusinessCalendar& calendar, const date::time_zone& zone, core::UtcTime from,
                         core::UtcTime horizon, Visit&& visit)
{
    WeeklyHours hours = calendar.hours;
    for (auto& day : hours)
        sort_periods(day);
    std::vector<date::year_month_day> holidays = calendar.holidays;
    std::sort(holidays.begin(), holidays.end());

    core::UtcTime cursor = from;
    while (cursor < horizon) {
        const date::sys_info info = zone.get_info(std::chrono::floor<seconds>(cursor));
        core::UtcTime segment_end = horizon;
        if (info.end < std::chrono::ceil<seconds>(horizon)) segment_end = std::min(horizon, core::UtcTime(info.end));
        const milliseconds offset = info.offset;
        auto day = std::chrono::floor<days>(date::local_time<milliseconds>((cursor + offset).time_since_epoch()));
        for (;; day += days(1)) {
            const core::UtcTime day_start = core::UtcTime(day.time_since_epoch()) - offset;
            if (day_start >= segment_end) break;
            if (std::binary_search(holidays.begin(), holidays.end(), date::year_month_day(day))) continue;
            const unsigned weekday = date::weekday(day).c_encoding();
            for (const OpenPeriod& period : hours[weekday]) {
                const core::UtcTime begin = std::max(core::UtcTime(day_start + period.start), cursor);
                const core::UtcTime end = std::min(core::UtcTime(day_start + period.end), segment_end);
                if (begin < end && !visit(begin, end)) return;
            }
        }
        cursor = segment_end;
    }
}

std::size_t count_code_points(std::string_view s)
{
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string_view to_string(Priority p)
{
    switch (p) {
    case Priority::P1: return "P1";
    case Priority::P2: return "P2";
    case Priority::P3: return "P3";
    case Priority::P4: return "P4";
    }
    return "P?";
}

core::Result<Priority> parse_priority(std::string_view text)
{
    const std::string trimmed = core::trim(text);
    if (trimmed.size() == 2 && (trimmed[0] == 'P' || trimmed[0] == 'p') && trimmed[1] >= '1' && trimmed[1] <= '4') {
        return static_cast<Priority>(trimmed[1] - '0');
    }
    const std::string message = "unknown priority '" + trimmed + "'; expected P1, P2, P3 or P4";
    return core::Error::invalid(message, {core::FieldError{"priority", message}});
}

core::Result<WeeklyHours> parse_weekly_hours(std::string_view spec)
{
    WeeklyHours hours;
    const std::string text = core::trim(spec);
    if (text.empty() || core::ascii_lower(text) == "closed") return hours;
    if (text == "24/7") {
        for (auto& day : hours)
            day.push_back(OpenPeriod{minutes(0), kDayLength});
        return hours;
    }

    auto clauses = core::parse_weekly_clauses(text, "hours", "opening hours (e.g. 09:00-17:00)");
    if (!clauses) return clauses.error();
    for (const auto& clause : *clauses) {
        std::vector<OpenPeriod> periods;
        for (const auto& [start, end] : clause.periods) {
            const OpenPeriod period{start, end};
            if (end == start) return hours_error("period " + format_period(period) + " is empty");
            if (end < start)
                return hours_error("period " + format_period(period) +
                                   " ends before it starts; split periods at midnight");
            periods.push_back(period);
        }
        for (int day = 0; day < 7; ++day) {
            if (!clause.days[day]) continue;
            for (const OpenPeriod& period : periods) {
                for (const OpenPeriod& existing : hours[day]) {
                    if (overlaps(period, existing)) {
                        return hours_error("periods " + format_period(existing) + " and " + format_period(period) +
                                           " overlap on " + std::string(kDayNames[day]));
                    }
                }
                hours[day].push_back(period);
            }
        }
    }
    for (auto& day : hours)
        sort_periods(day);
    return hours;
}

std::string format_weekly_hours(const WeeklyHours& hours)
{
    if (never_open(hours)) return "closed";
    if (is_twenty_four_seven(hours)) return "24/7";

    // Days with identical periods share a clause; clauses appear in the order of their first day, Monday first.
    struct Clause {
        std::vector<OpenPeriod> periods;
        std::array<bool, 7> days{};
    };
    std::vector<Clause> clauses;
    for (int day : kWeekOrder) {
        if (hours[day].empty()) continue;
        std::vector<OpenPeriod> periods = hours[day];
        sort_periods(periods);
        auto it = std::find_if(clauses.begin(), clauses.end(), [&](const Clause& c) { return c.periods == periods; });
        if (it == clauses.end()) {
            clauses.push_back(Clause{std::move(periods), {}});
            it = clauses.end() - 1;
        }
        it->days[day] = true;
    }

    std::string out;
    for (const Clause& clause : clauses) {
        if (!out.empty()) out += "; ";
        // Runs of consecutive days (in Monday-first order) become ranges.
        std::string day_text;
        for (std::size_t i = 0; i < kWeekOrder.size();) {
            if (!clause.days[kWeekOrder[i]]) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j + 1 < kWeekOrder.size() && clause.days[kWeekOrder[j + 1]])
                ++j;
            if (!day_text.empty()) day_text += ',';
            day_text += kDayNames[kWeekOrder[i]];
            if (j > i) {
                day_text += '-';
                day_text += kDayNames[kWeekOrder[j]];
            }
            i = j + 1;
        }
        out += day_text;
        out += ' ';
        for (std::size_t k = 0; k < clause.periods.size(); ++k) {
            if (k > 0) out += ',';
            out += format_period(clause.periods[k]);
        }
    }
    return out;
}

core::Result<BusinessCalendar> BusinessCalendar::validated() const
{
    BusinessCalendar out = *this;
    std::vector<core::FieldError> errors;

    out.time_zone = core::trim(time_zone);
    if (out.time_zone.empty()) {
        errors.push_back({"time_zone", "is required"});
    } else if (core::find_zone(out.time_zone) == nullptr) {
        errors.push_back({"time_zone", "unknown time zone '" + out.time_zone + "'"});
    }

    for (int day = 0; day < 7; ++day) {
        auto& periods = out.hours[day];
        sort_periods(periods);
        const std::string day_name(kDayNames[day]);
        for (std::size_t i = 0; i < periods.size(); ++i) {
            const OpenPeriod& p = periods[i];
            if (p.start < minutes(0) || p.end > kDayLength || p.start >= p.end) {
                errors.push_back(
                    {"hours", day_name + ": period " + format_period(p) + " must start before it ends within one day"});
            } else if (i > 0 && overlaps(periods[i - 1], p)) {
                errors.push_back({"hours", day_name + ": periods " + format_period(periods[i - 1]) + " and " +
                                               format_period(p) + " overlap"});
            }
        }
    }

    for (const auto& holiday : out.holidays) {
        if (!holiday.ok()) {
            errors.push_back({"holidays", "invalid date " + date::format("%F", holiday)});
            break;
        }
    }
    std::sort(out.holidays.begin(), out.holidays.end());
    out.holidays.erase(std::unique(out.holidays.begin(), out.holidays.end()), out.holidays.end());

    if (!errors.empty()) return core::Error::invalid("invalid business calendar", std::move(errors));
    return out;
}

bool BusinessCalendar::is_open(core::UtcTime t) const
{
    const date::time_zone& zone = core::require_zone(time_zone, "calendar");
    const date::sys_info info = zone.get_info(std::chrono::floor<seconds>(t));
    const date::local_time<milliseconds> local((t + milliseconds(info.offset)).time_since_epoch());
    const auto day = std::chrono::floor<days>(local);
    if (std::find(holidays.begin(), holidays.end(), date::year_month_day(day)) != holidays.end()) return false;
    const milliseconds into_day = local - day;
    const auto& periods = hours[date::weekday(day).c_encoding()];
    return std::any_of(periods.begin(), periods.end(),
                       [&](const OpenPeriod& p) { return p.start <= into_day && into_day < p.end; });
}

std::optional<core::UtcTime> BusinessCalendar::next_open(core::UtcTime t) const
{
    if (never_open(hours)) return std::nullopt;
    std::optional<core::UtcTime> result;
    walk_open_intervals(*this, core::require_zone(time_zone, "calendar"), t, t + kSearchHorizon,
                        [&](core::UtcTime begin, core::UtcTime) {
                            result = begin;
                            return false;
                        });
    return result;
}

std::optional<core::UtcTime> BusinessCalendar::add_open_time(core::UtcTime start, std::chrono::minutes work) const
{
    if (work <= minutes(0)) return start;
    if (never_open(hours)) return std::nullopt;
    milliseconds remaining = work;
    std::optional<core::UtcTime> result;
    walk_open_intervals(*this, core::require_zone(time_zone, "calendar"), start, start + kSearchHorizon,
                        [&](core::UtcTime begin, core::UtcTime end) {
                            const milliseconds available = end - begin;
                            if (remaining <= available) {
                                result = begin + remaining;
                                return false;
                            }
                            remaining -= available;
                            return true;
                        });
    return result;
}

core::Result<SupportPlan> SupportPlan::validated() const
{
    SupportPlan out = *this;
    std::vector<core::FieldError> errors;

    out.name = core::trim(name);
    if (out.name.empty()) {
        errors.push_back({"name", "is required"});
    } else if (!core::is_valid_utf8(out.name)) {
        errors.push_back({"name", "must be valid UTF-8"});
    } else if (count_code_points(out.name) > 100) {
        errors.push_back({"name", "must be at most 100 characters"});
    }

    auto checked_calendar = calendar.validated();
    if (checked_calendar) {
        out.calendar = std::move(checked_calendar).value();
    } else {
        for (const auto& field : checked_calendar.error().fields())
            errors.push_back(field);
    }

    for (std::size_t i = 0; i < out.targets.size(); ++i) {
        const Targets& t = out.targets[i];
        const std::string prefix = "targets." + std::string(to_string(static_cast<Priority>(i + 1))) + ".";
        const bool response_positive = t.first_response > minutes(0);
        const bool resolution_positive = t.resolution > minutes(0);
        if (!response_positive) errors.push_back({prefix + "first_response", "must be positive"});
        if (!resolution_positive) errors.push_back({prefix + "resolution", "must be positive"});
        if (response_positive && resolution_positive && t.first_response > t.resolution) {
            errors.push_back({prefix + "first_response", "must not exceed the resolution target"});
        }
    }

    out.emergency_phone = core::trim(emergency_phone);

    if (!errors.empty()) return core::Error::invalid("invalid support plan", std::move(errors));
    return out;
}

Deadline first_response_deadline(const SupportPlan& plan, Priority priority, core::UtcTime created)
{
    const minutes target = plan.targets_for(priority).first_response;
    const Deadline wall_clock{created + target, Coverage::RoundTheClock, false, created};
    if (priority == Priority::P1 && plan.after_hours_emergency) return wall_clock;

    const std::optional<core::UtcTime> opens = plan.calendar.next_open(created);
    if (!opens) return wall_clock;
    const std::optional<core::UtcTime> due = plan.calendar.add_open_time(*opens, target);
    if (!due) return wall_clock;
    return Deadline{*due, Coverage::BusinessHours, *opens != created, *opens};
}

std::string describe_local_time(core::UtcTime t, const std::string& time_zone)
{
    // Formatted by hand: date::format builds a stream and sets locales on every call, and this runs for every
    // acknowledgement on the writer thread.
    static constexpr std::array<const char*, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                         "Thursday", "Friday", "Saturday"};
    static constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                            "May",       "June",     "July",     "August",
                                                            "September", "October",  "November", "December"};
    const auto at = std::chrono::floor<minutes>(t);
    const date::time_zone* zone = core::find_zone(core::trim(time_zone));
    if (zone == nullptr) zone = core::find_zone("UTC");
    date::local_time<minutes> local{at.time_since_epoch()};
    std::string abbreviation = "UTC";
    if (zone != nullptr) {
        const auto info = zone->get_info(std::chrono::floor<seconds>(at));
        local = date::local_time<minutes>{at.time_since_epoch() + std::chrono::duration_cast<minutes>(info.offset)};
        abbreviation = info.abbrev;
    }
    const auto day = std::chrono::floor<days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<minutes> clock{local - day};
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %u %s %d, %02d:%02d %s", kDays[date::weekday{day}.c_encoding()],
                  static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()), abbreviation.c_str());
    return buf;
}

}  // namespace lifeline::plan
