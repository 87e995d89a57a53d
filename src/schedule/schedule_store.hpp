// Storage interface for on-call schedules. Implementations live in storage/<backend>/.
#pragma once

#include "schedule/schedule.hpp"

#include <optional>
#include <vector>

namespace lifeline::schedule {

class ScheduleStore {
public:
    virtual ~ScheduleStore() = default;
    // Inserts a validated schedule. Errors: Conflict when the name is taken.
    virtual core::Result<std::int64_t> insert(const Schedule& schedule, core::UtcTime now) = 0;
    virtual std::optional<Schedule> find(std::int64_t id) = 0;
    virtual std::vector<Schedule> list() = 0;
};

}  // namespace lifeline::schedule
