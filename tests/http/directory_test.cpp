// Setting up a desk over the API: plans, organizations and people, with admin-only rules.
#include "support/served_desk.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

class Directory : public ServedDesk {};

const std::string kPlan =
    R"({"name":"Gold","time_zone":"Europe/Berlin","hours":"Mon-Fri 08:00-17:00","holidays":["2026-12-24","2026-12-25"],
  "after_hours_emergency":true,"emergency_phone":"+49 30 1234567",
  "targets":{"P1":{"first_response_minutes":10,"resolution_minutes":120},"P2":{"first_response_minutes":60,"resolution_minutes":480},
             "P3":{"first_response_minutes":240,"resolution_minutes":1440},"P4":{"first_response_minutes":480,"resolution_minutes":2880}}})";

TEST_F(Directory, AdminSetsUpAPlanOrganizationAgentAndContactAndTheirTicketUsesThePlan)
{
    auto plan = server->post_json("/api/v1/plans", kPlan, admin);
    ASSERT_EQ(plan.status, 201) << plan.body;
    auto plan_id = parse_object(plan.body)["id"].as_int64();
    EXPECT_EQ(parse_object(plan.body)["hours"].as_string(), "Mon-Fri 08:00-17:00");

    auto agent = server->post_json(
        "/api/v1/people", R"({"email":"eva@desk.test","name":"Eva Klein","role":"agent","phone":"+49 151 000"})",
        admin);
    ASSERT_EQ(agent.status, 201) << agent.body;
    auto org = server->post_json("/api/v1/organizations",
                                 R"({"name":"Bäckerei Müller","email_domains":["mueller.test"],"plan_id":)" +
                                     std::to_string(plan_id) + R"(,"primary_agent":"eva@desk.test"})",
                                 admin);
    ASSERT_EQ(org.status, 201) << org.body;
    std::string slug(parse_object(org.body)["slug"].as_string());
    EXPECT_EQ(slug, "b-ckerei-m-ller");
    auto contact = server->post_json(
        "/api/v1/people", R"({"email":"anna@mueller.test","name":"Anna","organization":")" + slug + R"("})", admin);
    ASSERT_EQ(contact.status, 201) << contact.body;
    EXPECT_EQ(parse_object(contact.body).count("password_hash"), 0u);

    auto t = server->post_json("/api/v1/tickets", R"({"subject":"Ofen","body":"kaputt","priority":"P1"})",
                               token_for("anna@mueller.test"));
    ASSERT_EQ(t.status, 201) << t.body;
    auto ticket = parse_object(t.body);
    auto ack = ticket["acknowledgement"].as_object();
    EXPECT_EQ(ack["coverage"].as_string(), "round_the_clock");
    EXPECT_EQ(ack["responder"].as_object()["name"].as_string(), "Eva Klein");
    EXPECT_EQ(ack["responder"].as_object()["emergency_phone"].as_string(), "+49 30 1234567");
    EXPECT_EQ(ticket["assignee"].as_object()["name"].as_string(), "Eva Klein");

    EXPECT_EQ(parse_object(server->get("/api/v1/plans", admin).body)["data"].as_array().size(), 1u);
    EXPECT_EQ(parse_object(server->get("/api/v1/organizations", admin).body)["data"].as_array().size(), 1u);
    EXPECT_EQ(parse_object(server->get("/api/v1/staff", admin).body)["data"].as_array().size(), 2u);
}

TEST_F(Directory, BadPlansAndDuplicatesAreRejectedWithEveryFieldNamed)
{
    auto bad = server->post_json(
        "/api/v1/plans",
        R"({"name":"","time_zone":"Mars/Olympus","hours":"Mon-Fri 18:00-09:00","holidays":["2026-13-01"],"targets":{"P1":{"first_response_minutes":"soon"}}})",
        admin);
    ASSERT_EQ(bad.status, 400) << bad.body;
    std::set<std::string> fields;
    auto problem = parse_object(bad.body);
    for (const auto& e : problem["errors"].as_array())
        fields.emplace(e.as_object().at("field").as_string());
    EXPECT_TRUE(fields.count("hours")) << bad.body;
    EXPECT_TRUE(fields.count("holidays")) << bad.body;
    EXPECT_TRUE(fields.count("targets.P1.first_response_minutes")) << bad.body;
    EXPECT_TRUE(fields.count("targets.P2")) << bad.body;

    ASSERT_EQ(server->post_json("/api/v1/organizations", R"({"name":"Acme"})", admin).status, 201);
    EXPECT_EQ(server->post_json("/api/v1/organizations", R"({"name":"Acme"})", admin).status, 409);
    EXPECT_EQ(server->post_json("/api/v1/organizations", R"({"name":"X","plan_id":99})", admin).status, 400);
    EXPECT_EQ(
        server->post_json("/api/v1/organizations", R"({"name":"Y","primary_agent":"nobody@desk.test"})", admin).status,
        400);
    EXPECT_EQ(server->post_json("/api/v1/people", R"({"email":"admin@desk.test"})", admin).status, 409);
    EXPECT_EQ(server->post_json("/api/v1/people", R"({"email":"p@x.test","password":"short"})", admin).status, 400);
    EXPECT_EQ(server->post_json("/api/v1/people", R"({"email":"q@x.test","role":"king"})", admin).status, 400);
}

TEST_F(Directory, AgentsAddContactsButNotStaffAndContactsAddNobody)
{
    ASSERT_EQ(server->post_json("/api/v1/people", R"({"email":"ag@desk.test","role":"agent"})", admin).status, 201);
    auto agent = token_for("ag@desk.test");
    EXPECT_EQ(server->post_json("/api/v1/people", R"({"email":"c1@x.test"})", agent).status, 201);
    EXPECT_EQ(server->post_json("/api/v1/people", R"({"email":"boss@desk.test","role":"admin"})", agent).status, 403);
    EXPECT_EQ(server->post_json("/api/v1/plans", kPlan, agent).status, 403);
    EXPECT_EQ(server->post_json("/api/v1/organizations", R"({"name":"Z"})", agent).status, 403);
    auto contact = token_for("c1@x.test");
    EXPECT_EQ(server->post_json("/api/v1/people", R"({"email":"c2@x.test"})", contact).status, 403);
    EXPECT_EQ(server->get("/api/v1/organizations", contact).status, 403);
    EXPECT_EQ(server->get("/api/v1/plans", contact).status, 403);
    EXPECT_EQ(server->get("/api/v1/staff", contact).status, 403);
}

}  // namespace
}  // namespace lifeline::testing
