// Escalation over a real SQLite file with a fake clock: policies, levels and timeouts, repeats, schedules as
// targets across a DST change, delayed notification rules, acknowledgement, flapping, emergency tickets, storms.
#include "alert/alert_service.hpp"
#include "auth/auth_service.hpp"
#include "core/sync_wait.hpp"
#include "escalation/escalation_service.hpp"
#include "org/org_service.hpp"
#include "schedule/schedule_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/server_process.hpp"
#include "ticket/ticket_service.hpp"

#include <gtest/gtest.h>

namespace lifeline::escalation {
namespace {

using core::sync_wait;
using std::chrono::minutes;
using std::chrono::seconds;

core::UtcTime at(const char* rfc3339)
{
    return *core::parse_rfc3339(rfc3339);
}

TEST(Policy, ValidationNamesEveryProblem)
{
    Policy p;
    p.name = "  ";
    p.levels = {Level{{}, seconds(0)}, Level{{{Target::Kind::User, 1, ""}, {Target::Kind::User, 1, ""}}, seconds(60)}};
    p.repeat = 12;
    auto v = p.validated();
    ASSERT_FALSE(v);
    std::set<std::string> fields;
    for (const auto& f : v.error().fields())
        fields.insert(f.field);
    EXPECT_EQ(fields, (std::set<std::string>{"name", "levels[0].targets", "levels[0].timeout_seconds",
                                             "levels[1].targets", "repeat"}));
}

TEST(Policy, StepsWalkTheLevelsThenRepeatThenStop)
{
    Policy p;
    p.levels.resize(2);
    p.repeat = 1;
    EXPECT_EQ(next_step(p, {0, 0}), (Step{1, 0}));
    EXPECT_EQ(next_step(p, {1, 0}), (Step{0, 1}));
    EXPECT_EQ(next_step(p, {1, 1}), std::nullopt);
    EXPECT_EQ(decode_step(encode_step({1, 1})), (Step{1, 1}));
}

TEST(ContactMethod, PhoneNumbersAreNormalisedAndChecked)
{
    ContactMethod m{0, 1, Channel::Sms, " +1 (415) 555-0100 ", "mobile", {}};
    auto v = m.validated();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->address, "+14155550100");
    m.address = "0415 555 0100";
    EXPECT_FALSE(m.validated());
    m.channel = Channel::Webhook;
    m.address = "ftp://example.test/x";
    EXPECT_FALSE(m.validated());
    m.channel = Channel::Email;
    m.address = "Ana@Desk.Test";
    EXPECT_EQ(m.validated()->address, "ana@desk.test");
}

TEST(SmsReply, AckWithOrWithoutANumber)
{
    EXPECT_TRUE(parse_sms_reply(" ack ")->acknowledge);
    EXPECT_EQ(parse_sms_reply("ACK 42")->escalation_id, 42);
    EXPECT_EQ(parse_sms_reply("a #7")->escalation_id, 7);
    EXPECT_FALSE(parse_sms_reply("ok thanks"));
    EXPECT_FALSE(parse_sms_reply("ack later"));
    EXPECT_FALSE(parse_sms_reply("acknowledged?"));
}

TEST(PageText, SmsStaysShortAndCarriesTheLink)
{
    Escalation e;
    e.id = 12;
    e.alert_id = 3;
    e.severity = "critical";
    e.summary = std::string(2000, 'x');
    auto t = page_text(e, "Lifeline", "https://desk.test/ack/abc");
    EXPECT_LE(t.sms.size(), 320u);
    EXPECT_NE(t.sms.find("https://desk.test/ack/abc"), std::string::npos);
    EXPECT_NE(t.sms.find("ACK 12"), std::string::npos);
}

class Paging : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = storage::sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::move(opened).value();
        PagingSettings settings;
        settings.desk_name = "Lifeline";
        settings.public_url = "https://desk.test";
        settings.sms = true;
        escalator = std::make_unique<Escalator>(settings);
        auth = std::make_unique<auth::AuthService>(*db, clock, hashing);
        alerts = std::make_unique<alert::AlertService>(*db, clock, *escalator);
        tickets = std::make_unique<ticket::TicketService>(*db, clock, notify::MailIdentity{}, escalator.get());
        orgs = std::make_unique<org::OrgService>(*db);
        schedules = std::make_unique<schedule::ScheduleService>(*db, clock);
        escalations = std::make_unique<EscalationService>(*db, clock, *escalator);
        admin = person("admin@desk.test", "Admin", auth::Role::Admin, "");
        ana = person("ana@desk.test", "Ana Lopez", auth::Role::Agent, "+15550000001");
        tom = person("tom@desk.test", "Tom Becker", auth::Role::Agent, "+15550000002");
    }

    // A staff member with an SMS contact method paged at once (none when `phone` is empty).
    auth::Actor person(std::string email, std::string name, auth::Role role, std::string phone)
    {
        auth::User u;
        u.email = email;
        u.name = name;
        u.role = role;
        auto id = auth->create_user_blocking(u, "");
        EXPECT_TRUE(id) << id.error().message();
        auth::Actor actor{*id, role, {}, name, email};
        if (!phone.empty()) {
            auto m = sync_wait(escalations->add_contact_method(actor, id->value,
                                                               ContactMethod{0, 0, Channel::Sms, phone, "mobile", {}}));
            EXPECT_TRUE(m) << m.error().message();
            auto r = sync_wait(escalations->add_rule(actor, id->value, NotificationRule{0, 0, m->id, seconds(0), {}}));
            EXPECT_TRUE(r) << r.error().message();
        }
        return actor;
    }

    std::int64_t policy(std::vector<LevelInput> levels, int repeat = 0, bool is_default = false)
    {
        PolicyInput in;
        in.name = "Policy " + std::to_string(++policies);
        in.levels = std::move(levels);
        in.repeat = repeat;
        in.is_default = is_default;
        auto p = sync_wait(escalations->create_policy(admin, in));
        EXPECT_TRUE(p) << p.error().message();
        return p ? p->id : 0;
    }

    std::string service(std::int64_t policy_id)
    {
        auto s = sync_wait(alerts->create_service(admin, "Service " + std::to_string(++services), policy_id));
        EXPECT_TRUE(s) << s.error().message();
        return s->integration_key;
    }

    alert::AlertEvent event(alert::AlertEvent::Action action, std::string key,
                            alert::AlertEvent::Severity severity = alert::AlertEvent::Severity::Critical)
    {
        alert::AlertEvent e;
        e.action = action;
        e.dedup_key = std::move(key);
        e.summary = "Disk full on db1";
        e.source = "db1";
        e.severity = severity;
        return e;
    }

    std::vector<alert::Ingested> send(const std::string& key, alert::AlertEvent e)
    {
        auto done = sync_wait(alerts->ingest({std::move(e)}, key));
        EXPECT_TRUE(done) << done.error().message();
        return done ? *done : std::vector<alert::Ingested>{};
    }

    // Pages handed to the outbox since the last call, as "channel recipient", oldest first.
    std::vector<std::string> sent_to()
    {
        std::vector<std::string> out;
        auto claimed = db->write_blocking([&](storage::Transaction& tx) -> core::Status {
            for (const auto& m : tx.outbox().claim_due(core::UtcTime::max(), 1000)) {
                tx.outbox().mark_sent(m.id, clock.now());
                out.push_back(m.channel + " " + m.recipient);
            }
            return core::Ok{};
        });
        EXPECT_TRUE(claimed);
        return out;
    }

    void tick(std::chrono::milliseconds d)
    {
        clock.advance(d);
        auto fx = escalations->run_due_blocking();
        ASSERT_TRUE(fx) << fx.error().message();
    }

    Escalation only_escalation()
    {
        auto list = escalations->list(admin, false);
        EXPECT_TRUE(list && list->size() == 1u);
        return list->front();
    }

    lifeline::testing::TempDir dir;
    core::FakeClock clock{at("2026-11-21T03:00:00Z")};  // 3 a.m. on a Saturday
    boost::asio::thread_pool hashing{1};
    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    std::unique_ptr<Escalator> escalator;
    std::unique_ptr<auth::AuthService> auth;
    std::unique_ptr<alert::AlertService> alerts;
    std::unique_ptr<ticket::TicketService> tickets;
    std::unique_ptr<org::OrgService> orgs;
    std::unique_ptr<schedule::ScheduleService> schedules;
    std::unique_ptr<EscalationService> escalations;
    auth::Actor admin, ana, tom;
    int policies = 0, services = 0;
};

TEST_F(Paging, CriticalTriggerPagesLevelOneThenLevelTwoAfterTheTimeoutUntilAcknowledged)
{
    auto key = service(
        policy({LevelInput{{{"user", ana.user_id.value, ""}}, 300}, LevelInput{{{"user", 0, "tom@desk.test"}}, 300}}));
    auto opened = send(key, event(alert::AlertEvent::Action::Trigger, "disk"));
    ASSERT_EQ(opened.front().effect, alert::Ingested::Effect::Opened);
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000001"});

    tick(seconds(299));
    EXPECT_TRUE(sent_to().empty());
    tick(seconds(1));
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000002"});
    EXPECT_EQ(only_escalation().step.level, 1);

    auto acked = sync_wait(escalations->acknowledge(tom, only_escalation().id, "console"));
    ASSERT_TRUE(acked) << acked.error().message();
    EXPECT_EQ(acked->state, State::Acknowledged);
    tick(minutes(30));
    EXPECT_TRUE(sent_to().empty());
    auto list = alerts->list(admin, true);
    EXPECT_EQ(list->front().status, alert::AlertStatus::Acknowledged);

    auto again = sync_wait(escalations->acknowledge(ana, acked->id, "api"));
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message().find("Tom Becker"), std::string::npos) << again.error().message();

    auto detail = escalations->get(admin, acked->id);
    std::vector<std::string> kinds;
    for (const auto& e : detail->events)
        kinds.push_back(e.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"started", "paged", "timeout", "paged", "acknowledged"}));
}

TEST_F(Paging, RepeatsThePolicyThenStopsAndSaysSo)
{
    auto key = service(policy({LevelInput{{{"user", ana.user_id.value, ""}}, 60}}, 2));
    send(key, event(alert::AlertEvent::Action::Trigger, "cpu"));
    EXPECT_EQ(sent_to().size(), 1u);
    tick(seconds(60));
    tick(seconds(60));
    EXPECT_EQ(sent_to().size(), 2u);
    tick(seconds(60));
    EXPECT_TRUE(sent_to().empty());
    EXPECT_EQ(only_escalation().state, State::Exhausted);
    // An exhausted escalation can still be acknowledged.
    EXPECT_TRUE(sync_wait(escalations->acknowledge(ana, only_escalation().id, "api")));
}

TEST_F(Paging, ResolveFromTheSourceStopsPagingAndWarningsDoNotPage)
{
    auto key = service(
        policy({LevelInput{{{"user", ana.user_id.value, ""}}, 60}, LevelInput{{{"user", tom.user_id.value, ""}}, 60}}));
    send(key, event(alert::AlertEvent::Action::Trigger, "http"));
    send(key, event(alert::AlertEvent::Action::Resolve, "http"));
    EXPECT_EQ(only_escalation().state, State::Resolved);
    tick(minutes(5));
    EXPECT_EQ(sent_to().size(), 1u);  // Ana's first page only

    send(key, event(alert::AlertEvent::Action::Trigger, "latency", alert::AlertEvent::Severity::Warning));
    EXPECT_TRUE(sent_to().empty());
    EXPECT_EQ(escalations->list(admin, false)->size(), 1u);
}

TEST_F(Paging, DelayedRulesFireOnlyWhileUnacknowledged)
{
    auto voice = sync_wait(escalations->add_contact_method(
        ana, ana.user_id.value, ContactMethod{0, 0, Channel::Voice, "+15550000001", "mobile", {}}));
    ASSERT_TRUE(voice);
    ASSERT_TRUE(
        sync_wait(escalations->add_rule(ana, ana.user_id.value, NotificationRule{0, 0, voice->id, seconds(120), {}})));
    auto key = service(policy({LevelInput{{{"user", ana.user_id.value, ""}}, 600}}));

    send(key, event(alert::AlertEvent::Action::Trigger, "a"));
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000001"});
    tick(seconds(120));
    EXPECT_EQ(sent_to(), std::vector<std::string>{"voice +15550000001"});

    send(key, event(alert::AlertEvent::Action::Trigger, "b"));
    sent_to();
    auto open = escalations->list(admin, true);
    ASSERT_EQ(open->size(), 2u);
    ASSERT_TRUE(sync_wait(escalations->acknowledge(ana, open->front().id, "sms")));
    tick(seconds(120));
    EXPECT_TRUE(sent_to().empty());
}

TEST_F(Paging, ScheduleTargetsPageWhoeverIsOnCallAcrossTheBerlinClockChange)
{
    schedule::ScheduleInput in;
    in.name = "Primary";
    in.time_zone = "Europe/Berlin";
    schedule::LayerInput layer;
    layer.participant_emails = {"ana@desk.test", "tom@desk.test"};
    layer.start = *schedule::parse_local_time("2026-10-24T09:00");
    layer.length = schedule::Layer::Length::Daily;
    in.layers = {layer};
    auto s = sync_wait(schedules->create(admin, in));
    ASSERT_TRUE(s) << s.error().message();
    auto key = service(policy({LevelInput{{{"schedule", s->id, ""}}, 300}}));

    // 25 Oct: Berlin falls back at 03:00 CEST. Ana's shift runs 09:00 CEST Sat to 09:00 CET Sun (08:00Z).
    clock.set(at("2026-10-25T07:59:00Z"));
    send(key, event(alert::AlertEvent::Action::Trigger, "one"));
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000001"});
    clock.set(at("2026-10-25T08:00:00Z"));
    send(key, event(alert::AlertEvent::Action::Trigger, "two"));
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000002"});
}

TEST_F(Paging, NobodyOnCallSkipsToTheNextLevelAtOnce)
{
    schedule::ScheduleInput in;
    in.name = "Weekdays";
    in.time_zone = "America/New_York";
    schedule::LayerInput layer;
    layer.participant_emails = {"ana@desk.test"};
    layer.start = *schedule::parse_local_time("2026-11-02T09:00");
    layer.restrictions = "Mon-Fri 09:00-17:00";
    in.layers = {layer};
    auto s = sync_wait(schedules->create(admin, in));
    ASSERT_TRUE(s) << s.error().message();
    auto key = service(
        policy({LevelInput{{{"schedule", s->id, ""}}, 300}, LevelInput{{{"user", tom.user_id.value, ""}}, 300}}));
    send(key, event(alert::AlertEvent::Action::Trigger, "weekend"));  // Saturday 22:00 in New York
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000002"});
    auto detail = escalations->get(admin, only_escalation().id);
    bool warned = false;
    for (const auto& e : detail->events)
        warned = warned || e.text.find("nobody is on call in 'Weekdays'") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST_F(Paging, AStormOnOneKeyIsOneAlertAndOnePage)
{
    auto key = service(policy({LevelInput{{{"user", ana.user_id.value, ""}}, 300}}));
    for (int batch = 0; batch < 100; ++batch) {
        std::vector<alert::AlertEvent> events(1000, event(alert::AlertEvent::Action::Trigger, "storm"));
        ASSERT_TRUE(sync_wait(alerts->ingest(std::move(events), key)));
    }
    auto list = alerts->list(admin, false);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().event_count, 100000);
    EXPECT_EQ(sent_to().size(), 1u);
}

TEST_F(Paging, AFlappingKeyStopsPagingAgain)
{
    auto key = service(policy({LevelInput{{{"user", ana.user_id.value, ""}}, 300}}));
    for (int i = 0; i < alert::AlertService::kFlapThreshold; ++i) {
        send(key, event(alert::AlertEvent::Action::Trigger, "flap"));
        send(key, event(alert::AlertEvent::Action::Resolve, "flap"));
        clock.advance(minutes(2));
    }
    EXPECT_EQ(sent_to().size(), static_cast<std::size_t>(alert::AlertService::kFlapThreshold - 1));
    auto list = alerts->list(admin, false);
    EXPECT_TRUE(list->front().flapping);
    EXPECT_FALSE(list->back().flapping);
    clock.advance(alert::AlertService::kFlapWindow);
    send(key, event(alert::AlertEvent::Action::Trigger, "flap"));
    EXPECT_EQ(sent_to().size(), 1u);
}

TEST_F(Paging, EmergencyTicketsFromCoveredPlansPageTheDefaultPolicy)
{
    policy({LevelInput{{{"user", ana.user_id.value, ""}}, 300}}, 0, true);
    plan::SupportPlan p;
    p.name = "Business Critical";
    p.calendar.time_zone = "Europe/London";
    p.calendar.hours = *plan::parse_weekly_hours("Mon-Fri 09:00-17:00");
    p.after_hours_emergency = true;
    p.emergency_phone = "+44 20 7946 0000";
    p.targets = {plan::Targets{minutes(15), minutes(240)}, plan::Targets{minutes(120), minutes(480)},
                 plan::Targets{minutes(240), minutes(960)}, plan::Targets{minutes(480), minutes(1920)}};
    auto covered = *orgs->create_plan_blocking(p);
    p.name = "Basic";
    p.after_hours_emergency = false;
    auto basic = *orgs->create_plan_blocking(p);
    org::Organization bakery;
    bakery.name = "Harbour Bakery";
    bakery.email_domains = {"bakery.test"};
    bakery.plan_id = covered;
    ASSERT_TRUE(orgs->create_organization_blocking(bakery));
    org::Organization shop;
    shop.name = "Corner Shop";
    shop.email_domains = {"shop.test"};
    shop.plan_id = basic;
    ASSERT_TRUE(orgs->create_organization_blocking(shop));

    auto open = [&](std::string email, std::string priority) {
        ticket::NewTicket t;
        t.subject = "Till is down";
        t.body = "Nothing works";
        t.priority = std::move(priority);
        t.requester_email = std::move(email);
        auto created = sync_wait(tickets->create(admin, t, ""));
        EXPECT_TRUE(created) << created.error().message();
        return created->ticket.id;
    };
    auto p1 = open("maria@bakery.test", "P1");
    open("maria@bakery.test", "P2");
    open("sam@shop.test", "P1");
    EXPECT_EQ(sent_to(), std::vector<std::string>{"sms +15550000001"});
    EXPECT_EQ(only_escalation().ticket_id, p1.value);

    auto timeline = tickets->get(admin, p1);
    ASSERT_TRUE(timeline) << timeline.error().message();
    bool paged = false;
    for (const auto& e : timeline->timeline)
        paged = paged || (e.kind == "escalation" && e.detail.find("paged Ana Lopez") != std::string::npos);
    EXPECT_TRUE(paged);
    ASSERT_TRUE(sync_wait(tickets->set_status(admin, p1, ticket::Status::Resolved)));
    EXPECT_EQ(only_escalation().state, State::Resolved);
}

TEST_F(Paging, SmsRepliesAcknowledgeTheNewestPageOrANamedOne)
{
    auto key = service(policy({LevelInput{{{"user", ana.user_id.value, ""}, {"user", tom.user_id.value, ""}}, 300}}));
    send(key, event(alert::AlertEvent::Action::Trigger, "x"));
    send(key, event(alert::AlertEvent::Action::Trigger, "y"));
    auto open = escalations->list(admin, true);
    ASSERT_EQ(open->size(), 2u);
    auto first = open->back().id, second = open->front().id;

    auto answer = sync_wait(escalations->sms_reply("+15550000002", "ack " + std::to_string(first)));
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("Acknowledged " + std::to_string(first)), std::string::npos) << *answer;
    answer = sync_wait(escalations->sms_reply("+15550000001", "ACK"));
    EXPECT_NE(answer->find("Acknowledged " + std::to_string(second)), std::string::npos) << *answer;
    answer = sync_wait(escalations->sms_reply("+15550000001", "ACK"));
    EXPECT_NE(answer->find("Nothing is waiting"), std::string::npos) << *answer;
    answer = sync_wait(escalations->sms_reply("+15559999999", "ACK"));
    EXPECT_NE(answer->find("not on any paging list"), std::string::npos) << *answer;
    answer = sync_wait(escalations->sms_reply("+15550000001", "what?"));
    EXPECT_NE(answer->find("Not understood"), std::string::npos) << *answer;
    EXPECT_EQ(escalations->get(admin, first)->escalation.acknowledged_by_name, "Tom Becker");
}

TEST_F(Paging, PoliciesInUseCannotBeDeletedAndOnlyAdminsEditThem)
{
    auto id = policy({LevelInput{{{"user", ana.user_id.value, ""}}, 300}});
    PolicyInput in;
    in.name = "Mine";
    in.levels = {LevelInput{{{"user", ana.user_id.value, ""}}, 300}};
    EXPECT_EQ(sync_wait(escalations->create_policy(ana, in)).error().code(), core::ErrorCode::PermissionDenied);
    in.levels = {LevelInput{{{"user", 0, "nobody@desk.test"}, {"team", 1, ""}}, 300}};
    auto bad = sync_wait(escalations->create_policy(admin, in));
    ASSERT_FALSE(bad);
    std::set<std::string> fields;
    for (const auto& f : bad.error().fields())
        fields.insert(f.field);
    EXPECT_TRUE(fields.contains("levels[0].targets[0]"));
    EXPECT_TRUE(fields.contains("levels[0].targets[1].type"));
    service(id);
    EXPECT_EQ(sync_wait(escalations->delete_policy(admin, id)).error().code(), core::ErrorCode::Conflict);
    // People manage their own paging, not each other's.
    auto theirs = sync_wait(escalations->add_contact_method(ana, tom.user_id.value,
                                                            ContactMethod{0, 0, Channel::Sms, "+15550000009", "", {}}));
    EXPECT_EQ(theirs.error().code(), core::ErrorCode::PermissionDenied);
}

}  // namespace
}  // namespace lifeline::escalation

namespace lifeline::escalation {
namespace {

TEST_F(Paging, AChannelWithoutAProviderIsLoggedAndTheLevelMovesOnAtOnce)
{
    PagingSettings no_sms;
    no_sms.public_url = "https://desk.test";
    escalator = std::make_unique<Escalator>(no_sms);
    alerts = std::make_unique<alert::AlertService>(*db, clock, *escalator);
    escalations = std::make_unique<EscalationService>(*db, clock, *escalator);
    auto key = service(policy(
        {LevelInput{{{"user", ana.user_id.value, ""}}, 300}, LevelInput{{{"user", tom.user_id.value, ""}}, 300}}));
    send(key, event(alert::AlertEvent::Action::Trigger, "quiet"));
    EXPECT_TRUE(sent_to().empty());
    auto detail = escalations->get(admin, only_escalation().id);
    std::vector<std::string> texts;
    for (const auto& e : detail->events)
        texts.push_back(e.text);
    ASSERT_GE(texts.size(), 4u);
    EXPECT_EQ(texts[1], "Level 1: cannot page Ana Lopez by SMS: no provider is configured for it");
    EXPECT_EQ(detail->escalation.state, State::Exhausted);
}

}  // namespace
}  // namespace lifeline::escalation
