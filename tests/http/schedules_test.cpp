// On-call schedules over the API: definition by email, who is on call across a DST change, gaps, bad input.
#include "support/served_desk.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
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

// The API's answer as JSON, with the admin's token (or `token`).
HttpResponse call(ServerProcess& server, const std::string& method, const std::string& target, const std::string& body,
                  const std::string& token)
{
    return server.request(method, target, body,
                          {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
}

TEST_F(Schedules, AScheduleIsReadReplacedAndDeletedByAdminsOnly)
{
    auto created = server->post_json("/api/v1/schedules", R"({"name":"Primary","time_zone":"Europe/Berlin",
        "layers":[{"name":"Nights","participants":["ana@desk.test"],"start":"2026-11-02T18:00","restrictions":"Mon-Fri 18:00-08:00"}]})",
                                     admin);
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(parse_object(created.body)["id"].as_int64());
    ASSERT_EQ(
        server->post_json("/api/v1/schedules", R"({"name":"Secondary","time_zone":"UTC","layers":[]})", admin).status,
        201);
    auto agent = create_token(dir.path(), "tom@desk.test");

    // Read: staff see it, with the restriction written back as a spec that create accepts.
    auto read = server->get("/api/v1/schedules/" + id, agent);
    ASSERT_EQ(read.status, 200) << read.body;
    auto layer = parse_object(read.body)["layers"].as_array()[0].as_object();
    EXPECT_EQ(layer["restrictions"].as_string(), "Mon-Fri 18:00-08:00");
    EXPECT_EQ(layer["name"].as_string(), "Nights");
    EXPECT_EQ(server->get("/api/v1/schedules/999", agent).status, 404);
    EXPECT_EQ(server->get("/api/v1/schedules/abc", agent).status, 404);

    // Replace: the same validation as create, every problem named, nothing changed on failure.
    const std::string replacement = R"json({"name":"Primary (Berlin)","time_zone":"America/New_York",
        "layers":[{"participants":["tom@desk.test","ana@desk.test"],"start":"2026-11-23T09:00","length":"daily"}]})json";
    EXPECT_EQ(call(*server, "PUT", "/api/v1/schedules/" + id, replacement, agent).status, 403);
    auto bad = call(
        *server, "PUT", "/api/v1/schedules/" + id,
        R"({"name":"","time_zone":"Mars/Olympus","layers":[{"participants":["nobody@desk.test"],"start":"2026-11-23T09:00","length":"hours","hours":0}]})",
        admin);
    ASSERT_EQ(bad.status, 400) << bad.body;
    std::set<std::string> fields;
    auto problem = parse_object(bad.body);
    for (const auto& e : problem["errors"].as_array())
        fields.emplace(e.as_object().at("field").as_string());
    EXPECT_EQ(fields, (std::set<std::string>{"name", "time_zone", "layers[0].participants[0]", "layers[0].hours"}))
        << bad.body;
    EXPECT_EQ(
        call(*server, "PUT", "/api/v1/schedules/" + id, R"({"name":"Secondary","time_zone":"UTC","layers":[]})", admin)
            .status,
        409);
    EXPECT_EQ(call(*server, "PUT", "/api/v1/schedules/999", replacement, admin).status, 404);
    EXPECT_EQ(server->get("/api/v1/schedules/" + id, agent).body, read.body);
    auto replaced = call(*server, "PUT", "/api/v1/schedules/" + id, replacement, admin);
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    auto now = parse_object(server->get("/api/v1/schedules/" + id, agent).body);
    EXPECT_EQ(now["name"].as_string(), "Primary (Berlin)");
    EXPECT_EQ(now["time_zone"].as_string(), "America/New_York");
    EXPECT_EQ(now["layers"].as_array()[0].as_object()["length"].as_string(), "daily");
    EXPECT_EQ(on_call(id, "2026-11-23T14:00:00Z"), "tom");  // 09:00 EST: Tom first
    EXPECT_EQ(on_call(id, "2026-11-24T14:00:00Z"), "ana");

    // Delete: admins only; afterwards the schedule is gone everywhere.
    EXPECT_EQ(call(*server, "DELETE", "/api/v1/schedules/" + id, "", agent).status, 403);
    auto deleted = call(*server, "DELETE", "/api/v1/schedules/" + id, "", admin);
    EXPECT_EQ(deleted.status, 204) << deleted.body;
    EXPECT_EQ(server->get("/api/v1/schedules/" + id, agent).status, 404);
    EXPECT_EQ(server->get("/api/v1/schedules/" + id + "/on-call", agent).status, 404);
    EXPECT_EQ(call(*server, "DELETE", "/api/v1/schedules/" + id, "", admin).status, 404);
    EXPECT_EQ(parse_object(server->get("/api/v1/schedules", agent).body)["data"].as_array().size(), 1u);
}

TEST_F(Schedules, OverridesAreAddedAndRemovedOneAtATime)
{
    auto created = server->post_json("/api/v1/schedules", R"({"name":"Primary","time_zone":"UTC",
        "layers":[{"participants":["ana@desk.test"],"start":"2026-11-02T09:00","length":"weekly"}]})",
                                     admin);
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(parse_object(created.body)["id"].as_int64());
    auto target = "/api/v1/schedules/" + id + "/overrides";
    const std::string cover = R"({"user":"tom@desk.test","start":"2026-11-28T18:00:00Z","end":"2026-11-29T08:00:00Z"})";

    auto agent = create_token(dir.path(), "tom@desk.test");
    EXPECT_EQ(server->post_json(target, cover, agent).status, 403);
    auto backwards = server->post_json(
        target, R"({"user":"tom@desk.test","start":"2026-11-29T08:00:00Z","end":"2026-11-28T18:00:00Z"})", admin);
    ASSERT_EQ(backwards.status, 400);
    EXPECT_EQ(parse_object(backwards.body)["errors"].as_array()[0].as_object()["field"].as_string(), "end");
    auto stranger = server->post_json(
        target, R"({"email":"nobody@desk.test","start":"2026-11-28T18:00:00Z","end":"2026-11-29T08:00:00Z"})", admin);
    ASSERT_EQ(stranger.status, 400);
    EXPECT_EQ(parse_object(stranger.body)["errors"].as_array()[0].as_object()["field"].as_string(), "user");
    EXPECT_EQ(server->post_json(target, R"({"user":"tom@desk.test","start":"tonight"})", admin).status, 400);
    EXPECT_EQ(server->post_json("/api/v1/schedules/999/overrides", cover, admin).status, 404);

    auto added = server->post_json(target, cover, admin);
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(parse_object(added.body)["overrides"].as_array().size(), 1u);
    EXPECT_EQ(on_call(id, "2026-11-28T20:00:00Z"), "tom");
    EXPECT_EQ(on_call(id, "2026-11-29T08:00:00Z"), "ana");

    EXPECT_EQ(call(*server, "DELETE", target + "/0", "", agent).status, 403);
    EXPECT_EQ(call(*server, "DELETE", target + "/1", "", admin).status, 404);
    EXPECT_EQ(call(*server, "DELETE", target + "/x", "", admin).status, 404);
    EXPECT_EQ(call(*server, "DELETE", target + "/0", "", admin).status, 204);
    EXPECT_EQ(on_call(id, "2026-11-28T20:00:00Z"), "ana");
    EXPECT_TRUE(parse_object(server->get("/api/v1/schedules/" + id, admin).body)["overrides"].as_array().empty());
}

TEST_F(Schedules, OnCallSaysUntilWhenAndWhoIsNext)
{
    auto created = server->post_json("/api/v1/schedules", R"({"name":"Primary","time_zone":"Europe/Berlin",
        "layers":[{"participants":["ana@desk.test","tom@desk.test"],"start":"2026-10-24T09:00","length":"daily"}]})",
                                     admin);
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(parse_object(created.body)["id"].as_int64());
    auto answer = parse_object(server->get("/api/v1/schedules/" + id + "/on-call?at=2026-10-24T12:00:00Z", admin).body);
    EXPECT_EQ(answer["on_call"].as_object()["name"].as_string(), "ana");
    EXPECT_EQ(answer["until"].as_string(), "2026-10-25T08:00:00Z");  // 09:00 CET, after the clock change
    EXPECT_EQ(answer["next"].as_object()["name"].as_string(), "tom");
    EXPECT_EQ(answer["next_start"].as_string(), "2026-10-25T08:00:00Z");
}

}  // namespace
}  // namespace lifeline::testing
