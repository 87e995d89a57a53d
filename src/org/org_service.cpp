#include "org/org_service.hpp"

namespace lifeline::org {

core::Result<plan::PlanId> OrgService::create_plan_blocking(const plan::SupportPlan& input)
{
    auto valid = input.validated();
    if (!valid) return valid.error();
    plan::PlanId id;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        id = tx.plans().insert(*valid);
        return core::Ok{};
    });
    if (!status) return status.error();
    return id;
}

core::Result<OrganizationId> OrgService::create_organization_blocking(const Organization& input)
{
    auto valid = input.validated();
    if (!valid) return valid.error();
    OrganizationId id;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        if (valid->plan_id && !tx.plans().find(valid->plan_id))
            return core::Error::invalid("the organization is not valid", {{"plan", "no such plan"}});
        if (valid->primary_agent_id) {
            auto agent = tx.auth().find_user(valid->primary_agent_id);
            if (!agent || !agent->is_staff())
                return core::Error::invalid("the organization is not valid", {{"primary_agent", "not a staff member"}});
        }
        auto inserted = tx.orgs().insert(*valid);
        if (!inserted) return inserted.error();
        id = *inserted;
        return core::Ok{};
    });
    if (!status) return status.error();
    return id;
}

core::Result<std::vector<Organization>> OrgService::list()
{
    std::vector<Organization> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.orgs().list();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<std::vector<plan::SupportPlan>> OrgService::plans()
{
    std::vector<plan::SupportPlan> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.plans().list();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

}  // namespace lifeline::org
