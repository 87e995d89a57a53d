// Alert ingestion on the wire formats monitoring tools already speak (PagerDuty Events v2, Alertmanager webhook v4,
// a generic webhook), and the staff API for services and alerts.
#include "alert/alert_service.hpp"
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;

namespace {

js::object alert_json(const alert::Alert& a)
{
    return {{"id", a.id},
            {"service", js::object{{"id", a.service_id}, {"name", a.service_name}}},
            {"dedup_key", a.dedup_key},
            {"status", alert::to_string(a.status)},
            {"summary", a.summary},
            {"source", a.source},
            {"severity", alert::to_string(a.severity)},
            {"component", a.component},
            {"group", a.group},
            {"class", a.class_name},
            {"event_count", a.event_count},
            {"flapping", a.flapping},
            {"created_at", core::format_rfc3339(a.created_at)},
            {"updated_at", core::format_rfc3339(a.updated_at)},
            {"resolved_at", time_or_null(a.resolved_at)}};
}

js::object service_json(const alert::Service& s)
{
    return {{"id", s.id},
            {"name", s.name},
            {"integration_key", s.integration_key},
            {"events_v2_url", "/v2/enqueue"},
            {"alertmanager_url", "/api/v1/integrations/alertmanager/" + s.integration_key},
            {"webhook_url", "/api/v1/integrations/webhook/" + s.integration_key},
            {"escalation_policy_id", s.escalation_policy_id ? js::value(s.escalation_policy_id) : js::value(nullptr)},
            {"created_at", core::format_rfc3339(s.created_at)}};
}

// PagerDuty answers bad events with 400 and its own body shape, not problem+json; senders parse it.
Response events_v2_error(const Context& ctx, beast_http::status code, const core::Error& error)
{
    auto res = text(ctx, code, alert::events_v2_error_body(error), "application/json");
    return res;
}

boost::asio::awaitable<Response> enqueue(Services& s, Context& ctx)
{
    auto event = alert::parse_events_v2(ctx.request.body());
    if (!event) co_return events_v2_error(ctx, status::bad_request, event.error());
    std::vector<alert::AlertEvent> events{std::move(*event)};
    auto done = co_await s.alerts.ingest(std::move(events));
    if (!done) {
        if (done.error().code() == core::ErrorCode::NotFound)
            co_return events_v2_error(
                ctx, status::bad_request,
                core::Error::invalid("Event object is invalid", {{"routing_key", "is not a known integration key"}}));
        co_return events_v2_error(ctx, status_for(done.error().code()), done.error());
    }
    co_return text(ctx, status::accepted, alert::events_v2_success_body(done->front().dedup_key), "application/json");
}

boost::asio::awaitable<Response> results(Context& ctx, const core::Result<std::vector<alert::Ingested>>& done)
{
    if (!done) co_return problem(ctx, done.error());
    js::array data;
    for (const auto& i : *done)
        data.push_back(
            js::object{{"effect", alert::to_string(i.effect)}, {"dedup_key", i.dedup_key}, {"alert_id", i.alert_id}});
    co_return json(ctx, status::accepted, js::object{{"status", "success"}, {"events", std::move(data)}});
}

boost::asio::awaitable<Response> alertmanager(Services& s, Context& ctx)
{
    const auto& key = ctx.params.at("key");
    auto events = alert::parse_alertmanager(ctx.request.body(), key);
    if (!events) co_return problem(ctx, events.error());
    auto done = co_await s.alerts.ingest(std::move(*events), key);
    co_return co_await results(ctx, done);
}

boost::asio::awaitable<Response> webhook(Services& s, Context& ctx)
{
    const auto& key = ctx.params.at("key");
    auto event = alert::parse_generic(ctx.request.body());
    if (!event) co_return problem(ctx, event.error());
    std::vector<alert::AlertEvent> events{std::move(*event)};
    auto done = co_await s.alerts.ingest(std::move(events), key);
    co_return co_await results(ctx, done);
}

boost::asio::awaitable<Response> create_service(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auto name = string_field(*body, "name", errors);
    std::int64_t policy = 0;
    if (auto* v = body->if_contains("escalation_policy_id"); v && !v->is_null())
        policy = integer_field(*body, "escalation_policy_id", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the service is not valid", std::move(errors)));
    auto created = co_await s.alerts.create_service(*ctx.actor, name, policy);
    if (!created) co_return problem(ctx, created.error());
    co_return json(ctx, status::created, service_json(*created));
}

boost::asio::awaitable<Response> list_services(Services& s, Context& ctx)
{
    auto list = s.alerts.services(*ctx.actor);
    if (!list) co_return problem(ctx, list.error());
    js::array data;
    for (const auto& service : *list)
        data.push_back(service_json(service));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> list_alerts(Services& s, Context& ctx)
{
    auto filter = ctx.query_value("status");
    if (filter && *filter != "open" && *filter != "all")
        co_return problem(ctx, core::Error::invalid("the query is not valid", {{"status", "must be open or all"}}));
    auto list = s.alerts.list(*ctx.actor, !filter || *filter == "open");
    if (!list) co_return problem(ctx, list.error());
    std::vector<std::int64_t> ids;
    for (const auto& a : *list)
        ids.push_back(a.id);
    auto escalations = s.escalations.for_alerts(*ctx.actor, ids);
    if (!escalations) co_return problem(ctx, escalations.error());
    js::array data;
    for (const auto& a : *list) {
        auto out = alert_json(a);
        out["escalation"] = nullptr;
        for (const auto& e : *escalations)
            if (e.alert_id == a.id) out["escalation"] = escalation_summary(e);
        data.push_back(std::move(out));
    }
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> change_alert(Services& s, Context& ctx, alert::AlertStatus to)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such alert"));
    auto changed = co_await s.alerts.set_status(*ctx.actor, *id, to);
    if (!changed) co_return problem(ctx, changed.error());
    co_return json(ctx, status::ok, alert_json(*changed));
}

}  // namespace

void add_alert_routes(Router& router, Services& s)
{
    // The routing key (or the key in the URL) is the credential for ingestion, as with PagerDuty.
    router.add(
        verb::post, "/v2/enqueue", [&s](Context& ctx) { return enqueue(s, ctx); }, alert::kMaxEventBodyBytes);
    router.add(
        verb::post, "/api/v1/integrations/alertmanager/{key}", [&s](Context& ctx) { return alertmanager(s, ctx); },
        alert::kMaxAlertmanagerBodyBytes);
    router.add(
        verb::post, "/api/v1/integrations/webhook/{key}", [&s](Context& ctx) { return webhook(s, ctx); },
        alert::kMaxEventBodyBytes);
    router.add(verb::post, "/api/v1/services", authenticated(s, [&s](Context& ctx) { return create_service(s, ctx); }));
    router.add(verb::get, "/api/v1/services", authenticated(s, [&s](Context& ctx) { return list_services(s, ctx); }));
    router.add(verb::get, "/api/v1/alerts", authenticated(s, [&s](Context& ctx) { return list_alerts(s, ctx); }));
    router.add(verb::post, "/api/v1/alerts/{id}/acknowledge",
               authenticated(s, [&s](Context& ctx) { return change_alert(s, ctx, alert::AlertStatus::Acknowledged); }));
    router.add(verb::post, "/api/v1/alerts/{id}/resolve",
               authenticated(s, [&s](Context& ctx) { return change_alert(s, ctx, alert::AlertStatus::Resolved); }));
}

}  // namespace lifeline::http::api
