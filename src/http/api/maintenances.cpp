// JSON API v1 for scheduled maintenance on the status page: schedule, list, read, change, post updates, cancel.
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "status/maintenance_service.hpp"

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;
namespace st = lifeline::status;

namespace {

constexpr std::string_view kStatuses = "scheduled, in_progress, verifying, completed";

js::object update_json(const st::MaintenanceUpdate& u)
{
    return {{"id", u.id},
            {"status", st::to_string(u.status)},
            {"body", u.body},
            {"affected_components", affected_components_json(u.affected)},
            {"deliver_notifications", u.deliver_notifications},
            {"automatic", u.author_id == 0},
            {"created_at", core::format_rfc3339(u.created_at)}};
}

js::object maintenance_json(const st::MaintenanceRecord& r)
{
    const auto& m = r.maintenance;
    js::array updates;
    for (const auto& u : r.updates)
        updates.push_back(update_json(u));
    return {{"id", m.id},
            {"name", m.name},
            {"status", st::to_string(m.status)},
            {"impact", st::kMaintenanceImpact},
            {"scheduled_for", core::format_rfc3339(m.scheduled_for)},
            {"scheduled_until", core::format_rfc3339(m.scheduled_until)},
            {"component_ids", js::array(m.component_ids.begin(), m.component_ids.end())},
            {"auto_start", m.auto_start},
            {"auto_complete", m.auto_complete},
            {"auto_transition_to_maintenance_state", m.auto_transition_to_maintenance_state},
            {"auto_transition_to_operational_state", m.auto_transition_to_operational_state},
            {"cancelled", m.cancelled},
            {"created_at", core::format_rfc3339(m.created_at)},
            {"updated_at", core::format_rfc3339(m.updated_at)},
            {"started_at", time_or_null(m.started_at)},
            {"completed_at", time_or_null(m.completed_at)},
            {"updates", std::move(updates)}};
}

std::optional<bool> optional_bool(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors)
{
    if (!o.contains(key)) return std::nullopt;
    return bool_field(o, key, errors);
}

core::Result<st::MaintenanceInput> parse_maintenance(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    const auto& o = *body;
    st::MaintenanceInput in;
    if (o.contains("name")) in.name = string_field(o, "name", errors);
    in.scheduled_for = time_field(o, "scheduled_for", errors);
    in.scheduled_until = time_field(o, "scheduled_until", errors);
    if (auto it = o.find("component_ids"); it != o.end() && !it->value().is_null()) {
        std::vector<std::int64_t> ids;
        bool integers = it->value().is_array();
        if (integers)
            for (const auto& v : it->value().as_array()) {
                integers = integers && v.is_int64();
                if (integers) ids.push_back(v.as_int64());
            }
        if (!integers) errors.push_back({"component_ids", "must be an array of integers"});
        in.component_ids = std::move(ids);
    }
    in.auto_start = optional_bool(o, "auto_start", errors);
    in.auto_complete = optional_bool(o, "auto_complete", errors);
    in.auto_transition_to_maintenance_state = optional_bool(o, "auto_transition_to_maintenance_state", errors);
    in.auto_transition_to_operational_state = optional_bool(o, "auto_transition_to_operational_state", errors);
    in.body = string_field(o, "body", errors);
    in.deliver_notifications = optional_bool(o, "deliver_notifications", errors).value_or(true);
    if (!errors.empty()) return core::Error::invalid("the request is not valid", std::move(errors));
    return in;
}

core::Result<st::MaintenanceUpdateInput> parse_update(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    const auto& o = *body;
    st::MaintenanceUpdateInput in;
    auto s = st::parse_maintenance_status(string_field(o, "status", errors));
    if (!s && errors.empty()) errors.push_back({"status", "is required: one of " + std::string(kStatuses)});
    if (s) in.status = *s;
    in.body = string_field(o, "body", errors);
    in.deliver_notifications = optional_bool(o, "deliver_notifications", errors).value_or(true);
    if (!errors.empty()) return core::Error::invalid("the request is not valid", std::move(errors));
    return in;
}

// Wraps a handler of one maintenance: answers 503 without the service and 404 for a malformed id.
Handler one(Services& s,
            std::function<boost::asio::awaitable<Response>(Context&, st::MaintenanceService&, std::int64_t)> inner)
{
    return authenticated(s, [&s, inner = std::move(inner)](Context& ctx) -> boost::asio::awaitable<Response> {
        if (!s.maintenances) co_return problem(ctx, core::Error::unavailable("the status page is not running"));
        auto id = int_param(ctx, "id");
        if (!id) co_return problem(ctx, core::Error::not_found("no such maintenance"));
        auto response = co_await inner(ctx, *s.maintenances, *id);
        co_return response;
    });
}

Response answer(const Context& ctx, const core::Result<st::MaintenanceRecord>& r, status ok = status::ok)
{
    if (!r) return problem(ctx, r.error());
    return json(ctx, ok, maintenance_json(*r));
}

}  // namespace

void add_maintenance_routes(Router& router, Services& s)
{
    const std::string base = "/api/v1/status/maintenances";
    router.add(verb::get, base, authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.maintenances)
                       co_return problem(ctx, core::Error::unavailable("the status page is not running"));
                   auto all = s.maintenances->list(*ctx.actor);
                   if (!all) co_return problem(ctx, all.error());
                   js::array data;
                   for (const auto& r : *all)
                       data.push_back(maintenance_json(r));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(verb::post, base, authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.maintenances)
                       co_return problem(ctx, core::Error::unavailable("the status page is not running"));
                   auto in = parse_maintenance(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   auto r = co_await s.maintenances->schedule(*ctx.actor, std::move(*in));
                   co_return answer(ctx, r, status::created);
               }));
    router.add(verb::get, base + "/{id}",
               one(s, [](Context& ctx, st::MaintenanceService& m, std::int64_t id) -> boost::asio::awaitable<Response> {
                   co_return answer(ctx, m.get(*ctx.actor, id));
               }));
    router.add(verb::patch, base + "/{id}",
               one(s, [](Context& ctx, st::MaintenanceService& m, std::int64_t id) -> boost::asio::awaitable<Response> {
                   auto in = parse_maintenance(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   auto r = co_await m.change(*ctx.actor, id, std::move(*in));
                   co_return answer(ctx, r);
               }));
    router.add(verb::post, base + "/{id}/updates",
               one(s, [](Context& ctx, st::MaintenanceService& m, std::int64_t id) -> boost::asio::awaitable<Response> {
                   auto in = parse_update(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   auto r = co_await m.post_update(*ctx.actor, id, std::move(*in));
                   co_return answer(ctx, r, status::created);
               }));
    router.add(verb::post, base + "/{id}/cancel",
               one(s, [](Context& ctx, st::MaintenanceService& m, std::int64_t id) -> boost::asio::awaitable<Response> {
                   std::string body;
                   if (!ctx.request.body().empty()) {
                       auto o = parse_object(ctx);
                       if (!o) co_return problem(ctx, o.error());
                       std::vector<core::FieldError> errors;
                       body = string_field(*o, "body", errors);
                       if (!errors.empty())
                           co_return problem(ctx, core::Error::invalid("the request is not valid", std::move(errors)));
                   }
                   auto r = co_await m.cancel(*ctx.actor, id, std::move(body));
                   co_return answer(ctx, r);
               }));
}

}  // namespace lifeline::http::api
