// The public Statuspage v2 documents, the status page in HTML and its feeds, served from the render-once cache.
// No authentication; CORS open for GET.
#include "http/public/status_documents.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/services.hpp"
#include "http/web/render.hpp"

namespace lifeline::http {

namespace {

std::shared_ptr<const CachedDocument> find(const Services& s, std::string_view name)
{
    return s.status_documents ? s.status_documents->cache().find(name) : nullptr;
}

}  // namespace

void add_public_status_routes(Router& router, Services& s)
{
    for (const auto* name : {"summary.json", "status.json", "components.json", "incidents.json",
                             "incidents/unresolved.json", "scheduled-maintenances.json",
                             "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"}) {
        router.add(beast_http::verb::get, std::string("/api/v2/") + name,
                   [&s, name = std::string(name)](Context& ctx) -> boost::asio::awaitable<Response> {
                       auto doc = find(s, name);
                       if (!doc)
                           co_return problem(ctx, beast_http::status::service_unavailable,
                                             "the status page is not ready yet");
                       co_return serve_document(ctx, *doc);
                   });
    }
    // The page and its feeds: cached under their path without the leading slash.
    for (const auto* name :
         {"status", "status/history.atom", "status/history.rss", "status/history", "status/maintenance.ics"}) {
        router.add(beast_http::verb::get, std::string("/") + name,
                   [&s, name = std::string(name)](Context& ctx) -> boost::asio::awaitable<Response> {
                       auto doc = find(s, name);
                       if (!doc)
                           co_return web::error_page(ctx, beast_http::status::service_unavailable,
                                                     "Status page unavailable", "The status page is not ready yet.");
                       co_return serve_document(ctx, *doc);
                   });
    }
    router.add(beast_http::verb::get, "/status/incidents/{id}", [&s](Context& ctx) -> boost::asio::awaitable<Response> {
        // Only the incidents of the snapshot have a page: the kHistoryIncidents most recent and every unresolved one.
        auto doc = find(s, "status/incidents/" + ctx.params.at("id"));
        if (!doc)
            co_return web::error_page(ctx, beast_http::status::not_found, "Incident not found",
                                      "There is no such incident on the status page.");
        co_return serve_document(ctx, *doc);
    });
    router.add(beast_http::verb::get, "/status/history/{month}",
               [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   // Only months with incidents have a page.
                   auto doc = find(s, "status/history/" + ctx.params.at("month"));
                   if (!doc)
                       co_return web::error_page(ctx, beast_http::status::not_found, "No incidents that month",
                                                 "The status page has no incidents in that month.");
                   co_return serve_document(ctx, *doc);
               });
    router.add(beast_http::verb::get, "/status/maintenances/{id}",
               [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   // As for incidents: the 50 latest and every open maintenance have a page.
                   auto doc = find(s, "status/maintenances/" + ctx.params.at("id"));
                   if (!doc)
                       co_return web::error_page(ctx, beast_http::status::not_found, "Maintenance not found",
                                                 "There is no such maintenance on the status page.");
                   co_return serve_document(ctx, *doc);
               });
}

}  // namespace lifeline::http
