// The JSON API against a real server process on loopback with a real SQLite file.
#include "support/server_process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

json::object parse(const std::string& body)
{
    return json::parse(body).as_object();
}

const std::string kTicket =
    R"({"subject":"Shop is down","body":"Checkout returns 500","priority":"P1","requester":{"email":"bob@shop.test","name":"Bob Stone"}})";

class Api : public ::testing::Test {
protected:
    void SetUp() override
    {
        token = init_desk(dir.path(), "admin@desk.test");
        server = std::make_unique<ServerProcess>("serve", dir.path());
    }

    HttpResponse create(const std::string& body, const std::map<std::string, std::string>& headers = {})
    {
        return server->post_json("/api/v1/tickets", body, token, headers);
    }

    TempDir dir;
    std::string token;
    std::unique_ptr<ServerProcess> server;
};

TEST_F(Api, CreateAnswers201WithRefDeadlineAndAcknowledgement)
{
    auto res = create(kTicket);
    ASSERT_EQ(res.status, 201) << res.body;
    auto t = parse(res.body);
    std::string ref(t["ref"].as_string());
    EXPECT_TRUE(std::regex_match(ref, std::regex("LL-[0-9]{4,}"))) << ref;
    EXPECT_EQ(res.header("location"), "/api/v1/tickets/" + ref);
    EXPECT_EQ(t["status"].as_string(), "new");
    EXPECT_EQ(t["priority"].as_string(), "P1");
    std::string due(t["first_response_due_at"].as_string());
    EXPECT_TRUE(std::regex_match(due, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z)"))) << due;
    auto ack = t["acknowledgement"].as_object();
    EXPECT_EQ(ack["respond_by"].as_string(), due);
    std::string text(ack["text"].as_string());
    EXPECT_NE(text.find(ref), std::string::npos) << text;
    EXPECT_NE(text.find("Bob Stone"), std::string::npos) << text;
    EXPECT_EQ(t["requester"].as_object()["email"].as_string(), "bob@shop.test");
}

TEST_F(Api, SameIdempotencyKeyReturnsSameTicketAndDifferentRequestConflicts)
{
    auto first = create(kTicket, {{"Idempotency-Key", "retry-1"}});
    ASSERT_EQ(first.status, 201) << first.body;
    auto second = create(kTicket, {{"Idempotency-Key", "retry-1"}});
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_EQ(parse(first.body)["id"], parse(second.body)["id"]);
    EXPECT_EQ(second.header("idempotent-replayed"), "true");
    auto other = create(R"({"subject":"Another","body":"x","requester":{"email":"bob@shop.test"}})",
                        {{"Idempotency-Key", "retry-1"}});
    EXPECT_EQ(other.status, 409) << other.body;
    auto list = parse(server->get("/api/v1/tickets", token).body);
    EXPECT_EQ(list["data"].as_array().size(), 1u);
}

TEST_F(Api, BadInputGetsProblemJsonAndWritesNothing)
{
    struct Case {
        std::string body;
        int status;
        std::string content_type = "application/json";
    };
    std::vector<Case> cases{
        {"{not json", 400},
        {"[1,2]", 400},
        {R"({"subject":"a","body":"b","priority":"P9","requester":{"email":"bob@shop.test"}})", 400},
        {R"({"subject":5,"body":"b","requester":{"email":"bob@shop.test"}})", 400},
        {R"({"subject":"a","body":"b","requester":{"email":"not-an-email"}})", 400},
        {R"({"subject":"","body":"","requester":"bob"})", 400},
        {"{\"subject\":\"\xff\xfe\",\"body\":\"b\",\"requester\":{\"email\":\"bob@shop.test\"}}", 400},
        {kTicket, 400, "text/plain"},
    };
    for (const auto& c : cases) {
        auto res = server->post_json("/api/v1/tickets", c.body, token, {{"Content-Type", c.content_type}});
        EXPECT_EQ(res.status, c.status) << c.body << " → " << res.body;
        EXPECT_EQ(res.header("content-type"), "application/problem+json") << c.body;
        auto problem = parse(res.body);
        EXPECT_FALSE(problem["detail"].as_string().empty());
        EXPECT_EQ(problem["status"].as_int64(), c.status);
    }
    auto fields = parse(create(R"({"subject":"","body":"","priority":"urgent","requester":{"email":"x"}})").body);
    EXPECT_GE(fields["errors"].as_array().size(), 4u) << json::serialize(fields);
    EXPECT_EQ(parse(server->get("/api/v1/tickets", token).body)["data"].as_array().size(), 0u);
}

TEST_F(Api, BodyOverTheLimitIs413)
{
    std::string big = R"({"subject":"big","body":")" + std::string(1024 * 1024 + 10, 'a') + R"("})";
    auto res = create(big);
    EXPECT_EQ(res.status, 413);
    EXPECT_EQ(res.header("content-type"), "application/problem+json");
}

TEST_F(Api, MissingOrWrongTokenIs401)
{
    EXPECT_EQ(server->post_json("/api/v1/tickets", kTicket, "").status, 401);
    EXPECT_EQ(server->post_json("/api/v1/tickets", kTicket, "ll_wrong").status, 401);
    EXPECT_EQ(server->get("/api/v1/tickets").status, 401);
    auto res = server->request("GET", "/api/v1/tickets", {}, {{"Authorization", "Basic abc"}});
    EXPECT_EQ(res.status, 401);
    EXPECT_FALSE(res.header("www-authenticate").empty());
}

TEST_F(Api, ListFiltersAndPaginatesWithACursor)
{
    for (int i = 0; i < 5; ++i) {
        std::string p = i % 2 ? "P2" : "P4";
        auto body = R"({"subject":"T)" + std::to_string(i) + R"(","body":"b","priority":")" + p +
                    R"(","requester":{"email":"c@shop.test"}})";
        ASSERT_EQ(create(body).status, 201);
    }
    auto page1 = parse(server->get("/api/v1/tickets?limit=2", token).body);
    ASSERT_EQ(page1["data"].as_array().size(), 2u);
    EXPECT_EQ(page1["data"].as_array()[0].as_object()["subject"].as_string(), "T4");
    std::string cursor(page1["next_cursor"].as_string());
    auto page2 = parse(server->get("/api/v1/tickets?limit=2&cursor=" + cursor, token).body);
    EXPECT_EQ(page2["data"].as_array()[0].as_object()["subject"].as_string(), "T2");
    auto page3 = parse(
        server->get("/api/v1/tickets?limit=2&cursor=" + std::string(page2["next_cursor"].as_string()), token).body);
    EXPECT_EQ(page3["data"].as_array().size(), 1u);
    EXPECT_TRUE(page3["next_cursor"].is_null());
    EXPECT_EQ(parse(server->get("/api/v1/tickets?priority=P2", token).body)["data"].as_array().size(), 2u);
    EXPECT_EQ(parse(server->get("/api/v1/tickets?status=new", token).body)["data"].as_array().size(), 5u);
    EXPECT_EQ(parse(server->get("/api/v1/tickets?status=closed", token).body)["data"].as_array().size(), 0u);
    EXPECT_EQ(server->get("/api/v1/tickets?status=bogus", token).status, 400);
    EXPECT_EQ(server->get("/api/v1/tickets?limit=0", token).status, 400);
    EXPECT_EQ(server->get("/api/v1/tickets?organization=nope", token).status, 400);
}

TEST_F(Api, ReplyNoteAssignAndStatusWriteTheTimeline)
{
    auto t = parse(create(kTicket).body);
    std::string ref(t["ref"].as_string());
    auto base = "/api/v1/tickets/" + ref;
    EXPECT_EQ(server->post_json(base + "/notes", R"({"body":"checking the load balancer"})", token).status, 201);
    EXPECT_EQ(server->post_json(base + "/replies", R"({"body":"We are on it."})", token).status, 201);
    auto assigned = server->post_json(base + "/assignment", R"({"assignee":"admin@desk.test"})", token);
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    EXPECT_EQ(parse(assigned.body)["assignee"].as_object()["name"].as_string(), "Administrator");
    EXPECT_EQ(server->post_json(base + "/assignment", R"({"assignee":"bob@shop.test"})", token).status, 400);
    auto resolved = server->post_json(base + "/status", R"({"status":"resolved"})", token);
    ASSERT_EQ(resolved.status, 200);
    EXPECT_EQ(server->post_json(base + "/status", R"({"status":"done"})", token).status, 400);
    EXPECT_EQ(server->post_json(base + "/replies", R"({"body":"   "})", token).status, 400);

    auto view = parse(server->get(base, token).body);
    EXPECT_EQ(view["status"].as_string(), "resolved");
    EXPECT_FALSE(view["first_responded_at"].is_null());
    EXPECT_EQ(view["messages"].as_array().size(), 3u);
    std::vector<std::string> kinds;
    for (const auto& e : view["timeline"].as_array())
        kinds.emplace_back(e.as_object().at("kind").as_string());
    EXPECT_EQ(kinds,
              (std::vector<std::string>{"created", "acknowledged", "noted", "replied", "assigned", "status_changed"}));
    EXPECT_EQ(server->get("/api/v1/tickets/LL-9999", token).status, 404);
    EXPECT_EQ(server->get("/api/v1/tickets/garbage", token).status, 404);
}

TEST_F(Api, AcceptedTicketSurvivesSigkill)
{
    std::vector<std::string> refs;
    for (int i = 0; i < 20; ++i) {
        auto res = create(kTicket);
        ASSERT_EQ(res.status, 201);
        refs.emplace_back(parse(res.body)["ref"].as_string());
    }
    server->kill_hard();
    server = std::make_unique<ServerProcess>("serve", dir.path());
    for (const auto& ref : refs)
        EXPECT_EQ(server->get("/api/v1/tickets/" + ref, token).status, 200) << ref;
}

TEST_F(Api, HealthMetricsAndGracefulStop)
{
    auto health = server->get("/healthz");
    EXPECT_EQ(health.status, 200);
    ASSERT_EQ(create(kTicket).status, 201);
    auto metrics = server->get("/metrics").body;
    EXPECT_NE(metrics.find(R"(lifeline_http_requests_total{method="POST",route="/api/v1/tickets",status="201"} 1)"),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("lifeline_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(metrics.find("lifeline_tickets_created_total 1"), std::string::npos);
    EXPECT_NE(metrics.find("lifeline_store_write_queue_depth"), std::string::npos);
    EXPECT_EQ(server->request("DELETE", "/healthz").status, 405);
    EXPECT_EQ(server->get("/nope").status, 404);
    EXPECT_EQ(server->stop(), 0);
}

TEST_F(Api, OpenApiDocumentIsServed)
{
    auto res = server->get("/api/v1/openapi.json");
    ASSERT_EQ(res.status, 200);
    auto doc = parse(res.body);
    EXPECT_EQ(doc["openapi"].as_string(), "3.0.3");
    EXPECT_TRUE(doc["paths"].as_object().contains("/api/v1/tickets"));
}

// Tenancy on the demo desk: Maria (Harbour Bakery) and Jon (Northwind) must never see each other's tickets.
class Tenancy : public ::testing::Test {
protected:
    void SetUp() override
    {
        server = std::make_unique<ServerProcess>("demo", dir.path());
        maria = token_for("maria@harbourbakery.co.uk");
        jon = token_for("jon@northwind.example");
        staff = token_for("tom@lifeline.test");
    }
    std::string token_for(const std::string& email) { return create_token(dir.path(), email); }
    TempDir dir;
    std::unique_ptr<ServerProcess> server;
    std::string maria, jon, staff;
};

TEST_F(Tenancy, ContactGets404ForAnotherOrganizationsTicketOnEveryRoute)
{
    auto created =
        server->post_json("/api/v1/tickets", R"({"subject":"Warehouse printer","body":"jammed","priority":"P3"})", jon);
    ASSERT_EQ(created.status, 201) << created.body;
    auto t = parse(created.body);
    EXPECT_EQ(t["organization"].as_object()["name"].as_string(), "Northwind Outfitters");
    std::string ref(t["ref"].as_string());
    auto base = "/api/v1/tickets/" + ref;
    EXPECT_EQ(server->get(base, jon).status, 200);
    EXPECT_EQ(server->get(base, maria).status, 404);
    EXPECT_EQ(server->post_json(base + "/replies", R"({"body":"hi"})", maria).status, 404);
    EXPECT_EQ(server->post_json(base + "/notes", R"({"body":"hi"})", maria).status, 404);
    EXPECT_EQ(server->post_json(base + "/assignment", R"({"assignee":"tom@lifeline.test"})", maria).status, 404);
    EXPECT_EQ(server->post_json(base + "/status", R"({"status":"resolved"})", maria).status, 404);
    EXPECT_EQ(server->post_json(base + "/status", R"({"status":"closed"})", maria).status, 404);
    auto listed = parse(server->get("/api/v1/tickets?limit=200", maria).body);
    for (const auto& item : listed["data"].as_array())
        EXPECT_EQ(item.as_object().at("organization").as_object().at("name").as_string(), "Harbour Bakery");
    EXPECT_GE(listed["data"].as_array().size(), 2u);
    // Filtering by the other organization's slug still yields only Maria's own scope.
    auto filtered = parse(server->get("/api/v1/tickets?organization=northwind-outfitters", maria).body);
    EXPECT_EQ(filtered["data"].as_array().size(), 0u);
    // Nothing Maria did reached Jon's ticket.
    auto view = parse(server->get(base, staff).body);
    EXPECT_EQ(view["messages"].as_array().size(), 1u);
    EXPECT_EQ(view["status"].as_string(), "new");
}

TEST_F(Tenancy, ContactOpensTicketsAsThemselvesAndNeverSeesInternalNotes)
{
    auto created = server->post_json(
        "/api/v1/tickets",
        R"({"subject":"Till offline","body":"card reader","priority":"P1","requester":{"email":"jon@northwind.example"},"organization":"northwind-outfitters"})",
        maria);
    ASSERT_EQ(created.status, 201) << created.body;
    auto t = parse(created.body);
    EXPECT_EQ(t["requester"].as_object()["email"].as_string(), "maria@harbourbakery.co.uk");
    EXPECT_EQ(t["organization"].as_object()["name"].as_string(), "Harbour Bakery");
    // Harbour Bakery's plan covers emergencies round the clock with Tom Becker as primary responder.
    auto ack = t["acknowledgement"].as_object();
    EXPECT_EQ(ack["coverage"].as_string(), "round_the_clock");
    EXPECT_EQ(ack["responder"].as_object()["name"].as_string(), "Tom Becker");
    std::string ref(t["ref"].as_string());
    ASSERT_EQ(server->post_json("/api/v1/tickets/" + ref + "/notes", R"({"body":"secret internal"})", staff).status,
              201);
    auto view = server->get("/api/v1/tickets/" + ref, maria);
    ASSERT_EQ(view.status, 200);
    EXPECT_EQ(view.body.find("secret internal"), std::string::npos);
    EXPECT_EQ(parse(view.body).count("timeline"), 0u);
    EXPECT_EQ(server->post_json("/api/v1/tickets/" + ref + "/notes", R"({"body":"x"})", maria).status, 403);
    EXPECT_EQ(server->post_json("/api/v1/tickets/" + ref + "/status", R"({"status":"closed"})", maria).status, 403);
    EXPECT_EQ(server->post_json("/api/v1/tickets/" + ref + "/status", R"({"status":"resolved"})", maria).status, 200);
}

}  // namespace
}  // namespace lifeline::testing

namespace lifeline::testing {
namespace {

TEST_F(Api, AdminEditsTheAcknowledgementTemplate)
{
    auto current = server->get("/api/v1/templates/acknowledgement", token);
    ASSERT_EQ(current.status, 200);
    EXPECT_NE(current.body.find("{{REF}}"), std::string::npos);
    auto put = [&](const std::string& body) {
        return server->request("PUT", "/api/v1/templates/acknowledgement", body,
                               {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    };
    EXPECT_EQ(put(R"({"body":"{{#NAMED}}unclosed"})").status, 400);
    ASSERT_EQ(put(R"({"body":"Thanks! Ref {{REF}}, answer by {{RESPOND_BY_UTC}}."})").status, 200);
    auto t = parse(create(kTicket).body);
    EXPECT_EQ(t["acknowledgement"].as_object()["text"].as_string(),
              "Thanks! Ref " + std::string(t["ref"].as_string()) + ", answer by " +
                  std::string(t["first_response_due_at"].as_string()) + ".");
    ASSERT_EQ(put(R"({"body":""})").status, 200);
    EXPECT_NE(parse(create(kTicket).body)["acknowledgement"].as_object()["text"].as_string().find("Hello Bob Stone"),
              std::string::npos);
}

TEST_F(Tenancy, OnlyAdminsEditTemplatesAndContactsCannotReadThem)
{
    auto put = [&](const std::string& who) {
        return server->request("PUT", "/api/v1/templates/acknowledgement", R"({"body":"x {{REF}}"})",
                               {{"Authorization", "Bearer " + who}, {"Content-Type", "application/json"}});
    };
    EXPECT_EQ(put(staff).status, 403);
    EXPECT_EQ(put(maria).status, 403);
    EXPECT_EQ(server->get("/api/v1/templates/acknowledgement", maria).status, 403);
    EXPECT_EQ(server->get("/api/v1/templates/acknowledgement", staff).status, 200);
}

}  // namespace
}  // namespace lifeline::testing
