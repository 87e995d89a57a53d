// Schedule use-cases: admins define rotations by people's emails; staff ask who is on call and when.
#pragma once

#include "auth/user.hpp"
#include "schedule/schedule.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace lifeline::schedule {

struct LayerInput {
    std::string name;
    std::vector<std::string> participant_emails;  // staff, in turn order
    date::local_seconds start{};                  // first hand-off, local time in the schedule's zone
    Layer::Length length = Layer::Length::Weekly;
    int hours = 0;
    std::string restrictions;  // e.g. "Mon-Fri 18:00-08:00"; empty: always
};

struct OverrideInput {
    std::string email;
    core::UtcTime start{};
    core::UtcTime end{};
};

struct ScheduleInput {
    std::string name;
    std::string time_zone;
    std::vector<LayerInput> layers;
    std::vector<OverrideInput> overrides;
};

// Who is on call at an instant, and the holes in the coming week that the console and API warn about.
struct OnCallAnswer {
    Schedule schedule;
    std::optional<OnCall> now;
    std::vector<Gap> upcoming_gaps;  // within 7 days of the instant asked about
};

class ScheduleService {
public:
    ScheduleService(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    // Admins only. Emails must name staff. Errors: PermissionDenied, InvalidArgument (every field), Conflict,
    // Unavailable.
    boost::asio::awaitable<core::Result<Schedule>> create(const auth::Actor& actor, ScheduleInput input);
    // Staff only. Errors: PermissionDenied, NotFound, Unavailable.
    core::Result<std::vector<Schedule>> list(const auth::Actor& actor);
    core::Result<OnCallAnswer> on_call(const auth::Actor& actor, std::int64_t id, core::UtcTime at);
    // At most 93 days. Errors: also InvalidArgument for a bad range.
    core::Result<std::vector<Shift>> shifts(const auth::Actor& actor, std::int64_t id, core::UtcTime from,
                                            core::UtcTime to);

    // Issues a new secret feed token (replacing the previous one) and returns it; shown once, stored hashed.
    // Staff only. Errors: PermissionDenied, NotFound, Unavailable.
    boost::asio::awaitable<core::Result<std::string>> create_feed_token(const auth::Actor& actor, std::int64_t id);
    // The iCalendar feed for the schedule whose token this is: shifts from 7 days ago to 60 days ahead, optionally
    // only one person's (user_id > 0). The token is the credential. Errors: NotFound, Unavailable.
    core::Result<std::string> feed(std::string_view token, std::int64_t user_id, const std::string& host);

private:
    core::Result<Schedule> load(const auth::Actor& actor, std::int64_t id);
    storage::Database& db_;
    const core::Clock& clock_;
};

// "2026-11-23T09:00" or "2026-11-23T09:00:00": a local date and time without zone. nullopt when malformed.
std::optional<date::local_seconds> parse_local_time(std::string_view text);

}  // namespace lifeline::schedule
