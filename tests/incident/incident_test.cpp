// Incident command over a real SQLite file with a fake clock: severity from impact, committed updates, reminders then
// escalation for a missed update, timeboxed steps, handover, known-issue answers, resolution, debrief, tenancy.
#include "alert/alert_service.hpp"
#include "auth/auth_service.hpp"
#include "core/sync_wait.hpp"
#include "escalation/escalation_service.hpp"
#include "incident/incident_service.hpp"
#include "org/org_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/server_process.hpp"
#include "ticket/ticket_service.hpp"

#include <gtest/gtest.h>

namespace lifeline::incident {
namespace {

using core::sync_wait;
using std::chrono::minutes;
using std::chrono::seconds;

core::UtcTime at(const char* rfc3339)
{
    return *core::parse_rfc3339(rfc3339);
}

TEST(Severity, ProposedFromTheAssessedImpactWithTheReason)
{
    Impact down;
    down.organization_ids = {1, 2, 3};
    down.business = BusinessImpact::Down;
    down.description = "cannot take orders";
    auto p = propose_severity(down);
    EXPECT_EQ(p.severity, Severity::Sev1);
    EXPECT_EQ(p.reason, "3 organizations, cannot take orders (down) → SEV1");

    down.organization_ids = {1};
    EXPECT_EQ(propose_severity(down).severity, Severity::Sev2);
    down.users = 150;
    down.users_estimated = true;
    EXPECT_EQ(propose_severity(down).severity, Severity::Sev1);
    EXPECT_EQ(propose_severity(down).reason, "1 organization, about 150 users, cannot take orders (down) → SEV1");

    Impact slow;
    slow.organization_ids = {1};
    slow.business = BusinessImpact::Degraded;
    EXPECT_EQ(propose_severity(slow).severity, Severity::Sev3);
    slow.users = 800;
    EXPECT_EQ(propose_severity(slow).severity, Severity::Sev2);
    slow.business = BusinessImpact::Minor;
    EXPECT_EQ(propose_severity(slow).severity, Severity::Sev3);
    slow.business = BusinessImpact::Cosmetic;
    EXPECT_EQ(propose_severity(slow).severity, Severity::Sev4);
}

TEST(Updates, ABriefingSaysWhenTheNextComesAndWhy)
{
    auto now = at("2026-11-23T18:00:00Z");
    Update u;
    u.channel = Channel::Business;
    u.body = "Orders are failing; we are restoring the database.";
    auto no_time = check_update(u, false, now);
    ASSERT_FALSE(no_time);
    std::set<std::string> fields;
    for (const auto& f : no_time.error().fields())
        fields.insert(f.field);
    EXPECT_EQ(fields, (std::set<std::string>{"next_update_at", "next_update_reason"}));
    u.next_update_at = now - minutes(1);
    u.next_update_reason = "the restore finishes around 18:45";
    EXPECT_FALSE(check_update(u, false, now));
    u.next_update_at = now + minutes(60);
    EXPECT_TRUE(check_update(u, false, now));
    Update note;
    note.channel = Channel::Technical;
    note.body = "pg_restore started";
    EXPECT_TRUE(check_update(note, false, now));
    Update resolving;
    resolving.channel = Channel::Business;
    resolving.body = "Fixed.";
    EXPECT_TRUE(check_update(resolving, true, now));
}

class Incidents : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = storage::sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::move(opened).value();
        escalation::PagingSettings settings;
        settings.public_url = "https://desk.test";
        settings.sms = true;
        escalator = std::make_unique<escalation::Escalator>(settings);
        auth = std::make_unique<auth::AuthService>(*db, clock, hashing);
        tickets = std::make_unique<ticket::TicketService>(*db, clock);
        orgs = std::make_unique<org::OrgService>(*db);
        escalations = std::make_unique<escalation::EscalationService>(*db, clock, *escalator);
        incidents = std::make_unique<IncidentService>(*db, clock, *tickets, *escalator,
                                                      [this](std::int64_t id) { changed.push_back(id); });
        admin = person("admin@desk.test", "Ana Silva", auth::Role::Admin, {});
        tom = person("tom@desk.test", "Tom Becker", auth::Role::Agent, {});
        priya = person("priya@desk.test", "Priya Nair", auth::Role::Agent, {});
        for (auto* who : {&tom, &priya}) {
            auto m = sync_wait(escalations->add_contact_method(
                *who, who->user_id.value,
                escalation::ContactMethod{
                    0, 0, escalation::Channel::Sms, who == &tom ? "+15550000001" : "+15550000002", "", {}}));
            ASSERT_TRUE(m);
            ASSERT_TRUE(sync_wait(escalations->add_rule(*who, who->user_id.value,
                                                        escalation::NotificationRule{0, 0, m->id, seconds(0), {}})));
        }
        escalation::PolicyInput policy;
        policy.name = "Default";
        policy.is_default = true;
        policy.levels = {escalation::LevelInput{{{"user", priya.user_id.value, ""}}, 300}};
        ASSERT_TRUE(sync_wait(escalations->create_policy(admin, policy)));
        bakery = organization("Harbour Bakery", "bakery.test");
        shop = organization("Corner Shop", "shop.test");
        maria = person("maria@bakery.test", "Maria Lopez", auth::Role::Contact, bakery);
        sam = person("sam@shop.test", "Sam Reed", auth::Role::Contact, shop);
    }

    auth::Actor person(std::string email, std::string name, auth::Role role, org::OrganizationId org)
    {
        auth::User u;
        u.email = email;
        u.name = name;
        u.role = role;
        u.organization_id = org;
        u.phone = role == auth::Role::Contact ? "" : "+44 7700 900456";
        auto id = auth->create_user_blocking(u, "");
        EXPECT_TRUE(id) << id.error().message();
        return auth::Actor{*id, role, org, name, email};
    }

    org::OrganizationId organization(std::string name, std::string domain)
    {
        org::Organization o;
        o.name = std::move(name);
        o.email_domains = {std::move(domain)};
        return *orgs->create_organization_blocking(o);
    }

    ticket::TicketId open_ticket(const auth::Actor& as, std::string subject)
    {
        ticket::NewTicket t;
        t.subject = std::move(subject);
        t.body = "It does not work.";
        t.priority = "P2";
        auto created = sync_wait(tickets->create(as, t, ""));
        EXPECT_TRUE(created) << created.error().message();
        return created->ticket.id;
    }

    // Messages queued to people (pages, reminders) since the last call, as "kind recipient".
    std::vector<std::string> sent()
    {
        std::vector<std::string> out;
        (void)db->write_blocking([&](storage::Transaction& tx) -> core::Status {
            for (const auto& m : tx.outbox().claim_due(core::UtcTime::max(), 1000)) {
                tx.outbox().mark_sent(m.id, clock.now());
                out.push_back(m.kind + " " + m.recipient);
            }
            return core::Ok{};
        });
        return out;
    }

    std::vector<std::string> public_messages(ticket::TicketId id)
    {
        std::vector<std::string> out;
        auto view = tickets->get(admin, id);
        EXPECT_TRUE(view);
        for (const auto& m : view->messages)
            if (m.visibility == ticket::Visibility::Public) out.push_back(m.body);
        return out;
    }

    lifeline::testing::TempDir dir;
    core::FakeClock clock{at("2026-11-23T18:00:00Z")};
    boost::asio::thread_pool hashing{1};
    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    std::unique_ptr<escalation::Escalator> escalator;
    std::unique_ptr<auth::AuthService> auth;
    std::unique_ptr<ticket::TicketService> tickets;
    std::unique_ptr<org::OrgService> orgs;
    std::unique_ptr<escalation::EscalationService> escalations;
    std::unique_ptr<IncidentService> incidents;
    auth::Actor admin, tom, priya, maria, sam;
    org::OrganizationId bakery, shop;
    std::vector<std::int64_t> changed;
};

TEST_F(Incidents, DeclaredFromATicketTheRequesterGetsTheKnownIssueAnswer)
{
    auto t = open_ticket(maria, "Checkout fails");
    DeclareInput in;
    in.title = "Checkout fails for every shop";
    in.ticket_ids = {t.value};
    in.impact.business = BusinessImpact::Down;
    in.impact.description = "cannot take orders";
    auto i = sync_wait(incidents->declare(tom, in));
    ASSERT_TRUE(i) << i.error().message();
    EXPECT_EQ(i->commander_name, "Tom Becker");
    EXPECT_EQ(i->severity, Severity::Sev2);  // one organization (from the ticket), down
    EXPECT_EQ(i->impact.organization_ids, std::vector<std::int64_t>{bakery.value});
    ASSERT_TRUE(i->next_update_at);
    EXPECT_EQ(*i->next_update_at, clock.now() + kFirstUpdateWithin);
    auto messages = public_messages(t);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_NE(messages[1].find("We know about this problem"), std::string::npos) << messages[1];
    EXPECT_NE(messages[1].find("Tom Becker (emergency line +44 7700 900456)"), std::string::npos) << messages[1];
    EXPECT_NE(messages[1].find("Next update by 2026-11-23 18:30 UTC"), std::string::npos) << messages[1];
    EXPECT_EQ(changed, std::vector<std::int64_t>{i->id});
}

TEST_F(Incidents, OverridingTheProposalNeedsAJustification)
{
    DeclareInput in;
    in.title = "Slow dashboard";
    in.impact.business = BusinessImpact::Minor;
    in.severity = Severity::Sev2;
    auto refused = sync_wait(incidents->declare(tom, in));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields().front().field, "severity_justification");
    in.severity_justification = "the CEO's demo is in an hour";
    auto i = sync_wait(incidents->declare(tom, in));
    ASSERT_TRUE(i) << i.error().message();
    EXPECT_EQ(i->severity, Severity::Sev2);
    EXPECT_EQ(i->proposed_severity, Severity::Sev4);
    EXPECT_EQ(i->severity_override_reason, "the CEO's demo is in an hour");
}

TEST_F(Incidents, BriefingsReachLinkedRequestersAndAMissedOneRemindsThenPages)
{
    DeclareInput in;
    in.title = "Email is down";
    in.keywords = {"email", "outlook"};
    in.impact.business = BusinessImpact::Down;
    auto i = sync_wait(incidents->declare(tom, in));
    ASSERT_TRUE(i);
    auto dup = open_ticket(sam, "Outlook cannot send email");
    auto suggested = incidents->suggestions(tom, i->id);
    ASSERT_TRUE(suggested);
    ASSERT_EQ(suggested->size(), 1u);
    EXPECT_EQ(suggested->front().ticket_id, dup.value);
    ASSERT_TRUE(sync_wait(incidents->link_ticket(tom, i->id, dup.value)));
    EXPECT_EQ(sync_wait(incidents->link_ticket(tom, i->id, dup.value)).error().code(), core::ErrorCode::Conflict);
    EXPECT_TRUE(incidents->suggestions(tom, i->id)->empty());

    UpdateInput brief;
    brief.channel = Channel::Business;
    brief.body = "Mail delivery is stopped; we are failing over to the standby relay.";
    brief.next_update_at = clock.now() + minutes(45);
    brief.next_update_reason = "the failover finishes around 18:40";
    auto posted = sync_wait(incidents->post_update(tom, i->id, brief));
    ASSERT_TRUE(posted) << posted.error().message();
    auto messages = public_messages(dup);
    EXPECT_NE(messages.back().find("failing over"), std::string::npos);
    EXPECT_NE(messages.back().find("Next update by 2026-11-23 18:45 UTC — the failover finishes around 18:40"),
              std::string::npos)
        << messages.back();
    sent();

    clock.advance(minutes(44));
    EXPECT_EQ(*incidents->run_due_blocking(), 0);
    clock.advance(minutes(1));
    EXPECT_EQ(*incidents->run_due_blocking(), 1);
    EXPECT_EQ(sent(), std::vector<std::string>{"reminder +15550000001"});  // Tom, the commander
    EXPECT_EQ(*incidents->run_due_blocking(), 0);
    clock.advance(kEscalateAfter);
    EXPECT_EQ(*incidents->run_due_blocking(), 1);
    EXPECT_EQ(sent(), std::vector<std::string>{"page +15550000002"});  // Priya, through the default policy
    EXPECT_EQ(*incidents->run_due_blocking(), 0);

    // One click resets the commitment.
    auto still = sync_wait(incidents->still_working(tom, i->id));
    ASSERT_TRUE(still) << still.error().message();
    auto record = incidents->get(tom, i->id);
    EXPECT_FALSE(record->incident.reminded_at);
    EXPECT_EQ(*record->incident.next_update_at, clock.now() + minutes(30));
    std::vector<std::string> kinds;
    for (const auto& u : record->updates)
        kinds.push_back(u.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"declared", "link", "briefing", "reminder", "escalated", "briefing"}));
}

TEST_F(Incidents, StepsHaveDeadlinesOutcomesAndVisibleExtensions)
{
    DeclareInput in;
    in.title = "Database slow";
    auto i = sync_wait(incidents->declare(tom, in));
    ASSERT_TRUE(i);
    StepInput no_deadline{"Is it the nightly vacuum?", priya.user_id.value, std::nullopt};
    EXPECT_EQ(sync_wait(incidents->add_step(tom, i->id, no_deadline)).error().fields().front().field, "deadline_at");
    auto step = sync_wait(incidents->add_step(
        tom, i->id, StepInput{"Is it the nightly vacuum?", priya.user_id.value, clock.now() + minutes(20)}));
    ASSERT_TRUE(step) << step.error().message();
    sent();
    clock.advance(minutes(20));
    EXPECT_EQ(*incidents->run_due_blocking(), 1);
    EXPECT_EQ(sent(), std::vector<std::string>{"reminder +15550000001"});
    auto extended = sync_wait(incidents->record_step(
        priya, i->id, step->id,
        StepOutcome{"extend", "vacuum still running on the big table", clock.now() + minutes(15)}));
    ASSERT_TRUE(extended) << extended.error().message();
    EXPECT_EQ(extended->extensions, 1);
    EXPECT_EQ(sync_wait(incidents->record_step(priya, i->id, step->id, StepOutcome{"extend", "", std::nullopt}))
                  .error()
                  .fields()
                  .size(),
              2u);
    auto done =
        sync_wait(incidents->record_step(priya, i->id, step->id, StepOutcome{"ruled_out", "vacuum finished", {}}));
    ASSERT_TRUE(done);
    EXPECT_EQ(done->state, StepState::RuledOut);
}

TEST_F(Incidents, OneCommanderHandoverIsExplicitAndLogged)
{
    DeclareInput in;
    in.title = "VPN down";
    auto i = sync_wait(incidents->declare(tom, in));
    ASSERT_TRUE(i);
    auto second = sync_wait(incidents->set_role(tom, i->id, "commander", priya.user_id.value));
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message().find("hand over instead"), std::string::npos);
    auto handed = sync_wait(incidents->handover(tom, i->id, priya.user_id.value, "end of my shift"));
    ASSERT_TRUE(handed) << handed.error().message();
    EXPECT_EQ(handed->commander_name, "Priya Nair");
    EXPECT_EQ(sync_wait(incidents->handover(tom, i->id, maria.user_id.value, "")).error().code(),
              core::ErrorCode::InvalidArgument);
    auto lead = sync_wait(incidents->set_role(priya, i->id, "technical", tom.user_id.value));
    ASSERT_TRUE(lead);
    EXPECT_EQ(lead->technical_lead_name, "Tom Becker");
    auto record = incidents->get(tom, i->id);
    bool logged = false;
    for (const auto& u : record->updates)
        logged = logged || u.body == "Tom Becker handed command to Priya Nair: end of my shift";
    EXPECT_TRUE(logged);
}

TEST_F(Incidents, ResolvingNotifiesWithAFollowUpAndFeedsTheDebriefAndMetrics)
{
    auto t = open_ticket(maria, "Website down");
    DeclareInput in;
    in.title = "Website down";
    in.ticket_ids = {t.value};
    in.impact.business = BusinessImpact::Down;
    auto i = sync_wait(incidents->declare(tom, in));
    ASSERT_TRUE(i);
    clock.advance(minutes(5));
    UpdateInput note{Channel::Technical, "nginx config reload failed: duplicate server_name", std::nullopt, ""};
    ASSERT_TRUE(sync_wait(incidents->post_update(tom, i->id, note)));
    clock.advance(minutes(10));
    ASSERT_TRUE(sync_wait(incidents->set_status(tom, i->id, Status::Monitoring, "fixed config, reloaded")));
    clock.advance(minutes(15));
    ASSERT_TRUE(sync_wait(incidents->set_status(tom, i->id, Status::Resolved, "The website is back.")));
    auto messages = public_messages(t);
    EXPECT_NE(messages.back().find("Resolved: Website down"), std::string::npos);
    EXPECT_NE(messages.back().find("Is everything working for you now?"), std::string::npos);
    UpdateInput late{Channel::Business, "more", clock.now() + minutes(5), "x"};
    EXPECT_EQ(sync_wait(incidents->post_update(tom, i->id, late)).error().code(), core::ErrorCode::Conflict);

    ASSERT_TRUE(sync_wait(incidents->add_action_item(tom, i->id, "Validate nginx config in CI", priya.user_id.value,
                                                     clock.now() + std::chrono::days(7))));
    // Customers add their view; another organization's customer cannot see the incident at all.
    ASSERT_TRUE(sync_wait(incidents->add_comment(maria, i->id, "We lost about 20 orders; the updates helped.")));
    EXPECT_EQ(sync_wait(incidents->add_comment(sam, i->id, "hello")).error().code(), core::ErrorCode::NotFound);
    EXPECT_EQ(incidents->public_view(sam, i->id).error().code(), core::ErrorCode::NotFound);
    auto view = incidents->public_view(maria, i->id);
    ASSERT_TRUE(view);
    for (const auto& b : view->briefings)
        EXPECT_EQ(b.channel, Channel::Business);
    EXPECT_EQ(incidents->get(maria, i->id).error().code(), core::ErrorCode::PermissionDenied);

    auto md = incidents->debrief(tom, i->id);
    ASSERT_TRUE(md);
    for (auto part : {"# Debrief: Website down", "## Timeline", "nginx config reload failed", "## Action items",
                      "- [ ] Validate nginx config in CI — Priya Nair", "We lost about 20 orders",
                      "Time to acknowledge: 5 min; to mitigate: 15 min; to resolve: 30 min"})
        EXPECT_NE(md->find(part), std::string::npos) << part << "\n" << *md;

    auto metrics = incidents->metrics(tom);
    ASSERT_TRUE(metrics);
    auto sev2 = (*metrics)[1];
    EXPECT_EQ(sev2.incidents, 1);
    EXPECT_EQ(sev2.mean_resolve, std::chrono::milliseconds(minutes(30)));
}

}  // namespace
}  // namespace lifeline::incident
