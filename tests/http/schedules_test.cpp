// On-call schedules over the API: definition by email, who is on call across a DST change, gaps, bad input.
#include "support/served_desk.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

class Schedules : public ServedDesk {
protected:
    void SetUp() override
    {
        ServedDesk::SetUp();
        for (auto who : {"ana", "tom"}) {
            auto body = std::string(R"({"email":")") + who + R"(@desk.test","name":")" + who + R"(","role":"agent"})";
            ASSERT_EQ(server->post_json("/api/v1/people", body, admin).status, 201);
        }
    }
    // Who is on call at `at`, by name, or "" for nobody.
    std::string on_call(const std::string& id, const std::string& at)
    {
        auto res = server->get("/api/v1/schedules/" + id + "/on-call?at=" + at, admin);
        EXPECT_EQ(res.status, 200) << res.body;
        auto o = parse_object(res.body);
        return o["on_call"].is_null() ? std::string() : std::string(o["on_call"].as_object()["name"].as_string());
    }
};

TEST_F(Schedules, DailyRotationHandsOffAtNineLocalAcrossTheBerlinClockChange)
{
    // 2026-10-25 01:00Z: Berlin falls back from CEST (UTC+2) to CET (UTC+1), so 09:00 local is 07:00Z before
    // and 08:00Z from that day on.
    auto created = server->post_json("/api/v1/schedules", R"({"name":"Primary","time_zone":"Europe/Berlin",
        "layers":[{"name":"Daily","participants":["ana@desk.test","tom@desk.test"],"start":"2026-10-24T09:00","length":"daily"}],
        "overrides":[{"user":"ana@desk.test","start":"2026-10-27T12:00:00Z","end":"2026-10-27T14:00:00Z"}]})",
                                     admin);
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(parse_object(created.body)["id"].as_int64());
    EXPECT_EQ(on_call(id, "2026-10-24T07:00:00Z"), "ana");  // 09:00 CEST: Ana's first shift
    EXPECT_EQ(on_call(id, "2026-10-25T07:59:00Z"), "ana");  // 08:59 CET: her shift lasts 25 hours
    EXPECT_EQ(on_call(id, "2026-10-25T08:00:00Z"), "tom");  // 09:00 CET: hand-off on the change day
    EXPECT_EQ(on_call(id, "2026-10-26T07:59:00Z"), "tom");
    EXPECT_EQ(on_call(id, "2026-10-26T08:00:00Z"), "ana");  // 09:00 CET
    EXPECT_EQ(on_call(id, "2026-10-27T08:30:00Z"), "tom");
    EXPECT_EQ(on_call(id, "2026-10-27T13:00:00Z"), "ana");  // the override covers two hours of Tom's day
    EXPECT_EQ(on_call(id, "2026-10-27T14:00:00Z"), "tom");
    auto shifts =
        parse_object(
            server->get("/api/v1/schedules/" + id + "/shifts?from=2026-10-24T07:00:00Z&to=2026-10-26T08:00:00Z", admin)
                .body)["data"]
            .as_array();
    ASSERT_EQ(shifts.size(), 2u);
    EXPECT_EQ(shifts[1].as_object()["start"].as_string(), "2026-10-25T08:00:00Z");
    EXPECT_EQ(shifts[1].as_object()["end"].as_string(), "2026-10-26T08:00:00Z");
}

TEST_F(Schedules, RestrictedLayerLeavesGapsThatTheApiWarnsAbout)
{
    auto created = server->post_json("/api/v1/schedules", R"({"name":"Nights","time_zone":"America/New_York",
        "layers":[{"participants":["tom@desk.test"],"start":"2026-11-02T18:00","length":"weekly","restrictions":"Mon-Fri 18:00-08:00"}]})",
                                     admin);
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(parse_object(created.body)["id"].as_int64());
    EXPECT_EQ(on_call(id, "2026-11-03T03:00:00Z"), "tom");  // Monday 22:00 EST
    EXPECT_EQ(on_call(id, "2026-11-03T17:00:00Z"), "");     // Tuesday noon: outside the restriction
    auto answer = parse_object(server->get("/api/v1/schedules/" + id + "/on-call?at=2026-11-03T17:00:00Z", admin).body);
    EXPECT_TRUE(answer.contains("warning"));
    EXPECT_FALSE(answer["gaps_next_7_days"].as_array().empty());
}

TEST_F(Schedules, BadSchedulesNameEveryProblemAndOnlyAdminsCreate)
{
    auto bad = server->post_json("/api/v1/schedules", R"({"name":"","time_zone":"Mars/Olympus",
        "layers":[{"participants":["nobody@desk.test"],"start":"tomorrow","length":"fortnightly","restrictions":"Someday"}]})",
                                 admin);
    ASSERT_EQ(bad.status, 400) << bad.body;
    std::set<std::string> fields;
    auto problem = parse_object(bad.body);
    for (const auto& e : problem["errors"].as_array())
        fields.emplace(e.as_object().at("field").as_string());
    EXPECT_TRUE(fields.count("layers[0].start")) << bad.body;
    EXPECT_TRUE(fields.count("layers[0].length")) << bad.body;
    EXPECT_EQ(
        server
            ->post_json(
                "/api/v1/schedules",
                R"({"name":"X","time_zone":"UTC","layers":[{"participants":["nobody@desk.test"],"start":"2026-11-23T09:00"}]})",
                admin)
            .status,
        400);
    EXPECT_EQ(
        server
            ->post_json(
                "/api/v1/schedules",
                R"({"name":"X","time_zone":"Mars/Olympus","layers":[{"participants":["tom@desk.test"],"start":"2026-11-23T09:00"}]})",
                admin)
            .status,
        400);
    auto agent = create_token(dir.path(), "tom@desk.test");
    EXPECT_EQ(
        server
            ->post_json(
                "/api/v1/schedules",
                R"({"name":"Y","time_zone":"UTC","layers":[{"participants":["tom@desk.test"],"start":"2026-11-23T09:00"}]})",
                agent)
            .status,
        403);
    EXPECT_EQ(server->get("/api/v1/schedules", agent).status, 200);
    EXPECT_EQ(server->get("/api/v1/schedules/99/on-call", agent).status, 404);
    EXPECT_EQ(server->get("/api/v1/schedules/99/on-call?at=yesterday", agent).status, 400);
}

}  // namespace
}  // namespace lifeline::testing
