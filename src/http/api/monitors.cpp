// JSON API v1 for monitors the server runs itself (HTTP(S), TCP, heartbeats), and the heartbeat endpoint that cron
// jobs call.
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "monitor/monitor_service.hpp"

#include <cmath>

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;

namespace {

js::value percent_or_null(const std::optional<double>& p)
{
    if (!p) return nullptr;
    return std::round(*p * 1000.0) / 1000.0;
}

js::object check_json(const monitor::CheckRecord& c)
{
    return {{"at", core::format_rfc3339(c.at)},
            {"ok", c.ok},
            {"latency_ms", c.latency_ms ? js::value(*c.latency_ms) : js::value(nullptr)},
            {"detail", c.detail}};
}

js::object monitor_json(const monitor::MonitorView& v)
{
    const auto& m = v.monitor;
    js::object o{{"id", m.id},
                 {"name", m.name},
                 {"kind", monitor::to_string(m.kind)},
                 {"service", js::object{{"id", m.service_id}, {"name", m.service_name}}},
                 {"interval_seconds", m.interval_seconds},
                 {"failures_before_alert", m.failures_before_alert}};
    switch (m.kind) {
    case monitor::Kind::Http:
        o["timeout_seconds"] = m.timeout_seconds;
        o["url"] = m.url;
        o["expected_status"] = m.expected_status == 0 ? js::value(nullptr) : js::value(m.expected_status);
        o["keyword"] = m.keyword;
        o["max_latency_ms"] = m.max_latency_ms;
        o["cert_expiry_days"] = m.cert_expiry_days;
        break;
    case monitor::Kind::Tcp:
        o["timeout_seconds"] = m.timeout_seconds;
        o["host"] = m.host;
        o["port"] = m.port;
        break;
    case monitor::Kind::Heartbeat: o["grace_seconds"] = m.grace_seconds; break;
    }
    o["state"] = monitor::to_string(m.status.state);
    o["consecutive_failures"] = m.status.consecutive_failures;
    o["state_changed_at"] = time_or_null(m.state_changed_at);
    o["last_check_at"] = time_or_null(m.last_check_at);
    o["last_detail"] = m.last_detail;
    o[m.kind == monitor::Kind::Heartbeat ? "deadline" : "next_check_at"] = core::format_rfc3339(m.next_check_at);
    o["alert_dedup_key"] = monitor::dedup_key(m.id);
    o["uptime"] = js::object{{"24h", percent_or_null(v.uptime.day)},
                             {"7d", percent_or_null(v.uptime.week)},
                             {"30d", percent_or_null(v.uptime.month)},
                             {"90d", percent_or_null(v.uptime.quarter)}};
    o["created_at"] = core::format_rfc3339(m.created_at);
    o["updated_at"] = core::format_rfc3339(m.updated_at);
    return o;
}

core::Result<monitor::MonitorInput> parse_input(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    monitor::MonitorInput in;
    in.name = string_field(*body, "name", errors);
    in.kind = string_field(*body, "kind", errors);
    in.service_id = integer_field(*body, "service_id", errors);
    in.interval_seconds = integer_field(*body, "interval_seconds", errors);
    in.timeout_seconds = integer_field(*body, "timeout_seconds", errors);
    in.failures_before_alert = integer_field(*body, "failures_before_alert", errors);
    in.url = string_field(*body, "url", errors);
    in.expected_status = integer_field(*body, "expected_status", errors);
    in.keyword = string_field(*body, "keyword", errors);
    in.max_latency_ms = integer_field(*body, "max_latency_ms", errors);
    in.cert_expiry_days = integer_field(*body, "cert_expiry_days", errors);
    in.host = string_field(*body, "host", errors);
    in.port = integer_field(*body, "port", errors);
    in.grace_seconds = integer_field(*body, "grace_seconds", errors);
    if (!errors.empty()) return core::Error::invalid("the monitor is not valid", std::move(errors));
    return in;
}

boost::asio::awaitable<Response> create(Services& s, Context& ctx)
{
    auto input = parse_input(ctx);
    if (!input) co_return problem(ctx, input.error());
    auto created = co_await s.monitors.create(*ctx.actor, std::move(*input));
    if (!created) co_return problem(ctx, created.error());
    auto out = monitor_json(created->view);
    if (!created->heartbeat_token.empty()) {
        out["heartbeat_token"] = created->heartbeat_token;
        out["heartbeat_url"] = "/api/v1/heartbeats/" + created->heartbeat_token;
        out["note"] = "the heartbeat token is shown only now; POST to heartbeat_url at least every interval_seconds";
    }
    co_return json(ctx, status::created, out);
}

boost::asio::awaitable<Response> list(Services& s, Context& ctx)
{
    auto all = s.monitors.list(*ctx.actor);
    if (!all) co_return problem(ctx, all.error());
    js::array data;
    for (const auto& v : *all)
        data.push_back(monitor_json(v));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

js::object with_checks(const monitor::MonitorView& v)
{
    auto out = monitor_json(v);
    js::array checks;
    for (const auto& c : v.recent_checks)
        checks.push_back(check_json(c));
    out["recent_checks"] = std::move(checks);
    return out;
}

boost::asio::awaitable<Response> get(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such monitor"));
    auto one = s.monitors.get(*ctx.actor, *id);
    if (!one) co_return problem(ctx, one.error());
    co_return json(ctx, status::ok, with_checks(*one));
}

boost::asio::awaitable<Response> replace(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such monitor"));
    auto input = parse_input(ctx);
    if (!input) co_return problem(ctx, input.error());
    auto updated = co_await s.monitors.update(*ctx.actor, *id, std::move(*input));
    if (!updated) co_return problem(ctx, updated.error());
    co_return json(ctx, status::ok, with_checks(*updated));
}

boost::asio::awaitable<Response> remove(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such monitor"));
    auto removed = co_await s.monitors.remove(*ctx.actor, *id);
    if (!removed) co_return problem(ctx, removed.error());
    co_return text(ctx, status::no_content, "", "text/plain");
}

// The token in the path is the credential: cron jobs send no headers.
boost::asio::awaitable<Response> heartbeat(Services& s, Context& ctx)
{
    auto beat = co_await s.monitors.beat(ctx.params.at("token"));
    if (!beat) co_return problem(ctx, beat.error());
    co_return json(ctx, status::ok,
                   js::object{{"status", "ok"},
                              {"monitor", js::object{{"id", beat->id}, {"name", beat->name}}},
                              {"state", monitor::to_string(beat->status.state)},
                              {"deadline", core::format_rfc3339(beat->next_check_at)}});
}

}  // namespace

void add_monitor_routes(Router& router, Services& s)
{
    router.add(verb::post, "/api/v1/monitors", authenticated(s, [&s](Context& ctx) { return create(s, ctx); }));
    router.add(verb::get, "/api/v1/monitors", authenticated(s, [&s](Context& ctx) { return list(s, ctx); }));
    router.add(verb::get, "/api/v1/monitors/{id}", authenticated(s, [&s](Context& ctx) { return get(s, ctx); }));
    router.add(verb::put, "/api/v1/monitors/{id}", authenticated(s, [&s](Context& ctx) { return replace(s, ctx); }));
    router.add(verb::delete_, "/api/v1/monitors/{id}", authenticated(s, [&s](Context& ctx) { return remove(s, ctx); }));
    // Whatever body a cron job's curl sends along (its output, say) is ignored.
    router.add(verb::post, "/api/v1/heartbeats/{token}", [&s](Context& ctx) { return heartbeat(s, ctx); });
}

}  // namespace lifeline::http::api
