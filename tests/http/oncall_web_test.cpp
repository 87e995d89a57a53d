// The on-call, schedule and alert pages against a real `lifeline demo` process: who is on call and the gap warning,
// the schedule form's messages and kept values, cover (overrides) in the schedule's zone, acknowledge and resolve
// from the alerts page, contacts kept out, CSRF, and escaping of everything people typed.
#include "support/demo_pages.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <utility>
#include <vector>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

// "2026-11-16T00:00": midnight UTC `days_ago` days before today, as a datetime-local field holds it.
std::string utc_midnight(int days_ago)
{
    auto t = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) - std::chrono::days(days_ago);
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M", &tm);
    return buffer;
}

class OnCallPages : public DemoPages {
protected:
    // A schedule made through the API as the admin; returns its id.
    std::string create_schedule(const json::object& body)
    {
        auto res = server->post_json("/api/v1/schedules", json::serialize(body), admin_token);
        EXPECT_EQ(res.status, 201) << res.body;
        return std::to_string(json::parse(res.body).at("id").as_int64());
    }

    json::object schedule_json(const std::string& id)
    {
        auto res = server->get("/api/v1/schedules/" + id, admin_token);
        EXPECT_EQ(res.status, 200) << res.body;
        return json::parse(res.body).as_object();
    }

    std::size_t schedule_count()
    {
        auto res = server->get("/api/v1/schedules", admin_token);
        return json::parse(res.body).at("data").as_array().size();
    }

    // A triggered alert on a new service, through the generic webhook; returns the alert's id.
    std::int64_t trigger_alert(const std::string& service, const std::string& title)
    {
        auto created =
            server->post_json("/api/v1/services", json::serialize(json::object{{"name", service}}), admin_token);
        EXPECT_EQ(created.status, 201) << created.body;
        std::string key(json::parse(created.body).at("integration_key").as_string());
        auto sent = server->post_json(
            "/api/v1/integrations/webhook/" + key,
            json::serialize(json::object{
                {"title", title}, {"severity", "critical"}, {"key", "disk-full"}, {"source", "db1.example.com"}}),
            "");
        EXPECT_EQ(sent.status, 202) << sent.body;
        return json::parse(sent.body).at("events").as_array()[0].as_object().at("alert_id").as_int64();
    }

    std::string alert_status(std::int64_t id)
    {
        auto res = server->get("/api/v1/alerts?status=all", admin_token);
        auto all = json::parse(res.body);
        for (const auto& a : all.at("data").as_array())
            if (a.as_object().at("id").as_int64() == id) return std::string(a.as_object().at("status").as_string());
        return {};
    }
};

json::object daily_layer(const std::string& name, const std::string& email, const std::string& restrictions = {})
{
    json::object layer{{"name", name},
                       {"participants", json::array{json::value(email)}},
                       {"start", utc_midnight(7)},
                       {"length", "daily"}};
    if (!restrictions.empty()) layer["restrictions"] = restrictions;
    return layer;
}

TEST_F(OnCallPages, TheOnCallPageShowsWhoIsOnCallAndWarnsAboutGaps)
{
    auto primary = create_schedule(
        {{"name", "Primary"}, {"time_zone", "UTC"}, {"layers", json::array{daily_layer("Round the clock", kTom)}}});
    // Every Saturday 02:00-06:00 Berlin time nobody is on call for the database schedule.
    auto database = create_schedule(
        {{"name", "Database"},
         {"time_zone", "Europe/Berlin"},
         {"layers",
          json::array{daily_layer("Weekdays", kPriya, "Sun-Fri 00:00-24:00; Sat 00:00-02:00, 06:00-24:00")}}});

    auto tom = sign_in(kTom);
    auto res = tom.get("/console/on-call");
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_TRUE(contains(res.body, "href=\"/console/on-call\" aria-current=\"page\"")) << res.body;

    auto card = between(res.body, "data-schedule=\"" + primary + "\"", "</section>");
    EXPECT_TRUE(contains(card, "On call now")) << card;
    EXPECT_TRUE(contains(card, "Tom Becker")) << card;
    EXPECT_TRUE(contains(card, "Times in UTC")) << card;
    EXPECT_FALSE(contains(card, "gap")) << card;

    auto banner = between(res.body, "id=\"gap-banner\"", "</div>");
    ASSERT_FALSE(banner.empty()) << res.body;
    EXPECT_TRUE(contains(banner, "href=\"/console/schedules/" + database + "\">Database</a>")) << banner;
    EXPECT_TRUE(std::regex_search(banner, std::regex("Nobody is on call (Sat [0-9]{1,2} [A-Z][a-z]{2} 02:00–06:00 "
                                                     "CES?T|now, until Sat [0-9]{1,2} [A-Z][a-z]{2} 06:00 CES?T)")))
        << banner;
    EXPECT_FALSE(contains(banner, "/console/schedules/" + primary + "\"")) << banner;
    auto database_card = between(res.body, "data-schedule=\"" + database + "\"", "</section>");
    // One a week; two while the current one runs (it and next week's both start within the 7 days).
    EXPECT_TRUE(std::regex_search(database_card, std::regex("[12] gaps? in the next 7 days"))) << database_card;
    EXPECT_TRUE(contains(database_card, "Times in Europe/Berlin")) << database_card;

    // The schedule's own page: the same warning, and a day-by-day list in which the gap stands out.
    auto detail = tom.get("/console/schedules/" + database);
    ASSERT_EQ(detail.status, 200) << detail.body;
    EXPECT_TRUE(contains(detail.body, "id=\"gap-banner\"")) << detail.body;
    EXPECT_TRUE(contains(detail.body, "Europe/Berlin")) << detail.body;
    EXPECT_TRUE(std::regex_search(detail.body, std::regex("<td class=\"shift__time\">02:00–06:00</td>\\s*<td "
                                                          "class=\"shift__who\"><strong>Nobody on call</strong>")))
        << detail.body;
    EXPECT_TRUE(contains(detail.body, "Sun-Fri 00:00-24:00; Sat 00:00-02:00, 06:00-24:00")) << detail.body;
    // Staff who are not admins see no admin forms.
    EXPECT_FALSE(contains(detail.body, "id=\"override-form\"")) << detail.body;
    EXPECT_FALSE(contains(detail.body, "/edit\"")) << detail.body;
    EXPECT_EQ(tom.get("/console/schedules/999").status, 404);
    EXPECT_EQ(tom.get("/console/schedules/new").status, 403);
}

TEST_F(OnCallPages, TheScheduleFormShowsEachProblemBesideItsFieldAndKeepsWhatWasTyped)
{
    auto admin = sign_in(kAdmin);
    auto form = admin.get("/console/schedules/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(contains(form.body, "name=\"layer3_participants\"")) << form.body;
    EXPECT_TRUE(contains(form.body, "<option value=\"Europe/Berlin\">")) << form.body;

    FormFields typed{{"name", "Nights <b>"},
                     {"time_zone", "Mars/Olympus"},
                     {"layer1_name", "Evenings"},
                     {"layer1_participants", kTom + "\nnobody@example.com"},
                     {"layer1_start", "2026-11-23T18:00"},
                     {"layer1_length", "weekly"},
                     {"layer1_hours", ""},
                     {"layer1_restrictions", "Someday 18:00-08:00"}};
    auto count = schedule_count();
    auto bad = admin.post_form("/console/schedules", typed);
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_TRUE(contains(bad.body, "value=\"Nights &lt;b&gt;\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "value=\"Mars/Olympus\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "value=\"Evenings\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "value=\"Someday 18:00-08:00\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, ">" + kTom + "\nnobody@example.com</textarea>")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"schedule-zone-error\">Unknown time zone &#39;Mars/Olympus&#39;.")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"layer1-participants-error\">&#39;nobody@example.com&#39; is not a staff "
                                   "member."))
        << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"layer1-restrictions-error\">Unknown day &#39;Someday&#39;")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "aria-invalid=\"true\"")) << bad.body;
    EXPECT_EQ(schedule_count(), count);

    // A malformed hand-off is caught before the desk is asked, and named beside its field.
    typed[1].second = "Europe/Berlin";
    typed[4].second = "tomorrow evening";
    auto malformed = admin.post_form("/console/schedules", typed);
    ASSERT_EQ(malformed.status, 400);
    EXPECT_TRUE(contains(malformed.body, "id=\"layer1-start-error\">Enter a date and time")) << malformed.body;
    EXPECT_TRUE(contains(malformed.body, "value=\"tomorrow evening\"")) << malformed.body;

    // Fixed, it is created; blank layer blocks are skipped.
    typed[3].second = kTom + "\n" + kPriya;
    typed[4].second = "2026-11-23T18:00";
    typed[7].second = "Mon-Fri 18:00-08:00";
    auto created = admin.post_form("/console/schedules", typed);
    ASSERT_EQ(created.status, 303) << created.body;
    std::smatch m;
    auto location = created.header("location");
    ASSERT_TRUE(std::regex_match(location, m, std::regex("/console/schedules/([0-9]+)\\?done=created"))) << location;
    std::string id = m[1];
    auto stored = schedule_json(id);
    EXPECT_EQ(stored.at("name").as_string(), "Nights <b>");
    EXPECT_EQ(stored.at("time_zone").as_string(), "Europe/Berlin");
    ASSERT_EQ(stored.at("layers").as_array().size(), 1u);
    EXPECT_EQ(stored.at("layers").as_array()[0].as_object().at("restrictions").as_string(), "Mon-Fri 18:00-08:00");
    auto shown = admin.get(location);
    EXPECT_TRUE(contains(shown.body, "The schedule was created.")) << shown.body;

    // Editing starts from what is stored, and keeps the cover arranged in the meantime.
    ASSERT_EQ(
        server
            ->post_json("/api/v1/schedules/" + id + "/overrides",
                        R"({"user":"priya@lifeline.test","start":"2026-12-05T09:00:00Z","end":"2026-12-05T11:00:00Z"})",
                        admin_token)
            .status,
        201);
    auto edit = admin.get("/console/schedules/" + id + "/edit");
    ASSERT_EQ(edit.status, 200) << edit.body;
    EXPECT_TRUE(contains(edit.body, "value=\"Mon-Fri 18:00-08:00\"")) << edit.body;
    EXPECT_TRUE(contains(edit.body, ">" + kTom + "\n" + kPriya + "\n</textarea>")) << edit.body;
    EXPECT_TRUE(contains(edit.body, "value=\"2026-11-23T18:00\"")) << edit.body;
    EXPECT_TRUE(contains(edit.body, "action=\"/console/schedules/" + id + "\"")) << edit.body;
    typed[0].second = "Nights";
    typed[6] = {"layer1_hours", "12"};
    typed.emplace_back("layer1_length", "hours");
    typed.erase(typed.begin() + 5);  // the "weekly" length
    auto saved = admin.post_form("/console/schedules/" + id, typed);
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(saved.header("location"), "/console/schedules/" + id + "?done=updated");
    stored = schedule_json(id);
    EXPECT_EQ(stored.at("name").as_string(), "Nights");
    EXPECT_EQ(stored.at("layers").as_array()[0].as_object().at("length").as_string(), "hours");
    EXPECT_EQ(stored.at("overrides").as_array().size(), 1u);

    // Only admins use the form.
    auto tom = sign_in(kTom);
    EXPECT_EQ(tom.post_form("/console/schedules", typed).status, 403);
    EXPECT_EQ(tom.post_form("/console/schedules/" + id, typed).status, 403);
    EXPECT_EQ(tom.get("/console/schedules/" + id + "/edit").status, 403);
    EXPECT_EQ(schedule_json(id).at("name").as_string(), "Nights");
}

TEST_F(OnCallPages, CoverIsAddedInTheSchedulesZoneAndRemoved)
{
    auto id = create_schedule(
        {{"name", "Primary"}, {"time_zone", "Europe/Berlin"}, {"layers", json::array{daily_layer("Days", kTom)}}});
    auto admin = sign_in(kAdmin);
    auto shown = admin.get("/console/schedules/" + id);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"override-form\"")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "<option value=\"" + kPriya + "\">Priya Nair (" + kPriya + ")</option>"))
        << shown.body;
    EXPECT_TRUE(contains(shown.body, "Start (Europe/Berlin)")) << shown.body;

    // 10:00-12:00 on 5 December in Berlin is 09:00-11:00 UTC.
    auto added = admin.post_form("/console/schedules/" + id + "/overrides",
                                 {{"user", kPriya}, {"start", "2026-12-05T10:00"}, {"end", "2026-12-05T12:00"}});
    ASSERT_EQ(added.status, 303) << added.body;
    EXPECT_EQ(added.header("location"), "/console/schedules/" + id + "?done=override#overrides");
    auto overrides = schedule_json(id).at("overrides").as_array();
    ASSERT_EQ(overrides.size(), 1u);
    EXPECT_EQ(overrides[0].as_object().at("start").as_string(), "2026-12-05T09:00:00Z");
    EXPECT_EQ(overrides[0].as_object().at("end").as_string(), "2026-12-05T11:00:00Z");
    auto after = admin.get("/console/schedules/" + id + "?done=override");
    EXPECT_TRUE(contains(after.body, "The cover was added.")) << after.body;
    auto list = between(after.body, "<ul class=\"overrides\">", "</ul>");
    EXPECT_TRUE(contains(list, "Priya Nair")) << list;
    EXPECT_TRUE(contains(list, "Sat 5 Dec 10:00–12:00 CET")) << list;

    // An end before the start: the message beside the field, the values kept, nothing stored.
    auto backwards = admin.post_form("/console/schedules/" + id + "/overrides",
                                     {{"user", kPriya}, {"start", "2026-12-06T12:00"}, {"end", "2026-12-06T10:00"}});
    ASSERT_EQ(backwards.status, 400) << backwards.body;
    EXPECT_TRUE(contains(backwards.body, "id=\"override-end-error\">The end must be after the start."))
        << backwards.body;
    EXPECT_TRUE(contains(backwards.body, "value=\"2026-12-06T12:00\"")) << backwards.body;
    EXPECT_TRUE(contains(backwards.body, "<option value=\"" + kPriya + "\" selected>")) << backwards.body;
    auto stranger =
        admin.post_form("/console/schedules/" + id + "/overrides",
                        {{"user", "nobody@example.com"}, {"start", "2026-12-06T10:00"}, {"end", "2026-12-06T12:00"}});
    ASSERT_EQ(stranger.status, 400);
    EXPECT_TRUE(contains(stranger.body, "id=\"override-user-error\">&#39;nobody@example.com&#39; is not a staff"))
        << stranger.body;
    auto garbled = admin.post_form("/console/schedules/" + id + "/overrides",
                                   {{"user", kPriya}, {"start", "soon"}, {"end", "2026-12-06T12:00"}});
    ASSERT_EQ(garbled.status, 400);
    EXPECT_TRUE(contains(garbled.body, "id=\"override-start-error\">The start must be a date and time"))
        << garbled.body;
    EXPECT_EQ(schedule_json(id).at("overrides").as_array().size(), 1u);

    // Agents cannot arrange cover; the admin removes it again.
    auto tom = sign_in(kTom);
    EXPECT_EQ(tom.post_form("/console/schedules/" + id + "/overrides",
                            {{"user", kTom}, {"start", "2026-12-06T10:00"}, {"end", "2026-12-06T12:00"}})
                  .status,
              403);
    EXPECT_EQ(tom.post_form("/console/schedules/" + id + "/overrides/0/delete", {}).status, 403);
    EXPECT_EQ(admin.post_form("/console/schedules/" + id + "/overrides/3/delete", {}).status, 404);
    auto removed = admin.post_form("/console/schedules/" + id + "/overrides/0/delete", {});
    ASSERT_EQ(removed.status, 303) << removed.body;
    EXPECT_TRUE(schedule_json(id).at("overrides").as_array().empty());

    // The calendar link is shown once, as an absolute address that serves the feed.
    auto feed = tom.post_form("/console/schedules/" + id + "/feed", {});
    ASSERT_EQ(feed.status, 200) << feed.body;
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(feed.body, m, std::regex("value=\"http://[^/\"]+(/calendar/schedules/cal_[^\"]+\\.ics)\"")))
        << feed.body;
    const std::string address = m[1].str();
    EXPECT_EQ(server->get(address).status, 200);
    EXPECT_FALSE(contains(tom.get("/console/schedules/" + id).body, address)) << "shown only once";

    // Deleting needs the confirmation box.
    auto unconfirmed = admin.post_form("/console/schedules/" + id + "/delete", {});
    EXPECT_EQ(unconfirmed.status, 400);
    EXPECT_TRUE(contains(unconfirmed.body, "Tick the box to confirm")) << unconfirmed.body;
    EXPECT_EQ(tom.post_form("/console/schedules/" + id + "/delete", {{"confirm", "yes"}}).status, 403);
    auto deleted = admin.post_form("/console/schedules/" + id + "/delete", {{"confirm", "yes"}});
    ASSERT_EQ(deleted.status, 303);
    EXPECT_EQ(deleted.header("location"), "/console/on-call?done=deleted");
    EXPECT_EQ(admin.get("/console/schedules/" + id).status, 404);
}

TEST_F(OnCallPages, ContactsGet404AndStrangersGoToSignIn)
{
    auto id = create_schedule(
        {{"name", "Primary"}, {"time_zone", "UTC"}, {"layers", json::array{daily_layer("Days", kTom)}}});
    auto alert = std::to_string(trigger_alert("Checkout", "Checkout latency high"));
    auto maria = sign_in(kMaria);
    for (const auto& target :
         {"/console/on-call", "/console/schedules/new", "/console/alerts", "/console/alerts?show=all"}) {
        auto res = maria.get(target);
        EXPECT_EQ(res.status, 404) << target;
        EXPECT_FALSE(contains(res.body, "Tom Becker")) << target;
    }
    for (const std::string& target : {"/console/schedules/" + id, "/console/schedules/" + id + "/edit"})
        EXPECT_EQ(maria.get(target).status, 404) << target;
    for (const std::string& target : std::vector<std::string>{
             "/console/schedules", "/console/schedules/" + id, "/console/schedules/" + id + "/overrides",
             "/console/schedules/" + id + "/feed", "/console/schedules/" + id + "/delete",
             "/console/alerts/" + alert + "/acknowledge", "/console/alerts/" + alert + "/resolve"})
        EXPECT_EQ(maria.post_form(target, {{"confirm", "yes"}}).status, 404) << target;
    EXPECT_EQ(alert_status(std::stoll(alert)), "triggered");
    EXPECT_EQ(schedule_json(id).at("name").as_string(), "Primary");

    auto anonymous = server->request("GET", "/console/on-call");
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_EQ(anonymous.header("location"), "/login?next=%2Fconsole%2Fon-call");
    EXPECT_EQ(server->request("GET", "/console/alerts").status, 303);
}

TEST_F(OnCallPages, FormsWithoutTheCsrfTokenAreRefusedAndChangeNothing)
{
    auto id = create_schedule(
        {{"name", "Primary"}, {"time_zone", "UTC"}, {"layers", json::array{daily_layer("Days", kTom)}}});
    auto alert = trigger_alert("Checkout", "Checkout latency high");
    auto admin = sign_in(kAdmin);
    auto tom = sign_in(kTom);
    auto count = schedule_count();
    auto before = schedule_json(id);

    FormFields schedule{{"name", "Sneaky"},
                        {"time_zone", "UTC"},
                        {"layer1_participants", kTom},
                        {"layer1_start", "2026-11-23T09:00"},
                        {"layer1_length", "daily"}};
    EXPECT_EQ(admin.post_form("/console/schedules", schedule, false).status, 403);
    EXPECT_EQ(admin.post_form("/console/schedules/" + id, schedule, false).status, 403);
    FormFields cover{{"user", kPriya}, {"start", "2026-12-05T10:00"}, {"end", "2026-12-05T12:00"}};
    EXPECT_EQ(admin.post_form("/console/schedules/" + id + "/overrides", cover, false).status, 403);
    auto wrong = cover;
    wrong.emplace_back("csrf", tom.csrf);  // another session's token is no better
    EXPECT_EQ(admin.post_form("/console/schedules/" + id + "/overrides", wrong, false).status, 403);
    EXPECT_EQ(admin.post_form("/console/schedules/" + id + "/delete", {{"confirm", "yes"}}, false).status, 403);
    auto feed = tom.post_form("/console/schedules/" + id + "/feed", {}, false);
    EXPECT_EQ(feed.status, 403);
    EXPECT_FALSE(contains(feed.body, "/calendar/schedules/cal_"));
    EXPECT_EQ(tom.post_form("/console/alerts/" + std::to_string(alert) + "/acknowledge", {}, false).status, 403);
    EXPECT_EQ(
        tom.post_form("/console/alerts/" + std::to_string(alert) + "/resolve", {}, false, {{"HX-Request", "true"}})
            .status,
        403);

    EXPECT_EQ(schedule_count(), count);
    EXPECT_EQ(schedule_json(id), before);
    EXPECT_EQ(alert_status(alert), "triggered");
    // With the token the same form works, so the refusals were about the token.
    EXPECT_EQ(admin.post_form("/console/schedules/" + id + "/overrides", cover).status, 303);
}

TEST_F(OnCallPages, AlertsAreAcknowledgedAndResolvedFromThePage)
{
    auto id = trigger_alert("Checkout <api>", kScript + " disk full");
    auto row_id = "id=\"alert-" + std::to_string(id) + "\"";
    auto tom = sign_in(kTom);

    auto list = tom.get("/console/alerts");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(contains(list.body, "href=\"/console/alerts\" aria-current=\"page\"")) << list.body;
    auto row = between(list.body, row_id, "</tr>");
    ASSERT_FALSE(row.empty()) << list.body;
    EXPECT_TRUE(contains(row, "Checkout &lt;api&gt;")) << row;
    EXPECT_TRUE(contains(row, "&lt;script&gt;alert(1)&lt;/script&gt; disk full")) << row;
    EXPECT_TRUE(contains(row, ">Critical<")) << row;
    EXPECT_TRUE(contains(row, ">Triggered<")) << row;
    EXPECT_TRUE(contains(row, "class=\"alert-row__escalation\"")) << row;
    EXPECT_TRUE(contains(row, "/acknowledge")) << row;
    EXPECT_FALSE(contains(list.body, kScript));

    // Without JavaScript: a form post and 303 back to the list.
    auto acked = tom.post_form("/console/alerts/" + std::to_string(id) + "/acknowledge", {{"show", "open"}});
    ASSERT_EQ(acked.status, 303) << acked.body;
    EXPECT_EQ(acked.header("location"), "/console/alerts?done=acknowledged");
    EXPECT_EQ(alert_status(id), "acknowledged");
    auto after = tom.get(acked.header("location"));
    EXPECT_TRUE(contains(after.body, "The alert was acknowledged.")) << after.body;
    row = between(after.body, row_id, "</tr>");
    EXPECT_TRUE(contains(row, ">Acknowledged<")) << row;
    EXPECT_FALSE(contains(row, "/acknowledge")) << row;
    EXPECT_TRUE(contains(row, "/resolve")) << row;

    // With htmx: only the row comes back.
    auto resolved = tom.post_form("/console/alerts/" + std::to_string(id) + "/resolve", {{"show", "open"}}, true,
                                  {{"HX-Request", "true"}});
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_TRUE(std::regex_search(resolved.body, std::regex("^\\s*<tr class=\"alert-row alert-row--resolved\"")))
        << resolved.body;
    EXPECT_FALSE(contains(resolved.body, "<html")) << resolved.body;
    EXPECT_FALSE(contains(resolved.body, "<form")) << resolved.body;
    EXPECT_EQ(alert_status(id), "resolved");

    // Resolved alerts leave the open list and stay under "All recent"; resolving again is refused politely.
    EXPECT_FALSE(contains(tom.get("/console/alerts").body, row_id));
    auto all = tom.get("/console/alerts?show=all");
    EXPECT_TRUE(contains(between(all.body, row_id, "</tr>"), ">Resolved<")) << all.body;
    EXPECT_TRUE(contains(all.body, "href=\"/console/alerts?show=all\" aria-current=\"page\"")) << all.body;
    auto again = tom.post_form("/console/alerts/" + std::to_string(id) + "/resolve", {{"show", "all"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(contains(again.body, "already resolved")) << again.body;
    EXPECT_EQ(tom.post_form("/console/alerts/99999/acknowledge", {}).status, 404);
}

TEST_F(OnCallPages, NamesWithMarkupAreEscapedOnEveryPage)
{
    const std::string image = "<img src=x onerror=alert(2)>";
    auto person = server->post_json(
        "/api/v1/people",
        json::serialize(json::object{{"email", "eve@lifeline.test"}, {"name", image}, {"role", "agent"}}), admin_token);
    ASSERT_EQ(person.status, 201) << person.body;
    auto id = create_schedule({{"name", kScript},
                               {"time_zone", "UTC"},
                               {"layers", json::array{daily_layer("<b>Layer</b>", "eve@lifeline.test")}}});
    ASSERT_EQ(
        server
            ->post_json("/api/v1/schedules/" + id + "/overrides",
                        R"({"user":"eve@lifeline.test","start":"2026-12-05T09:00:00Z","end":"2026-12-05T11:00:00Z"})",
                        admin_token)
            .status,
        201);
    auto admin = sign_in(kAdmin);
    for (const std::string& target : std::vector<std::string>{"/console/on-call", "/console/schedules/" + id,
                                                              "/console/schedules/" + id + "/edit"}) {
        auto res = admin.get(target);
        ASSERT_EQ(res.status, 200) << target;
        EXPECT_FALSE(contains(res.body, kScript)) << target;
        EXPECT_FALSE(contains(res.body, "<img src=x")) << target;
        EXPECT_FALSE(contains(res.body, "<b>Layer")) << target;
        EXPECT_TRUE(contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;")) << target << ":\n" << res.body;
    }
    auto detail = admin.get("/console/schedules/" + id);
    EXPECT_TRUE(contains(detail.body, "&lt;img src=x onerror=alert(2)&gt;")) << detail.body;
    EXPECT_TRUE(contains(detail.body, "&lt;b&gt;Layer&lt;/b&gt;")) << detail.body;
}

}  // namespace
}  // namespace lifeline::testing
