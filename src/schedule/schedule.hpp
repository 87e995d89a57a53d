// On-call schedules: layered rotations in an IANA zone, weekly restrictions and overrides, resolved into who is on
// call when. Pure values and time arithmetic; no I/O, no storage.
//
// Resolution (as PagerDuty and GoAlert do it):
//   * Layers are ordered; at any instant a later layer's active shift wins over an earlier layer's.
//   * Restrictions limit when a layer is active: outside them the layer contributes nobody and a lower layer shows
//     through. A layer without restrictions is active round the clock (from its first hand-off on).
//   * Overrides win over every layer; when overrides overlap, the later one in the list wins.
//   * Where nobody is on call the timeline has a gap, which the console and the API warn about.
//
// Local times (layer hand-offs, restriction windows) are wall-clock readings in the schedule's zone. A local time
// skipped by a spring-forward change means the first instant after the gap (02:30 on the change day in
// Europe/Berlin is 03:00 CEST); a local time repeated by a fall-back change means its earlier occurrence (02:30
// on the change day in Europe/Berlin is 02:30 CEST, not CET).
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <date/date.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::schedule {

// A person who can be on call.
struct Participant {
    std::int64_t user_id = 0;
    std::string name;
    bool operator==(const Participant&) const = default;
};

// A weekly window in local time: from start_day at start_time until the next end_day at end_time. An end at or
// before the start wraps through the week, so {Fri 18:00, Mon 08:00} spans the weekend and an end equal to the
// start means the whole week. start_time is in [00:00, 24:00); end_time is in [00:00, 24:00].
struct Restriction {
    date::weekday start_day = date::Monday;
    std::chrono::minutes start_time{0};
    date::weekday end_day = date::Monday;
    std::chrono::minutes end_time{0};
    bool operator==(const Restriction&) const = default;
};

// Parses a compact spec such as "Mon-Fri 18:00-08:00; Sat-Sun 00:00-24:00" into one restriction per day and
// period, in the order written. Days and lists work as in plan::parse_weekly_hours ("Fri-Mon" wraps, "Mon,Wed", several
// periods per day separated by commas). A period whose end is at or before its start ends on the next day, so "Mon-Fri
// 18:00-08:00" is five nights ending Tuesday to Saturday at 08:00; "24:00" may end a period. "always" or "24/7" means
// no restriction (an empty list). Errors: InvalidArgument, field "restrictions", naming the bad token.
core::Result<std::vector<Restriction>> parse_restriction_spec(std::string_view spec);

// Writes restrictions back as a spec parse_restriction_spec reads to the same windows: days with the same period are
// grouped ("Mon-Fri 18:00-08:00; Sat-Sun 00:00-24:00"); a window longer than a night is written day by day. An empty
// list is "always".
std::string format_restriction_spec(const std::vector<Restriction>& restrictions);

// One rotation: participants take turns, handing off at fixed points.
struct Layer {
    enum class Length {
        Daily,   // hand-off every day at the local time of `start` (23- or 25-hour shifts on DST change days)
        Weekly,  // hand-off every 7 days at the local weekday and time of `start`
        Hours,   // hand-off every `hours` real elapsed hours after `start` (so it drifts on the wall clock at DST)
    };

    std::string name;                       // e.g. "Primary"; validated() defaults it to "Layer N" (1-based)
    std::vector<Participant> participants;  // in turn order; the first takes the shift starting at `start`
    date::local_seconds start{};            // the first hand-off, local time in the schedule's zone
    Length length = Length::Weekly;
    int hours = 0;                          // shift length for Length::Hours, 1..8784; ignored otherwise
    std::vector<Restriction> restrictions;  // empty: active whenever a shift runs

    // Before the first hand-off the layer contributes nobody. Hand-offs count on without regard to calendar years
    // or week numbers, so a rotation runs through New Year unchanged.
};

// Someone covers the schedule for [start, end), whoever the layers say.
struct Override {
    std::int64_t user_id = 0;
    std::string name;
    core::UtcTime start{};
    core::UtcTime end{};
};

struct Schedule {
    std::int64_t id = 0;
    std::string name;
    std::string time_zone = "UTC";  // IANA name, e.g. "Europe/Berlin"
    std::vector<Layer> layers;      // lowest priority first
    std::vector<Override> overrides;

    // Trims names, defaults empty layer names, and collects every problem: a missing or overlong (over 100
    // characters) name, an unknown zone, a layer without participants, a participant or override user_id <= 0, a
    // layer of Length::Hours with hours outside 1..8784, a restriction time out of range or a weekday that is not
    // ok(), an override ending at or before its start.
    // Errors: InvalidArgument with fields "name", "time_zone", "layers[i].participants", "layers[i].participants[j]",
    // "layers[i].hours", "layers[i].restrictions[j]", "overrides[i].user_id" and "overrides[i].end".
    //
    // The queries below expect a validated schedule: an unknown zone throws std::invalid_argument.
    core::Result<Schedule> validated() const;
};

// Where a stretch of the final timeline comes from.
enum class Origin {
    Nobody,    // a gap
    Layer,     // index is the layer's position in Schedule::layers
    Override,  // index is the override's position in Schedule::overrides
};

// A stretch [start, end) of the resolved timeline with one outcome.
struct Shift {
    core::UtcTime start{};
    core::UtcTime end{};
    std::optional<Participant> person;  // nullopt for a gap
    Origin origin = Origin::Nobody;
    std::size_t index = 0;  // of the layer or override; 0 for a gap
};

// Nobody is on call during [start, end).
struct Gap {
    core::UtcTime start{};
    core::UtcTime end{};
};

// Who is on call at one instant, and the stretch of the resolved timeline they hold there.
struct OnCall {
    Participant person;
    Origin origin = Origin::Layer;
    std::size_t index = 0;
    core::UtcTime start{};  // as in shifts(): merged while the same person continues from the same origin,
    core::UtcTime end{};    // looked up at most kOnCallLookaround either side of t (and clipped there)
};

inline constexpr std::chrono::days kOnCallLookaround{42};

// The instant a local wall-clock reading in `time_zone` names, by the rules above (a skipped reading is the first
// instant after the gap, a repeated one its earlier occurrence). Throws std::invalid_argument for an unknown zone.
core::UtcTime local_to_utc(const std::string& time_zone, date::local_seconds local);
// The wall-clock reading in `time_zone` at t (to the second). Throws std::invalid_argument for an unknown zone.
date::local_seconds utc_to_local(const std::string& time_zone, core::UtcTime t);

// Who is on call at t: empty when nobody is (a gap), otherwise exactly one entry (the override, or the winning
// layer's person). A vector so that shifts with several people can be added without changing callers.
std::vector<OnCall> on_call_at(const Schedule& schedule, core::UtcTime t);

// The resolved timeline over [from, to) as contiguous stretches covering it exactly, gaps included, clipped to
// [from, to). Neighbouring stretches are merged when the same person continues from the same origin (the same
// layer or the same override), so a one-person layer yields one stretch. Empty when from >= to.
// Walks hand-off and restriction boundaries, so the cost grows with their number, not with the length of time.
std::vector<Shift> shifts(const Schedule& schedule, core::UtcTime from, core::UtcTime to);

// The stretches of shifts(schedule, from, to) held by user_id, in time order.
std::vector<Shift> shifts_for(const Schedule& schedule, std::int64_t user_id, core::UtcTime from, core::UtcTime to);

// The gaps of shifts(schedule, from, to): when nobody is on call. A schedule without layers or overrides is one gap.
std::vector<Gap> gaps(const Schedule& schedule, core::UtcTime from, core::UtcTime to);

}  // namespace lifeline::schedule
