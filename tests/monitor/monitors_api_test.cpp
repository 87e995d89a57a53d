// Monitors over the real server: an HTTP monitor against a loopback stub goes down (an alert opens) and recovers (it
// resolves), a TCP monitor against a closed port, heartbeats and their missed deadline, the API's validation, and
// check times that survive a restart.
#include "core/clock.hpp"
#include "http_stub.hpp"
#include "support/eventually.hpp"
#include "support/served_desk.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <set>
#include <thread>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class Monitors : public ServedDesk {
protected:
    void SetUp() override
    {
        ServedDesk::SetUp();
        auto created = server->post_json("/api/v1/services", R"({"name":"Shop"})", admin);
        ASSERT_EQ(created.status, 201) << created.body;
        service_id = parse_object(created.body)["id"].as_int64();
    }

    json::object create(const std::string& fields)
    {
        auto r = server->post_json("/api/v1/monitors",
                                   "{\"service_id\":" + std::to_string(service_id) + "," + fields + "}", admin);
        EXPECT_EQ(r.status, 201) << r.body;
        return parse_object(r.body);
    }
    json::object monitor(std::int64_t id)
    {
        auto r = server->get("/api/v1/monitors/" + std::to_string(id), admin);
        EXPECT_EQ(r.status, 200) << r.body;
        return parse_object(r.body);
    }
    std::string state(std::int64_t id) { return std::string(monitor(id)["state"].as_string()); }
    // The monitor's alert ("" when there is none): triggered, acknowledged or resolved.
    std::string alert_status(std::int64_t id)
    {
        auto all = parse_object(server->get("/api/v1/alerts?status=all", admin).body)["data"].as_array();
        for (const auto& a : all)
            if (a.as_object().at("dedup_key").as_string() == "monitor-" + std::to_string(id))
                return std::string(a.as_object().at("status").as_string());
        return "";
    }
    int alert_count(std::int64_t id)
    {
        int n = 0;
        auto all = parse_object(server->get("/api/v1/alerts?status=all", admin).body)["data"].as_array();
        for (const auto& a : all)
            if (a.as_object().at("dedup_key").as_string() == "monitor-" + std::to_string(id)) ++n;
        return n;
    }
    void restart()
    {
        server.reset();
        server = std::make_unique<ServerProcess>("serve", dir.path());
    }

    std::int64_t service_id = 0;
};

TEST_F(Monitors, AnHttpMonitorOpensAnAlertWhenItsSiteGoesDownAndResolvesItWhenItComesBack)
{
    HttpStub site("status: lifeline-ok");
    auto m = create(
        R"("name":"Shop front","kind":"http","interval_seconds":1,"failures_before_alert":2,"timeout_seconds":2,)"
        R"("keyword":"lifeline-ok","url":"http://127.0.0.1:)" +
        std::to_string(site.port()) + R"(/health")");
    auto id = m["id"].as_int64();
    EXPECT_EQ(m["state"].as_string(), "pending");
    EXPECT_EQ(m["alert_dedup_key"].as_string(), "monitor-" + std::to_string(id));
    ASSERT_TRUE(eventually([&] { return state(id) == "up"; })) << json::serialize(monitor(id));

    site.set_healthy(false);
    ASSERT_TRUE(eventually([&] { return alert_status(id) == "triggered"; })) << json::serialize(monitor(id));
    auto down = monitor(id);
    EXPECT_EQ(down["state"].as_string(), "down");
    EXPECT_GE(down["consecutive_failures"].as_int64(), 2);
    EXPECT_EQ(down["last_detail"].as_string(), "HTTP 503, expected 2xx");
    auto alerts = parse_object(server->get("/api/v1/alerts", admin).body)["data"].as_array();
    ASSERT_FALSE(alerts.empty());
    EXPECT_EQ(alerts[0].as_object()["summary"].as_string(), "Shop front is down: HTTP 503, expected 2xx");

    site.set_healthy(true);
    ASSERT_TRUE(eventually([&] { return alert_status(id) == "resolved"; })) << json::serialize(monitor(id));
    auto up = monitor(id);
    EXPECT_EQ(up["state"].as_string(), "up");
    EXPECT_EQ(alert_count(id), 1);
    auto checks = up["recent_checks"].as_array();
    ASSERT_GE(checks.size(), 4u);
    EXPECT_TRUE(checks[0].as_object()["ok"].as_bool());
    EXPECT_TRUE(checks[0].as_object()["latency_ms"].is_int64());
    auto uptime = up["uptime"].as_object();
    auto day = uptime["24h"].as_double();
    EXPECT_GT(day, 0.0);
    EXPECT_LT(day, 100.0);
    EXPECT_DOUBLE_EQ(uptime["90d"].as_double(), day);

    // The listing shows it too.
    auto list = parse_object(server->get("/api/v1/monitors", admin).body)["data"].as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_FALSE(list[0].as_object().contains("recent_checks"));
}

TEST_F(Monitors, ATcpMonitorAgainstAClosedPortOpensAnAlert)
{
    auto m = create(R"("name":"Database port","kind":"tcp","host":"127.0.0.1","interval_seconds":1,"port":)" +
                    std::to_string(HttpStub::closed_port()));
    auto id = m["id"].as_int64();
    EXPECT_FALSE(m.contains("url"));
    EXPECT_EQ(m["timeout_seconds"].as_int64(), 10);
    ASSERT_TRUE(eventually([&] { return alert_status(id) == "triggered"; })) << json::serialize(monitor(id));
    auto down = monitor(id);
    EXPECT_EQ(down["state"].as_string(), "down");
    EXPECT_NE(down["last_detail"].as_string().find("cannot connect"), std::string::npos) << down["last_detail"];
}

TEST_F(Monitors, AHeartbeatKeepsItUpAndAMissedDeadlineOpensAnAlert)
{
    auto m = create(R"("name":"Nightly backup","kind":"heartbeat","interval_seconds":2,"grace_seconds":1)");
    auto id = m["id"].as_int64();
    std::string url(m["heartbeat_url"].as_string());
    ASSERT_EQ(url, "/api/v1/heartbeats/" + std::string(m["heartbeat_token"].as_string()));
    EXPECT_FALSE(m.contains("timeout_seconds"));
    // The token is shown once.
    EXPECT_FALSE(monitor(id).contains("heartbeat_token"));

    auto beat = server->request("POST", url);
    ASSERT_EQ(beat.status, 200) << beat.body;
    EXPECT_EQ(parse_object(beat.body)["state"].as_string(), "up");
    EXPECT_EQ(state(id), "up");

    // No beat for interval + grace (3 s): down, and an alert.
    ASSERT_TRUE(eventually([&] { return alert_status(id) == "triggered"; })) << json::serialize(monitor(id));
    EXPECT_EQ(state(id), "down");

    ASSERT_EQ(server->request("POST", url, "backup done in 42 min").status, 200);
    ASSERT_TRUE(eventually([&] { return alert_status(id) == "resolved"; }));
    EXPECT_EQ(state(id), "up");

    auto unknown = server->request("POST", "/api/v1/heartbeats/hb_unknown");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
}

TEST_F(Monitors, BadDefinitionsAreRefusedWithEveryFieldNamed)
{
    auto r = server->post_json(
        "/api/v1/monitors",
        R"({"name":"","kind":"http","service_id":999,"url":"ftp://x","port":80,"interval_seconds":"often"})", admin);
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    auto errors = parse_object(r.body)["errors"].as_array();
    std::set<std::string> fields;
    for (const auto& e : errors)
        fields.insert(std::string(e.as_object().at("field").as_string()));
    EXPECT_TRUE(fields.count("interval_seconds")) << r.body;

    r = server->post_json("/api/v1/monitors", R"({"name":"","kind":"http","service_id":999,"url":"ftp://x","port":80})",
                          admin);
    ASSERT_EQ(r.status, 400) << r.body;
    fields.clear();
    errors = parse_object(r.body)["errors"].as_array();
    for (const auto& e : errors)
        fields.insert(std::string(e.as_object().at("field").as_string()));
    EXPECT_EQ(fields, (std::set<std::string>{"name", "url", "port", "service_id"})) << r.body;

    EXPECT_EQ(server->get("/api/v1/monitors/12345", admin).status, 404);
    EXPECT_EQ(server->get("/api/v1/monitors").status, 401);
}

TEST_F(Monitors, UpdateAndDelete)
{
    HttpStub site;
    auto m = create(R"("name":"Shop front","kind":"http","interval_seconds":3600,"url":"http://127.0.0.1:)" +
                    std::to_string(site.port()) + R"(/")");
    auto id = m["id"].as_int64();
    ASSERT_TRUE(eventually([&] { return state(id) == "up"; }));
    auto body = "{\"service_id\":" + std::to_string(service_id) +
                R"json(,"name":"Shop front (ready)","kind":"http","interval_seconds":3600,"expected_status":200,)json"
                R"json("url":"http://127.0.0.1:)json" +
                std::to_string(site.port()) + R"json(/ready"})json";
    auto put = server->request("PUT", "/api/v1/monitors/" + std::to_string(id), body,
                               {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json"}});
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(parse_object(put.body)["name"].as_string(), "Shop front (ready)");
    EXPECT_EQ(parse_object(put.body)["expected_status"].as_int64(), 200);
    // Checked again at once with the new definition.
    ASSERT_TRUE(eventually([&] { return monitor(id)["recent_checks"].as_array().size() == 2; }));

    auto del =
        server->request("DELETE", "/api/v1/monitors/" + std::to_string(id), {}, {{"Authorization", "Bearer " + admin}});
    EXPECT_EQ(del.status, 204);
    EXPECT_EQ(server->get("/api/v1/monitors/" + std::to_string(id), admin).status, 404);
}

TEST_F(Monitors, CheckTimesAndDeadlinesSurviveARestart)
{
    HttpStub site;
    auto http = create(R"("name":"Hourly","kind":"http","interval_seconds":3600,"url":"http://127.0.0.1:)" +
                       std::to_string(site.port()) + R"(/")");
    auto http_id = http["id"].as_int64();
    ASSERT_TRUE(eventually([&] { return state(http_id) == "up"; }));
    auto next_check = monitor(http_id)["next_check_at"];
    auto daily = create(R"("name":"Daily job","kind":"heartbeat","interval_seconds":86400)");
    auto deadline = daily["deadline"];
    auto short_beat = create(R"("name":"Short job","kind":"heartbeat","interval_seconds":2)");
    auto short_id = short_beat["id"].as_int64();
    auto short_deadline = *core::parse_rfc3339(short_beat["deadline"].as_string());

    EXPECT_EQ(server->stop(), 0);
    // Let the short heartbeat's deadline pass while the server is down.
    while (core::SystemClock().now() <= short_deadline + 200ms)
        std::this_thread::sleep_for(100ms);
    restart();

    // Nothing was rescheduled: the hourly check does not run again, the daily deadline stands.
    auto after = monitor(http_id);
    EXPECT_EQ(after["next_check_at"], next_check);
    EXPECT_EQ(after["recent_checks"].as_array().size(), 1u);
    EXPECT_EQ(site.requests(), 1);
    EXPECT_EQ(monitor(daily["id"].as_int64())["deadline"], deadline);
    // The deadline that passed during the outage counts once.
    ASSERT_TRUE(eventually([&] { return alert_status(short_id) == "triggered"; }));
    auto missed = monitor(short_id);
    EXPECT_EQ(missed["state"].as_string(), "down");
    EXPECT_EQ(missed["recent_checks"].as_array().size(), 1u);
}

}  // namespace
}  // namespace lifeline::testing
