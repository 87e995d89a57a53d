// JSON API v1 for the directory: support plans, organizations and people (admin set-up).
#include "core/text.hpp"
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

#include <cstdio>

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;

namespace {

std::string format_day(const date::year_month_day& d)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

std::optional<date::year_month_day> parse_day(const std::string& text)
{
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
    date::year_month_day day{date::year{y}, date::month{m}, date::day{d}};
    if (!day.ok()) return std::nullopt;
    return day;
}

js::object plan_json(const plan::SupportPlan& p)
{
    js::object targets;
    for (auto priority : {plan::Priority::P1, plan::Priority::P2, plan::Priority::P3, plan::Priority::P4}) {
        const auto& t = p.targets_for(priority);
        targets[plan::to_string(priority)] = js::object{{"first_response_minutes", t.first_response.count()},
                                                        {"resolution_minutes", t.resolution.count()}};
    }
    js::array holidays;
    for (const auto& d : p.calendar.holidays)
        holidays.emplace_back(format_day(d));
    return {{"id", p.id.value},
            {"name", p.name},
            {"time_zone", p.calendar.time_zone},
            {"hours", plan::format_weekly_hours(p.calendar.hours)},
            {"holidays", std::move(holidays)},
            {"after_hours_emergency", p.after_hours_emergency},
            {"emergency_phone", p.emergency_phone},
            {"targets", std::move(targets)}};
}

js::object organization_json(const org::Organization& o)
{
    js::array domains;
    for (const auto& d : o.email_domains)
        domains.emplace_back(d);
    return {{"id", o.id.value},
            {"name", o.name},
            {"slug", o.slug},
            {"email_domains", std::move(domains)},
            {"plan_id", o.plan_id ? js::value(o.plan_id.value) : js::value(nullptr)},
            {"primary_agent_id", o.primary_agent_id ? js::value(o.primary_agent_id.value) : js::value(nullptr)}};
}

js::object person_json(const auth::User& u)
{
    return {{"id", u.id.value},
            {"email", u.email},
            {"name", u.name},
            {"role", auth::to_string(u.role)},
            {"organization_id", u.organization_id ? js::value(u.organization_id.value) : js::value(nullptr)},
            {"phone", u.phone}};
}

boost::asio::awaitable<Response> create_plan(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    plan::SupportPlan p;
    p.name = string_field(*body, "name", errors);
    p.calendar.time_zone = string_field(*body, "time_zone", errors);
    auto hours = string_field(*body, "hours", errors);
    if (auto parsed = plan::parse_weekly_hours(hours)) {
        p.calendar.hours = *parsed;
    } else {
        errors.insert(errors.end(), parsed.error().fields().begin(), parsed.error().fields().end());
    }
    for (const auto& text : strings_field(*body, "holidays", errors)) {
        if (auto d = parse_day(text))
            p.calendar.holidays.push_back(*d);
        else
            errors.push_back({"holidays", "'" + text + "' is not a date (YYYY-MM-DD)"});
    }
    p.after_hours_emergency = bool_field(*body, "after_hours_emergency", errors);
    p.emergency_phone = string_field(*body, "emergency_phone", errors);
    auto targets = body->find("targets");
    if (targets == body->end() || !targets->value().is_object()) {
        errors.push_back(
            {"targets", "is required: {\"P1\": {\"first_response_minutes\": 15, \"resolution_minutes\": 240}, …}"});
    } else {
        for (auto priority : {plan::Priority::P1, plan::Priority::P2, plan::Priority::P3, plan::Priority::P4}) {
            std::string key(plan::to_string(priority));
            auto t = targets->value().as_object().find(key);
            if (t == targets->value().as_object().end() || !t->value().is_object()) {
                errors.push_back({"targets." + key, "is required"});
                continue;
            }
            auto& slot = p.targets[static_cast<int>(priority) - 1];
            auto path = "targets." + key + ".";
            slot.first_response =
                std::chrono::minutes(integer_field(t->value().as_object(), "first_response_minutes", errors, path));
            slot.resolution =
                std::chrono::minutes(integer_field(t->value().as_object(), "resolution_minutes", errors, path));
        }
    }
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the plan is not valid", std::move(errors)));
    auto created = co_await s.orgs.create_plan(*ctx.actor, std::move(p));
    if (!created) co_return problem(ctx, created.error());
    co_return json(ctx, status::created, plan_json(*created));
}

boost::asio::awaitable<Response> list_plans(Services& s, Context& ctx)
{
    auto plans = s.orgs.plans(*ctx.actor);
    if (!plans) co_return problem(ctx, plans.error());
    js::array data;
    for (const auto& p : *plans)
        data.push_back(plan_json(p));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> create_organization(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    org::NewOrganization input;
    input.organization.name = string_field(*body, "name", errors);
    input.organization.slug = string_field(*body, "slug", errors);
    input.organization.email_domains = strings_field(*body, "email_domains", errors);
    input.organization.plan_id = plan::PlanId{integer_field(*body, "plan_id", errors)};
    input.primary_agent_email = core::ascii_lower(core::trim(string_field(*body, "primary_agent", errors)));
    if (!errors.empty())
        co_return problem(ctx, core::Error::invalid("the organization is not valid", std::move(errors)));
    auto created = co_await s.orgs.create_organization(*ctx.actor, std::move(input));
    if (!created) co_return problem(ctx, created.error());
    co_return json(ctx, status::created, organization_json(*created));
}

boost::asio::awaitable<Response> list_organizations(Services& s, Context& ctx)
{
    auto orgs = s.orgs.list(*ctx.actor);
    if (!orgs) co_return problem(ctx, orgs.error());
    js::array data;
    for (const auto& o : *orgs)
        data.push_back(organization_json(o));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> create_person(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auth::User u;
    u.email = string_field(*body, "email", errors);
    u.name = string_field(*body, "name", errors);
    u.phone = string_field(*body, "phone", errors);
    auto role = string_field(*body, "role", errors);
    if (role.empty()) role = "contact";
    if (auto r = auth::parse_role(role))
        u.role = *r;
    else
        errors.push_back({"role", "must be admin, agent or contact"});
    auto organization = string_field(*body, "organization", errors);
    auto password = string_field(*body, "password", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the person is not valid", std::move(errors)));
    auto created = co_await s.auth.create_user(*ctx.actor, std::move(u), std::move(organization), std::move(password));
    if (!created) co_return problem(ctx, created.error());
    co_return json(ctx, status::created, person_json(*created));
}

boost::asio::awaitable<Response> list_staff(Services& s, Context& ctx)
{
    auto staff = s.auth.staff(*ctx.actor);
    if (!staff) co_return problem(ctx, staff.error());
    js::array data;
    for (const auto& u : *staff)
        data.push_back(person_json(u));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

}  // namespace

void add_directory_routes(Router& router, Services& s)
{
    router.add(verb::get, "/api/v1/plans", authenticated(s, [&s](Context& ctx) { return list_plans(s, ctx); }));
    router.add(verb::post, "/api/v1/plans", authenticated(s, [&s](Context& ctx) { return create_plan(s, ctx); }));
    router.add(verb::get, "/api/v1/organizations",
               authenticated(s, [&s](Context& ctx) { return list_organizations(s, ctx); }));
    router.add(verb::post, "/api/v1/organizations",
               authenticated(s, [&s](Context& ctx) { return create_organization(s, ctx); }));
    router.add(verb::get, "/api/v1/staff", authenticated(s, [&s](Context& ctx) { return list_staff(s, ctx); }));
    router.add(verb::post, "/api/v1/people", authenticated(s, [&s](Context& ctx) { return create_person(s, ctx); }));
}

}  // namespace lifeline::http::api
