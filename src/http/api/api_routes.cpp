// The API's own routes (/healthz, /metrics, the OpenAPI document) and the resource routes.
#include "core/embedded.hpp"
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace lifeline::http::openapi_document {
std::span<const core::EmbeddedFile> files();
}

namespace lifeline::http {

using beast_http::status;
using beast_http::verb;

void add_api_routes(Router& router, Services& s)
{
    router.add(verb::get, "/healthz", [&s](Context& ctx) -> boost::asio::awaitable<Response> {
        if (!s.ready()) co_return text(ctx, status::service_unavailable, "starting\n", "text/plain");
        co_return text(ctx, status::ok, "ok\n", "text/plain");
    });
    router.add(verb::get, "/metrics", [&s](Context& ctx) -> boost::asio::awaitable<Response> {
        co_return text(ctx, status::ok, s.metrics.render(), "text/plain; version=0.0.4");
    });
    router.add(verb::get, "/api/v1/openapi.json", [](Context& ctx) -> boost::asio::awaitable<Response> {
        auto doc = openapi_document::files()[0].data;
        co_return text(ctx, status::ok, std::string(doc), "application/json");
    });
    api::add_ticket_routes(router, s);
    api::add_directory_routes(router, s);
    api::add_mail_routes(router, s);
    api::add_alert_routes(router, s);
    api::add_schedule_routes(router, s);
    api::add_escalation_routes(router, s);
    api::add_incident_routes(router, s);
    api::add_monitor_routes(router, s);
    api::add_status_routes(router, s);
    add_public_status_routes(router, s);
    api::add_subscriber_routes(router, s);
    add_subscriber_pages(router, s);
}

}  // namespace lifeline::http
