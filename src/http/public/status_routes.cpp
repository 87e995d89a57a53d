// The public Statuspage v2 documents, served from the render-once cache. No authentication; CORS open for GET.
#include "http/public/status_documents.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/services.hpp"

namespace lifeline::http {

void add_public_status_routes(Router& router, Services& s)
{
    for (const auto* name : {"summary.json", "status.json", "components.json", "incidents.json",
                             "incidents/unresolved.json", "scheduled-maintenances.json",
                             "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"}) {
        router.add(beast_http::verb::get, std::string("/api/v2/") + name,
                   [&s, name = std::string(name)](Context& ctx) -> boost::asio::awaitable<Response> {
                       auto doc = s.status_documents ? s.status_documents->cache().find(name) : nullptr;
                       if (!doc)
                           co_return problem(ctx, beast_http::status::service_unavailable,
                                             "the status page is not ready yet");
                       co_return serve_document(ctx, *doc);
                   });
    }
}

}  // namespace lifeline::http
