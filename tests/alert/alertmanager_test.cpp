// End to end: the real Prometheus Alertmanager (Debian's 0.25) posts its webhook v4 notifications to the real
// Lifeline server, which turns them into alerts. Alertmanager runs with group_wait and group_interval of 1 s, so
// each notification arrives within about a second of the change that causes it; every wait below is a poll.
#include "support/alertmanager_process.hpp"
#include "support/served_desk.hpp"
#include "support/twilio_standin.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

constexpr auto kNotificationTimeout = 20s;
constexpr const char* kSent = R"(alertmanager_notifications_total{integration="webhook"})";
constexpr const char* kFailed = R"(alertmanager_notifications_failed_total{integration="webhook"})";
// Incremented on every flush of an aggregation group (each group_interval), whether or not it sends anything.
constexpr const char* kFlushes = "alertmanager_nflog_queries_total";

// Polls `done` every 50 ms until it holds or `timeout` passes; its last answer.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = kNotificationTimeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
}

// One element of the JSON array POST /api/v2/alerts takes. An absent ends_at leaves endsAt out (firing).
json::object am_alert(const std::map<std::string, std::string>& labels,
                      const std::map<std::string, std::string>& annotations, Clock::time_point starts_at,
                      std::optional<Clock::time_point> ends_at = std::nullopt)
{
    json::object l, a;
    for (const auto& [k, v] : labels)
        l[k] = v;
    for (const auto& [k, v] : annotations)
        a[k] = v;
    json::object out{{"labels", std::move(l)},
                     {"annotations", std::move(a)},
                     {"startsAt", alertmanager_time(starts_at)},
                     {"generatorURL", "http://prometheus.test:9090/graph?g0.expr=disk_free"}};
    if (ends_at) out["endsAt"] = alertmanager_time(*ends_at);
    return out;
}

std::string array_of(std::initializer_list<json::object> alerts)
{
    json::array out;
    for (const auto& a : alerts)
        out.push_back(a);
    return json::serialize(out);
}

class RealAlertmanager : public ServedDesk {
protected:
    void SetUp() override
    {
        ServedDesk::SetUp();
        auto created = server->post_json("/api/v1/services", R"({"name":"Databases"})", admin);
        ASSERT_EQ(created.status, 201) << created.body;
        key = std::string(parse_object(created.body)["integration_key"].as_string());
    }

    std::string webhook_url(const std::string& integration_key) const
    {
        return "http://127.0.0.1:" + std::to_string(server->port()) + "/api/v1/integrations/alertmanager/" +
               integration_key;
    }

    json::array alerts(const std::string& status = "open") const
    {
        auto res = server->get("/api/v1/alerts?status=" + status, admin);
        if (res.status != 200) throw std::runtime_error("GET /api/v1/alerts: " + res.body);
        return parse_object(res.body)["data"].as_array();
    }

    // Alertmanager's own view: fingerprint by labels.instance.
    static std::map<std::string, std::string> fingerprints(const AlertmanagerProcess& am)
    {
        std::map<std::string, std::string> out;
        const auto listed = json::parse(am.get("/api/v2/alerts").body);
        for (const auto& a : listed.as_array()) {
            const auto& o = a.as_object();
            out[std::string(o.at("labels").as_object().at("instance").as_string())] =
                std::string(o.at("fingerprint").as_string());
        }
        return out;
    }

    static double value(const AlertmanagerProcess& am, const char* series) { return am.metric(series).value_or(-1); }
    // Waits until Alertmanager starts `count` more flushes of its group. Flushes of a group run one after another,
    // so every earlier one has finished, and counted what it sent (it counts only after Lifeline has answered).
    static bool next_flushes(const AlertmanagerProcess& am, int count = 1)
    {
        const double before = value(am, kFlushes);
        return eventually([&] { return value(am, kFlushes) >= before + count; }, 10s);
    }

    std::string key;
};

const std::map<std::string, std::string> kDiskFullLabels{
    {"alertname", "DiskFull"}, {"severity", "critical"}, {"instance", "db1"}};
const std::map<std::string, std::string> kDiskFullAnnotations{{"summary", "Disk full on db1"},
                                                              {"description", "/var/lib/postgresql is 99% full"}};

TEST_F(RealAlertmanager, FiringRepeatedAndResolvedAlertIsOneLifelineAlert)
{
    AlertmanagerProcess am(webhook_url(key));
    // Started 5 s ago, as Prometheus reports a rule that has been firing: the alert is older than group_wait, so
    // Alertmanager flushes its new group at once.
    const auto started = Clock::now() - 5s;
    const auto firing = array_of({am_alert(kDiskFullLabels, kDiskFullAnnotations, started)});
    auto posted = am.post_alerts(firing);
    ASSERT_EQ(posted.status, 200) << posted.body;

    ASSERT_TRUE(eventually([&] { return alerts().size() == 1; })) << am.log();
    auto alert = alerts()[0].as_object();
    EXPECT_EQ(alert["status"].as_string(), "triggered");
    EXPECT_EQ(alert["summary"].as_string(), "Disk full on db1");
    EXPECT_EQ(alert["severity"].as_string(), "critical");
    EXPECT_EQ(alert["source"].as_string(), "db1");
    EXPECT_EQ(alert["class"].as_string(), "DiskFull");
    EXPECT_EQ(alert["service"].as_object()["name"].as_string(), "Databases");
    // The dedup key is the fingerprint Alertmanager itself reports for the alert.
    EXPECT_EQ(alert["dedup_key"].as_string(), fingerprints(am)["db1"]);
    EXPECT_EQ(alert["event_count"].as_int64(), 1);
    ASSERT_TRUE(next_flushes(am)) << am.log();
    EXPECT_EQ(value(am, kSent), 1);
    EXPECT_EQ(value(am, kFailed), 0);

    // The same alert again (as Prometheus re-sends firing alerts every evaluation): Alertmanager merges it and,
    // the group being unchanged, sends nothing until repeat_interval. Two more flushes prove it had the chance.
    posted = am.post_alerts(firing);
    ASSERT_EQ(posted.status, 200) << posted.body;
    ASSERT_TRUE(next_flushes(am, 2)) << am.log();
    ASSERT_EQ(alerts("all").size(), 1u);
    EXPECT_EQ(alerts()[0].as_object()["event_count"].as_int64(), 1);
    EXPECT_EQ(value(am, kSent), 1);

    // endsAt in the past resolves it; with send_resolved Alertmanager posts status "resolved" on the next flush.
    posted = am.post_alerts(array_of({am_alert(kDiskFullLabels, kDiskFullAnnotations, started, Clock::now() - 1s)}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    ASSERT_TRUE(eventually([&] { return alerts().empty(); })) << am.log();
    auto all = alerts("all");
    ASSERT_EQ(all.size(), 1u);
    auto resolved = all[0].as_object();
    EXPECT_EQ(resolved["id"], alert["id"]);
    EXPECT_EQ(resolved["status"].as_string(), "resolved");
    EXPECT_FALSE(resolved["resolved_at"].is_null());
    EXPECT_EQ(resolved["dedup_key"], alert["dedup_key"]);
    EXPECT_EQ(resolved["event_count"].as_int64(), 1);  // Lifeline counts triggers only
    // Its group now empty, Alertmanager stops flushing it: wait for the count itself.
    EXPECT_TRUE(eventually([&] { return value(am, kSent) >= 2; }, 5s));
    EXPECT_EQ(value(am, kSent), 2);
    EXPECT_EQ(value(am, kFailed), 0);
}

TEST_F(RealAlertmanager, TwoAlertsInOneGroupAreTwoLifelineAlerts)
{
    AlertmanagerProcess am(webhook_url(key));
    // Starting now, so group_wait holds the group back until both are in it.
    const auto started = Clock::now();
    auto posted =
        am.post_alerts(array_of({am_alert(kDiskFullLabels, kDiskFullAnnotations, started),
                                 am_alert({{"alertname", "DiskFull"}, {"severity", "warning"}, {"instance", "db2"}},
                                          {{"summary", "Disk almost full on db2"}}, started)}));
    ASSERT_EQ(posted.status, 200) << posted.body;

    ASSERT_TRUE(eventually([&] { return alerts().size() == 2; })) << am.log();
    // Both came in one notification: group_by alertname puts them in one group.
    ASSERT_TRUE(next_flushes(am)) << am.log();
    EXPECT_EQ(value(am, kSent), 1);
    auto expected = fingerprints(am);
    std::map<std::string, json::object> by_source;
    for (const auto& a : alerts())
        by_source[std::string(a.as_object().at("source").as_string())] = a.as_object();
    ASSERT_EQ(by_source.size(), 2u);
    EXPECT_EQ(by_source["db1"]["summary"].as_string(), "Disk full on db1");
    EXPECT_EQ(by_source["db1"]["severity"].as_string(), "critical");
    EXPECT_EQ(by_source["db1"]["dedup_key"].as_string(), expected["db1"]);
    EXPECT_EQ(by_source["db2"]["summary"].as_string(), "Disk almost full on db2");
    EXPECT_EQ(by_source["db2"]["severity"].as_string(), "warning");
    EXPECT_EQ(by_source["db2"]["dedup_key"].as_string(), expected["db2"]);
    EXPECT_NE(expected["db1"], expected["db2"]);
}

TEST_F(RealAlertmanager, UnknownIntegrationKeyCreatesNothing)
{
    AlertmanagerProcess am(webhook_url("no-such-integration-key"));
    auto posted = am.post_alerts(array_of({am_alert(kDiskFullLabels, kDiskFullAnnotations, Clock::now() - 5s)}));
    ASSERT_EQ(posted.status, 200) << posted.body;

    // Alertmanager counts the refused notification as failed and logs Lifeline's status code. A 4xx is final for
    // that notification (a 5xx would be retried with backoff); the next flush tries the group again.
    ASSERT_TRUE(eventually([&] { return value(am, kFailed) >= 1; })) << am.log();
    EXPECT_TRUE(eventually([&] { return am.log().find("unexpected status code 4") != std::string::npos; }, 5s))
        << am.log();
    EXPECT_TRUE(am.running());
    EXPECT_EQ(am.get("/-/healthy").status, 200);
    EXPECT_TRUE(alerts("all").empty());
}

// The same desk, restarted with the Twilio stand-in as its SMS provider, with Ana (an agent with one SMS rule) paged
// by the first level of a policy on the service "Payments". The level times out after 300 s, far beyond the test,
// so any second page would be a repeat, not the next level.
class RealAlertmanagerPaging : public RealAlertmanager {
protected:
    static constexpr const char* kAnaPhone = "+15550000001";

    void SetUp() override
    {
        RealAlertmanager::SetUp();
        if (HasFatalFailure()) return;
        server.reset();
        server = std::make_unique<ServerProcess>(
            "serve", dir.path(),
            std::vector<std::string>{"--twilio-url", twilio.base_url(), "--twilio-account-sid", twilio.account_sid(),
                                     "--twilio-auth-token", twilio.auth_token(), "--twilio-from", "+15550009999"});

        auto res = server->post_json("/api/v1/people",
                                     R"({"email":"ana@desk.test","name":"Ana","role":"agent"})", admin);
        ASSERT_EQ(res.status, 201) << res.body;
        auto ana = std::to_string(parse_object(res.body)["id"].as_int64());
        res = server->post_json("/api/v1/users/" + ana + "/contact-methods",
                                std::string(R"({"channel":"sms","address":")") + kAnaPhone + R"("})", admin);
        ASSERT_EQ(res.status, 201) << res.body;
        auto method = std::to_string(parse_object(res.body)["id"].as_int64());
        res = server->post_json("/api/v1/users/" + ana + "/notification-rules",
                                R"({"contact_method_id":)" + method + R"(,"delay_seconds":0})", admin);
        ASSERT_EQ(res.status, 201) << res.body;
        res = server->post_json("/api/v1/escalation-policies", R"({"name":"Payments on call","levels":[
            {"timeout_seconds":300,"targets":[{"type":"user","email":"ana@desk.test"}]}]})",
                                admin);
        ASSERT_EQ(res.status, 201) << res.body;
        auto policy = std::to_string(parse_object(res.body)["id"].as_int64());
        res = server->post_json("/api/v1/services", R"({"name":"Payments","escalation_policy_id":)" + policy + "}",
                                admin);
        ASSERT_EQ(res.status, 201) << res.body;
        paging_key = std::string(parse_object(res.body)["integration_key"].as_string());
    }

    // True once Lifeline has handed every queued message to the provider (the outbox gauge reads 0).
    bool outbox_drained() const
    {
        return server->get("/metrics").body.find("lifeline_outbox_pending 0\n") != std::string::npos;
    }

    TwilioStandIn twilio;
    std::string paging_key;
};

TEST_F(RealAlertmanagerPaging, FiringAlertPagesOnceByTwilioAndResolvedEndsTheEscalation)
{
    AlertmanagerProcess am(webhook_url(paging_key));
    const std::map<std::string, std::string> labels{
        {"alertname", "PaymentsDown"}, {"severity", "critical"}, {"instance", "pay1"}};
    const std::map<std::string, std::string> annotations{{"summary", "Card payments failing on pay1"}};
    // Firing for 5 s already, so Alertmanager flushes the new group at once rather than after group_wait.
    const auto started = Clock::now() - 5s;
    auto posted = am.post_alerts(array_of({am_alert(labels, annotations, started)}));
    ASSERT_EQ(posted.status, 200) << posted.body;

    ASSERT_TRUE(eventually([&] { return alerts().size() == 1; }, 10s)) << am.log();
    auto alert = alerts()[0].as_object();
    EXPECT_EQ(alert["status"].as_string(), "triggered");
    EXPECT_EQ(alert["service"].as_object()["name"].as_string(), "Payments");
    EXPECT_EQ(alert["severity"].as_string(), "critical");
    ASSERT_TRUE(alert["escalation"].is_object()) << json::serialize(alert);
    EXPECT_EQ(alert["escalation"].as_object()["state"].as_string(), "active");

    // Exactly one SMS page, to Ana's number, naming the alert.
    ASSERT_TRUE(twilio.wait_for(1, 5s)) << am.log();
    ASSERT_TRUE(eventually([&] { return outbox_drained(); }, 5s));
    auto sent = twilio.requests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].kind, "sms");
    EXPECT_EQ(sent[0].to, kAnaPhone);
    EXPECT_EQ(sent[0].from, "+15550009999");
    EXPECT_NE(sent[0].body.find("Card payments failing on pay1"), std::string::npos) << sent[0].body;
    EXPECT_NE(sent[0].body.find("/ack/"), std::string::npos) << sent[0].body;

    // Resolved in Alertmanager: it posts status "resolved" on the group's next flush.
    posted = am.post_alerts(array_of({am_alert(labels, annotations, started, Clock::now() - 1s)}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    ASSERT_TRUE(eventually([&] { return alerts().empty(); }, 10s)) << am.log();
    auto all = alerts("all");
    ASSERT_EQ(all.size(), 1u);
    auto resolved = all[0].as_object();
    EXPECT_EQ(resolved["id"], alert["id"]);
    EXPECT_EQ(resolved["status"].as_string(), "resolved");
    ASSERT_TRUE(resolved["escalation"].is_object()) << json::serialize(resolved);
    EXPECT_EQ(resolved["escalation"].as_object()["state"].as_string(), "resolved");
    EXPECT_EQ(resolved["escalation"].as_object()["id"], alert["escalation"].as_object()["id"]);

    // No second page: Alertmanager has counted both notifications (it counts only after Lifeline answered), the
    // outbox is empty, and the stand-in still holds the one SMS.
    EXPECT_TRUE(eventually([&] { return value(am, kSent) >= 2; }, 5s)) << am.log();
    EXPECT_EQ(value(am, kFailed), 0);
    ASSERT_TRUE(eventually([&] { return outbox_drained(); }, 5s));
    EXPECT_EQ(twilio.requests().size(), 1u);
}

}  // namespace
}  // namespace lifeline::testing
