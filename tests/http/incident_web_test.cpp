// The incident pages against a real `lifeline demo` process: declaring from a ticket page, the incident room's two
// channels (a briefing must say when the next update comes), linking a suggested duplicate whose requester then sees
// the known-issue answer naming the commander, handover, resolving, the debrief with its action items and customers'
// views, the portal's incidents and banner with their tenancy, the live-update routes, CSRF, and escaping.
#include "support/demo_pages.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

const std::string kScriptEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
// The demo's tickets: Maria's "Online shop checkout fails with an error" (P1) and "Website slow since this morning",
// both from Harbour Bakery, and Jon's VPN ticket from Northwind Outfitters.
const std::string kCheckout = "LL-1004";
const std::string kSlow = "LL-1003";

std::string capture(const std::string& body, const std::string& pattern)
{
    std::smatch m;
    if (std::regex_search(body, m, std::regex(pattern))) return m[1];
    return {};
}

class IncidentPages : public DemoPages {
protected:
    json::object api(const std::string& target)
    {
        auto res = server->get(target, admin_token);
        EXPECT_EQ(res.status, 200) << target << ": " << res.body;
        return json::parse(res.body).as_object();
    }

    std::string user_id(const std::string& email)
    {
        const auto all = api("/api/v1/staff");  // kept: the loop below borrows from it
        for (const auto& p : all.at("data").as_array())
            if (p.at("email").as_string() == email) return std::to_string(p.at("id").as_int64());
        ADD_FAILURE() << "no person " << email;
        return {};
    }

    // Declares an incident through the form the ticket page's button leads to; returns its id.
    std::string declare_from_ticket(BrowserSession& who, const std::string& ref, const std::string& title)
    {
        auto ticket = who.get("/console/tickets/" + ref);
        EXPECT_EQ(ticket.status, 200) << ticket.body;
        const auto href =
            capture(ticket.body, R"re(href="(/console/incidents/new\?ticket=[^"]+)" id="declare-incident")re");
        EXPECT_EQ(href, "/console/incidents/new?ticket=" + ref) << ticket.body;
        auto form = who.get(href);
        EXPECT_EQ(form.status, 200) << form.body;
        EXPECT_TRUE(contains(between(form.body, "id=\"declare-ticket\"", "</p>"), ref)) << form.body;
        EXPECT_TRUE(contains(form.body, "name=\"ticket\" value=\"" + ref + "\"")) << form.body;
        auto declared = who.post_form("/console/incidents", {{"ticket", ref},
                                                             {"title", title},
                                                             {"business_impact", "down"},
                                                             {"description", "cannot take orders"},
                                                             {"users", "40"},
                                                             {"users_estimated", "yes"},
                                                             {"components", "checkout, payments"},
                                                             {"keywords", "checkout"}});
        EXPECT_EQ(declared.status, 303) << declared.body;
        const auto id = capture(declared.header("location"), R"re(^/console/incidents/([0-9]+)\?done=declared$)re");
        EXPECT_FALSE(id.empty()) << declared.header("location");
        return id;
    }

    std::string room(const std::string& id) { return "/console/incidents/" + id; }
};

TEST_F(IncidentPages, DeclaredFromATicketPageTheRoomShowsCommanderSeverityAndCountdown)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, "Checkout fails");
    auto page = tom.get(room(id) + "?done=declared");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(contains(page.body, "href=\"/console/incidents\" aria-current=\"page\"")) << page.body;
    EXPECT_TRUE(contains(page.body, "The incident is declared and you are its commander")) << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"commander\"", "</dd>"), "Tom Becker")) << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"commander\"", "</dd>"), "+44 7700 900456")) << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"incident-severity\"", "</dd>"), "SEV2")) << page.body;
    EXPECT_TRUE(contains(page.body, "cannot take orders (down) → SEV2")) << page.body;
    auto next = between(page.body, "id=\"next-update\"", "</div>");
    EXPECT_TRUE(std::regex_search(next, std::regex("next update in (29|30) min"))) << next;
    EXPECT_TRUE(contains(next, "the first briefing is due within 30 minutes")) << next;
    // The two channels side by side, live regions with their fragment routes, and the event stream.
    EXPECT_TRUE(contains(page.body, "id=\"technical\"")) << page.body;
    EXPECT_TRUE(contains(page.body, "id=\"business\"")) << page.body;
    EXPECT_TRUE(contains(page.body, "data-incident-events=\"/console/incidents/" + id + "/events?last_event_id="))
        << page.body;
    EXPECT_TRUE(contains(page.body, "<script src=\"/static/incident-room.js?v=")) << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"linked-tickets\"", "</ul>"), "href=\"/console/tickets/" + kCheckout))
        << page.body;

    // The declaring ticket's requester got the known-issue answer, on the ticket.
    auto thread = server->get("/api/v1/tickets/" + kCheckout, admin_token);
    ASSERT_EQ(thread.status, 200) << thread.body;
    EXPECT_TRUE(contains(thread.body, "We know about this problem")) << thread.body;

    // The list: open incidents with their severity, commander, countdown and linked tickets.
    auto list = tom.get("/console/incidents");
    ASSERT_EQ(list.status, 200) << list.body;
    auto row = between(list.body, "data-id=\"" + id + "\"", "</tr>");
    EXPECT_TRUE(contains(row, "SEV2")) << row;
    EXPECT_TRUE(contains(row, "Checkout fails")) << row;
    EXPECT_TRUE(contains(row, "Tom Becker")) << row;
    EXPECT_TRUE(contains(row, "next update in")) << row;
    EXPECT_TRUE(contains(between(row, "incident-row__tickets\">", "<"), "1")) << row;
    EXPECT_TRUE(contains(list.body, "id=\"declare-form\"")) << list.body;

    // Fragments of the room, for its script.
    for (const std::string part : {"summary", "technical", "business", "steps", "links"}) {
        auto fragment = tom.get(room(id) + "/fragment/" + part, {{"HX-Request", "true"}});
        EXPECT_EQ(fragment.status, 200) << part << ": " << fragment.body;
        EXPECT_FALSE(contains(fragment.body, "<html")) << part;
    }
    EXPECT_EQ(tom.get(room(id) + "/fragment/nope").status, 404);
    EXPECT_EQ(tom.get("/console/incidents/99999").status, 404);
}

TEST_F(IncidentPages, DeclareFormErrorsAreShownBesideTheFieldsWithWhatWasTyped)
{
    auto tom = sign_in(kTom);
    auto bad = tom.post_form("/console/incidents", {{"title", ""},
                                                    {"business_impact", "down"},
                                                    {"description", "till offline"},
                                                    {"users", "lots"},
                                                    {"organizations", "harbour-bakery"}});
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"declare-users-error\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "value=\"till offline\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "<option value=\"harbour-bakery\" selected>")) << bad.body;

    auto untitled = tom.post_form("/console/incidents", {{"title", " "}, {"business_impact", "minor"}});
    EXPECT_EQ(untitled.status, 400) << untitled.body;
    EXPECT_TRUE(contains(between(untitled.body, "id=\"declare-title-error\"", "</p>"), "The title is required"))
        << untitled.body;

    auto override_without_reason = tom.post_form(
        "/console/incidents", {{"title", "Mail slow"}, {"business_impact", "minor"}, {"severity", "SEV1"}});
    EXPECT_EQ(override_without_reason.status, 400) << override_without_reason.body;
    EXPECT_TRUE(contains(override_without_reason.body, "id=\"declare-justification-error\""))
        << override_without_reason.body;
    EXPECT_TRUE(contains(override_without_reason.body, "<details class=\"severity-override\" open>"))
        << override_without_reason.body;
    EXPECT_EQ(api("/api/v1/incidents?status=all").at("data").as_array().size(), 1u);  // only the demo's outage
}

TEST_F(IncidentPages, ABriefingNeedsTheNextUpdateTimeAndThenReachesTheBusinessChannel)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, "Checkout fails");

    auto missing = tom.post_form(room(id) + "/updates", {{"channel", "business"},
                                                         {"body", "We are restoring the payments database."},
                                                         {"next_update_reason", "the restore finishes by then"}});
    EXPECT_EQ(missing.status, 400) << missing.body;
    auto fields = between(missing.body, "id=\"next-update-fields\"", "</fieldset>");
    EXPECT_TRUE(
        contains(between(fields, "id=\"briefing-at-error\"", "</p>"), "every briefing says when the next one comes"))
        << fields;
    EXPECT_TRUE(contains(missing.body, ">We are restoring the payments database.</textarea>")) << missing.body;
    EXPECT_TRUE(contains(fields, "value=\"the restore finishes by then\"")) << fields;
    EXPECT_FALSE(contains(tom.get(room(id) + "/fragment/business").body, "restoring the payments database"));

    auto malformed = tom.post_form(
        room(id) + "/updates",
        {{"channel", "business"}, {"body", "x"}, {"next_update_at", "tomorrow-ish"}, {"next_update_reason", "r"}});
    EXPECT_EQ(malformed.status, 400) << malformed.body;
    EXPECT_TRUE(contains(between(malformed.body, "id=\"briefing-at-error\"", "</p>"), "such as 2026-11-23T19:00"))
        << malformed.body;

    auto sent = tom.post_form(room(id) + "/updates", {{"channel", "business"},
                                                      {"body", "We are restoring the payments database."},
                                                      {"next_update_in", "45"},
                                                      {"next_update_reason", "the restore finishes by then"}});
    ASSERT_EQ(sent.status, 303) << sent.body;
    EXPECT_EQ(sent.header("location"), room(id) + "?done=briefing#business");
    auto page = tom.get(sent.header("location"));
    auto business = between(page.body, "id=\"business-log\"", "</section>");
    EXPECT_TRUE(contains(business, "We are restoring the payments database.")) << business;
    EXPECT_TRUE(contains(business, "Next update by ")) << business;
    EXPECT_TRUE(contains(business, "the restore finishes by then")) << business;
    EXPECT_FALSE(contains(between(page.body, "id=\"technical-log\"", "</section>"), "restoring the payments"));
    EXPECT_TRUE(
        std::regex_search(between(page.body, "id=\"next-update\"", "</div>"), std::regex("next update in (44|45) min")))
        << page.body;

    // A technical note goes to the log only; an empty one is refused beside the field.
    auto empty = tom.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", "  "}});
    EXPECT_EQ(empty.status, 400) << empty.body;
    EXPECT_TRUE(contains(empty.body, "id=\"note-body-error\"")) << empty.body;
    auto note = tom.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", "pg_restore at 62%"}});
    ASSERT_EQ(note.status, 303) << note.body;
    auto technical = tom.get(room(id) + "/fragment/technical").body;
    EXPECT_TRUE(contains(technical, "pg_restore at 62%")) << technical;
    EXPECT_FALSE(contains(tom.get(room(id) + "/fragment/business").body, "pg_restore"));

    // One-click templates: a prefilled form, and the "still working, no news" briefing.
    auto prefilled = tom.get(room(id) + "?template=investigating");
    EXPECT_TRUE(contains(between(prefilled.body, "id=\"briefing-body\"", "</textarea>"), "We know about the problem"))
        << prefilled.body;
    auto still = tom.post_form(room(id) + "/still-working", {});
    ASSERT_EQ(still.status, 303) << still.body;
    EXPECT_TRUE(contains(tom.get(room(id) + "/fragment/business").body, "We are still working on it")) << id;

    // A diagnostic step with an owner and a deadline, then its outcome.
    auto no_deadline = tom.post_form(room(id) + "/steps", {{"title", "Certificate expired?"}});
    EXPECT_EQ(no_deadline.status, 400) << no_deadline.body;
    EXPECT_TRUE(contains(between(no_deadline.body, "id=\"step-deadline-error\"", "</p>"), "written deadline"))
        << no_deadline.body;
    auto step = tom.post_form(
        room(id) + "/steps", {{"title", "Certificate expired?"}, {"owner_id", user_id(kPriya)}, {"deadline_in", "20"}});
    ASSERT_EQ(step.status, 303) << step.body;
    auto steps = tom.get(room(id) + "/fragment/steps").body;
    EXPECT_TRUE(contains(steps, "Certificate expired?")) << steps;
    EXPECT_TRUE(contains(steps, "Priya Nair")) << steps;
    EXPECT_TRUE(std::regex_search(steps, std::regex("due in (19|20) min"))) << steps;
    const auto step_id = capture(steps, R"re(id="step-([0-9]+)")re");
    auto extend = tom.post_form(room(id) + "/steps/" + step_id + "/outcome", {{"outcome", "extend"}, {"note", ""}});
    EXPECT_EQ(extend.status, 400) << extend.body;
    EXPECT_TRUE(contains(extend.body, "id=\"step-" + step_id + "-note-error\"")) << extend.body;
    auto confirmed = tom.post_form(room(id) + "/steps/" + step_id + "/outcome",
                                   {{"outcome", "confirmed"}, {"note", "expired at 06:58"}});
    ASSERT_EQ(confirmed.status, 303) << confirmed.body;
    EXPECT_TRUE(contains(tom.get(room(id) + "/fragment/steps").body, "expired at 06:58"));
}

TEST_F(IncidentPages, ALinkedDuplicatesRequesterSeesTheKnownIssueAnswerNamingTheCommander)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, "Checkout fails");
    auto page = tom.get(room(id));
    auto suggestions = between(page.body, "id=\"suggestions\"", "</ul>");
    ASSERT_TRUE(contains(suggestions, kSlow)) << page.body;
    ASSERT_TRUE(contains(suggestions, "name=\"ref\" value=\"" + kSlow + "\"")) << suggestions;

    auto linked = tom.post_form(room(id) + "/tickets", {{"ref", kSlow}});
    ASSERT_EQ(linked.status, 303) << linked.body;
    EXPECT_EQ(linked.header("location"), room(id) + "?done=linked#links");
    auto after = tom.get(room(id));
    EXPECT_TRUE(contains(between(after.body, "id=\"linked-tickets\"", "</ul>"), kSlow)) << after.body;
    EXPECT_FALSE(contains(between(after.body, "id=\"suggestions\"", "</ul>"), kSlow)) << after.body;

    auto maria = sign_in(kMaria);
    auto ticket = maria.get("/portal/tickets/" + kSlow);
    ASSERT_EQ(ticket.status, 200) << ticket.body;
    EXPECT_TRUE(contains(ticket.body, "We know about this problem and are already working on it: Checkout fails"))
        << ticket.body;
    EXPECT_TRUE(contains(ticket.body, "Tom Becker (emergency line +44 7700 900456) is leading the response"))
        << ticket.body;
    EXPECT_TRUE(contains(ticket.body, "Next update by ")) << ticket.body;

    // Linking again, or an unknown reference: the message beside the link form.
    auto again = tom.post_form(room(id) + "/tickets", {{"ref", kSlow}});
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_TRUE(contains(between(again.body, "id=\"link-ref-error\"", "</p>"), "already linked")) << again.body;
    auto unknown = tom.post_form(room(id) + "/tickets", {{"ref", "LL-99999"}});
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_TRUE(contains(unknown.body, "id=\"link-ref-error\"")) << unknown.body;
    EXPECT_TRUE(contains(unknown.body, "value=\"LL-99999\"")) << unknown.body;
}

TEST_F(IncidentPages, HandoverResolveAndTheDebriefWithActionItemsAndCustomersViews)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, "Checkout fails");
    const auto priya_id = user_id(kPriya);

    auto nobody = tom.post_form(room(id) + "/handover", {{"user_id", ""}});
    EXPECT_EQ(nobody.status, 400) << nobody.body;
    EXPECT_TRUE(contains(nobody.body, "id=\"handover-user-error\"")) << nobody.body;
    auto handed = tom.post_form(room(id) + "/handover", {{"user_id", priya_id}, {"note", "end of my shift"}});
    ASSERT_EQ(handed.status, 303) << handed.body;
    auto page = tom.get(room(id));
    EXPECT_TRUE(contains(between(page.body, "id=\"commander\"", "</dd>"), "Priya Nair")) << page.body;
    EXPECT_TRUE(contains(page.body, "Tom Becker handed command to Priya Nair: end of my shift")) << page.body;
    EXPECT_FALSE(contains(between(page.body, "id=\"handover-user\"", "</select>"), "value=\"" + priya_id + "\""))
        << page.body;

    auto lead = tom.post_form(room(id) + "/roles", {{"role", "technical"}, {"user_id", user_id(kTom)}});
    ASSERT_EQ(lead.status, 303) << lead.body;
    EXPECT_TRUE(contains(tom.get(room(id)).body, "Technical: Tom Becker"));

    auto resolved =
        tom.post_form(room(id) + "/status", {{"status", "resolved"}, {"note", "The certificate is renewed."}});
    ASSERT_EQ(resolved.status, 303) << resolved.body;
    page = tom.get(room(id));
    EXPECT_TRUE(contains(between(page.body, "id=\"incident-status\"", "</span>"), "Resolved")) << page.body;
    EXPECT_TRUE(contains(page.body, "id=\"resolved-notice\"")) << page.body;
    EXPECT_FALSE(contains(page.body, "id=\"briefing-form\"")) << page.body;
    EXPECT_TRUE(contains(page.body, "value=\"investigating\"")) << page.body;  // reopen
    auto twice = tom.post_form(room(id) + "/status", {{"status", "monitoring"}});
    EXPECT_EQ(twice.status, 409) << twice.body;
    EXPECT_TRUE(contains(twice.body, "id=\"status-error\"")) << twice.body;

    // The customer's view, through the portal, once resolved.
    auto maria = sign_in(kMaria);
    auto portal = maria.get("/portal/incidents/" + id);
    ASSERT_EQ(portal.status, 200) << portal.body;
    EXPECT_TRUE(contains(portal.body, "The certificate is renewed.")) << portal.body;
    EXPECT_TRUE(contains(portal.body, "id=\"comment-form\"")) << portal.body;
    auto empty = maria.post_form("/portal/incidents/" + id + "/comments", {{"body", ""}});
    EXPECT_EQ(empty.status, 400) << empty.body;
    EXPECT_TRUE(contains(empty.body, "id=\"comment-error\"")) << empty.body;
    auto comment =
        maria.post_form("/portal/incidents/" + id + "/comments", {{"body", "We lost a morning of orders.\nThanks."}});
    ASSERT_EQ(comment.status, 303) << comment.body;

    auto bad_item = tom.post_form(room(id) + "/action-items",
                                  {{"title", "Alert on certificate expiry"}, {"owner_id", user_id(kTom)}});
    EXPECT_EQ(bad_item.status, 400) << bad_item.body;
    EXPECT_TRUE(contains(bad_item.body, "id=\"action-due-error\"")) << bad_item.body;
    EXPECT_TRUE(contains(bad_item.body, "value=\"Alert on certificate expiry\"")) << bad_item.body;
    auto item = tom.post_form(
        room(id) + "/action-items",
        {{"title", "Alert on certificate expiry"}, {"owner_id", user_id(kTom)}, {"due_at", "2030-01-15T17:00"}});
    ASSERT_EQ(item.status, 303) << item.body;
    EXPECT_EQ(item.header("location"), room(id) + "/debrief?done=action#action-items");

    auto debrief = tom.get(room(id) + "/debrief");
    ASSERT_EQ(debrief.status, 200) << debrief.body;
    EXPECT_TRUE(contains(debrief.body, "<h1>Debrief: Checkout fails</h1>")) << debrief.body;
    auto timeline = between(debrief.body, "id=\"debrief-timeline\"", "</section>");
    EXPECT_TRUE(contains(timeline, "declared the incident")) << debrief.body;
    EXPECT_TRUE(contains(timeline, "handed command to Priya Nair")) << timeline;
    auto items = between(debrief.body, "id=\"action-items\"", "</section>");
    EXPECT_TRUE(contains(items, "Alert on certificate expiry")) << items;
    EXPECT_TRUE(contains(items, "Tom Becker, due Tuesday 15 January 2030, 17:00 UTC")) << items;
    EXPECT_TRUE(
        contains(between(debrief.body, "id=\"customer-views\"", "</section>"), "We lost a morning of orders.\nThanks."))
        << debrief.body;
    EXPECT_TRUE(contains(debrief.body, "href=\"/console/incidents/" + id + "/debrief/markdown\"")) << debrief.body;

    const auto item_id = capture(items, R"re(id="action-item-([0-9]+)")re");
    auto done = tom.post_form(room(id) + "/action-items/" + item_id + "/done", {{"done", "1"}});
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_TRUE(contains(tom.get(room(id) + "/debrief").body, "action-item--done"));

    auto markdown = tom.get(room(id) + "/debrief/markdown");
    ASSERT_EQ(markdown.status, 200) << markdown.body;
    EXPECT_TRUE(markdown.header("content-type").starts_with("text/markdown")) << markdown.header("content-type");
    EXPECT_EQ(markdown.header("content-disposition"), "attachment; filename=\"incident-" + id + "-debrief.md\"");
    EXPECT_TRUE(contains(markdown.body, "## Timeline")) << markdown.body;
    EXPECT_TRUE(contains(markdown.body, "- [x] Alert on certificate expiry")) << markdown.body;
}

TEST_F(IncidentPages, CustomersSeeOnlyTheirIncidentsWithTheBriefingsAndABanner)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, "Checkout fails");
    ASSERT_EQ(tom.post_form(room(id) + "/updates", {{"channel", "business"},
                                                    {"body", "Payments are failing; we are restoring them."},
                                                    {"next_update_in", "60"},
                                                    {"next_update_reason", "the provider confirms the fix then"}})
                  .status,
              303);
    ASSERT_EQ(
        tom.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", "internal: cert expired"}}).status,
        303);

    auto maria = sign_in(kMaria);
    auto home = maria.get("/portal");
    auto banner = between(home.body, "id=\"incident-banner\"", "</div>");
    EXPECT_TRUE(contains(banner, "We are working on:")) << home.body;
    EXPECT_TRUE(contains(banner, "href=\"/portal/incidents/" + id + "\">Checkout fails</a>")) << banner;
    EXPECT_TRUE(contains(banner, "next update by ")) << banner;
    auto list = maria.get("/portal/incidents");
    EXPECT_TRUE(contains(list.body, "Led by Tom Becker")) << list.body;
    auto page = maria.get("/portal/incidents/" + id);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"commander\"", "</dd>"), "Tom Becker")) << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"commander\"", "</dd>"), "Emergency line: +44 7700 900456"))
        << page.body;
    EXPECT_TRUE(contains(between(page.body, "id=\"next-update\"", "</dd>"), "the provider confirms the fix then"))
        << page.body;
    EXPECT_TRUE(contains(page.body, "Payments are failing; we are restoring them.")) << page.body;
    EXPECT_FALSE(contains(page.body, "internal: cert expired")) << page.body;
    EXPECT_FALSE(contains(page.body, "comment-form")) << page.body;  // not before it is resolved

    // Another organization's contact: no banner, nothing listed, 404 on the incident and its debrief form.
    auto jon = sign_in(kJon);
    EXPECT_FALSE(contains(jon.get("/portal").body, "incident-banner"));
    EXPECT_FALSE(contains(jon.get("/portal/incidents").body, "Checkout fails"));
    EXPECT_EQ(jon.get("/portal/incidents/" + id).status, 404);
    EXPECT_EQ(jon.post_form("/portal/incidents/" + id + "/comments", {{"body", "hi"}}).status, 404);

    // Contacts get 404 on the console's incident pages and stream; strangers go to sign in.
    for (const auto& target : std::vector<std::string>{"/console/incidents", "/console/incidents/new", room(id),
                                                       room(id) + "/fragment/business", room(id) + "/debrief",
                                                       room(id) + "/debrief/markdown"})
        EXPECT_EQ(maria.get(target).status, 404) << target;
    EXPECT_EQ(maria.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", "x"}}).status, 404);
    EXPECT_EQ(maria.get(room(id) + "/events").status, 404);
    EXPECT_EQ(server->get(room(id) + "/events").status, 401);
    auto stranger = server->get(room(id));
    EXPECT_EQ(stranger.status, 303);
    EXPECT_TRUE(stranger.header("location").starts_with("/login?next=")) << stranger.header("location");
}

TEST_F(IncidentPages, FormsWithoutTheCsrfTokenAreRefusedAndChangeNothing)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, "Checkout fails");
    EXPECT_EQ(tom.post_form("/console/incidents", {{"title", "Forged"}, {"business_impact", "down"}}, false).status,
              403);
    EXPECT_EQ(tom.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", "forged note"}}, false).status,
              403);
    EXPECT_EQ(tom.post_form(room(id) + "/status", {{"status", "resolved"}}, false).status, 403);
    EXPECT_EQ(tom.post_form(room(id) + "/handover", {{"user_id", user_id(kPriya)}}, false).status, 403);
    EXPECT_EQ(tom.post_form(room(id) + "/tickets", {{"ref", kSlow}}, false).status, 403);
    EXPECT_EQ(tom.post_form(room(id) + "/still-working", {}, false).status, 403);
    auto wrong =
        tom.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", "forged"}, {"csrf", "nope"}}, false);
    EXPECT_EQ(wrong.status, 403);
    auto incident = api("/api/v1/incidents/" + id);
    EXPECT_EQ(incident.at("status").as_string(), "investigating");
    EXPECT_EQ(incident.at("commander").at("name").as_string(), "Tom Becker");
    EXPECT_EQ(incident.at("tickets").as_array().size(), 1u);
    for (const auto& u : incident.at("updates").as_array())
        EXPECT_FALSE(contains(std::string(u.at("body").as_string()), "forged"));
    EXPECT_EQ(api("/api/v1/incidents?status=all").at("data").as_array().size(), 2u);  // the demo's and this one
    auto maria = sign_in(kMaria);
    EXPECT_EQ(maria.post_form("/portal/incidents/" + id + "/comments", {{"body", "forged"}}, false).status, 403);
}

TEST_F(IncidentPages, MarkupPeopleTypedIsEscapedOnEveryPage)
{
    auto tom = sign_in(kTom);
    const auto id = declare_from_ticket(tom, kCheckout, kScript + " checkout");
    ASSERT_EQ(tom.post_form(room(id) + "/updates", {{"channel", "business"},
                                                    {"body", kScript + " briefing"},
                                                    {"next_update_in", "30"},
                                                    {"next_update_reason", kScript + " reason"}})
                  .status,
              303);
    ASSERT_EQ(tom.post_form(room(id) + "/updates", {{"channel", "technical"}, {"body", kScript + " note"}}).status,
              303);
    ASSERT_EQ(tom.post_form(room(id) + "/steps", {{"title", kScript + " step"}, {"deadline_in", "30"}}).status, 303);
    auto rejected = tom.post_form(room(id) + "/updates", {{"channel", "business"}, {"body", kScript + " kept"}});
    EXPECT_EQ(rejected.status, 400);
    EXPECT_FALSE(contains(rejected.body, kScript));
    EXPECT_TRUE(contains(rejected.body, kScriptEscaped + " kept")) << rejected.body;

    auto maria = sign_in(kMaria);
    for (const auto& [who, target] :
         std::vector<std::pair<BrowserSession*, std::string>>{{&tom, "/console/incidents"},
                                                              {&tom, room(id)},
                                                              {&tom, room(id) + "/fragment/summary"},
                                                              {&tom, room(id) + "/fragment/business"},
                                                              {&tom, room(id) + "/fragment/technical"},
                                                              {&tom, room(id) + "/fragment/steps"},
                                                              {&tom, room(id) + "/debrief"},
                                                              {&maria, "/portal"},
                                                              {&maria, "/portal/incidents"},
                                                              {&maria, "/portal/incidents/" + id}}) {
        auto page = who->get(target);
        ASSERT_EQ(page.status, 200) << target << ": " << page.body;
        EXPECT_FALSE(contains(page.body, kScript)) << target;
        EXPECT_TRUE(contains(page.body, kScriptEscaped)) << target;
    }
}

}  // namespace
}  // namespace lifeline::testing
