// Organizations and their support plans: the firm's customers and what they are promised.
#pragma once

#include "org/organization.hpp"
#include "plan/plan.hpp"
#include "storage/database.hpp"

#include <vector>

namespace lifeline::org {

class OrgService {
public:
    explicit OrgService(storage::Database& db) : db_(db) {}

    // Blocking; for the CLI and seeding. Errors: InvalidArgument, Unavailable.
    core::Result<plan::PlanId> create_plan_blocking(const plan::SupportPlan& plan);
    // Blocking. Errors: InvalidArgument (bad fields, unknown plan or primary agent), Conflict, Unavailable.
    core::Result<OrganizationId> create_organization_blocking(const Organization& organization);

    core::Result<std::vector<Organization>> list();
    core::Result<std::vector<plan::SupportPlan>> plans();

private:
    storage::Database& db_;
};

}  // namespace lifeline::org
