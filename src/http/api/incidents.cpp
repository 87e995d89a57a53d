// Incident command over the API: declare, assess, hand over, post to the technical log or the business channel,
// link tickets and alerts, timebox diagnostic steps, change status, and the debrief with its action items.
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "incident/incident_service.hpp"

#include <boost/json.hpp>

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;
using namespace incident;

namespace {

js::value ms_or_null(const std::optional<std::chrono::milliseconds>& d)
{
    if (!d) return nullptr;
    return d->count() / 1000;
}

js::object incident_json(const Incident& i)
{
    js::array orgs, components;
    for (auto o : i.impact.organization_ids)
        orgs.push_back(o);
    for (const auto& c : i.impact.components)
        components.push_back(js::value(c));
    auto d = durations(i);
    return {{"id", i.id},
            {"title", i.title},
            {"status", to_string(i.status)},
            {"severity", to_string(i.severity)},
            {"severity_reason", i.severity_reason},
            {"proposed_severity", to_string(i.proposed_severity)},
            {"severity_override_reason", i.severity_override_reason},
            {"impact",
             {{"organization_ids", std::move(orgs)},
              {"users", i.impact.users},
              {"users_estimated", i.impact.users_estimated},
              {"components", std::move(components)},
              {"business_impact", to_string(i.impact.business)},
              {"description", i.impact.description}}},
            {"commander",
             {{"id", i.commander_id},
              {"name", i.commander_name},
              {"phone", i.commander_phone},
              {"email", i.commander_email}}},
            {"communications_lead", i.communications_lead_id
                                        ? user_ref(auth::UserId{i.communications_lead_id}, i.communications_lead_name)
                                        : js::value(nullptr)},
            {"technical_lead", i.technical_lead_id ? user_ref(auth::UserId{i.technical_lead_id}, i.technical_lead_name)
                                                   : js::value(nullptr)},
            {"next_update_at", time_or_null(i.next_update_at)},
            {"next_update_reason", i.next_update_reason},
            {"declared_at", core::format_rfc3339(i.declared_at)},
            {"acknowledged_at", time_or_null(i.acknowledged_at)},
            {"identified_at", time_or_null(i.identified_at)},
            {"mitigated_at", time_or_null(i.mitigated_at)},
            {"resolved_at", time_or_null(i.resolved_at)},
            {"metrics",
             {{"seconds_to_acknowledge", ms_or_null(d.acknowledge)},
              {"seconds_to_mitigate", ms_or_null(d.mitigate)},
              {"seconds_to_resolve", ms_or_null(d.resolve)}}}};
}

js::object update_json(const Update& u)
{
    return {{"id", u.id},
            {"channel", to_string(u.channel)},
            {"kind", u.kind},
            {"author", u.author_id ? user_ref(auth::UserId{u.author_id}, u.author_name) : js::value(nullptr)},
            {"body", u.body},
            {"next_update_at", time_or_null(u.next_update_at)},
            {"next_update_reason", u.next_update_reason},
            {"status", to_string(u.status)},
            {"at", core::format_rfc3339(u.at)}};
}

js::object step_json(const Step& s)
{
    return {{"id", s.id},
            {"title", s.title},
            {"owner", user_ref(auth::UserId{s.owner_id}, s.owner_name)},
            {"deadline_at", core::format_rfc3339(s.deadline_at)},
            {"state", to_string(s.state)},
            {"outcome", s.outcome},
            {"extensions", s.extensions},
            {"overdue_alerted_at", time_or_null(s.overdue_alerted_at)},
            {"created_at", core::format_rfc3339(s.created_at)},
            {"closed_at", time_or_null(s.closed_at)}};
}

js::object ticket_json(const LinkedTicket& t)
{
    return {{"id", t.ticket_id},
            {"ref", t.ref},
            {"subject", t.subject},
            {"organization", t.organization_name},
            {"requester_email", t.requester_email},
            {"linked_at", core::format_rfc3339(t.linked_at)}};
}

js::object action_json(const ActionItem& a)
{
    return {{"id", a.id},
            {"title", a.title},
            {"owner", user_ref(auth::UserId{a.owner_id}, a.owner_name)},
            {"due_at", core::format_rfc3339(a.due_at)},
            {"done_at", time_or_null(a.done_at)}};
}

js::object record_json(const Record& r)
{
    auto out = incident_json(r.incident);
    js::array updates, steps, tickets, alerts, items, comments, orgs;
    for (const auto& u : r.updates)
        updates.push_back(update_json(u));
    for (const auto& s : r.steps)
        steps.push_back(step_json(s));
    for (const auto& t : r.tickets)
        tickets.push_back(ticket_json(t));
    for (const auto& a : r.alerts)
        alerts.push_back(
            js::object{{"id", a.alert_id}, {"summary", a.summary}, {"service", a.service_name}, {"status", a.status}});
    for (const auto& a : r.action_items)
        items.push_back(action_json(a));
    for (const auto& c : r.comments)
        comments.push_back(js::object{{"author", user_ref(auth::UserId{c.author_id}, c.author_name)},
                                      {"organization", c.organization_name},
                                      {"body", c.body},
                                      {"at", core::format_rfc3339(c.at)}});
    for (const auto& name : r.organization_names)
        orgs.push_back(js::value(name));
    out["updates"] = std::move(updates);
    out["steps"] = std::move(steps);
    out["tickets"] = std::move(tickets);
    out["alerts"] = std::move(alerts);
    out["action_items"] = std::move(items);
    out["debrief_comments"] = std::move(comments);
    out["organizations"] = std::move(orgs);
    return out;
}

std::vector<std::int64_t> ids_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors)
{
    std::vector<std::int64_t> out;
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return out;
    if (!v->is_array()) {
        errors.push_back({std::string(key), "must be an array of ids"});
        return out;
    }
    for (const auto& x : v->as_array()) {
        if (!x.is_int64()) {
            errors.push_back({std::string(key), "must be an array of ids"});
            return {};
        }
        out.push_back(x.as_int64());
    }
    return out;
}

// The impact fields of a declaration or an assessment.
Impact impact_fields(const js::object& o, std::vector<core::FieldError>& errors)
{
    Impact impact;
    const js::object* in = &o;
    if (auto* nested = o.if_contains("impact"); nested && nested->is_object()) in = &nested->as_object();
    impact.organization_ids = ids_field(*in, "organization_ids", errors);
    impact.users = integer_field(*in, "users", errors);
    impact.users_estimated = bool_field(*in, "users_estimated", errors);
    impact.components = strings_field(*in, "components", errors);
    auto business = string_field(*in, "business_impact", errors);
    if (!business.empty()) {
        if (auto b = parse_business_impact(business))
            impact.business = *b;
        else
            errors.push_back({"business_impact", "is down, degraded, minor or cosmetic"});
    }
    impact.description = string_field(*in, "description", errors);
    return impact;
}

std::optional<Severity> severity_field(const js::object& o, std::vector<core::FieldError>& errors)
{
    auto text = string_field(o, "severity", errors);
    if (text.empty()) return std::nullopt;
    auto s = parse_severity(text);
    if (!s) errors.push_back({"severity", "is SEV1, SEV2, SEV3 or SEV4"});
    return s;
}

core::Error invalid(std::vector<core::FieldError> errors)
{
    return core::Error::invalid("the request is not valid", std::move(errors));
}

using Inner = std::function<boost::asio::awaitable<Response>(Context&, std::int64_t id, const js::object& body)>;

// An authenticated route on /api/v1/incidents/{id}/…: the id parsed, the body parsed (POST/PUT), then `inner`.
Handler on_incident(Services& s, bool with_body, Inner inner)
{
    return authenticated(s, [with_body, inner](Context& ctx) -> boost::asio::awaitable<Response> {
        auto id = int_param(ctx, "id");
        if (!id) co_return problem(ctx, core::Error::not_found("no such incident"));
        js::object body;
        if (with_body) {
            auto parsed = parse_object(ctx);
            if (!parsed) co_return problem(ctx, parsed.error());
            body = std::move(*parsed);
        }
        co_return co_await inner(ctx, *id, body);
    });
}

template <class T, class ToJson>
Response answer(Context& ctx, const core::Result<T>& r, ToJson to_json, status code = status::ok)
{
    if (!r) return problem(ctx, r.error());
    return json(ctx, code, to_json(*r));
}

}  // namespace

void add_incident_routes(Router& router, Services& s)
{
    router.add(verb::post, "/api/v1/incidents",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto body = parse_object(ctx);
                   if (!body) co_return problem(ctx, body.error());
                   std::vector<core::FieldError> errors;
                   DeclareInput in;
                   in.title = string_field(*body, "title", errors);
                   in.ticket_ids = ids_field(*body, "ticket_ids", errors);
                   in.alert_ids = ids_field(*body, "alert_ids", errors);
                   in.impact = impact_fields(*body, errors);
                   in.organization_slugs = strings_field(*body, "organizations", errors);
                   in.severity = severity_field(*body, errors);
                   in.severity_justification = string_field(*body, "severity_justification", errors);
                   in.keywords = strings_field(*body, "keywords", errors);
                   if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                   auto i = co_await s.incidents.declare(*ctx.actor, std::move(in));
                   co_return answer(ctx, i, incident_json, status::created);
               }));
    router.add(verb::get, "/api/v1/incidents", authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto filter = ctx.query_value("status");
                   if (filter && *filter != "open" && *filter != "all")
                       co_return problem(ctx, invalid({{"status", "must be open or all"}}));
                   auto list = s.incidents.list(*ctx.actor, !filter || *filter == "open");
                   co_return answer(ctx, list, [](const auto& v) {
                       js::array data;
                       for (const auto& i : v)
                           data.push_back(incident_json(i));
                       return js::object{{"data", std::move(data)}};
                   });
               }));
    router.add(verb::get, "/api/v1/incidents/metrics",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto m = s.incidents.metrics(*ctx.actor);
                   co_return answer(ctx, m, [](const auto& v) {
                       js::array data;
                       for (const auto& x : v)
                           data.push_back(js::object{{"severity", to_string(x.severity)},
                                                     {"incidents", x.incidents},
                                                     {"mean_seconds_to_acknowledge", ms_or_null(x.mean_acknowledge)},
                                                     {"mean_seconds_to_mitigate", ms_or_null(x.mean_mitigate)},
                                                     {"mean_seconds_to_resolve", ms_or_null(x.mean_resolve)}});
                       return js::object{{"data", std::move(data)}};
                   });
               }));
    router.add(verb::get, "/api/v1/incidents/{id}",
               on_incident(s, false,
                           [&s](Context& ctx, std::int64_t id, const js::object&) -> boost::asio::awaitable<Response> {
                               if (!ctx.actor->is_staff()) {
                                   auto v = s.incidents.public_view(*ctx.actor, id);
                                   co_return answer(ctx, v, [](const PublicView& pv) {
                                       auto out = incident_json(pv.incident);
                                       out.erase("impact");
                                       out.erase("severity_override_reason");
                                       js::array updates;
                                       for (const auto& u : pv.briefings)
                                           updates.push_back(update_json(u));
                                       out["updates"] = std::move(updates);
                                       return out;
                                   });
                               }
                               co_return answer(ctx, s.incidents.get(*ctx.actor, id), record_json);
                           }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/updates",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        UpdateInput in;
                        auto channel = string_field(body, "channel", errors);
                        if (auto c = parse_channel(channel))
                            in.channel = *c;
                        else
                            errors.push_back({"channel", "is technical or business"});
                        in.body = string_field(body, "body", errors);
                        in.next_update_at = time_field(body, "next_update_at", errors);
                        in.next_update_reason = string_field(body, "next_update_reason", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto u = co_await s.incidents.post_update(*ctx.actor, id, std::move(in));
                        co_return answer(ctx, u, update_json, status::created);
                    }));
    router.add(verb::post, "/api/v1/incidents/{id}/still-working",
               on_incident(s, false,
                           [&s](Context& ctx, std::int64_t id, const js::object&) -> boost::asio::awaitable<Response> {
                               auto u = co_await s.incidents.still_working(*ctx.actor, id);
                               co_return answer(ctx, u, update_json, status::created);
                           }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/assessment",
        on_incident(
            s, true, [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                std::vector<core::FieldError> errors;
                auto impact = impact_fields(body, errors);
                auto severity = severity_field(body, errors);
                auto justification = string_field(body, "severity_justification", errors);
                if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                auto i = co_await s.incidents.assess(*ctx.actor, id, std::move(impact), severity, justification);
                co_return answer(ctx, i, incident_json);
            }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/handover",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto user = integer_field(body, "user_id", errors);
                        auto note = string_field(body, "note", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto i = co_await s.incidents.handover(*ctx.actor, id, user, note);
                        co_return answer(ctx, i, incident_json);
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/roles",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto role = string_field(body, "role", errors);
                        auto user = integer_field(body, "user_id", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto i = co_await s.incidents.set_role(*ctx.actor, id, role, user);
                        co_return answer(ctx, i, incident_json);
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/status",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto text = string_field(body, "status", errors);
                        auto note = string_field(body, "note", errors);
                        auto to = parse_status(text);
                        if (!to) errors.push_back({"status", "is investigating, identified, monitoring or resolved"});
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto i = co_await s.incidents.set_status(*ctx.actor, id, *to, note);
                        co_return answer(ctx, i, incident_json);
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/tickets",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto ticket = integer_field(body, "ticket_id", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto t = co_await s.incidents.link_ticket(*ctx.actor, id, ticket);
                        co_return answer(ctx, t, ticket_json, status::created);
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/alerts",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto alert = integer_field(body, "alert_id", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto done = co_await s.incidents.link_alert(*ctx.actor, id, alert);
                        if (!done) co_return problem(ctx, done.error());
                        co_return json(ctx, status::created, js::object{{"alert_id", alert}});
                    }));
    router.add(verb::get, "/api/v1/incidents/{id}/suggestions",
               on_incident(s, false,
                           [&s](Context& ctx, std::int64_t id, const js::object&) -> boost::asio::awaitable<Response> {
                               co_return answer(ctx, s.incidents.suggestions(*ctx.actor, id), [](const auto& v) {
                                   js::array data;
                                   for (const auto& t : v)
                                       data.push_back(ticket_json(t));
                                   return js::object{{"data", std::move(data)}};
                               });
                           }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/steps",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        StepInput in;
                        in.title = string_field(body, "title", errors);
                        in.owner_id = integer_field(body, "owner_id", errors);
                        in.deadline_at = time_field(body, "deadline_at", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto step = co_await s.incidents.add_step(*ctx.actor, id, std::move(in));
                        co_return answer(ctx, step, step_json, status::created);
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/steps/{step}/outcome",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        auto step = int_param(ctx, "step");
                        if (!step) co_return problem(ctx, core::Error::not_found("no such step"));
                        std::vector<core::FieldError> errors;
                        StepOutcome in;
                        in.outcome = string_field(body, "outcome", errors);
                        in.note = string_field(body, "note", errors);
                        in.new_deadline = time_field(body, "new_deadline", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto out = co_await s.incidents.record_step(*ctx.actor, id, *step, std::move(in));
                        co_return answer(ctx, out, step_json);
                    }));
    router.add(verb::get, "/api/v1/incidents/{id}/debrief",
               on_incident(s, false,
                           [&s](Context& ctx, std::int64_t id, const js::object&) -> boost::asio::awaitable<Response> {
                               auto md = s.incidents.debrief(*ctx.actor, id);
                               if (!md) co_return problem(ctx, md.error());
                               auto format = ctx.query_value("format");
                               if (format && *format == "markdown")
                                   co_return text(ctx, status::ok, *md, "text/markdown; charset=utf-8");
                               co_return json(ctx, status::ok, js::object{{"markdown", *md}});
                           }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/action-items",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto title = string_field(body, "title", errors);
                        auto owner = integer_field(body, "owner_id", errors);
                        auto due = time_field(body, "due_at", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto item = co_await s.incidents.add_action_item(*ctx.actor, id, title, owner, due);
                        co_return answer(ctx, item, action_json, status::created);
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/action-items/{item}/done",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        auto item = int_param(ctx, "item");
                        if (!item) co_return problem(ctx, core::Error::not_found("no such action item"));
                        std::vector<core::FieldError> errors;
                        bool done = !body.contains("done") || bool_field(body, "done", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto r = co_await s.incidents.set_action_item_done(*ctx.actor, id, *item, done);
                        if (!r) co_return problem(ctx, r.error());
                        co_return json(ctx, status::ok, js::object{{"id", *item}, {"done", done}});
                    }));
    router.add(
        verb::post, "/api/v1/incidents/{id}/debrief/comments",
        on_incident(s, true,
                    [&s](Context& ctx, std::int64_t id, const js::object& body) -> boost::asio::awaitable<Response> {
                        std::vector<core::FieldError> errors;
                        auto text_body = string_field(body, "body", errors);
                        if (!errors.empty()) co_return problem(ctx, invalid(std::move(errors)));
                        auto c = co_await s.incidents.add_comment(*ctx.actor, id, text_body);
                        co_return answer(
                            ctx, c,
                            [](const DebriefComment& x) {
                                return js::object{{"id", x.id}, {"body", x.body}, {"at", core::format_rfc3339(x.at)}};
                            },
                            status::created);
                    }));
}

}  // namespace lifeline::http::api
