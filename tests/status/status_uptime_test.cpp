// Monitors driving status page components, the 90-day uptime bars and the history by month, against the real server:
// a monitor going down sets its component's status in /api/v2/components.json within a second and its recovery sets
// it back (unless an open public incident holds it); the bars show today's outage with a text alternative; the
// history lists each month's incidents with their resolution time, and months without incidents are 404.
#include "../monitor/http_stub.hpp"
#include "support/eventually.hpp"
#include "support/served_desk.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <thread>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// "2026-11" and "2026-11-23" now, in UTC (the page's default zone).
std::string utc_now(const char* format)
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

std::size_t count(const std::string& text, const std::string& needle)
{
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

class StatusUptime : public ServedDesk {
protected:
    json::object send(const std::string& method, const std::string& target, const std::string& body, int expected,
                      const std::string& token = {})
    {
        auto r = server->request(
            method, target, body,
            {{"Authorization", "Bearer " + (token.empty() ? admin : token)}, {"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, expected) << method << " " << target << " " << r.body;
        return r.body.empty() || r.body[0] != '{' ? json::object{} : parse_object(r.body);
    }
    json::object post(const std::string& target, const std::string& body, int expected = 201)
    {
        return send("POST", target, body, expected);
    }
    std::int64_t component(const std::string& name)
    {
        return post("/api/v1/status/components", json::serialize(json::object{{"name", name}}))["id"].as_int64();
    }
    // The component's status as the public API shows it.
    std::string public_status(std::int64_t id)
    {
        auto doc = parse_object(server->get("/api/v2/components.json").body);
        for (const auto& c : doc["components"].as_array())
            if (c.as_object().at("id").as_string() == std::to_string(id))
                return std::string(c.as_object().at("status").as_string());
        return "";
    }
    std::string monitor_state(std::int64_t id)
    {
        return std::string(
            parse_object(server->get("/api/v1/monitors/" + std::to_string(id), admin).body)["state"].as_string());
    }
    std::int64_t http_monitor(int port)
    {
        auto service = post("/api/v1/services", R"({"name":"Shop"})")["id"].as_int64();
        return post("/api/v1/monitors", R"({"name":"Shop front","kind":"http","interval_seconds":1,)"
                                        R"("timeout_seconds":2,"service_id":)" +
                                            std::to_string(service) + R"(,"url":"http://127.0.0.1:)" +
                                            std::to_string(port) + R"(/health"})")["id"]
            .as_int64();
    }
    std::string link_path(std::int64_t component_id)
    {
        return "/api/v1/status/components/" + std::to_string(component_id) + "/monitor";
    }
};

TEST_F(StatusUptime, AMonitorGoingDownSetsItsComponentWithinASecondAndItsRecoverySetsItBack)
{
    HttpStub site;
    auto api = component("API");
    auto other = component("Web");
    auto monitor = http_monitor(site.port());
    auto link = send("PUT", link_path(api), "{\"monitor_id\":" + std::to_string(monitor) + "}", 200);
    EXPECT_EQ(link["down_status"].as_string(), "major_outage");
    ASSERT_TRUE(eventually([&] { return monitor_state(monitor) == "up"; }));
    EXPECT_EQ(public_status(api), "operational");

    site.set_healthy(false);
    ASSERT_TRUE(eventually([&] { return monitor_state(monitor) == "down"; }));
    auto down_seen = std::chrono::steady_clock::now();
    ASSERT_TRUE(eventually([&] { return public_status(api) == "major_outage"; }, 1s, 20ms));
    EXPECT_LT(std::chrono::steady_clock::now() - down_seen, 1s);
    EXPECT_EQ(public_status(other), "operational") << "only the linked component follows";
    auto status = parse_object(server->get("/api/v2/status.json").body);
    EXPECT_EQ(status["status"].as_object()["indicator"].as_string(), "critical");

    // Today's bar shows the outage, with its date and status in words for people who cannot see the colour.
    auto page = server->get("/status").body;
    auto today = utc_now("%Y-%m-%d");
    EXPECT_NE(page.find("Uptime over the last 90 days"), std::string::npos);
    EXPECT_NE(page.find("title=\"" + today + ": Major outage"), std::string::npos) << page;
    EXPECT_NE(page.find("<span class=\"visually-hidden\">" + today + ": Major outage"), std::string::npos);
    EXPECT_EQ(count(page, "<li class=\"sp-bar "), 2u * 90u) << "90 bars for each of the two components";
    EXPECT_EQ(
        page.find("100.00 % uptime</span></p>\n<ol class=\"sp-bars\" aria-labelledby=\"uptime-" + std::to_string(api)),
        std::string::npos)
        << "the linked component's failed checks count as downtime";

    site.set_healthy(true);
    ASSERT_TRUE(eventually([&] { return public_status(api) == "operational"; }));
}

TEST_F(StatusUptime, AnOpenIncidentHoldsTheComponentWhenItsMonitorRecovers)
{
    HttpStub site;
    auto api = component("API");
    auto monitor = http_monitor(site.port());
    send("PUT", link_path(api), "{\"monitor_id\":" + std::to_string(monitor) + R"(,"down_status":"partial_outage"})",
         200);
    ASSERT_TRUE(eventually([&] { return monitor_state(monitor) == "up"; }));
    site.set_healthy(false);
    ASSERT_TRUE(eventually([&] { return public_status(api) == "partial_outage"; }));

    // People take over: the incident names the component.
    auto incident = post("/api/v1/status/incidents", R"({"name":"Checkout fails","body":"Looking into it.",)"
                                                     R"("component_status":"partial_outage","component_ids":[)" +
                                                         std::to_string(api) + "]}")["id"]
                        .as_int64();
    site.set_healthy(true);
    ASSERT_TRUE(eventually([&] { return monitor_state(monitor) == "up"; }));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(public_status(api), "partial_outage") << "the incident, not the monitor, decides while it is open";

    post("/api/v1/status/incidents/" + std::to_string(incident) + "/updates",
         R"({"status":"resolved","body":"Fixed."})");
    EXPECT_EQ(public_status(api), "operational");
}

TEST_F(StatusUptime, DeletingAMonitorThatIsDownReleasesItsComponent)
{
    HttpStub site;
    site.set_healthy(false);
    auto api = component("API");
    auto monitor = http_monitor(site.port());
    send("PUT", link_path(api), "{\"monitor_id\":" + std::to_string(monitor) + "}", 200);
    ASSERT_TRUE(eventually([&] { return public_status(api) == "major_outage"; }));
    send("DELETE", "/api/v1/monitors/" + std::to_string(monitor), "", 204);
    EXPECT_EQ(public_status(api), "operational");
    EXPECT_TRUE(parse_object(server->get("/api/v1/status/monitor-links", admin).body)["data"].as_array().empty());
}

TEST_F(StatusUptime, LinkingIsForAdminsAndRefusesBadInput)
{
    HttpStub site;
    auto api = component("API");
    auto monitor = http_monitor(site.port());
    auto bad_status = send("PUT", link_path(api),
                           "{\"monitor_id\":" + std::to_string(monitor) + R"(,"down_status":"operational"})", 400);
    EXPECT_EQ(bad_status["errors"].as_array()[0].at("field"), "down_status");
    auto no_monitor = send("PUT", link_path(api), R"({"monitor_id":9999})", 400);
    EXPECT_EQ(no_monitor["errors"].as_array()[0].at("field"), "monitor_id");
    auto missing = send("PUT", link_path(api), R"({})", 400);
    EXPECT_EQ(missing["errors"].as_array()[0].at("field"), "monitor_id");
    send("PUT", link_path(9999), "{\"monitor_id\":" + std::to_string(monitor) + "}", 404);

    post("/api/v1/people", R"({"email":"tom@desk.test","name":"Tom","role":"agent"})");
    auto tom = token_for("tom@desk.test");
    send("PUT", link_path(api), "{\"monitor_id\":" + std::to_string(monitor) + "}", 403, tom);

    send("PUT", link_path(api), "{\"monitor_id\":" + std::to_string(monitor) + "}", 200);
    auto links = parse_object(server->get("/api/v1/status/monitor-links", admin).body)["data"].as_array();
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].as_object().at("monitor_id").as_int64(), monitor);
    send("DELETE", link_path(api), "", 204);
    send("DELETE", link_path(api), "", 404);
}

TEST_F(StatusUptime, HistoryListsEachMonthsIncidentsWithTheirResolutionTimeAndOtherMonthsAre404)
{
    auto api = component("API");
    auto quiet = server->get("/status/history");
    ASSERT_EQ(quiet.status, 200);
    EXPECT_NE(quiet.body.find("No incidents have been reported."), std::string::npos);

    auto id = post("/api/v1/status/incidents", R"({"name":"<script>alert(1)</script> Login down","body":"Looking.",)"
                                               R"("impact":"critical","component_ids":[)" +
                                                   std::to_string(api) + "]}")["id"]
                  .as_int64();
    post("/api/v1/status/incidents/" + std::to_string(id) + "/updates", R"({"status":"resolved","body":"Fixed."})");

    auto month = utc_now("%Y-%m");
    auto history = server->get("/status/history");
    ASSERT_EQ(history.status, 200);
    EXPECT_EQ(history.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(history.body.find("<script>"), std::string::npos) << "the name is escaped";
    EXPECT_NE(history.body.find("&lt;script&gt;alert(1)&lt;/script&gt; Login down"), std::string::npos);
    EXPECT_NE(history.body.find("href=\"/status/incidents/" + std::to_string(id) + "\""), std::string::npos);
    EXPECT_NE(history.body.find("href=\"/status/history/" + month + "\""), std::string::npos);
    EXPECT_NE(history.body.find("Critical impact"), std::string::npos);
    EXPECT_NE(history.body.find("Resolved in under a minute"), std::string::npos);

    auto page = server->get("/status/history/" + month);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Login down"), std::string::npos);
    EXPECT_EQ(server->get("/status/incidents/" + std::to_string(id)).status, 200);
    EXPECT_EQ(server->get("/status/history/2001-01").status, 404);
    EXPECT_EQ(server->get("/status/history/not-a-month").status, 404);
    EXPECT_NE(server->get("/status").body.find("href=\"/status/history\""), std::string::npos);

    // The resolved incident's major outage shows on today's bar.
    auto today = utc_now("%Y-%m-%d");
    EXPECT_NE(server->get("/status").body.find("title=\"" + today + ": Major outage"), std::string::npos);
}

}  // namespace
}  // namespace lifeline::testing
