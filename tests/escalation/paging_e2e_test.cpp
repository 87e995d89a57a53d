// Paging end to end with the real server and the Twilio stand-in: an Events v2 trigger pages whoever is on call by
// SMS, no acknowledgement pages the next level, an SMS reply acknowledges, a resolve resolves; a SIGKILL in the
// middle of an escalation neither drops nor repeats a step; the one-time link in a page acknowledges once.
#include "support/served_desk.hpp"
#include "support/twilio_standin.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kAna = "+15550000001";
constexpr const char* kTom = "+15550000002";

class Paging : public ::testing::Test {
protected:
    void SetUp() override
    {
        admin = init_desk(dir.path(), "admin@desk.test");
        start();
        for (auto [who, phone] : {std::pair{"ana", kAna}, std::pair{"tom", kTom}}) {
            auto res = server->post_json(
                "/api/v1/people",
                std::string(R"({"email":")") + who + R"(@desk.test","name":")" + who + R"(","role":"agent"})", admin);
            ASSERT_EQ(res.status, 201) << res.body;
            auto id = std::to_string(parse_object(res.body)["id"].as_int64());
            ids[who] = id;
            res = server->post_json("/api/v1/users/" + id + "/contact-methods",
                                    std::string(R"({"channel":"sms","address":")") + phone + R"("})", admin);
            ASSERT_EQ(res.status, 201) << res.body;
            auto method = parse_object(res.body)["id"].as_int64();
            res = server->post_json("/api/v1/users/" + id + "/notification-rules",
                                    R"({"contact_method_id":)" + std::to_string(method) + R"(,"delay_seconds":0})",
                                    admin);
            ASSERT_EQ(res.status, 201) << res.body;
        }
    }

    void start()
    {
        server = std::make_unique<ServerProcess>(
            "serve", dir.path(),
            std::vector<std::string>{"--twilio-url", twilio.base_url(), "--twilio-account-sid", twilio.account_sid(),
                                     "--twilio-auth-token", twilio.auth_token(), "--twilio-from", "+15550009999"});
    }

    // A service whose policy pages Ana (on call in a one-person schedule) and then Tom after `timeout` seconds.
    std::string service(int timeout)
    {
        auto res = server->post_json("/api/v1/schedules", R"({"name":"Primary","time_zone":"Europe/Berlin",
            "layers":[{"participants":["ana@desk.test"],"start":"2026-01-01T00:00","length":"weekly"}]})",
                                     admin);
        EXPECT_EQ(res.status, 201) << res.body;
        auto schedule = parse_object(res.body)["id"].as_int64();
        res = server->post_json(
            "/api/v1/escalation-policies",
            R"({"name":"Shop","levels":[{"timeout_seconds":)" + std::to_string(timeout) +
                R"(,"targets":[{"type":"schedule","id":)" + std::to_string(schedule) +
                R"(}]},{"timeout_seconds":600,"targets":[{"type":"user","email":"tom@desk.test"}]}]})",
            admin);
        EXPECT_EQ(res.status, 201) << res.body;
        auto policy = parse_object(res.body)["id"].as_int64();
        res = server->post_json("/api/v1/services",
                                R"({"name":"Shop API","escalation_policy_id":)" + std::to_string(policy) + "}", admin);
        EXPECT_EQ(res.status, 201) << res.body;
        return std::string(parse_object(res.body)["integration_key"].as_string());
    }

    HttpResponse event(const std::string& key, const std::string& action)
    {
        return server->post_json("/v2/enqueue",
                                 R"({"routing_key":")" + key + R"(","event_action":")" + action +
                                     R"(","dedup_key":"disk-db1","payload":{"summary":"Disk full on db1",
                                     "source":"db1","severity":"critical"}})",
                                 "");
    }

    json::object alert()
    {
        auto res = server->get("/api/v1/alerts?status=all", admin);
        EXPECT_EQ(res.status, 200) << res.body;
        auto data = parse_object(res.body)["data"].as_array();
        EXPECT_EQ(data.size(), 1u);
        return data.empty() ? json::object{} : data[0].as_object();
    }

    // Waits until every queued message has been handed over (the outbox gauge reads 0).
    void wait_until_delivered()
    {
        for (int i = 0; i < 100; ++i) {
            if (server->get("/metrics").body.find("lifeline_outbox_pending 0\n") != std::string::npos) return;
            std::this_thread::sleep_for(50ms);
        }
        FAIL() << "the outbox did not drain";
    }

    std::vector<std::string> recipients()
    {
        std::vector<std::string> out;
        for (const auto& r : twilio.requests())
            out.push_back(r.to);
        return out;
    }

    TwilioStandIn twilio;
    std::map<std::string, std::string> ids;  // "ana", "tom" → user id
    TempDir dir;
    std::string admin;
    std::unique_ptr<ServerProcess> server;
};

TEST_F(Paging, TriggerPagesOnCallThenNextLevelSmsReplyAcknowledgesResolveResolves)
{
    auto key = service(2);
    auto res = event(key, "trigger");
    ASSERT_EQ(res.status, 202) << res.body;
    ASSERT_TRUE(twilio.wait_for(1, 5s));
    EXPECT_EQ(recipients(), std::vector<std::string>{kAna});
    auto first = twilio.requests()[0];
    EXPECT_EQ(first.kind, "sms");
    EXPECT_EQ(first.from, "+15550009999");
    EXPECT_NE(first.body.find("Disk full on db1"), std::string::npos) << first.body;
    EXPECT_NE(first.body.find("/ack/"), std::string::npos) << first.body;

    // Nobody acknowledges within 2 s: the second level (Tom) is paged.
    ASSERT_TRUE(twilio.wait_for(2, 8s));
    EXPECT_EQ(recipients(), (std::vector<std::string>{kAna, kTom}));

    auto url = "http://127.0.0.1:" + std::to_string(server->port()) + "/api/v1/integrations/twilio/sms";
    auto forged = twilio.simulate_inbound_sms(url, kTom, "+15550009999", "ACK", true);
    EXPECT_EQ(forged.status, 403) << forged.body;
    auto reply = twilio.simulate_inbound_sms(url, kTom, "+15550009999", "ACK");
    ASSERT_EQ(reply.status, 200) << reply.error << reply.body;
    EXPECT_NE(reply.body.find("<Message>Acknowledged"), std::string::npos) << reply.body;

    auto a = alert();
    EXPECT_EQ(a["status"].as_string(), "acknowledged");
    auto escalation = a["escalation"].as_object();
    EXPECT_EQ(escalation["state"].as_string(), "acknowledged");
    EXPECT_EQ(escalation["acknowledged"].as_object()["via"].as_string(), "sms");
    EXPECT_EQ(escalation["acknowledged"].as_object()["by"].as_object()["name"].as_string(), "tom");

    res = event(key, "resolve");
    ASSERT_EQ(res.status, 202) << res.body;
    a = alert();
    EXPECT_EQ(a["status"].as_string(), "resolved");
    EXPECT_EQ(a["escalation"].as_object()["state"].as_string(), "resolved");
    EXPECT_EQ(twilio.requests().size(), 2u);
}

TEST_F(Paging, ARestartInTheMiddleOfAnEscalationNeitherDropsNorRepeatsAStep)
{
    auto key = service(3);
    ASSERT_EQ(event(key, "trigger").status, 202);
    ASSERT_TRUE(twilio.wait_for(1, 5s));
    wait_until_delivered();
    server->kill_hard();
    // The second level falls due while the server is down.
    std::this_thread::sleep_for(3500ms);
    start();
    ASSERT_TRUE(twilio.wait_for(2, 5s));
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(recipients(), (std::vector<std::string>{kAna, kTom}));

    auto id = std::to_string(alert()["escalation"].as_object()["id"].as_int64());
    auto detail = parse_object(server->get("/api/v1/escalations/" + id, admin).body);
    int timeouts = 0, paged = 0;
    for (const auto& e : detail["events"].as_array()) {
        timeouts += e.as_object().at("kind").as_string() == "timeout";
        paged += e.as_object().at("kind").as_string() == "paged";
    }
    EXPECT_EQ(timeouts, 1);
    EXPECT_EQ(paged, 2);
    EXPECT_EQ(detail["pages"].as_array().size(), 2u);
}

TEST_F(Paging, TheLinkInAPageAcknowledgesOnceAndOnlyOnPost)
{
    auto key = service(600);
    ASSERT_EQ(event(key, "trigger").status, 202);
    ASSERT_TRUE(twilio.wait_for(1, 5s));
    auto body = twilio.requests()[0].body;
    auto start_at = body.find("/ack/");
    ASSERT_NE(start_at, std::string::npos);
    auto path = body.substr(start_at, body.find_first_of(" \n", start_at) - start_at);

    auto page = server->get(path);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("You are being paged"), std::string::npos);
    EXPECT_NE(page.body.find("Disk full on db1"), std::string::npos);
    EXPECT_EQ(alert()["status"].as_string(), "triggered");  // looking is not acknowledging

    auto host = "127.0.0.1:" + std::to_string(server->port());
    std::map<std::string, std::string> form{
        {"Content-Type", "application/x-www-form-urlencoded"}, {"Host", host}, {"Origin", "http://evil.test"}};
    EXPECT_EQ(server->request("POST", path, "", form).status, 403);
    form["Origin"] = "http://" + host;
    auto done = server->request("POST", path, "", form);
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_NE(done.body.find("Acknowledged: it is yours"), std::string::npos);
    EXPECT_EQ(alert()["status"].as_string(), "acknowledged");
    auto again = server->request("POST", path, "", form);
    EXPECT_NE(again.body.find("already used"), std::string::npos) << again.body;
    EXPECT_EQ(server->get("/ack/ack_not-a-real-token").status, 404);
}

TEST_F(Paging, PressingOneDuringTheVoiceCallAcknowledges)
{
    // Tom wants a call too, at once: his rules now ring and text him.
    const auto& tom_id = ids["tom"];
    auto res = server->post_json("/api/v1/users/" + tom_id + "/contact-methods",
                                 std::string(R"({"channel":"voice","address":")") + kTom + R"("})", admin);
    ASSERT_EQ(res.status, 201) << res.body;
    res = server->post_json("/api/v1/users/" + tom_id + "/notification-rules",
                            R"({"contact_method_id":)" + std::to_string(parse_object(res.body)["id"].as_int64()) +
                                R"(,"delay_seconds":0})",
                            admin);
    ASSERT_EQ(res.status, 201) << res.body;
    res = server->post_json("/api/v1/escalation-policies",
                            R"({"name":"Calls","levels":[{"targets":[{"type":"user","email":"tom@desk.test"}]}]})",
                            admin);
    ASSERT_EQ(res.status, 201) << res.body;
    res = server->post_json("/api/v1/services",
                            R"({"name":"Phones","escalation_policy_id":)" +
                                std::to_string(parse_object(res.body)["id"].as_int64()) + "}",
                            admin);
    ASSERT_EQ(res.status, 201) << res.body;
    ASSERT_EQ(event(std::string(parse_object(res.body)["integration_key"].as_string()), "trigger").status, 202);

    ASSERT_TRUE(twilio.wait_for(2, 5s));
    std::string twiml;
    for (const auto& r : twilio.requests())
        if (r.kind == "call") twiml = r.body;
    ASSERT_NE(twiml.find("<Gather"), std::string::npos) << twiml;
    EXPECT_NE(twiml.find("Press 1 to acknowledge"), std::string::npos) << twiml;
    auto from = twiml.find("action=\"") + 8;
    auto action = twiml.substr(from, twiml.find('"', from) - from);
    ASSERT_EQ(action.rfind("http://127.0.0.1:", 0), 0u) << action;

    EXPECT_EQ(twilio.simulate_key_press(action, "1", true).status, 403);
    auto wrong = twilio.simulate_key_press(action, "7");
    EXPECT_NE(wrong.body.find("Not acknowledged"), std::string::npos) << wrong.body;
    EXPECT_EQ(alert()["status"].as_string(), "triggered");
    auto pressed = twilio.simulate_key_press(action, "1");
    ASSERT_EQ(pressed.status, 200) << pressed.error << pressed.body;
    EXPECT_NE(pressed.body.find("<Say>Acknowledged."), std::string::npos) << pressed.body;
    auto a = alert();
    EXPECT_EQ(a["status"].as_string(), "acknowledged");
    EXPECT_EQ(a["escalation"].as_object()["acknowledged"].as_object()["via"].as_string(), "link");
}

}  // namespace
}  // namespace lifeline::testing
