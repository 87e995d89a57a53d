#include "schedule/schedule.hpp"

#include "core/text.hpp"
#include "core/weekly.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace lifeline::schedule {

namespace {

using date::days;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

using core::kDayLength;
constexpr int kMaxShiftHours = 8784;  // a leap year

// A stretch [start, end) of UTC time.
struct Interval {
    core::UtcTime start;
    core::UtcTime end;
};

// A stretch during which one participant of a layer is on call.
struct Piece {
    core::UtcTime start;
    core::UtcTime end;
    std::size_t participant = 0;
};

core::Error restriction_error(const std::string& message)
{
    return core::Error::invalid(message, {core::FieldError{"restrictions", message}});
}

// The instant a local wall-clock reading names: skipped readings map to the end of the gap (the change itself),
// repeated readings to their earlier occurrence.
core::UtcTime to_utc(const date::time_zone& zone, date::local_seconds local)
{
    const date::local_info info = zone.get_info(local);
    if (info.result == date::local_info::nonexistent) return core::UtcTime(info.first.end);
    return core::UtcTime(date::sys_seconds((local - info.first.offset).time_since_epoch()));
}

date::local_time<milliseconds> to_local(const date::time_zone& zone, core::UtcTime t)
{
    const date::sys_info info = zone.get_info(std::chrono::floor<seconds>(t));
    return date::local_time<milliseconds>((t + milliseconds(info.offset)).time_since_epoch());
}

long long floor_div(long long a, long long b)
{
    long long q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// The hand-offs of one layer: hand_off(k) starts the shift of participant k mod n; k = 0 is the layer's start.
class Rotation {
public:
    Rotation(const Layer& layer, const date::time_zone& zone)
        : layer_(layer), zone_(zone), first_(to_utc(zone, layer.start))
    {
    }

    core::UtcTime first() const { return first_; }

    core::UtcTime hand_off(long long k) const
    {
        switch (layer_.length) {
        case Layer::Length::Daily: return to_utc(zone_, layer_.start + days(k));
        case Layer::Length::Weekly: return to_utc(zone_, layer_.start + days(7 * k));
        case Layer::Length::Hours: return first_ + std::chrono::hours(static_cast<long long>(layer_.hours) * k);
        }
        return first_;
    }

    // The k with hand_off(k) <= t < hand_off(k + 1): estimated arithmetically, then corrected for DST.
    long long index_at(core::UtcTime t) const
    {
        long long k = 0;
        if (layer_.length == Layer::Length::Hours) {
            k = floor_div((t - first_).count(), milliseconds(std::chrono::hours(layer_.hours)).count());
        } else {
            const milliseconds period = layer_.length == Layer::Length::Daily ? days(1) : days(7);
            const milliseconds since_start = to_local(zone_, t) - layer_.start;
            k = floor_div(since_start.count(), period.count());
        }
        while (hand_off(k + 1) <= t)
            ++k;
        while (hand_off(k) > t)
            --k;
        return k;
    }

private:
    const Layer& layer_;
    const date::time_zone& zone_;
    core::UtcTime first_;
};

// The rotation's shifts clipped to [from, to), from the first hand-off on.
std::vector<Piece> rotation_pieces(const Layer& layer, const date::time_zone& zone, core::UtcTime from,
                                   core::UtcTime to)
{
    std::vector<Piece> pieces;
    const Rotation rotation(layer, zone);
    const core::UtcTime begin = std::max(from, rotation.first());
    if (begin >= to || layer.participants.empty()) return pieces;
    const auto count = static_cast<long long>(layer.participants.size());
    for (long long k = rotation.index_at(begin);; ++k) {
        const core::UtcTime start = rotation.hand_off(k);
        if (start >= to) break;
        const core::UtcTime end = rotation.hand_off(k + 1);
        pieces.push_back(Piece{std::max(start, begin), std::min(end, to), static_cast<std::size_t>(k % count)});
    }
    return pieces;
}

// The restriction windows as merged UTC intervals clipped to [from, to).
std::vector<Interval> restriction_windows(const std::vector<Restriction>& restrictions, const date::time_zone& zone,
                                          core::UtcTime from, core::UtcTime to)
{
    std::vector<Interval> windows;
    // A window starts at most a week before it ends, and local readings differ from UTC by less than a day, so
    // starting from the Sunday a week before `from` (local) and running a day past `to` covers every overlap.
    const auto first_day = std::chrono::floor<days>(to_local(zone, from)) - days(8);
    const auto last_day = std::chrono::floor<days>(to_local(zone, to)) + days(2);
    const date::local_days first_sunday = first_day - days(date::weekday(first_day).c_encoding());
    for (date::local_days week = first_sunday; week <= last_day; week += days(7)) {
        for (const Restriction& r : restrictions) {
            const date::local_seconds local_start = week + days(r.start_day.c_encoding()) + r.start_time;
            date::local_seconds local_end = week + days(r.end_day.c_encoding()) + r.end_time;
            if (local_end <= local_start) local_end += days(7);
            const core::UtcTime start = std::max(to_utc(zone, local_start), from);
            const core::UtcTime end = std::min(to_utc(zone, local_end), to);
            if (start < end) windows.push_back(Interval{start, end});
        }
    }
    std::sort(windows.begin(), windows.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
    std::vector<Interval> merged;
    for (const Interval& w : windows) {
        if (!merged.empty() && w.start <= merged.back().end) {
            merged.back().end = std::max(merged.back().end, w.end);
        } else {
            merged.push_back(w);
        }
    }
    return merged;
}

// The parts of the pieces that lie inside the windows (both sorted and non-overlapping).
std::vector<Piece> intersect(const std::vector<Piece>& pieces, const std::vector<Interval>& windows)
{
    std::vector<Piece> out;
    std::size_t p = 0;
    std::size_t w = 0;
    while (p < pieces.size() && w < windows.size()) {
        const core::UtcTime start = std::max(pieces[p].start, windows[w].start);
        const core::UtcTime end = std::min(pieces[p].end, windows[w].end);
        if (start < end) out.push_back(Piece{start, end, pieces[p].participant});
        if (pieces[p].end <= windows[w].end) {
            ++p;
        } else {
            ++w;
        }
    }
    return out;
}

// When each participant of the layer is on call within [from, to).
std::vector<Piece> active_pieces(const Layer& layer, const date::time_zone& zone, core::UtcTime from, core::UtcTime to)
{
    std::vector<Piece> pieces = rotation_pieces(layer, zone, from, to);
    if (layer.restrictions.empty() || pieces.empty()) return pieces;
    return intersect(pieces, restriction_windows(layer.restrictions, zone, from, to));
}

std::size_t count_code_points(std::string_view s)
{
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool same_outcome(const Shift& shift, const std::optional<Participant>& person, Origin origin, std::size_t index)
{
    if (shift.origin != origin || shift.index != index) return false;
    if (!shift.person || !person) return !shift.person && !person;
    return shift.person->user_id == person->user_id;
}

}  // namespace

core::Result<std::vector<Restriction>> parse_restriction_spec(std::string_view spec)
{
    std::vector<Restriction> restrictions;
    const std::string text = core::trim(spec);
    const std::string lower = core::ascii_lower(text);
    if (text.empty()) return restriction_error("the restriction is empty; use 'always' for no restriction");
    if (lower == "always" || lower == "24/7") return restrictions;

    auto clauses = core::parse_weekly_clauses(text, "restrictions", "times (e.g. 18:00-08:00)");
    if (!clauses) return clauses.error();
    for (const auto& clause : *clauses) {
        for (const auto& [start, end] : clause.periods) {
            for (unsigned day = 0; day < 7; ++day) {
                if (!clause.days[day]) continue;
                Restriction r{date::weekday(day), start, date::weekday(day), end};
                if (end <= start) r.end_day = date::weekday(day + 1);
                restrictions.push_back(r);
            }
        }
    }
    if (restrictions.empty()) return restriction_error("the restriction names no periods");
    return restrictions;
}

std::string format_restriction_spec(const std::vector<Restriction>& restrictions)
{
    if (restrictions.empty()) return "always";
    constexpr int kDay = 24 * 60;
    // Each window as (weekday, start, end) pieces that parse_restriction_spec reads back: a period within one day,
    // or one night ending on the next day; anything longer is cut at midnights.
    struct Piece {
        unsigned day;
        int start;
        int end;
    };
    std::vector<Piece> pieces;
    for (const Restriction& r : restrictions) {
        const unsigned first = r.start_day.c_encoding();
        const int start = static_cast<int>(first) * kDay + static_cast<int>(r.start_time.count());
        int end = static_cast<int>(r.end_day.c_encoding()) * kDay + static_cast<int>(r.end_time.count());
        if (end <= start) end += 7 * kDay;
        const int start_time = static_cast<int>(r.start_time.count());
        const int length = end - start;
        if (length <= kDay) {
            // Within the day (ending at "24:00" at the latest), or one night: an end at or before the start.
            const int piece_end = start_time + length <= kDay ? start_time + length : start_time + length - kDay;
            pieces.push_back({first, start_time, piece_end});
            continue;
        }
        for (int from = start; from < end;) {
            const int day_start = from / kDay * kDay;
            const int to = std::min(day_start + kDay, end);
            pieces.push_back({static_cast<unsigned>((from / kDay) % 7), from - day_start, to - day_start});
            from = to;
        }
    }
    // Group days by period, then periods by their set of days, in the order they first appear.
    using Days = std::array<bool, 7>;  // indexed by c_encoding
    std::vector<std::pair<std::pair<int, int>, Days>> by_period;
    for (const Piece& p : pieces) {
        auto it = std::find_if(by_period.begin(), by_period.end(), [&](const auto& g) {
            return g.first == std::pair{p.start, p.end};
        });
        if (it == by_period.end()) it = by_period.insert(by_period.end(), {{p.start, p.end}, Days{}});
        it->second[p.day] = true;
    }
    std::vector<std::pair<Days, std::string>> clauses;
    for (const auto& [period, days] : by_period) {
        auto text = core::format_clock(minutes(period.first)) + "-" + core::format_clock(minutes(period.second));
        auto it = std::find_if(clauses.begin(), clauses.end(), [&](const auto& c) { return c.first == days; });
        if (it == clauses.end())
            clauses.emplace_back(days, std::move(text));
        else
            it->second += ", " + text;
    }
    std::string out;
    for (const auto& [days, periods] : clauses) {
        // Runs of days from Monday on; a run through Sunday into Monday ("Sat-Mon") is kept whole.
        std::string day_text;
        if (std::all_of(days.begin(), days.end(), [](bool d) { return d; })) {
            day_text = "Mon-Sun";
        } else {
            unsigned first = 1;
            while (days[first] && days[(first + 6) % 7])
                first = (first + 6) % 7;
            for (unsigned k = 0; k < 7;) {
                const unsigned day = (first + k) % 7;
                if (!days[day]) {
                    ++k;
                    continue;
                }
                unsigned last = k;
                while (last + 1 < 7 && days[(first + last + 1) % 7])
                    ++last;
                if (!day_text.empty()) day_text += ',';
                day_text += core::kWeekdayNames[day];
                if (last > k) {
                    day_text += '-';
                    day_text += core::kWeekdayNames[(first + last) % 7];
                }
                k = last + 1;
            }
        }
        if (!out.empty()) out += "; ";
        out += day_text + " " + periods;
    }
    return out;
}

core::UtcTime local_to_utc(const std::string& time_zone, date::local_seconds local)
{
    return to_utc(core::require_zone(time_zone, "schedule"), local);
}

date::local_seconds utc_to_local(const std::string& time_zone, core::UtcTime t)
{
    return std::chrono::floor<seconds>(to_local(core::require_zone(time_zone, "schedule"), t));
}

core::Result<Schedule> Schedule::validated() const
{
    Schedule out = *this;
    std::vector<core::FieldError> errors;

    out.name = core::trim(name);
    if (out.name.empty()) {
        errors.push_back({"name", "is required"});
    } else if (!core::is_valid_utf8(out.name)) {
        errors.push_back({"name", "must be valid UTF-8"});
    } else if (count_code_points(out.name) > 100) {
        errors.push_back({"name", "must be at most 100 characters"});
    }

    out.time_zone = core::trim(time_zone);
    if (out.time_zone.empty()) {
        errors.push_back({"time_zone", "is required"});
    } else if (core::find_zone(out.time_zone) == nullptr) {
        errors.push_back({"time_zone", "unknown time zone '" + out.time_zone + "'"});
    }

    for (std::size_t i = 0; i < out.layers.size(); ++i) {
        Layer& layer = out.layers[i];
        const std::string prefix = "layers[" + std::to_string(i) + "]";
        layer.name = core::trim(layer.name);
        if (layer.name.empty()) layer.name = "Layer " + std::to_string(i + 1);
        if (layer.participants.empty()) errors.push_back({prefix + ".participants", "needs at least one person"});
        for (std::size_t j = 0; j < layer.participants.size(); ++j) {
            Participant& p = layer.participants[j];
            p.name = core::trim(p.name);
            if (p.user_id <= 0) {
                errors.push_back({prefix + ".participants[" + std::to_string(j) + "]", "user_id must be positive"});
            }
        }
        if (layer.length == Layer::Length::Hours && (layer.hours < 1 || layer.hours > kMaxShiftHours)) {
            errors.push_back({prefix + ".hours", "must be between 1 and " + std::to_string(kMaxShiftHours)});
        }
        for (std::size_t j = 0; j < layer.restrictions.size(); ++j) {
            const Restriction& r = layer.restrictions[j];
            const bool ok = r.start_day.ok() && r.end_day.ok() && r.start_time >= minutes(0) &&
                            r.start_time < kDayLength && r.end_time >= minutes(0) && r.end_time <= kDayLength;
            if (!ok) {
                errors.push_back({prefix + ".restrictions[" + std::to_string(j) + "]",
                                  "needs valid weekdays and times between 00:00 and 24:00"});
            }
        }
    }

    for (std::size_t i = 0; i < out.overrides.size(); ++i) {
        Override& o = out.overrides[i];
        const std::string prefix = "overrides[" + std::to_string(i) + "]";
        o.name = core::trim(o.name);
        if (o.user_id <= 0) errors.push_back({prefix + ".user_id", "must be positive"});
        if (o.end <= o.start) errors.push_back({prefix + ".end", "must be after the start"});
    }

    if (!errors.empty()) return core::Error::invalid("invalid schedule", std::move(errors));
    return out;
}

std::vector<Shift> shifts(const Schedule& schedule, core::UtcTime from, core::UtcTime to)
{
    std::vector<Shift> timeline;
    if (from >= to) return timeline;
    const date::time_zone& zone = core::require_zone(schedule.time_zone, "schedule");

    std::vector<std::vector<Piece>> layers;
    std::vector<core::UtcTime> boundaries{from, to};
    for (const Layer& layer : schedule.layers) {
        layers.push_back(active_pieces(layer, zone, from, to));
        for (const Piece& piece : layers.back()) {
            boundaries.push_back(piece.start);
            boundaries.push_back(piece.end);
        }
    }
    std::vector<std::pair<Interval, std::size_t>> overrides;
    for (std::size_t i = 0; i < schedule.overrides.size(); ++i) {
        const Override& o = schedule.overrides[i];
        const core::UtcTime start = std::max(o.start, from);
        const core::UtcTime end = std::min(o.end, to);
        if (start >= end) continue;
        overrides.push_back({Interval{start, end}, i});
        boundaries.push_back(start);
        boundaries.push_back(end);
    }
    std::sort(boundaries.begin(), boundaries.end());
    boundaries.erase(std::unique(boundaries.begin(), boundaries.end()), boundaries.end());

    // Every boundary of every contributor is in `boundaries`, so each elementary stretch lies wholly inside or
    // wholly outside each piece and override.
    std::vector<std::size_t> cursors(layers.size(), 0);
    for (std::size_t b = 0; b + 1 < boundaries.size(); ++b) {
        const core::UtcTime start = boundaries[b];
        const core::UtcTime end = boundaries[b + 1];
        std::optional<Participant> person;
        Origin origin = Origin::Nobody;
        std::size_t index = 0;
        for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
            if (it->first.start <= start && end <= it->first.end) {
                const Override& o = schedule.overrides[it->second];
                person = Participant{o.user_id, o.name};
                origin = Origin::Override;
                index = it->second;
                break;
            }
        }
        for (std::size_t l = layers.size(); l-- > 0;) {
            const std::vector<Piece>& pieces = layers[l];
            std::size_t& c = cursors[l];
            while (c < pieces.size() && pieces[c].end <= start)
                ++c;
            if (origin != Origin::Nobody) continue;  // keep every cursor moving
            if (c < pieces.size() && pieces[c].start <= start) {
                person = schedule.layers[l].participants[pieces[c].participant];
                origin = Origin::Layer;
                index = l;
            }
        }
        if (!timeline.empty() && same_outcome(timeline.back(), person, origin, index)) {
            timeline.back().end = end;
        } else {
            timeline.push_back(Shift{start, end, std::move(person), origin, index});
        }
    }
    return timeline;
}

std::vector<OnCall> on_call_at(const Schedule& schedule, core::UtcTime t)
{
    std::vector<OnCall> result;
    for (Shift& shift : shifts(schedule, t - kOnCallLookaround, t + kOnCallLookaround)) {
        if (shift.start <= t && t < shift.end) {
            if (shift.person)
                result.push_back(OnCall{*shift.person, shift.origin, shift.index, shift.start, shift.end});
            break;
        }
    }
    return result;
}

std::vector<Shift> shifts_for(const Schedule& schedule, std::int64_t user_id, core::UtcTime from, core::UtcTime to)
{
    std::vector<Shift> out;
    for (Shift& shift : shifts(schedule, from, to)) {
        if (shift.person && shift.person->user_id == user_id) out.push_back(std::move(shift));
    }
    return out;
}

std::vector<Gap> gaps(const Schedule& schedule, core::UtcTime from, core::UtcTime to)
{
    std::vector<Gap> out;
    for (const Shift& shift : shifts(schedule, from, to)) {
        if (!shift.person) out.push_back(Gap{shift.start, shift.end});
    }
    return out;
}

}  // namespace lifeline::schedule
