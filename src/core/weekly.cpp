#include "core/weekly.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace lifeline::core {

using std::chrono::minutes;

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    while (true) {
        std::size_t end = text.find(separator, begin);
        if (end == std::string_view::npos) {
            parts.push_back(text.substr(begin));
            return parts;
        }
        parts.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
}

std::optional<unsigned> parse_weekday(std::string_view token)
{
    const std::string lower = ascii_lower(token);
    for (unsigned i = 0; i < 7; ++i)
        if (lower == ascii_lower(kWeekdayNames[i])) return i;
    return std::nullopt;
}

std::optional<minutes> parse_clock(std::string_view token, EndOfDay end_of_day)
{
    const std::size_t colon = token.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || token.size() != colon + 3) return std::nullopt;
    for (std::size_t i = 0; i < token.size(); ++i)
        if (i != colon && !std::isdigit(static_cast<unsigned char>(token[i]))) return std::nullopt;
    int hour = 0;
    for (std::size_t i = 0; i < colon; ++i)
        hour = hour * 10 + (token[i] - '0');
    const int minute = (token[colon + 1] - '0') * 10 + (token[colon + 2] - '0');
    if (minute > 59) return std::nullopt;
    if (hour == 24 && minute == 0 && end_of_day == EndOfDay::Allowed) return kDayLength;
    if (hour > 23) return std::nullopt;
    return minutes(hour * 60 + minute);
}

std::string format_clock(minutes m)
{
    long long total = m.count();
    std::string out = total < 0 ? "-" : "";
    if (total < 0) total = -total;
    const long long hour = total / 60;
    const long long minute = total % 60;
    if (hour < 10) out += '0';
    out += std::to_string(hour);
    out += ':';
    if (minute < 10) out += '0';
    out += std::to_string(minute);
    return out;
}

Result<std::vector<WeeklyClause>> parse_weekly_clauses(std::string_view text, std::string_view field,
                                                       std::string_view example)
{
    auto fail = [&](const std::string& message) {
        return Error::invalid(message, {FieldError{std::string(field), message}});
    };
    std::vector<WeeklyClause> out;
    for (std::string_view raw_clause : split(text, ';')) {
        const std::string clause = trim(raw_clause);
        if (clause.empty()) continue;
        const std::size_t first_digit =
            std::find_if(clause.begin(), clause.end(),
                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) -
            clause.begin();
        if (first_digit == clause.size()) return fail("'" + clause + "' has no " + std::string(example));
        const std::string day_text = trim(std::string_view(clause).substr(0, first_digit));
        if (day_text.empty()) return fail("'" + clause + "' does not name any days (e.g. Mon-Fri)");

        WeeklyClause parsed;
        for (std::string_view raw_item : split(day_text, ',')) {
            const std::string item = trim(raw_item);
            if (item.empty()) return fail("empty day in '" + day_text + "'");
            const std::size_t dash = item.find('-');
            if (dash == std::string::npos) {
                const auto day = parse_weekday(item);
                if (!day) return fail("unknown day '" + item + "'");
                parsed.days[*day] = true;
                continue;
            }
            const std::string first_text = trim(std::string_view(item).substr(0, dash));
            const std::string last_text = trim(std::string_view(item).substr(dash + 1));
            const auto first = parse_weekday(first_text);
            if (!first) return fail("unknown day '" + first_text + "'");
            const auto last = parse_weekday(last_text);
            if (!last) return fail("unknown day '" + last_text + "'");
            for (unsigned day = *first;; day = (day + 1) % 7) {
                parsed.days[day] = true;
                if (day == *last) break;
            }
        }

        for (std::string_view raw_period : split(std::string_view(clause).substr(first_digit), ',')) {
            const std::string period_text = trim(raw_period);
            const std::size_t dash = period_text.find('-');
            if (dash == std::string::npos) return fail("invalid period '" + period_text + "'; expected HH:MM-HH:MM");
            const std::string start_text = trim(std::string_view(period_text).substr(0, dash));
            const std::string end_text = trim(std::string_view(period_text).substr(dash + 1));
            const auto start = parse_clock(start_text, EndOfDay::Rejected);
            if (!start) return fail("invalid time '" + start_text + "' in period '" + period_text + "'");
            const auto end = parse_clock(end_text, EndOfDay::Allowed);
            if (!end) return fail("invalid time '" + end_text + "' in period '" + period_text + "'");
            parsed.periods.emplace_back(*start, *end);
        }
        out.push_back(std::move(parsed));
    }
    return out;
}

const date::time_zone* find_zone(std::string_view name)
{
    if (name.empty()) return nullptr;
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return nullptr;
    }
}

const date::time_zone& require_zone(const std::string& name, std::string_view what)
{
    const date::time_zone* zone = find_zone(name);
    if (zone == nullptr)
        throw std::invalid_argument("unknown time zone '" + name + "'; validate the " + std::string(what) + " first");
    return *zone;
}

}  // namespace lifeline::core
