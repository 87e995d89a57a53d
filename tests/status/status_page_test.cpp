// The public status page in HTML and its Atom and RSS feeds on the real server: a published incident shows within a
// second, HTML or script written into incidents is escaped on the page and in both feeds, the feeds parse cleanly in
// Debian's python3-feedparser (no bozo flag), and the page answers conditional requests from its render-once bytes.
#include "gunzip.hpp"
#include "support/served_desk.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <tuple>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kHostile = R"(<script>alert(1)</script> & <b>API</b>)";
constexpr const char* kHostileBody = R"(Users see <img src=x onerror=alert(2)> & "quotes")";

// Parses a feed with /usr/bin/python3 and feedparser; prints bozo and the entries as JSON.
constexpr const char* kParser = R"(import feedparser, json, sys
d = feedparser.parse(open(sys.argv[1], 'rb').read())
print(json.dumps({'bozo': int(d.bozo), 'bozo_exception': str(d.get('bozo_exception', '')),
                  'version': d.version, 'title': d.feed.get('title', ''),
                  'entries': [{'id': e.get('id', ''), 'title': e.get('title', ''), 'summary': e.get('summary', ''),
                               'summary_type': (e.get('content') or [e.get('summary_detail', {})])[0].get('type', ''),
                               'link': e.get('link', ''), 'published': e.get('published', ''),
                               'has_date': bool(e.get('published_parsed') or e.get('updated_parsed'))}
                              for e in d.entries]}))
)";

// Parses an iCalendar feed with /usr/bin/python3 and Debian's python3-icalendar; prints the events as JSON.
constexpr const char* kCalendarParser = R"(import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
print(json.dumps({'events': [{'uid': str(e['UID']), 'summary': str(e['SUMMARY']),
                              'description': str(e.get('DESCRIPTION', '')), 'url': str(e.get('URL', '')),
                              'status': str(e.get('STATUS', '')),
                              'start': e.decoded('DTSTART').isoformat(), 'end': e.decoded('DTEND').isoformat()}
                             for e in cal.walk('VEVENT')]}))
)";

std::string in_two_hours()
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + 2h);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf.data();
}

class StatusPage : public ServedDesk {
protected:
    json::object post(const std::string& target, const std::string& body, int expected = 201)
    {
        auto r = server->post_json(target, body, admin);
        EXPECT_EQ(r.status, expected) << target << " " << r.body;
        return r.body.empty() ? json::object{} : parse_object(r.body);
    }
    void make_page()
    {
        group = post("/api/v1/status/groups", R"({"name":"Core"})")["id"].as_int64();
        api = post("/api/v1/status/components", R"({"name":"API","group_id":)" + std::to_string(group) + "}")["id"]
                  .as_int64();
        post("/api/v1/status/components", R"({"name":"Web","description":"The website"})");
    }
    std::int64_t publish(const std::string& name, const std::string& body, const std::string& extra = {})
    {
        json::object o{{"name", name},
                       {"impact", "major"},
                       {"component_ids", json::array{api}},
                       {"component_status", "partial_outage"},
                       {"body", body}};
        auto text = json::serialize(o);
        if (!extra.empty()) text = text.substr(0, text.size() - 1) + "," + extra + "}";
        return post("/api/v1/status/incidents", text)["id"].as_int64();
    }
    void update(std::int64_t id, const std::string& status, const std::string& body)
    {
        post("/api/v1/status/incidents/" + std::to_string(id) + "/updates",
             json::serialize(json::object{{"status", status}, {"body", body}}));
    }
    // The feed at `target`, as feedparser saw it.
    json::object parse_feed(const std::string& target, const std::string& content_type, const char* parser = kParser)
    {
        auto r = server->get(target);
        EXPECT_EQ(r.status, 200) << target;
        EXPECT_EQ(r.header("content-type"), content_type) << target;
        auto feed = dir.path() + "/feed.xml", script = dir.path() + "/parse.py";
        std::ofstream(feed, std::ios::binary) << r.body;
        std::ofstream(script) << parser;
        std::string out;
        if (FILE* p = popen(("/usr/bin/python3 " + script + " " + feed + " 2>&1").c_str(), "r")) {
            std::array<char, 4096> buf{};
            while (auto n = std::fread(buf.data(), 1, buf.size(), p))
                out.append(buf.data(), n);
            EXPECT_EQ(pclose(p), 0) << out;
        }
        return parse_object(out);
    }

    std::int64_t group = 0, api = 0;
};

TEST_F(StatusPage, PublishedIncidentShowsWithinOneSecondWithItsUpdateAndNextUpdateTime)
{
    make_page();
    auto before = server->get("/status");
    ASSERT_EQ(before.status, 200);
    EXPECT_EQ(before.header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(before.body.find("All Systems Operational"), std::string::npos);
    EXPECT_NE(before.body.find("Operational"), std::string::npos);
    EXPECT_EQ(before.body.find("<script"), std::string::npos) << "no JavaScript on the status page";

    auto published_at = std::chrono::steady_clock::now();
    auto id = publish("Database is slow", "We are looking into slow queries.",
                      R"("next_update_at":")" + in_two_hours() + "\"");
    bool seen = false;
    std::string page;
    while (!seen && std::chrono::steady_clock::now() - published_at < 1s) {
        page = server->get("/status").body;
        seen = page.find("Database is slow") != std::string::npos &&
               page.find("We are looking into slow queries.") != std::string::npos;
        if (!seen) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(seen) << page;
    EXPECT_NE(page.find("Partial System Outage"), std::string::npos) << "overall state in words";
    EXPECT_NE(page.find("Partial outage"), std::string::npos) << "component status in words";
    EXPECT_NE(page.find("Investigating"), std::string::npos);
    EXPECT_NE(page.find("Next update expected by"), std::string::npos);
    EXPECT_NE(page.find("<main"), std::string::npos);
    EXPECT_NE(page.find("<h1"), std::string::npos);
    EXPECT_NE(page.find("name=\"viewport\""), std::string::npos);
    EXPECT_NE(page.find("href=\"/status/incidents/" + std::to_string(id) + "\""), std::string::npos);

    update(id, "identified", "Found the slow index.");
    auto incident = server->get("/status/incidents/" + std::to_string(id));
    ASSERT_EQ(incident.status, 200);
    EXPECT_EQ(incident.header("content-type"), "text/html; charset=utf-8");
    auto newest = incident.body.find("Found the slow index."), oldest = incident.body.find("slow queries.");
    ASSERT_NE(newest, std::string::npos);
    ASSERT_NE(oldest, std::string::npos);
    EXPECT_LT(newest, oldest) << "updates newest first";

    // Resolved: out of the active list, into "resolved in the last 7 days"; the overall state recovers.
    update(id, "resolved", "All fixed.");
    page = server->get("/status").body;
    EXPECT_NE(page.find("All Systems Operational"), std::string::npos);
    EXPECT_EQ(page.find("Active incidents"), std::string::npos);
    EXPECT_NE(page.find("Database is slow"), std::string::npos);

    EXPECT_EQ(server->get("/status/incidents/999999").status, 404);
}

TEST_F(StatusPage, HtmlInIncidentsIsEscapedOnThePagesAndInBothFeeds)
{
    make_page();
    auto id = publish(kHostile, kHostileBody);
    for (const auto& target : {std::string("/status"), "/status/incidents/" + std::to_string(id),
                               std::string("/status/history.atom"), std::string("/status/history.rss")}) {
        auto r = server->get(target);
        ASSERT_EQ(r.status, 200) << target;
        EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos) << target;
        EXPECT_EQ(r.body.find("<b>API"), std::string::npos) << target;
        EXPECT_EQ(r.body.find("<img"), std::string::npos) << target;
        EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;API&lt;/b&gt;"), std::string::npos)
            << target;
        // RSS descriptions are HTML, so the body is escaped as HTML, then as XML.
        auto body = target.ends_with(".rss") ? "&amp;lt;img src=x onerror=alert(2)&amp;gt; &amp;amp; "
                                             : "&lt;img src=x onerror=alert(2)&gt; &amp; ";
        EXPECT_NE(r.body.find(body), std::string::npos) << target;
    }
}

TEST_F(StatusPage, FeedsParseWithoutBozoAndCarryTheUpdates)
{
    make_page();
    auto id = publish(kHostile, kHostileBody);
    update(id, "monitoring", "A fix is out; we are watching.");
    publish("Mail delayed", "Outbound mail is queued.");

    for (const auto& [target, type, version] :
         {std::tuple{"/status/history.atom", "application/atom+xml; charset=utf-8", "atom10"},
          std::tuple{"/status/history.rss", "application/rss+xml; charset=utf-8", "rss20"}}) {
        auto feed = parse_feed(target, type);
        EXPECT_EQ(feed.at("bozo").as_int64(), 0) << target << ": " << feed.at("bozo_exception").as_string();
        EXPECT_EQ(feed.at("version").as_string(), version);
        const auto& entries = feed.at("entries").as_array();
        ASSERT_EQ(entries.size(), 3u) << target;
        // Newest first: the second incident, then the monitoring update, then the first update.
        EXPECT_EQ(entries[0].at("summary").as_string(), "Outbound mail is queued.") << target;
        EXPECT_EQ(entries[1].at("summary").as_string(), "A fix is out; we are watching.") << target;
        auto title = std::string(entries[1].at("title").as_string());
        EXPECT_NE(title.find("alert(1)"), std::string::npos) << title;
        // The hostile body is text, never live markup, in the reader: plain text in Atom, HTML-escaped in RSS.
        const auto& hostile = entries[2];
        auto summary = std::string(hostile.at("summary").as_string());
        if (std::string(version) == "atom10") {
            EXPECT_EQ(hostile.at("summary_type").as_string(), "text/plain");
            EXPECT_EQ(summary, kHostileBody);
        } else {
            EXPECT_EQ(summary.find("<img"), std::string::npos) << summary;
            EXPECT_NE(summary.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos) << summary;
        }
        std::set<std::string> ids;
        for (const auto& e : entries) {
            EXPECT_TRUE(e.at("has_date").as_bool()) << target;
            EXPECT_NE(std::string(e.at("link").as_string()).find("/status/incidents/"), std::string::npos);
            ids.insert(std::string(e.at("id").as_string()));
        }
        EXPECT_EQ(ids.size(), entries.size()) << "distinct entry ids";
    }
    // Entry ids are stable: a later update adds an entry and keeps the others' ids.
    auto before = parse_feed("/status/history.atom", "application/atom+xml; charset=utf-8");
    update(id, "resolved", "Resolved.");
    auto after = parse_feed("/status/history.atom", "application/atom+xml; charset=utf-8");
    ASSERT_EQ(after.at("entries").as_array().size(), 4u);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(after.at("entries").as_array()[i + 1].at("id"), before.at("entries").as_array()[i].at("id"));
}

TEST_F(StatusPage, StatusPageAnswersIfNoneMatchWith304AndGzip)
{
    make_page();
    publish("Database is slow", "Looking.");
    auto first = server->get("/status");
    auto etag = first.header("etag");
    ASSERT_FALSE(etag.empty());
    auto again = server->request("GET", "/status", {}, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    auto gzip = server->request("GET", "/status", {}, {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gzip.header("content-encoding"), "gzip");
    EXPECT_EQ(gunzip(gzip.body), first.body);
    auto feed = server->get("/status/history.rss");
    EXPECT_EQ(server->request("GET", "/status/history.rss", {}, {{"If-None-Match", feed.header("etag")}}).status, 304);

    publish("Mail delayed", "Queued.");
    auto changed = server->request("GET", "/status", {}, {{"If-None-Match", etag}});
    EXPECT_EQ(changed.status, 200);
    EXPECT_NE(changed.header("etag"), etag);
}

// An RFC 3339 time `hours` from now, whole seconds.
std::string hours_from_now(int hours)
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(hours));
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf.data();
}

TEST_F(StatusPage, MaintenanceShowsUpcomingThenInProgressWithItsPageAndCalendarEscapedEverywhere)
{
    make_page();
    auto schedule = [&](const std::string& name, int from) {
        return post("/api/v1/status/maintenances",
                    json::serialize(json::object{{"name", name},
                                                 {"scheduled_for", hours_from_now(from)},
                                                 {"scheduled_until", hours_from_now(from + 2)},
                                                 {"component_ids", json::array{api}},
                                                 {"body", kHostileBody}}))["id"]
            .as_int64();
    };
    auto upcoming = schedule(kHostile, 2);
    auto running = schedule("Network switch swap", 3);
    auto dropped = schedule("Cancelled one", 4);
    post("/api/v1/status/maintenances/" + std::to_string(dropped) + "/cancel", "", 200);
    post("/api/v1/status/maintenances/" + std::to_string(running) + "/updates",
         R"({"status":"in_progress","body":"Started early."})");

    auto page = server->get("/status");
    ASSERT_EQ(page.status, 200);
    auto in_progress = page.body.find("Maintenance in progress");
    auto soon = page.body.find("Upcoming maintenance");
    ASSERT_NE(in_progress, std::string::npos);
    ASSERT_NE(soon, std::string::npos);
    EXPECT_NE(page.body.find("Network switch swap", in_progress), std::string::npos);
    EXPECT_NE(page.body.find("Affected: API", in_progress), std::string::npos);
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;", soon), std::string::npos);
    EXPECT_EQ(page.body.find("<script>"), std::string::npos);
    EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
    EXPECT_EQ(page.body.find("Cancelled one"), std::string::npos) << "a cancelled one is not upcoming";
    EXPECT_NE(page.body.find("Under maintenance"), std::string::npos) << "the API component shows it";

    auto detail = server->get("/status/maintenances/" + std::to_string(upcoming));
    ASSERT_EQ(detail.status, 200);
    EXPECT_EQ(detail.header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(detail.body.find("&lt;script&gt;"), std::string::npos);
    EXPECT_EQ(detail.body.find("<script>"), std::string::npos);
    EXPECT_NE(detail.body.find("Scheduled"), std::string::npos);
    EXPECT_EQ(server->get("/status/maintenances/999").status, 404);

    // The history feeds carry maintenance updates too, linked to the maintenance's page, the name kept as text.
    for (const auto& [target, type] : {std::pair{"/status/history.atom", "application/atom+xml; charset=utf-8"},
                                       std::pair{"/status/history.rss", "application/rss+xml; charset=utf-8"}}) {
        auto feed = parse_feed(target, type);
        EXPECT_EQ(feed.at("bozo").as_int64(), 0) << target;
        int maintenance_entries = 0;
        for (const auto& e : feed.at("entries").as_array()) {
            std::string title(e.at("title").as_string()), link(e.at("link").as_string());
            if (!title.starts_with("Maintenance: ")) continue;
            ++maintenance_entries;
            EXPECT_NE(link.find("/status/maintenances/"), std::string::npos) << target << " " << link;
        }
        EXPECT_GE(maintenance_entries, 4) << target << ": three scheduled, one cancelled, one started";
        EXPECT_NE(server->get(target).body.find("Maintenance: &lt;script&gt;"), std::string::npos) << target;
    }

    auto calendar = parse_feed("/status/maintenance.ics", "text/calendar; charset=utf-8", kCalendarParser);
    const auto& events = calendar.at("events").as_array();
    ASSERT_EQ(events.size(), 3u);
    std::map<std::string, json::object> by_summary;
    for (const auto& e : events)
        by_summary[std::string(e.at("summary").as_string())] = e.as_object();
    ASSERT_TRUE(by_summary.count(std::string("Maintenance: ") + kHostile));
    const auto& first = by_summary[std::string("Maintenance: ") + kHostile];
    EXPECT_NE(std::string(first.at("description").as_string()).find(kHostileBody), std::string::npos);
    EXPECT_NE(std::string(first.at("uid").as_string()).find("maintenance-" + std::to_string(upcoming) + "@"),
              std::string::npos);
    EXPECT_NE(std::string(first.at("url").as_string()).find("/status/maintenances/" + std::to_string(upcoming)),
              std::string::npos);
    std::string start(first.at("start").as_string()), end(first.at("end").as_string());
    EXPECT_TRUE(start.ends_with("+00:00")) << start;  // UTC
    EXPECT_LT(start, end);
    EXPECT_EQ(by_summary["Maintenance: Cancelled one"].at("status"), "CANCELLED");
    EXPECT_EQ(by_summary["Maintenance: Network switch swap"].at("status"), "");
}

TEST_F(StatusPage, HeadAnswersTheHeadersOfAGetWithoutTheBody)
{
    make_page();
    publish("Database is slow", "Looking.");
    for (const auto* target : {"/status", "/api/v2/summary.json"}) {
        for (const auto* encoding : {"identity", "gzip"}) {
            auto get = server->request("GET", target, {}, {{"Accept-Encoding", encoding}});
            auto head = server->request("HEAD", target, {}, {{"Accept-Encoding", encoding}});
            ASSERT_EQ(get.status, 200) << target;
            EXPECT_EQ(head.status, 200) << target;
            EXPECT_TRUE(head.body.empty()) << target;
            EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size())) << target << " " << encoding;
            for (const auto* h : {"etag", "content-type", "content-encoding", "last-modified"})
                EXPECT_EQ(head.header(h), get.header(h)) << target << " " << h;
        }
    }
}

}  // namespace
}  // namespace lifeline::testing
