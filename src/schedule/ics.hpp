// iCalendar (RFC 5545) feeds of on-call shifts, generated with libical.
#pragma once

#include "schedule/schedule.hpp"

#include <string>
#include <vector>

namespace lifeline::schedule {

// A VCALENDAR with one VEVENT per shift that has a person (gaps are left out), times in UTC. Each event's UID is
// stable for the same schedule, person and start, so calendar clients update rather than duplicate it.
// `host` names the desk in the UIDs (e.g. "desk.example").
std::string shifts_to_ics(const Schedule& schedule, const std::vector<Shift>& shifts, const std::string& host,
                          core::UtcTime generated_at);

}  // namespace lifeline::schedule
