// The OpenAPI document stays true: every API route is documented and every documented operation exists.
#include "app/desk.hpp"
#include "core/embedded.hpp"
#include "http/router.hpp"
#include "http/services.hpp"
#include "support/server_process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

namespace lifeline::http::openapi_document {
std::span<const core::EmbeddedFile> files();
}

namespace lifeline::http {
namespace {

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationExists)
{
    lifeline::testing::TempDir dir;
    app::Config config;
    config.data_dir = dir.path();
    int code = 0;
    auto desk = app::open_desk(config, app::MustExist::No, code);
    ASSERT_TRUE(desk);
    Metrics metrics;
    Router router;
    Services services{desk->auth,   desk->tickets,   desk->orgs,         desk->email,     desk->outbox,
                      desk->alerts, desk->schedules, desk->escalations,  desk->incidents, desk->monitors,
                      metrics,      desk->clock,     [] { return true; }};
    add_api_routes(router, services);
    add_web_routes(router, services);

    std::set<std::pair<std::string, std::string>> routed;
    for (const auto& r : router.routes()) {
        bool api = r.pattern.rfind("/api/", 0) == 0 || r.pattern.rfind("/v2/", 0) == 0 || r.pattern == "/healthz" ||
                   r.pattern == "/metrics";
        if (api) routed.emplace(lower(std::string(beast_http::to_string(r.method))), r.pattern);
    }
    auto doc = boost::json::parse(openapi_document::files()[0].data).as_object();
    std::set<std::pair<std::string, std::string>> documented;
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, op] : item.as_object()) {
            documented.emplace(std::string(method), std::string(path));
            EXPECT_TRUE(op.as_object().contains("responses")) << method << " " << path;
        }
    EXPECT_EQ(routed, documented);
    EXPECT_GE(routed.size(), 10u);
}

}  // namespace
}  // namespace lifeline::http
