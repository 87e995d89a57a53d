// On-call schedules over the API: definition by email, who is on call across a DST change, gaps, bad input.
#include "support/served_desk.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

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

// Runs `command` with `input` on stdin and returns its stdout.
std::string run_with_input(const std::string& command, const std::string& input, const std::string& dir)
{
    auto file = dir + "/stdin.txt";
    std::ofstream(file, std::ios::binary) << input;
    std::string out;
    FILE* p = ::popen((command + " < " + file).c_str(), "r");
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    ::pclose(p);
    return out;
}

TEST_F(Schedules, TheIcsFeedParsesWithPythonIcalendarAndMatchesTheApi)
{
    auto created = server->post_json("/api/v1/schedules", R"({"name":"Primary","time_zone":"Europe/Berlin",
        "layers":[{"participants":["ana@desk.test","tom@desk.test"],"start":"2026-01-05T09:00","length":"daily"}]})",
                                     admin);
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(parse_object(created.body)["id"].as_int64());
    auto issued = server->post_json("/api/v1/schedules/" + id + "/feed-token", "", admin);
    ASSERT_EQ(issued.status, 201) << issued.body;
    std::string url(parse_object(issued.body)["url"].as_string());
    auto feed = server->get(url);
    ASSERT_EQ(feed.status, 200) << feed.body;
    EXPECT_EQ(feed.header("content-type"), "text/calendar; charset=utf-8");

    // Every full shift in the API's answer for the feed's window is an event in the feed, and nothing else is.
    auto events = run_with_input("/usr/bin/python3 -c \"import sys, icalendar\n"
                                 "cal = icalendar.Calendar.from_ical(sys.stdin.read())\n"
                                 "for e in cal.walk('VEVENT'):\n"
                                 "    print(e.get('dtstart').dt.strftime('%Y-%m-%dT%H:%M:%SZ'), "
                                 "e.get('dtend').dt.strftime('%Y-%m-%dT%H:%M:%SZ'), e.get('summary'))\"",
                                 feed.body, dir.path());
    std::vector<std::string> from_feed;
    std::istringstream lines(events);
    for (std::string line; std::getline(lines, line);)
        from_feed.push_back(line);
    ASSERT_GT(from_feed.size(), 60u) << events;
    auto shifts = parse_object(server
                                   ->get("/api/v1/schedules/" + id + "/shifts?from=" + from_feed[1].substr(0, 20) +
                                             "&to=" + from_feed[from_feed.size() - 2].substr(21, 20),
                                         admin)
                                   .body)["data"]
                      .as_array();
    std::vector<std::string> from_api;
    for (const auto& sh : shifts) {
        const auto& o = sh.as_object();
        from_api.push_back(std::string(o.at("start").as_string()) + " " + std::string(o.at("end").as_string()) +
                           " On call: " + std::string(o.at("on_call").as_object().at("name").as_string()) +
                           " (Primary)");
    }
    EXPECT_EQ(from_api, std::vector<std::string>(from_feed.begin() + 1, from_feed.end() - 1));

    // One person's feed, a wrong token, and a new token turning the old address off.
    auto tom = server->get(url + "?user_id=" +
                           std::to_string(parse_object(created.body)["layers"]
                                              .as_array()[0]
                                              .as_object()["participants"]
                                              .as_array()[1]
                                              .as_object()["user_id"]
                                              .as_int64()));
    EXPECT_EQ(tom.status, 200);
    EXPECT_EQ(tom.body.find("ana"), std::string::npos);
    EXPECT_EQ(server->get("/calendar/schedules/cal_wrong.ics").status, 404);
    ASSERT_EQ(server->post_json("/api/v1/schedules/" + id + "/feed-token", "", admin).status, 201);
    EXPECT_EQ(server->get(url).status, 404);
}

}  // namespace
}  // namespace lifeline::testing
