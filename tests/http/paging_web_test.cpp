// The escalation pages of the console against a real `lifeline demo` process: the policy form (values kept and
// messages beside the right level on errors), mapping a service to a policy and deleting a policy in use, how a
// person is paged (contact methods and notification rules), acknowledging an escalation from its page, who may do
// what (admins, agents, contacts, strangers), CSRF, and escaping of everything people typed.
#include "support/demo_pages.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>
#include <utility>
#include <vector>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

const std::string kScriptEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

// The first group of `pattern` in `body`, or empty.
std::string capture(const std::string& body, const std::string& pattern)
{
    std::smatch m;
    if (std::regex_search(body, m, std::regex(pattern))) return m[1];
    return {};
}

class PagingPages : public DemoPages {
protected:
    json::value api(const std::string& target)
    {
        auto res = server->get(target, admin_token);
        EXPECT_EQ(res.status, 200) << target << ": " << res.body;
        return json::parse(res.body);
    }

    // The user id of a member of staff, from the directory API.
    std::string user_id(const std::string& email)
    {
        const auto all = api("/api/v1/staff");
        for (const auto& p : all.at("data").as_array())
            if (p.at("email").as_string() == email) return std::to_string(p.at("id").as_int64());
        ADD_FAILURE() << "no person " << email;
        return {};
    }

    // The id of the policy named `name`, or empty.
    std::string policy_id(const std::string& name)
    {
        const auto all = api("/api/v1/escalation-policies");
        for (const auto& p : all.at("data").as_array())
            if (p.at("name").as_string() == name) return std::to_string(p.at("id").as_int64());
        return {};
    }

    std::size_t policy_count() { return api("/api/v1/escalation-policies").at("data").as_array().size(); }

    // A service made through the API: its id and integration key.
    std::pair<std::string, std::string> create_service(const std::string& name)
    {
        auto res = server->post_json("/api/v1/services", json::serialize(json::object{{"name", name}}), admin_token);
        EXPECT_EQ(res.status, 201) << res.body;
        auto body = json::parse(res.body);
        return {std::to_string(body.at("id").as_int64()), std::string(body.at("integration_key").as_string())};
    }

    // A critical alert through the Events API v2; returns the id of the escalation it started (whose summary is
    // "<service>: <summary>").
    std::string trigger(const std::string& key, const std::string& summary)
    {
        json::object event{
            {"routing_key", key},
            {"event_action", "trigger"},
            {"dedup_key", "paging-web-test"},
            {"payload", json::object{{"summary", summary}, {"source", "web1"}, {"severity", "critical"}}}};
        auto res = server->post_json("/v2/enqueue", json::serialize(event), "");
        EXPECT_EQ(res.status, 202) << res.body;
        const auto all = api("/api/v1/escalations?status=all");
        for (const auto& e : all.at("data").as_array())
            if (std::string(e.at("summary").as_string()).ends_with(": " + summary))
                return std::to_string(e.at("id").as_int64());
        ADD_FAILURE() << "no escalation for " << summary;
        return {};
    }

    std::string escalation_state(const std::string& id)
    {
        return std::string(api("/api/v1/escalations/" + id).at("state").as_string());
    }

    std::size_t method_count(const std::string& user)
    {
        return api("/api/v1/users/" + user + "/contact-methods").at("data").as_array().size();
    }

    std::size_t rule_count(const std::string& user)
    {
        return api("/api/v1/users/" + user + "/notification-rules").at("data").as_array().size();
    }
};

// The checkbox value of a schedule or person in the policy form ("schedule:1", "user:2").
std::string option_value(const std::string& form, const std::string& label)
{
    return capture(form, "value=\"((?:user|schedule):[0-9]+)\"> " + label);
}

TEST_F(PagingPages, APolicyIsCreatedThroughTheFormAndErrorsKeepWhatWasTyped)
{
    auto admin = sign_in(kAdmin);
    auto form = admin.get("/console/escalation-policies/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(contains(form.body, "href=\"/console/escalations\" aria-current=\"page\"")) << form.body;
    const auto rota = option_value(form.body, "Primary on-call");
    const auto tom = option_value(form.body, "Tom Becker");
    ASSERT_FALSE(rota.empty()) << form.body;
    ASSERT_FALSE(tom.empty()) << form.body;
    const auto before = policy_count();

    // Level 1 with nobody, level 2 with Tom: the service's message sits beside level 1, everything typed is kept.
    FormFields typed{{"name", "Night <b>shift</b>"}, {"description", "After hours"}, {"repeat", "1"},
                     {"level1_timeout", "5"},        {"level2_timeout", "10"},       {"level2_target", tom},
                     {"level3_timeout", "5"}};
    auto failed = admin.post_form("/console/escalation-policies", typed);
    ASSERT_EQ(failed.status, 400) << failed.body;
    auto level1 = between(failed.body, "id=\"level-1\"", "id=\"level-2\"");
    auto level2 = between(failed.body, "id=\"level-2\"", "id=\"level-3\"");
    EXPECT_TRUE(contains(level1, "This level needs at least one person or schedule.")) << level1;
    EXPECT_FALSE(contains(level2, "field-error")) << level2;
    EXPECT_TRUE(contains(level2, "value=\"" + tom + "\" checked")) << level2;
    EXPECT_TRUE(contains(level2, "value=\"10\"")) << level2;
    EXPECT_TRUE(contains(failed.body, "value=\"Night &lt;b&gt;shift&lt;/b&gt;\"")) << failed.body;
    EXPECT_TRUE(contains(failed.body, ">After hours</textarea>")) << failed.body;
    EXPECT_FALSE(contains(failed.body, "<b>shift")) << failed.body;

    // A timeout that is not a number of minutes: beside its own level.
    auto bad_timeout = admin.post_form("/console/escalation-policies",
                                       {{"name", "Night"}, {"level1_timeout", "soon"}, {"level1_target", rota}});
    ASSERT_EQ(bad_timeout.status, 400) << bad_timeout.body;
    EXPECT_TRUE(contains(between(bad_timeout.body, "id=\"level-1\"", "id=\"level-2\""), "whole minutes"))
        << bad_timeout.body;
    EXPECT_TRUE(contains(bad_timeout.body, "value=\"soon\"")) << bad_timeout.body;
    EXPECT_EQ(policy_count(), before);

    // Filled in properly; the empty blocks 3 to 5 are ignored.
    FormFields good{{"name", "Night shift"}, {"description", "After hours"}, {"repeat", "1"},
                    {"level1_timeout", "5"}, {"level1_target", rota},        {"level2_timeout", "10"},
                    {"level2_target", tom},  {"level3_timeout", "5"},        {"level4_timeout", "5"}};
    auto created = admin.post_form("/console/escalation-policies", good);
    ASSERT_EQ(created.status, 303) << created.body;
    const auto id = policy_id("Night shift");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(created.header("location"), "/console/escalation-policies?done=created#policy-" + id);
    EXPECT_EQ(policy_count(), before + 1);
    auto list = admin.get(created.header("location"));
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(contains(list.body, "The escalation policy was created.")) << list.body;
    auto row = between(list.body, "id=\"policy-" + id + "\"", "</tr>");
    EXPECT_TRUE(contains(row, "1: Primary on-call schedule (5 min) → 2: Tom Becker (10 min), repeat 1×")) << row;
    EXPECT_TRUE(contains(row, "/console/escalation-policies/" + id + "/edit")) << row;

    // The same name again, and a second default: the service's conflicts beside the field they are about.
    auto taken = admin.post_form("/console/escalation-policies", good);
    EXPECT_EQ(taken.status, 409);
    EXPECT_TRUE(std::regex_search(taken.body, std::regex("id=\"policy-name-error\">[^<]*Night shift[^<]*exists")))
        << taken.body;
    auto second_default = good;
    second_default[0].second = "Another";
    second_default.emplace_back("default", "yes");
    auto clash = admin.post_form("/console/escalation-policies", second_default);
    EXPECT_EQ(clash.status, 409);
    EXPECT_TRUE(contains(clash.body, "id=\"policy-default-error\">&#39;Emergencies&#39; is already the default"))
        << clash.body;
    EXPECT_TRUE(contains(clash.body, "value=\"yes\" checked")) << clash.body;

    // Editing shows what is stored and saves changes.
    auto edit = admin.get("/console/escalation-policies/" + id + "/edit");
    ASSERT_EQ(edit.status, 200) << edit.body;
    EXPECT_TRUE(contains(between(edit.body, "id=\"level-1\"", "id=\"level-2\""), "value=\"" + rota + "\" checked"));
    EXPECT_TRUE(contains(between(edit.body, "id=\"level-2\"", "id=\"level-3\""), "value=\"" + tom + "\" checked"));
    auto changed = good;
    changed[3].second = "15";
    auto saved = admin.post_form("/console/escalation-policies/" + id, changed);
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(saved.header("location"), "/console/escalation-policies?done=updated#policy-" + id);
    auto levels = api("/api/v1/escalation-policies/" + id).at("levels").as_array();
    ASSERT_EQ(levels.size(), 2u);
    EXPECT_EQ(levels[0].at("timeout_seconds").as_int64(), 900);
}

TEST_F(PagingPages, ServicesAreMappedToPoliciesAndAPolicyInUseIsNotDeleted)
{
    auto [service, key] = create_service("Payments <api>");
    auto admin = sign_in(kAdmin);
    ASSERT_EQ(admin
                  .post_form("/console/escalation-policies", {{"name", "Payments team"},
                                                              {"repeat", "0"},
                                                              {"level1_timeout", "5"},
                                                              {"level1_target", "user:" + user_id(kPriya)}})
                  .status,
              303);
    const auto id = policy_id("Payments team");

    auto mapped = admin.post_form("/console/services/" + service + "/escalation-policy", {{"policy", id}});
    ASSERT_EQ(mapped.status, 303) << mapped.body;
    EXPECT_EQ(mapped.header("location"), "/console/escalation-policies?done=mapped#services");
    auto list = admin.get(mapped.header("location"));
    EXPECT_TRUE(contains(list.body, "The service&#39;s escalation policy was changed.")) << list.body;
    auto row = between(list.body, "id=\"service-" + service + "\"", "</tr>");
    EXPECT_TRUE(contains(row, "Payments &lt;api&gt;")) << row;
    EXPECT_TRUE(contains(row, "<option value=\"" + id + "\" selected>Payments team</option>")) << row;
    EXPECT_TRUE(contains(between(list.body, "id=\"policy-" + id + "\"", "</tr>"), "Payments &lt;api&gt;")) << list.body;

    // In use: the service's message beside the delete button; unconfirmed: asked to confirm.
    auto unconfirmed = admin.post_form("/console/escalation-policies/" + id + "/delete", {});
    EXPECT_EQ(unconfirmed.status, 400);
    EXPECT_TRUE(contains(unconfirmed.body, "Tick the box")) << unconfirmed.body;
    auto in_use = admin.post_form("/console/escalation-policies/" + id + "/delete", {{"confirm", "yes"}});
    EXPECT_EQ(in_use.status, 409);
    EXPECT_TRUE(contains(between(in_use.body, "id=\"delete-policy\"", "</form>"), "used by a service")) << in_use.body;
    EXPECT_FALSE(policy_id("Payments team").empty());

    ASSERT_EQ(admin.post_form("/console/services/" + service + "/escalation-policy", {{"policy", ""}}).status, 303);
    auto deleted = admin.post_form("/console/escalation-policies/" + id + "/delete", {{"confirm", "yes"}});
    ASSERT_EQ(deleted.status, 303) << deleted.body;
    EXPECT_EQ(deleted.header("location"), "/console/escalation-policies?done=deleted");
    EXPECT_TRUE(policy_id("Payments team").empty());
    EXPECT_EQ(admin.post_form("/console/services/" + service + "/escalation-policy", {{"policy", id}}).status, 404);
}

TEST_F(PagingPages, PeopleManageHowTheyArePaged)
{
    // Tom has the demo's rules: SMS at once, a call after two minutes; the demo has no SMS provider.
    auto tom = sign_in(kTom);
    auto mine = tom.get("/console/paging");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_TRUE(contains(mine.body, "How you are paged")) << mine.body;
    EXPECT_TRUE(contains(mine.body, "SMS to +447700900456 (mobile) at once")) << mine.body;
    EXPECT_TRUE(contains(mine.body, "Voice call to +447700900456 (mobile) after 2 min")) << mine.body;
    EXPECT_TRUE(contains(mine.body, "id=\"sms-note\"")) << mine.body;
    EXPECT_FALSE(contains(mine.body, "id=\"no-rules-warning\"")) << mine.body;

    // Ana (admin) has no rules and the demo sends no email: she cannot be paged, and is told so.
    const auto ana = user_id(kAdmin);
    auto admin = sign_in(kAdmin);
    auto empty = admin.get("/console/paging");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_TRUE(contains(between(empty.body, "id=\"no-rules-warning\"", "</p>"), "cannot be paged")) << empty.body;
    EXPECT_TRUE(contains(empty.body, "Add a contact method first")) << empty.body;

    // A contact method with a bad number: the message beside the address, the values kept.
    auto bad = admin.post_form("/console/paging/contact-methods",
                               {{"user", ""}, {"channel", "voice"}, {"address", "call me maybe"}, {"label", "desk"}});
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_TRUE(contains(between(bad.body, "id=\"method-address-error\"", "</p>"), "international form")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "value=\"call me maybe\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "<option value=\"voice\" selected>")) << bad.body;
    EXPECT_EQ(method_count(ana), 0u);

    auto added = admin.post_form("/console/paging/contact-methods",
                                 {{"channel", "sms"}, {"address", "+44 7700 900123"}, {"label", "<i>work</i>"}});
    ASSERT_EQ(added.status, 303) << added.body;
    EXPECT_EQ(added.header("location"), "/console/paging?done=method-added#contact-methods");
    auto with_method = admin.get(added.header("location"));
    EXPECT_TRUE(contains(with_method.body, "The contact method was added.")) << with_method.body;
    EXPECT_TRUE(contains(with_method.body, "<code>+447700900123</code>")) << with_method.body;
    EXPECT_TRUE(contains(with_method.body, "&lt;i&gt;work&lt;/i&gt;")) << with_method.body;
    EXPECT_FALSE(contains(with_method.body, "<i>work")) << with_method.body;
    const auto method = capture(with_method.body, "<option value=\"([0-9]+)\">SMS to \\+447700900123");
    ASSERT_FALSE(method.empty()) << with_method.body;

    // A rule delayed too long: beside the delay, the choice kept.
    auto late = admin.post_form("/console/paging/rules", {{"contact_method", method}, {"delay", "90"}});
    ASSERT_EQ(late.status, 400) << late.body;
    EXPECT_TRUE(contains(between(late.body, "id=\"rule-delay-error\"", "</p>"), "0 to 60 minutes")) << late.body;
    EXPECT_TRUE(contains(late.body, "<option value=\"" + method + "\" selected>")) << late.body;
    EXPECT_TRUE(contains(late.body, "value=\"90\"")) << late.body;
    auto rule = admin.post_form("/console/paging/rules", {{"contact_method", method}, {"delay", "0"}});
    ASSERT_EQ(rule.status, 303) << rule.body;
    EXPECT_EQ(rule.header("location"), "/console/paging?done=rule-added#rules");
    auto with_rule = admin.get(rule.header("location"));
    EXPECT_TRUE(contains(with_rule.body, "SMS to +447700900123 (&lt;i&gt;work&lt;/i&gt;) at once")) << with_rule.body;
    EXPECT_FALSE(contains(with_rule.body, "id=\"no-rules-warning\"")) << with_rule.body;
    EXPECT_EQ(rule_count(ana), 1u);

    const auto rule_id = capture(with_rule.body, "id=\"rule-([0-9]+)\"");
    ASSERT_FALSE(rule_id.empty());
    auto removed = admin.post_form("/console/paging/rules/" + rule_id + "/delete", {{"user", ana}});
    ASSERT_EQ(removed.status, 303) << removed.body;
    EXPECT_EQ(rule_count(ana), 0u);
    EXPECT_TRUE(contains(admin.get("/console/paging").body, "id=\"no-rules-warning\""));

    // An admin looks after someone else's paging; the way back keeps ?user=.
    const auto tom_id = user_id(kTom);
    auto toms = admin.get("/console/paging?user=" + tom_id);
    ASSERT_EQ(toms.status, 200) << toms.body;
    EXPECT_TRUE(contains(toms.body, "How Tom Becker is paged")) << toms.body;
    EXPECT_TRUE(contains(toms.body, "<option value=\"" + tom_id + "\" selected>Tom Becker")) << toms.body;
    auto for_tom = admin.post_form("/console/paging/contact-methods",
                                   {{"user", tom_id}, {"channel", "email"}, {"address", "Tom.Pager@Example.com"}});
    ASSERT_EQ(for_tom.status, 303) << for_tom.body;
    EXPECT_EQ(for_tom.header("location"), "/console/paging?user=" + tom_id + "&done=method-added#contact-methods");
    EXPECT_TRUE(contains(tom.get("/console/paging").body, "tom.pager@example.com"));

    const auto method_id = capture(with_method.body, "id=\"method-([0-9]+)\"");
    auto gone = admin.post_form("/console/paging/contact-methods/" + method_id + "/delete", {});
    ASSERT_EQ(gone.status, 303) << gone.body;
    EXPECT_EQ(method_count(ana), 0u);
}

TEST_F(PagingPages, AnEscalationIsAcknowledgedFromItsPage)
{
    // The demo has no SMS provider: Tom is made reachable by webhook, so that the escalation stays at level 1.
    const auto tom_id = user_id(kTom);
    auto method =
        server->post_json("/api/v1/users/" + tom_id + "/contact-methods",
                          R"({"channel":"webhook","address":"http://127.0.0.1:9/page","label":"pager"})", admin_token);
    ASSERT_EQ(method.status, 201) << method.body;
    auto rule = server->post_json(
        "/api/v1/users/" + tom_id + "/notification-rules",
        json::serialize(json::object{{"contact_method_id", json::parse(method.body).at("id")}, {"delay_seconds", 0}}),
        admin_token);
    ASSERT_EQ(rule.status, 201) << rule.body;
    auto [service, key] = create_service("Checkout");
    auto admin = sign_in(kAdmin);
    ASSERT_EQ(admin
                  .post_form("/console/escalation-policies", {{"name", "Checkout on call"},
                                                              {"repeat", "0"},
                                                              {"level1_timeout", "10"},
                                                              {"level1_target", "user:" + tom_id}})
                  .status,
              303);
    ASSERT_EQ(admin
                  .post_form("/console/services/" + service + "/escalation-policy",
                             {{"policy", policy_id("Checkout on call")}})
                  .status,
              303);
    const auto id = trigger(key, kScript + " checkout down");
    ASSERT_FALSE(id.empty());
    const auto alert = std::to_string(api("/api/v1/escalations/" + id).at("alert_id").as_int64());

    auto tom = sign_in(kTom);
    auto list = tom.get("/console/escalations");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(contains(list.body, "href=\"/console/escalations\" aria-current=\"page\"")) << list.body;
    auto row = between(list.body, "id=\"escalation-" + id + "\"", "</tr>");
    ASSERT_FALSE(row.empty()) << list.body;
    EXPECT_TRUE(contains(row, ">Paging<")) << row;
    EXPECT_TRUE(contains(row, "Checkout: " + kScriptEscaped + " checkout down")) << row;
    EXPECT_TRUE(contains(row, "href=\"/console/alerts?show=all#alert-" + alert + "\"")) << row;
    EXPECT_TRUE(contains(row, "Checkout on call")) << row;
    EXPECT_TRUE(contains(row, "Level 1 of 1, round 1 of 1")) << row;
    EXPECT_FALSE(contains(list.body, kScript));

    auto detail = tom.get("/console/escalations/" + id);
    ASSERT_EQ(detail.status, 200) << detail.body;
    EXPECT_TRUE(contains(detail.body, "id=\"acknowledge-form\"")) << detail.body;
    EXPECT_TRUE(contains(between(detail.body, "id=\"log\"", "</section>"), "paged Tom Becker")) << detail.body;
    EXPECT_TRUE(contains(between(detail.body, "id=\"pages\"", "</section>"), "<strong>Tom Becker</strong>"))
        << detail.body;
    EXPECT_FALSE(contains(detail.body, kScript));

    auto acked = tom.post_form("/console/escalations/" + id + "/acknowledge", {});
    ASSERT_EQ(acked.status, 303) << acked.body;
    EXPECT_EQ(acked.header("location"), "/console/escalations/" + id + "?done=acknowledged");
    EXPECT_EQ(escalation_state(id), "acknowledged");
    auto after = tom.get(acked.header("location"));
    EXPECT_TRUE(contains(after.body, "paging has stopped")) << after.body;
    EXPECT_TRUE(contains(after.body, ">Acknowledged<")) << after.body;
    EXPECT_TRUE(contains(between(after.body, "id=\"acknowledged-by\"", "</dd>"), "Tom Becker in the console"))
        << after.body;
    EXPECT_FALSE(contains(after.body, "id=\"acknowledge-form\"")) << after.body;
    EXPECT_FALSE(contains(tom.get("/console/escalations").body, "id=\"escalation-" + id + "\""));
    EXPECT_TRUE(contains(tom.get("/console/escalations?show=all").body, "id=\"escalation-" + id + "\""));

    // Someone else, a moment later: told who got there first.
    auto priya = sign_in(kPriya);
    auto again = priya.post_form("/console/escalations/" + id + "/acknowledge", {});
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(contains(between(again.body, "id=\"escalation-notice\"", "</p>"), "Already acknowledged by Tom Becker"))
        << again.body;
    EXPECT_EQ(tom.get("/console/escalations/99999").status, 404);
    EXPECT_EQ(tom.post_form("/console/escalations/99999/acknowledge", {}).status, 404);
}

TEST_F(PagingPages, AnEmergencyTicketLinksToItsTicket)
{
    auto maria = create_token(dir.path(), kMaria);
    auto res = server->post_json(
        "/api/v1/tickets",
        json::serialize(json::object{{"subject", "Till down"}, {"body", "Nothing works"}, {"priority", "P1"}}), maria);
    ASSERT_EQ(res.status, 201) << res.body;
    std::string ref(json::parse(res.body).at("ref").as_string());
    auto list = sign_in(kTom).get("/console/escalations");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(contains(list.body, "href=\"/console/tickets/" + ref + "\">Ticket " + ref + "<")) << list.body;
}

TEST_F(PagingPages, AgentsSeeButDoNotChangePoliciesNorOthersPaging)
{
    auto [service, key] = create_service("Shop");
    const auto emergencies = policy_id("Emergencies");
    const auto ana = user_id(kAdmin);
    const auto count = policy_count();
    auto tom = sign_in(kTom);

    auto list = tom.get("/console/escalation-policies");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(contains(list.body, "Emergencies")) << list.body;
    EXPECT_FALSE(contains(list.body, "/console/escalation-policies/new")) << list.body;
    EXPECT_FALSE(contains(list.body, "/escalation-policy\"")) << list.body;
    EXPECT_FALSE(contains(list.body, "/edit\"")) << list.body;

    EXPECT_EQ(tom.get("/console/escalation-policies/new").status, 403);
    EXPECT_EQ(tom.get("/console/escalation-policies/" + emergencies + "/edit").status, 403);
    FormFields policy{{"name", "Mine"}, {"level1_timeout", "5"}, {"level1_target", "user:" + user_id(kTom)}};
    EXPECT_EQ(tom.post_form("/console/escalation-policies", policy).status, 403);
    EXPECT_EQ(tom.post_form("/console/escalation-policies/" + emergencies, policy).status, 403);
    EXPECT_EQ(tom.post_form("/console/escalation-policies/" + emergencies + "/delete", {{"confirm", "yes"}}).status,
              403);
    EXPECT_EQ(tom.post_form("/console/services/" + service + "/escalation-policy", {{"policy", emergencies}}).status,
              403);
    EXPECT_EQ(policy_count(), count);
    EXPECT_EQ(policy_id("Mine"), "");

    EXPECT_EQ(tom.get("/console/paging?user=" + ana).status, 403);
    EXPECT_EQ(tom.post_form("/console/paging/contact-methods",
                            {{"user", ana}, {"channel", "sms"}, {"address", "+14155550100"}})
                  .status,
              403);
    EXPECT_EQ(method_count(ana), 0u);
    EXPECT_EQ(tom.get("/console/paging?user=abc").status, 404);
    EXPECT_FALSE(contains(tom.get("/console/paging").body, "id=\"paging-user\"")) << "no person chooser for agents";
}

TEST_F(PagingPages, ContactsGet404AndStrangersGoToSignIn)
{
    const auto emergencies = policy_id("Emergencies");
    const auto tom_id = user_id(kTom);
    auto maria = sign_in(kMaria);
    for (const std::string& target :
         std::vector<std::string>{"/console/escalation-policies", "/console/escalation-policies/new",
                                  "/console/escalation-policies/" + emergencies + "/edit", "/console/paging",
                                  "/console/paging?user=" + tom_id, "/console/escalations", "/console/escalations/1"}) {
        auto res = maria.get(target);
        EXPECT_EQ(res.status, 404) << target;
        EXPECT_FALSE(contains(res.body, "Tom Becker")) << target;
    }
    for (const std::string& target : std::vector<std::string>{
             "/console/escalation-policies", "/console/escalation-policies/" + emergencies,
             "/console/escalation-policies/" + emergencies + "/delete", "/console/services/1/escalation-policy",
             "/console/paging/contact-methods", "/console/paging/rules", "/console/escalations/1/acknowledge"})
        EXPECT_EQ(maria.post_form(target, {{"confirm", "yes"}, {"user", tom_id}}).status, 404) << target;
    EXPECT_FALSE(policy_id("Emergencies").empty());

    auto anonymous = server->request("GET", "/console/escalations");
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_EQ(anonymous.header("location"), "/login?next=%2Fconsole%2Fescalations");
    EXPECT_EQ(server->request("GET", "/console/paging").status, 303);
    EXPECT_EQ(server->request("GET", "/console/escalation-policies").status, 303);
}

TEST_F(PagingPages, FormsWithoutTheCsrfTokenAreRefusedAndChangeNothing)
{
    auto [service, key] = create_service("Search");
    const auto emergencies = policy_id("Emergencies");
    const auto ana = user_id(kAdmin);
    const auto count = policy_count();
    auto admin = sign_in(kAdmin);
    auto tom = sign_in(kTom);

    FormFields policy{{"name", "Sneaky"}, {"level1_timeout", "5"}, {"level1_target", "user:" + ana}};
    EXPECT_EQ(admin.post_form("/console/escalation-policies", policy, false).status, 403);
    auto wrong = policy;
    wrong.emplace_back("csrf", tom.csrf);  // another session's token is no better
    EXPECT_EQ(admin.post_form("/console/escalation-policies", wrong, false).status, 403);
    EXPECT_EQ(admin.post_form("/console/escalation-policies/" + emergencies, policy, false).status, 403);
    EXPECT_EQ(
        admin.post_form("/console/escalation-policies/" + emergencies + "/delete", {{"confirm", "yes"}}, false).status,
        403);
    EXPECT_EQ(
        admin.post_form("/console/services/" + service + "/escalation-policy", {{"policy", emergencies}}, false).status,
        403);
    EXPECT_EQ(
        admin.post_form("/console/paging/contact-methods", {{"channel", "sms"}, {"address", "+14155550100"}}, false)
            .status,
        403);
    EXPECT_EQ(admin.post_form("/console/paging/rules", {{"contact_method", "1"}, {"delay", "0"}}, false).status, 403);
    EXPECT_EQ(policy_count(), count);
    EXPECT_FALSE(policy_id("Emergencies").empty());
    EXPECT_EQ(method_count(ana), 0u);
    auto services = api("/api/v1/services").at("data").as_array();
    for (const auto& s : services) {
        if (std::to_string(s.at("id").as_int64()) == service) {
            EXPECT_TRUE(s.at("escalation_policy_id").is_null()) << json::serialize(s);
        }
    }

    // The demo's escalation (the bakery shop's alert) is not acknowledged without the token either.
    auto open = api("/api/v1/escalations").at("data").as_array();
    ASSERT_FALSE(open.empty());
    const auto demo = std::to_string(open[0].at("id").as_int64());
    EXPECT_EQ(tom.post_form("/console/escalations/" + demo + "/acknowledge", {}, false).status, 403);
    EXPECT_NE(escalation_state(demo), "acknowledged");
    // With the token the same form works, so the refusal was about the token.
    EXPECT_EQ(tom.post_form("/console/escalations/" + demo + "/acknowledge", {}).status, 303);
}

TEST_F(PagingPages, NamesWithMarkupAreEscapedOnEveryPage)
{
    const std::string image = "<img src=x onerror=alert(2)>";
    auto person = server->post_json(
        "/api/v1/people",
        json::serialize(json::object{{"email", "eve@lifeline.test"}, {"name", image}, {"role", "agent"}}), admin_token);
    ASSERT_EQ(person.status, 201) << person.body;
    auto created = server->post_json(
        "/api/v1/escalation-policies",
        json::serialize(json::object{
            {"name", kScript},
            {"description", image},
            {"levels",
             json::array{json::object{
                 {"timeout_seconds", 60},
                 {"targets", json::array{json::object{{"type", "user"}, {"email", "eve@lifeline.test"}}}}}}}}),
        admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto id = std::to_string(json::parse(created.body).at("id").as_int64());
    auto [service, key] = create_service("<b>svc</b>");
    ASSERT_EQ(server
                  ->request("PUT", "/api/v1/services/" + service + "/escalation-policy",
                            json::serialize(json::object{{"escalation_policy_id", std::stoll(id)}}),
                            {{"Authorization", "Bearer " + admin_token}, {"Content-Type", "application/json"}})
                  .status,
              200);
    const auto escalation = trigger(key, kScript);
    ASSERT_FALSE(escalation.empty());

    auto admin = sign_in(kAdmin);
    for (const std::string& target : std::vector<std::string>{
             "/console/escalation-policies", "/console/escalation-policies/" + id + "/edit", "/console/escalations",
             "/console/escalations/" + escalation, "/console/paging?user=" + user_id("eve@lifeline.test")}) {
        auto res = admin.get(target);
        ASSERT_EQ(res.status, 200) << target << ":\n" << res.body;
        EXPECT_FALSE(contains(res.body, kScript)) << target;
        EXPECT_FALSE(contains(res.body, "<img src=x")) << target;
        EXPECT_FALSE(contains(res.body, "<b>svc")) << target;
    }
    auto list = admin.get("/console/escalation-policies");
    EXPECT_TRUE(contains(list.body, kScriptEscaped)) << list.body;
    EXPECT_TRUE(contains(list.body, "&lt;img src=x onerror=alert(2)&gt;")) << list.body;
    EXPECT_TRUE(contains(list.body, "&lt;b&gt;svc&lt;/b&gt;")) << list.body;
    auto detail = admin.get("/console/escalations/" + escalation);
    EXPECT_TRUE(contains(detail.body, "<h1>&lt;b&gt;svc&lt;/b&gt;: " + kScriptEscaped + "</h1>")) << detail.body;
    EXPECT_TRUE(contains(detail.body, "&lt;img src=x onerror=alert(2)&gt;")) << detail.body;
    auto paging = admin.get("/console/paging?user=" + user_id("eve@lifeline.test"));
    EXPECT_TRUE(contains(paging.body, "How &lt;img src=x onerror=alert(2)&gt; is paged")) << paging.body;
}

}  // namespace
}  // namespace lifeline::testing
