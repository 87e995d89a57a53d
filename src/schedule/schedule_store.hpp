// Storage interface for on-call schedules. Implementations live in storage/<backend>/.
#pragma once

#include "schedule/schedule.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::schedule {

class ScheduleStore {
public:
    virtual ~ScheduleStore() = default;
    // Inserts a validated schedule. Errors: Conflict when the name is taken.
    virtual core::Result<std::int64_t> insert(const Schedule& schedule, core::UtcTime now) = 0;
    virtual std::optional<Schedule> find(std::int64_t id) = 0;
    virtual std::vector<Schedule> list() = 0;
    // Replaces the name, zone, layers and overrides of schedule.id (the feed token stays).
    // Errors: NotFound when there is no such schedule, Conflict when another schedule has the name.
    virtual core::Status update(const Schedule& schedule) = 0;
    // Deletes the schedule. False when there is no such schedule.
    virtual bool remove(std::int64_t id) = 0;
    // Replaces the schedule's feed token hash. False when there is no such schedule.
    virtual bool set_feed_token_hash(std::int64_t id, std::string_view hash) = 0;
    virtual std::optional<Schedule> find_by_feed_token_hash(std::string_view hash) = 0;
};

}  // namespace lifeline::schedule
