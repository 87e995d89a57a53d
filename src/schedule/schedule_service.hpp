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
    // With `now`: when that person stops being on call (someone else takes over, or a gap starts), looked up at
    // most kOnCallLookaround ahead (and clipped there).
    core::UtcTime until{};
    // The next stretch held by someone other than `now`'s person (anyone, during a gap), within kOnCallLookaround;
    // nullopt when there is none.
    std::optional<Shift> next;
    std::vector<Gap> upcoming_gaps;  // within 7 days of the instant asked about
};

// Whether update() replaces the schedule's overrides with the input's, or keeps the stored ones (the console's
// edit form, which manages overrides on their own).
enum class Overrides { Replace, Keep };

class ScheduleService {
public:
    ScheduleService(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    // Admins only. Emails must name staff. Errors: PermissionDenied, InvalidArgument (every field), Conflict,
    // Unavailable.
    boost::asio::awaitable<core::Result<Schedule>> create(const auth::Actor& actor, ScheduleInput input);
    // Admins only. Replaces the name, zone, layers and (with Overrides::Replace) overrides, validated as create()
    // validates. The feed address stays. Errors: PermissionDenied, NotFound, InvalidArgument (every field), Conflict
    // (the name is taken), Unavailable.
    boost::asio::awaitable<core::Result<Schedule>>
    update(const auth::Actor& actor, std::int64_t id, ScheduleInput input, Overrides overrides = Overrides::Replace);
    // Admins only. Errors: PermissionDenied, NotFound, Unavailable.
    boost::asio::awaitable<core::Status> remove(const auth::Actor& actor, std::int64_t id);
    // Admins only. Appends one override (it wins over earlier ones where they overlap). Errors: PermissionDenied,
    // NotFound, InvalidArgument (fields "user" for an email that is not staff, "end" for an end at or before the
    // start), Unavailable.
    boost::asio::awaitable<core::Result<Schedule>> add_override(const auth::Actor& actor, std::int64_t id,
                                                                OverrideInput input);
    // Admins only. Removes the override at `index` (0-based, as in Schedule::overrides). Errors: PermissionDenied,
    // NotFound (no such schedule or override), Unavailable.
    boost::asio::awaitable<core::Result<Schedule>> remove_override(const auth::Actor& actor, std::int64_t id,
                                                                   std::size_t index);

    // Staff only. Errors: PermissionDenied, NotFound, Unavailable.
    core::Result<Schedule> get(const auth::Actor& actor, std::int64_t id);
    core::Result<std::vector<Schedule>> list(const auth::Actor& actor);
    core::Result<OnCallAnswer> on_call(const auth::Actor& actor, std::int64_t id, core::UtcTime at);
    // on_call() for every schedule, ordered by name. Errors: PermissionDenied, Unavailable.
    core::Result<std::vector<OnCallAnswer>> overview(const auth::Actor& actor, core::UtcTime at);
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
