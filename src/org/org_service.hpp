// Organizations and their support plans: the firm's customers and what they are promised.
#pragma once

#include "auth/user.hpp"
#include "org/organization.hpp"
#include "plan/plan.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace lifeline::org {

// An organization as given by an admin: the primary agent by email.
struct NewOrganization {
    Organization organization;
    std::string primary_agent_email;  // empty: none
};

class OrgService {
public:
    explicit OrgService(storage::Database& db) : db_(db) {}

    // Admins only. Errors: PermissionDenied, InvalidArgument (every field), Unavailable.
    boost::asio::awaitable<core::Result<plan::SupportPlan>> create_plan(const auth::Actor& actor,
                                                                        plan::SupportPlan plan);
    // Admins only. Errors: PermissionDenied, InvalidArgument (bad fields, unknown plan or agent), Conflict,
    // Unavailable.
    boost::asio::awaitable<core::Result<Organization>> create_organization(const auth::Actor& actor,
                                                                           NewOrganization input);

    // Staff only. Errors: PermissionDenied, Unavailable.
    core::Result<std::vector<Organization>> list(const auth::Actor& actor);
    core::Result<std::vector<plan::SupportPlan>> plans(const auth::Actor& actor);

    // Blocking variants for the CLI and demo seeding; never on an I/O thread.
    core::Result<plan::PlanId> create_plan_blocking(const plan::SupportPlan& plan);
    core::Result<OrganizationId> create_organization_blocking(const Organization& organization);

private:
    storage::Database& db_;
};

}  // namespace lifeline::org
