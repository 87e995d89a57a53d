// Storage interface for support plans. Implementations live in storage/<backend>/.
#pragma once

#include "plan/plan.hpp"

#include <optional>
#include <vector>

namespace lifeline::plan {

class PlanStore {
public:
    virtual ~PlanStore() = default;
    // Inserts a validated plan with its targets and holidays; returns its id.
    virtual PlanId insert(const SupportPlan& plan) = 0;
    virtual std::optional<SupportPlan> find(PlanId id) = 0;
    virtual std::vector<SupportPlan> list() = 0;
};

}  // namespace lifeline::plan
