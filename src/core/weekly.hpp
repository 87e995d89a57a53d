// Reading and writing weekly time specs such as "Mon-Fri 09:00-17:30; Sat 10:00-14:00", shared by support-plan
// business hours and on-call restrictions, and looking up IANA zones.
#pragma once

#include "core/result.hpp"

#include <date/tz.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::core {

inline constexpr std::chrono::minutes kDayLength{24 * 60};
// Indexed like date::weekday::c_encoding(): 0 is Sunday.
inline constexpr std::array<std::string_view, 7> kWeekdayNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Splits on `separator`, keeping empty parts.
std::vector<std::string_view> split(std::string_view text, char separator);

// "Mon", "mon", … → 0..6 (Sunday 0).
std::optional<unsigned> parse_weekday(std::string_view token);

enum class EndOfDay { Rejected, Allowed };
// "HH:MM" or "H:MM" from 00:00 to 23:59, and 24:00 when EndOfDay::Allowed.
std::optional<std::chrono::minutes> parse_clock(std::string_view token, EndOfDay end_of_day);
// Minutes after midnight as "HH:MM".
std::string format_clock(std::chrono::minutes m);

// One clause of a weekly spec: the days it names and its "HH:MM-HH:MM" periods as written (an end at or before the
// start is returned as is; what it means is the caller's rule).
struct WeeklyClause {
    std::array<bool, 7> days{};
    std::vector<std::pair<std::chrono::minutes, std::chrono::minutes>> periods;
};

// Parses clauses separated by ';', each "DAYS PERIODS": days single, ranges (Fri-Mon wraps) or comma lists, periods
// comma-separated. `field` names the input in errors; `example` completes "'…' has no …" (e.g. "opening hours (e.g.
// 09:00-17:00)"). Errors: InvalidArgument naming the bad token.
Result<std::vector<WeeklyClause>> parse_weekly_clauses(std::string_view text, std::string_view field,
                                                       std::string_view example);

// The zone, or nullptr when the system tzdata does not know the name.
const date::time_zone* find_zone(std::string_view name);
// For values already validated: an unknown zone is a broken invariant and throws std::invalid_argument saying to
// validate `what` first.
const date::time_zone& require_zone(const std::string& name, std::string_view what);

}  // namespace lifeline::core
