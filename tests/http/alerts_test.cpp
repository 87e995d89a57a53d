// Alert ingestion over the real server: PagerDuty Events v2, the Alertmanager webhook, and the generic webhook.
#include "support/served_desk.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

class Alerts : public ServedDesk {
protected:
    void SetUp() override
    {
        ServedDesk::SetUp();
        auto created = server->post_json("/api/v1/services", R"({"name":"Shop checkout"})", admin);
        ASSERT_EQ(created.status, 201) << created.body;
        key = std::string(parse_object(created.body)["integration_key"].as_string());
    }
    HttpResponse enqueue(const std::string& action, const std::string& dedup, const std::string& extra = {})
    {
        std::string body = R"({"routing_key":")" + key + R"(","event_action":")" + action + R"(")";
        if (!dedup.empty()) body += R"(,"dedup_key":")" + dedup + R"(")";
        if (action == "trigger")
            body += R"(,"payload":{"summary":"Checkout 500s above 5%","source":"shop-web-1","severity":"critical"})";
        body += extra + "}";
        return server->post_json("/v2/enqueue", body, "");
    }
    json::array alerts(const std::string& status = "open")
    {
        return parse_object(server->get("/api/v1/alerts?status=" + status, admin).body)["data"].as_array();
    }

    std::string key;
};

TEST_F(Alerts, TriggerAcknowledgeResolveByDedupKey)
{
    auto triggered = enqueue("trigger", "shop/checkout");
    ASSERT_EQ(triggered.status, 202) << triggered.body;
    auto body = parse_object(triggered.body);
    EXPECT_EQ(body["status"].as_string(), "success");
    EXPECT_EQ(body["message"].as_string(), "Event processed");
    EXPECT_EQ(body["dedup_key"].as_string(), "shop/checkout");
    ASSERT_EQ(alerts().size(), 1u);
    EXPECT_EQ(alerts()[0].as_object()["status"].as_string(), "triggered");
    EXPECT_EQ(alerts()[0].as_object()["severity"].as_string(), "critical");

    ASSERT_EQ(enqueue("acknowledge", "shop/checkout").status, 202);
    EXPECT_EQ(alerts()[0].as_object()["status"].as_string(), "acknowledged");
    ASSERT_EQ(enqueue("resolve", "shop/checkout").status, 202);
    EXPECT_EQ(alerts().size(), 0u);
    auto all = alerts("all");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_FALSE(all[0].as_object()["resolved_at"].is_null());
    // After a resolve, the same key opens a new alert.
    ASSERT_EQ(enqueue("trigger", "shop/checkout").status, 202);
    EXPECT_EQ(alerts("all").size(), 2u);
}

TEST_F(Alerts, AStormOnOneDedupKeyIsOneAlert)
{
    for (int i = 0; i < 300; ++i)
        ASSERT_EQ(enqueue("trigger", "storm").status, 202);
    auto open = alerts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].as_object()["event_count"].as_int64(), 300);
}

TEST_F(Alerts, TriggerWithoutDedupKeyGetsOneAndOpensItsOwnAlert)
{
    auto a = parse_object(enqueue("trigger", "").body);
    auto b = parse_object(enqueue("trigger", "").body);
    EXPECT_EQ(a["dedup_key"].as_string().size(), 32u);
    EXPECT_NE(a["dedup_key"], b["dedup_key"]);
    EXPECT_EQ(alerts().size(), 2u);
}

TEST_F(Alerts, BadEventsGetPagerDutysErrorShape)
{
    auto unknown = server->post_json(
        "/v2/enqueue",
        R"({"routing_key":"nope","event_action":"trigger","payload":{"summary":"x","source":"y","severity":"info"}})",
        "");
    EXPECT_EQ(unknown.status, 400);
    auto body = parse_object(unknown.body);
    EXPECT_EQ(body["status"].as_string(), "invalid event");
    EXPECT_FALSE(body["errors"].as_array().empty());
    EXPECT_EQ(server->post_json("/v2/enqueue", "{not json", "").status, 400);
    EXPECT_EQ(enqueue("acknowledge", "").status, 400);
    EXPECT_EQ(
        server->post_json("/v2/enqueue", R"({"routing_key":")" + key + R"(","event_action":"explode"})", "").status,
        400);
    auto bad_severity = server->post_json(
        "/v2/enqueue",
        R"({"routing_key":")" + key +
            R"(","event_action":"trigger","payload":{"summary":"x","source":"y","severity":"panic"}})",
        "");
    EXPECT_EQ(bad_severity.status, 400);
    EXPECT_EQ(alerts().size(), 0u);
    // An acknowledge for a key with no open alert is accepted and changes nothing, as PagerDuty does.
    EXPECT_EQ(enqueue("acknowledge", "never-seen").status, 202);
}

TEST_F(Alerts, AlertmanagerFiringAndResolvedGroupsFoldByFingerprint)
{
    auto payload = [](const std::string& status) {
        return R"({"version":"4","groupKey":"{}:{alertname=\"HighLatency\"}","status":")" + status +
               R"(","receiver":"lifeline","groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency"},
                  "commonAnnotations":{},"externalURL":"http://alertmanager.local:9093","truncatedAlerts":0,
                  "alerts":[{"status":")" +
               status +
               R"(","labels":{"alertname":"HighLatency","instance":"shop-web-1","severity":"critical"},
                  "annotations":{"summary":"p99 latency above 2 s"},"startsAt":"2026-11-23T10:00:00Z","endsAt":"0001-01-01T00:00:00Z",
                  "generatorURL":"http://prometheus.local/graph","fingerprint":"a1b2c3d4e5f60718"}]})";
    };
    auto url = "/api/v1/integrations/alertmanager/" + key;
    ASSERT_EQ(server->post_json(url, payload("firing"), "").status, 202);
    ASSERT_EQ(server->post_json(url, payload("firing"), "").status, 202);
    auto open = alerts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].as_object()["summary"].as_string(), "p99 latency above 2 s");
    EXPECT_EQ(open[0].as_object()["dedup_key"].as_string(), "a1b2c3d4e5f60718");
    ASSERT_EQ(server->post_json(url, payload("resolved"), "").status, 202);
    EXPECT_EQ(alerts().size(), 0u);
    EXPECT_EQ(server->post_json("/api/v1/integrations/alertmanager/wrong", payload("firing"), "").status, 404);
    EXPECT_EQ(server->post_json(url, R"({"version":"3","alerts":[]})", "").status, 400);
}

TEST_F(Alerts, GenericWebhookAndStaffActions)
{
    auto url = "/api/v1/integrations/webhook/" + key;
    auto res =
        server->post_json(url, R"({"action":"trigger","key":"disk","title":"Disk 95% full","severity":"warning"})", "");
    ASSERT_EQ(res.status, 202) << res.body;
    auto id = std::to_string(alerts()[0].as_object()["id"].as_int64());
    auto acked = server->post_json("/api/v1/alerts/" + id + "/acknowledge", "", admin);
    ASSERT_EQ(acked.status, 200) << acked.body;
    EXPECT_EQ(parse_object(acked.body)["status"].as_string(), "acknowledged");
    ASSERT_EQ(server->post_json("/api/v1/alerts/" + id + "/resolve", "", admin).status, 200);
    EXPECT_EQ(server->post_json("/api/v1/alerts/" + id + "/resolve", "", admin).status, 409);
    EXPECT_EQ(server->post_json("/api/v1/alerts/999/resolve", "", admin).status, 404);
}

TEST_F(Alerts, OnlyAdminsCreateServicesAndOnlyStaffSeeAlerts)
{
    ASSERT_EQ(server->post_json("/api/v1/people", R"({"email":"c@customer.test"})", admin).status, 201);
    ASSERT_EQ(server->post_json("/api/v1/people", R"({"email":"a@desk.test","role":"agent"})", admin).status, 201);
    auto contact = create_token(dir.path(), "c@customer.test");
    auto agent = create_token(dir.path(), "a@desk.test");
    EXPECT_EQ(server->post_json("/api/v1/services", R"({"name":"X"})", agent).status, 403);
    EXPECT_EQ(server->post_json("/api/v1/services", R"({"name":"Shop checkout"})", admin).status, 409);
    EXPECT_EQ(server->post_json("/api/v1/services", R"({"name":""})", admin).status, 400);
    EXPECT_EQ(server->get("/api/v1/alerts", contact).status, 403);
    EXPECT_EQ(server->get("/api/v1/services", contact).status, 403);
    EXPECT_EQ(server->get("/api/v1/alerts", agent).status, 200);
    EXPECT_EQ(server->get("/api/v1/services", agent).status, 200);
}

}  // namespace
}  // namespace lifeline::testing
