// iCalendar (RFC 5545) feeds, generated with libical: on-call shifts here, and any other list of timed events (the
// status page's scheduled maintenance) through events_to_ics.
#pragma once

#include "schedule/schedule.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lifeline::schedule {

// One VEVENT. Times are written in UTC.
struct CalendarEvent {
    std::string uid;  // stable across feeds, so calendar clients update rather than duplicate the event
    std::string summary;
    std::string description;  // empty: none
    std::string url;          // empty: none
    core::UtcTime start{};
    core::UtcTime end{};
    bool cancelled = false;  // STATUS:CANCELLED
};

// A VCALENDAR (METHOD:PUBLISH) with PRODID `product`, named `name` (X-WR-CALNAME), holding `events`.
std::string events_to_ics(std::string_view product, std::string_view name, const std::vector<CalendarEvent>& events,
                          core::UtcTime generated_at);

// A VCALENDAR with one VEVENT per shift that has a person (gaps are left out), times in UTC. Each event's UID is
// stable for the same schedule, person and start, so calendar clients update rather than duplicate it.
// `host` names the desk in the UIDs (e.g. "desk.example").
std::string shifts_to_ics(const Schedule& schedule, const std::vector<Shift>& shifts, const std::string& host,
                          core::UtcTime generated_at);

}  // namespace lifeline::schedule
