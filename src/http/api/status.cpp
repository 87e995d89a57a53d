// JSON API v1 for the status page: components and groups, and publishing public incidents with their updates.
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "status/status_service.hpp"

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;
using Kind = lifeline::status::StatusService::Kind;
namespace st = lifeline::status;

namespace {

js::object component_json(const st::Component& c)
{
    js::object o{{"id", c.id},
                 {"name", c.name},
                 {"description", c.description},
                 {"position", c.position},
                 {"showcase", c.showcase},
                 {"only_show_if_degraded", c.only_show_if_degraded},
                 {"created_at", core::format_rfc3339(c.created_at)},
                 {"updated_at", core::format_rfc3339(c.updated_at)}};
    if (!c.is_group) {
        o["group_id"] = c.group_id ? js::value(*c.group_id) : js::value(nullptr);
        o["status"] = st::to_string(c.status);
    }
    return o;
}

js::object update_json(const st::PublicUpdate& u)
{
    return {{"id", u.id},
            {"status", st::to_string(u.status)},
            {"body", u.body},
            {"affected_components", affected_components_json(u.affected)},
            {"next_update_at", time_or_null(u.next_update_at)},
            {"deliver_notifications", u.deliver_notifications},
            {"created_at", core::format_rfc3339(u.created_at)}};
}

js::object incident_json(const st::IncidentRecord& r)
{
    const auto& i = r.incident;
    js::array components(i.component_ids.begin(), i.component_ids.end());
    js::array updates;
    for (const auto& u : r.updates)
        updates.push_back(update_json(u));
    return {{"id", i.id},
            {"incident_id", i.internal_incident_id ? js::value(*i.internal_incident_id) : js::value(nullptr)},
            {"name", i.name},
            {"status", st::to_string(i.status)},
            {"impact", st::to_string(i.impact)},
            {"component_ids", std::move(components)},
            {"created_at", core::format_rfc3339(i.created_at)},
            {"updated_at", core::format_rfc3339(i.updated_at)},
            {"started_at", core::format_rfc3339(i.started_at)},
            {"monitoring_at", time_or_null(i.monitoring_at)},
            {"resolved_at", time_or_null(i.resolved_at)},
            {"updates", std::move(updates)}};
}

// An enum field: absent → nullopt; present and not one of the words → a field error.
template <class T>
std::optional<T> enum_field(const js::object& o, std::string_view key, std::optional<T> (*parse)(std::string_view),
                            std::string_view words, std::vector<core::FieldError>& errors)
{
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    std::optional<T> v;
    if (it->value().is_string()) v = parse(it->value().as_string());
    if (!v) errors.push_back({std::string(key), "is one of " + std::string(words)});
    return v;
}

constexpr std::string_view kComponentStatuses =
    "operational, degraded_performance, partial_outage, major_outage, under_maintenance";
constexpr std::string_view kImpacts = "none, minor, major, critical";
constexpr std::string_view kIncidentStatuses = "investigating, identified, monitoring, resolved, postmortem";

core::Result<st::ComponentInput> parse_component(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    st::ComponentInput in;
    const auto& o = *body;
    if (o.contains("name")) in.name = string_field(o, "name", errors);
    if (o.contains("description")) in.description = string_field(o, "description", errors);
    if (o.contains("position")) in.position = static_cast<int>(integer_field(o, "position", errors));
    if (o.contains("group_id")) {
        auto id = integer_field(o, "group_id", errors);
        in.group_id = id ? std::optional<std::int64_t>(id) : std::nullopt;
    }
    in.status = enum_field<st::ComponentStatus>(o, "status", st::parse_component_status, kComponentStatuses, errors);
    if (o.contains("showcase")) in.showcase = bool_field(o, "showcase", errors);
    if (o.contains("only_show_if_degraded")) in.only_show_if_degraded = bool_field(o, "only_show_if_degraded", errors);
    if (!errors.empty()) return core::Error::invalid("the request is not valid", std::move(errors));
    return in;
}

// Reads "components": [{"id", "status"}].
std::vector<st::ComponentChange> changes_field(const js::object& o, std::vector<core::FieldError>& errors)
{
    std::vector<st::ComponentChange> out;
    auto it = o.find("components");
    if (it == o.end() || it->value().is_null()) return out;
    if (!it->value().is_array()) {
        errors.push_back({"components", "must be an array of {id, status}"});
        return out;
    }
    for (const auto& v : it->value().as_array()) {
        if (!v.is_object()) {
            errors.push_back({"components", "must be an array of {id, status}"});
            return {};
        }
        st::ComponentChange change;
        change.component_id = integer_field(v.as_object(), "id", errors, "components.");
        auto s = enum_field<st::ComponentStatus>(v.as_object(), "status", st::parse_component_status,
                                                 kComponentStatuses, errors);
        if (!s) {
            if (errors.empty()) errors.push_back({"components.status", "is required"});
            return {};
        }
        change.status = *s;
        out.push_back(change);
    }
    return out;
}

// A publish request; "backfilled": true with "started_at" and "resolved_at" records a past incident instead.
struct PublishRequest {
    bool backfilled = false;
    st::BackfillInput backfill;  // its `incident` is the publish input either way
};

core::Result<PublishRequest> parse_publish(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    const auto& o = *body;
    st::PublishInput in;
    if (auto id = integer_field(o, "incident_id", errors)) in.internal_incident_id = id;
    in.name = string_field(o, "name", errors);
    in.body = string_field(o, "body", errors);
    in.impact = enum_field<st::Impact>(o, "impact", st::parse_impact, kImpacts, errors).value_or(st::Impact::Minor);
    in.status = enum_field<st::IncidentStatus>(o, "status", st::parse_incident_status, kIncidentStatuses, errors)
                    .value_or(st::IncidentStatus::Investigating);
    in.component_status =
        enum_field<st::ComponentStatus>(o, "component_status", st::parse_component_status, kComponentStatuses, errors)
            .value_or(st::ComponentStatus::MajorOutage);
    if (auto it = o.find("component_ids"); it != o.end() && !it->value().is_null()) {
        if (!it->value().is_array()) {
            errors.push_back({"component_ids", "must be an array of integers"});
        } else {
            for (const auto& v : it->value().as_array()) {
                if (!v.is_int64()) {
                    errors.push_back({"component_ids", "must be an array of integers"});
                    break;
                }
                in.component_ids.push_back(v.as_int64());
            }
        }
    }
    in.next_update_at = time_field(o, "next_update_at", errors);
    in.deliver_notifications = !o.contains("deliver_notifications") || bool_field(o, "deliver_notifications", errors);
    PublishRequest out;
    out.backfilled = o.contains("backfilled") && bool_field(o, "backfilled", errors);
    if (out.backfilled) {
        auto started = time_field(o, "started_at", errors);
        auto resolved = time_field(o, "resolved_at", errors);
        if (!started && o.find("started_at") == o.end()) errors.push_back({"started_at", "is required to backfill"});
        if (!resolved && o.find("resolved_at") == o.end()) errors.push_back({"resolved_at", "is required to backfill"});
        out.backfill.started_at = started.value_or(core::UtcTime{});
        out.backfill.resolved_at = resolved.value_or(core::UtcTime{});
    }
    if (!errors.empty()) return core::Error::invalid("the request is not valid", std::move(errors));
    out.backfill.incident = std::move(in);
    return out;
}

core::Result<st::UpdateInput> parse_update(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    const auto& o = *body;
    st::UpdateInput in;
    auto s = enum_field<st::IncidentStatus>(o, "status", st::parse_incident_status, kIncidentStatuses, errors);
    if (!s && errors.empty()) errors.push_back({"status", "is required: " + std::string(kIncidentStatuses)});
    if (s) in.status = *s;
    in.body = string_field(o, "body", errors);
    in.impact = enum_field<st::Impact>(o, "impact", st::parse_impact, kImpacts, errors);
    in.components = changes_field(o, errors);
    in.next_update_at = time_field(o, "next_update_at", errors);
    in.deliver_notifications = !o.contains("deliver_notifications") || bool_field(o, "deliver_notifications", errors);
    if (!errors.empty()) return core::Error::invalid("the request is not valid", std::move(errors));
    return in;
}

Response no_content(const Context& ctx)
{
    Response res{status::no_content, ctx.request.version()};
    res.set(beast_http::field::server, "lifeline");
    res.set("X-Request-Id", ctx.request_id);
    res.prepare_payload();
    return res;
}

Response unavailable(const Context& ctx)
{
    return problem(ctx, core::Error::unavailable("the status page is not running"));
}

void add_kind_routes(Router& router, Services& s, Kind kind, const std::string& base)
{
    router.add(verb::get, base, authenticated(s, [&s, kind](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto all = s.status->list(*ctx.actor, kind);
                   if (!all) co_return problem(ctx, all.error());
                   js::array data;
                   for (const auto& c : *all) {
                       auto o = component_json(c);
                       if (kind == Kind::Group) {
                           js::array members;
                           auto comps = s.status->list(*ctx.actor, Kind::Component);
                           if (comps)
                               for (const auto& m : *comps)
                                   if (m.group_id == c.id) members.push_back(m.id);
                           o["component_ids"] = std::move(members);
                       }
                       data.push_back(std::move(o));
                   }
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(verb::post, base, authenticated(s, [&s, kind](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto in = parse_component(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   auto c = co_await s.status->create(*ctx.actor, kind, std::move(*in));
                   if (!c) co_return problem(ctx, c.error());
                   co_return json(ctx, status::created, component_json(*c));
               }));
    router.add(verb::get, base + "/{id}",
               authenticated(s, [&s, kind](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such component"));
                   auto c = s.status->get(*ctx.actor, kind, *id);
                   if (!c) co_return problem(ctx, c.error());
                   co_return json(ctx, status::ok, component_json(*c));
               }));
    router.add(verb::patch, base + "/{id}",
               authenticated(s, [&s, kind](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such component"));
                   auto in = parse_component(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   auto c = co_await s.status->change(*ctx.actor, kind, *id, std::move(*in));
                   if (!c) co_return problem(ctx, c.error());
                   co_return json(ctx, status::ok, component_json(*c));
               }));
    router.add(verb::delete_, base + "/{id}",
               authenticated(s, [&s, kind](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such component"));
                   auto done = co_await s.status->remove(*ctx.actor, kind, *id);
                   if (!done) co_return problem(ctx, done.error());
                   co_return no_content(ctx);
               }));
}

js::object link_json(const st::MonitorLink& l)
{
    return {
        {"component_id", l.component_id}, {"monitor_id", l.monitor_id}, {"down_status", st::to_string(l.down_status)}};
}

// The link a component follows: PUT sets it, DELETE drops it; GET on the collection lists every link.
void add_monitor_link_routes(Router& router, Services& s)
{
    router.add(verb::get, "/api/v1/status/monitor-links",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto all = s.status->monitor_links(*ctx.actor);
                   if (!all) co_return problem(ctx, all.error());
                   js::array data;
                   for (const auto& l : *all)
                       data.push_back(link_json(l));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(verb::put, "/api/v1/status/components/{id}/monitor",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such component"));
                   auto body = parse_object(ctx);
                   if (!body) co_return problem(ctx, body.error());
                   std::vector<core::FieldError> errors;
                   st::MonitorLink link;
                   link.component_id = *id;
                   link.monitor_id = integer_field(*body, "monitor_id", errors);
                   if (errors.empty() && link.monitor_id <= 0) errors.push_back({"monitor_id", "is required"});
                   link.down_status = enum_field<st::ComponentStatus>(*body, "down_status", st::parse_component_status,
                                                                      kComponentStatuses, errors)
                                          .value_or(st::ComponentStatus::MajorOutage);
                   if (!errors.empty())
                       co_return problem(ctx, core::Error::invalid("the request is not valid", std::move(errors)));
                   auto done = co_await s.status->link_monitor(*ctx.actor, link);
                   if (!done) co_return problem(ctx, done.error());
                   co_return json(ctx, status::ok, link_json(*done));
               }));
    router.add(verb::delete_, "/api/v1/status/components/{id}/monitor",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such component"));
                   auto done = co_await s.status->unlink_monitor(*ctx.actor, *id);
                   if (!done) co_return problem(ctx, done.error());
                   co_return no_content(ctx);
               }));
}

}  // namespace

js::array affected_components_json(const std::vector<st::AffectedComponent>& affected)
{
    js::array out;
    for (const auto& a : affected)
        out.push_back(js::object{{"id", a.component_id},
                                 {"name", a.name},
                                 {"old_status", st::to_string(a.old_status)},
                                 {"new_status", st::to_string(a.new_status)}});
    return out;
}

void add_status_routes(Router& router, Services& s)
{
    add_kind_routes(router, s, Kind::Component, "/api/v1/status/components");
    add_kind_routes(router, s, Kind::Group, "/api/v1/status/groups");
    add_monitor_link_routes(router, s);
    add_maintenance_routes(router, s);
    router.add(verb::get, "/api/v1/status/incidents",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto all = s.status->incidents(*ctx.actor);
                   if (!all) co_return problem(ctx, all.error());
                   js::array data;
                   for (const auto& r : *all)
                       data.push_back(incident_json(r));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(verb::post, "/api/v1/status/incidents",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto in = parse_publish(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   core::Result<st::IncidentRecord> r = core::Error::internal("not published");
                   if (in->backfilled)
                       r = co_await s.status->backfill(*ctx.actor, std::move(in->backfill));
                   else
                       r = co_await s.status->publish(*ctx.actor, std::move(in->backfill.incident));
                   if (!r) co_return problem(ctx, r.error());
                   co_return json(ctx, status::created, incident_json(*r));
               }));
    router.add(verb::get, "/api/v1/status/incidents/{id}",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such incident"));
                   auto r = s.status->incident(*ctx.actor, *id);
                   if (!r) co_return problem(ctx, r.error());
                   co_return json(ctx, status::ok, incident_json(*r));
               }));
    router.add(verb::post, "/api/v1/status/incidents/{id}/updates",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.status) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such incident"));
                   auto in = parse_update(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   auto r = co_await s.status->post_update(*ctx.actor, *id, std::move(*in));
                   if (!r) co_return problem(ctx, r.error());
                   co_return json(ctx, status::created, incident_json(*r));
               }));
}

}  // namespace lifeline::http::api
