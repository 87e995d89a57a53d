#include "org/org_service.hpp"

#include "storage/async.hpp"

namespace lifeline::org {

namespace {

// Inserts a validated organization after checking its references. Runs inside a unit of work.
core::Result<OrganizationId> insert_organization(storage::Transaction& tx, const Organization& o)
{
    if (o.plan_id && !tx.plans().find(o.plan_id))
        return core::Error::invalid("the organization is not valid", {{"plan_id", "no such plan"}});
    if (o.primary_agent_id) {
        auto agent = tx.auth().find_user(o.primary_agent_id);
        if (!agent || !agent->is_staff())
            return core::Error::invalid("the organization is not valid", {{"primary_agent", "not a staff member"}});
    }
    return tx.orgs().insert(o);
}

}  // namespace

boost::asio::awaitable<core::Result<plan::SupportPlan>> OrgService::create_plan(const auth::Actor& actor,
                                                                                plan::SupportPlan input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins create support plans");
    auto valid = input.validated();
    if (!valid) co_return valid.error();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        valid->id = tx.plans().insert(*valid);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return std::move(valid).value();
}

boost::asio::awaitable<core::Result<Organization>> OrgService::create_organization(const auth::Actor& actor,
                                                                                   NewOrganization input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins create organizations");
    auto valid = input.organization.validated();
    if (!valid) co_return valid.error();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!input.primary_agent_email.empty()) {
            auto agent = tx.auth().find_user_by_email(input.primary_agent_email);
            if (!agent || !agent->is_staff())
                return core::Error::invalid(
                    "the organization is not valid",
                    {{"primary_agent", "'" + input.primary_agent_email + "' is not a staff member"}});
            valid->primary_agent_id = agent->id;
        }
        auto id = insert_organization(tx, *valid);
        if (!id) return id.error();
        valid->id = *id;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return std::move(valid).value();
}

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
        auto inserted = insert_organization(tx, *valid);
        if (!inserted) return inserted.error();
        id = *inserted;
        return core::Ok{};
    });
    if (!status) return status.error();
    return id;
}

core::Result<std::vector<Organization>> OrgService::list(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff list organizations");
    std::vector<Organization> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.orgs().list();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<std::vector<plan::SupportPlan>> OrgService::plans(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff list support plans");
    std::vector<plan::SupportPlan> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.plans().list();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

}  // namespace lifeline::org
