// Incident command end to end through the API on the real server: declare from a ticket, link a duplicate whose
// requester gets the known-issue answer on their ticket, a business briefing without a next-update time refused,
// a missed next update reminding the commander by SMS (the Twilio stand-in), handover, resolve, debrief, metrics,
// and tenancy for customers.
#include "support/served_desk.hpp"
#include "support/twilio_standin.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string at_offset(std::chrono::seconds from_now)
{
    auto t = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() + from_now);
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

class IncidentsApi : public ::testing::Test {
protected:
    void SetUp() override
    {
        admin = init_desk(dir.path(), "admin@desk.test");
        server = std::make_unique<ServerProcess>(
            "serve", dir.path(),
            std::vector<std::string>{"--twilio-url", twilio.base_url(), "--twilio-account-sid", twilio.account_sid(),
                                     "--twilio-auth-token", twilio.auth_token(), "--twilio-from", "+15550009999"});
        auto tom = post("/api/v1/people",
                        R"({"email":"tom@desk.test","name":"Tom Becker","role":"agent","phone":"+44 7700 900456"})");
        tom_id = tom["id"].as_int64();
        auto priya = post("/api/v1/people", R"({"email":"priya@desk.test","name":"Priya Nair","role":"agent"})");
        priya_id = priya["id"].as_int64();
        auto method = post("/api/v1/users/" + std::to_string(tom_id) + "/contact-methods",
                           R"({"channel":"sms","address":"+15550000001"})");
        post("/api/v1/users/" + std::to_string(tom_id) + "/notification-rules",
             R"({"contact_method_id":)" + std::to_string(method["id"].as_int64()) + "}");
        for (auto [name, domain] : {std::pair{"Harbour Bakery", "bakery.test"}, std::pair{"Corner Shop", "shop.test"}})
            post("/api/v1/organizations",
                 std::string(R"({"name":")") + name + R"(","email_domains":[")" + domain + R"("]})");
        post("/api/v1/people", R"({"email":"maria@bakery.test","name":"Maria","organization":"harbour-bakery"})");
        post("/api/v1/people", R"({"email":"sam@shop.test","name":"Sam","organization":"corner-shop"})");
        tom_token = create_token(dir.path(), "tom@desk.test");
    }

    json::object post(const std::string& target, const std::string& body, int want = 201, std::string token = {})
    {
        auto res = server->post_json(target, body, token.empty() ? admin : token);
        EXPECT_EQ(res.status, want) << target << " " << res.body;
        return res.status >= 200 && res.status < 300 && !res.body.empty() ? parse_object(res.body) : json::object{};
    }

    std::int64_t ticket(const std::string& requester, const std::string& subject)
    {
        return post("/api/v1/tickets", R"({"subject":")" + subject + R"(","body":"Nothing works","priority":"P1",
            "requester":{"email":")" + requester +
                                           R"("}})")["id"]
            .as_int64();
    }

    std::vector<std::string> messages(std::int64_t ticket_id, const std::string& token)
    {
        auto res = server->get("/api/v1/tickets/" + std::to_string(ticket_id), token);
        EXPECT_EQ(res.status, 200) << res.body;
        std::vector<std::string> out;
        auto ticket = parse_object(res.body);
        for (const auto& m : ticket["messages"].as_array())
            out.emplace_back(m.as_object().at("body").as_string());
        return out;
    }

    TwilioStandIn twilio;
    TempDir dir;
    std::string admin, tom_token;
    std::int64_t tom_id = 0, priya_id = 0;
    std::unique_ptr<ServerProcess> server;
};

TEST_F(IncidentsApi, TheWholeFlowFromDeclarationToDebrief)
{
    auto first = ticket("maria@bakery.test", "Checkout fails");
    auto incident = post("/api/v1/incidents",
                         R"({"title":"Checkout fails for every shop","ticket_ids":[)" + std::to_string(first) +
                             R"(],"keywords":["checkout"],
        "impact":{"business_impact":"down","description":"cannot take orders","users":40,"users_estimated":true}})",
                         201, tom_token);
    auto id = std::to_string(incident["id"].as_int64());
    EXPECT_EQ(incident["status"].as_string(), "investigating");
    EXPECT_EQ(incident["severity"].as_string(), "SEV2");
    EXPECT_EQ(incident["severity_reason"].as_string(),
              "1 organization, about 40 users, cannot take orders (down) → SEV2");
    EXPECT_EQ(incident["commander"].as_object()["name"].as_string(), "Tom Becker");

    // A second customer reports the same thing: suggested, linked, answered with the known issue.
    auto dup = ticket("sam@shop.test", "Our checkout page errors");
    auto suggestions = parse_object(server->get("/api/v1/incidents/" + id + "/suggestions", tom_token).body);
    ASSERT_EQ(suggestions["data"].as_array().size(), 1u);
    EXPECT_EQ(suggestions["data"].as_array()[0].as_object().at("id").as_int64(), dup);
    post("/api/v1/incidents/" + id + "/tickets", R"({"ticket_id":)" + std::to_string(dup) + "}", 201, tom_token);
    auto sam = create_token(dir.path(), "sam@shop.test");
    auto answer = messages(dup, sam).back();
    EXPECT_NE(answer.find("We know about this problem"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Tom Becker"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Next update by"), std::string::npos) << answer;
    // Sam sees the public parts of the incident, never the other customer's ticket.
    EXPECT_EQ(server->get("/api/v1/tickets/" + std::to_string(first), sam).status, 404);
    auto public_view = parse_object(server->get("/api/v1/incidents/" + id, sam).body);
    EXPECT_FALSE(public_view.contains("impact"));
    EXPECT_FALSE(public_view.contains("tickets"));

    // A briefing must commit to the next update.
    auto refused = server->post_json("/api/v1/incidents/" + id + "/updates",
                                     R"({"channel":"business","body":"We are on it."})", tom_token);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("next_update_at"), std::string::npos);
    post("/api/v1/incidents/" + id + "/updates",
         R"({"channel":"business","body":"Payments fail at the card processor; we are switching to the backup.",
             "next_update_at":")" +
             at_offset(2s) + R"(","next_update_reason":"the switch takes a minute"})",
         201, tom_token);
    EXPECT_NE(messages(dup, sam).back().find("switching to the backup"), std::string::npos);

    // Nobody updates in time: the commander's phone gets a reminder.
    ASSERT_TRUE(twilio.wait_for(1, 8s));
    EXPECT_EQ(twilio.requests()[0].to, "+15550000001");
    EXPECT_NE(twilio.requests()[0].body.find("update overdue"), std::string::npos) << twilio.requests()[0].body;

    post("/api/v1/incidents/" + id + "/steps",
         R"({"title":"Is the processor's TLS cert expired?","owner_id":)" + std::to_string(priya_id) +
             R"(,"deadline_at":")" + at_offset(600s) + R"("})",
         201, tom_token);
    auto no_deadline = server->post_json("/api/v1/incidents/" + id + "/steps", R"({"title":"maybe DNS"})", tom_token);
    EXPECT_EQ(no_deadline.status, 400);
    auto second_commander =
        server->post_json("/api/v1/incidents/" + id + "/roles",
                          R"({"role":"commander","user_id":)" + std::to_string(priya_id) + "}", tom_token);
    EXPECT_EQ(second_commander.status, 409);
    auto handed = post("/api/v1/incidents/" + id + "/handover",
                       R"({"user_id":)" + std::to_string(priya_id) + R"(,"note":"going off shift"})", 200, tom_token);
    EXPECT_EQ(handed["commander"].as_object()["name"].as_string(), "Priya Nair");
    post("/api/v1/incidents/" + id + "/status", R"({"status":"identified"})", 200, tom_token);
    post("/api/v1/incidents/" + id + "/status", R"({"status":"resolved","note":"Payments work again."})", 200,
         tom_token);
    auto resolution = messages(dup, sam).back();
    EXPECT_NE(resolution.find("Is everything working for you now?"), std::string::npos) << resolution;

    post("/api/v1/incidents/" + id + "/action-items",
         R"({"title":"Alert on processor errors","owner_id":)" + std::to_string(tom_id) + R"(,"due_at":")" +
             at_offset(7 * 24h) + R"("})",
         201, tom_token);
    post("/api/v1/incidents/" + id + "/debrief/comments", R"({"body":"The updates kept our staff calm."})", 201, sam);
    auto debrief = server->get("/api/v1/incidents/" + id + "/debrief?format=markdown", tom_token);
    ASSERT_EQ(debrief.status, 200);
    EXPECT_EQ(debrief.header("content-type"), "text/markdown; charset=utf-8");
    for (auto part : {"## Timeline", "switching to the backup", "handed command to Priya Nair",
                      "- [ ] Alert on processor errors — Tom Becker", "The updates kept our staff calm."})
        EXPECT_NE(debrief.body.find(part), std::string::npos) << part;

    auto detail = parse_object(server->get("/api/v1/incidents/" + id, tom_token).body);
    EXPECT_FALSE(detail["metrics"].as_object()["seconds_to_resolve"].is_null());
    auto metrics = parse_object(server->get("/api/v1/incidents/metrics", tom_token).body)["data"].as_array();
    EXPECT_EQ(metrics[1].as_object().at("incidents").as_int64(), 1);
    EXPECT_EQ(server->get("/api/v1/incidents/metrics", sam).status, 403);
}

}  // namespace
}  // namespace lifeline::testing
