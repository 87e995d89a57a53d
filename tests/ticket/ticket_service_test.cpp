// TicketService over a real SQLite file with a fake clock: deadlines, acknowledgement, tenancy, atomicity.
#include "auth/auth_service.hpp"
#include "core/sync_wait.hpp"
#include "org/org_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/server_process.hpp"
#include "ticket/ticket_service.hpp"

#include <gtest/gtest.h>

namespace lifeline::ticket {
namespace {

using core::sync_wait;

core::UtcTime at(const char* rfc3339) { return *core::parse_rfc3339(rfc3339); }

class TicketServiceTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = storage::sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::move(opened).value();
        auth = std::make_unique<auth::AuthService>(*db, clock, hashing);
        tickets = std::make_unique<TicketService>(*db, clock);
        orgs = std::make_unique<org::OrgService>(*db);

        plan::SupportPlan p;
        p.name = "Business Critical";
        p.calendar.time_zone = "Europe/London";
        p.calendar.hours = *plan::parse_weekly_hours("Mon-Fri 09:00-17:00");
        p.calendar.holidays = {date::year{2026} / 12 / 25};
        p.after_hours_emergency = true;
        p.emergency_phone = "+44 20 7946 0000";
        using std::chrono::minutes;
        p.targets = {plan::Targets{minutes(15), minutes(240)}, plan::Targets{minutes(120), minutes(480)},
                     plan::Targets{minutes(240), minutes(960)}, plan::Targets{minutes(480), minutes(1920)}};
        critical = *orgs->create_plan_blocking(p);

        agent = user("tom@desk.test", "Tom Becker", auth::Role::Agent, {});
        org::Organization bakery_org;
        bakery_org.name = "Harbour Bakery";
        bakery_org.email_domains = {"bakery.test"};
        bakery_org.plan_id = critical;
        bakery_org.primary_agent_id = agent.user_id;
        bakery = *orgs->create_organization_blocking(bakery_org);
        org::Organization other_org;
        other_org.name = "Northwind";
        other_org.email_domains = {"northwind.test"};
        northwind = *orgs->create_organization_blocking(other_org);
        maria = user("maria@bakery.test", "Maria Lopez", auth::Role::Contact, bakery);
        jon = user("jon@northwind.test", "Jon Park", auth::Role::Contact, northwind);
    }

    auth::Actor user(std::string email, std::string name, auth::Role role, org::OrganizationId org)
    {
        auth::User u;
        u.email = email;
        u.name = name;
        u.role = role;
        u.organization_id = org;
        auto id = auth->create_user_blocking(u, "");
        EXPECT_TRUE(id) << id.error().message();
        return auth::Actor{*id, role, org, name, email};
    }

    NewTicket ticket(std::string subject, std::string priority)
    {
        NewTicket t;
        t.subject = std::move(subject);
        t.body = "details";
        t.priority = std::move(priority);
        return t;
    }

    lifeline::testing::TempDir dir;
    core::FakeClock clock{at("2026-11-20T10:00:00Z")};   // a Friday
    boost::asio::thread_pool hashing{1};
    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    std::unique_ptr<auth::AuthService> auth;
    std::unique_ptr<TicketService> tickets;
    std::unique_ptr<org::OrgService> orgs;
    plan::PlanId critical;
    org::OrganizationId bakery, northwind;
    auth::Actor agent, maria, jon;
};

TEST_F(TicketServiceTest, P1WithEmergencyCoverageIsDueInMinutesAtNight)
{
    clock.set(at("2026-11-21T03:00:00Z"));   // Saturday 03:00 in London
    auto created = sync_wait(tickets->create(maria, ticket("Shop down", "P1"), ""));
    ASSERT_TRUE(created) << created.error().message();
    EXPECT_EQ(core::format_rfc3339(created->ticket.first_response_due_at), "2026-11-21T03:15:00Z");
    EXPECT_EQ(created->acknowledgement.coverage, plan::Coverage::RoundTheClock);
    EXPECT_EQ(created->acknowledgement.responder.name, "Tom Becker");
    EXPECT_EQ(created->acknowledgement.responder.phone, "+44 20 7946 0000");
    const auto& text = created->acknowledgement.text;
    EXPECT_NE(text.find(created->ticket.ref()), std::string::npos) << text;
    EXPECT_NE(text.find("Tom Becker is on it"), std::string::npos) << text;
    EXPECT_NE(text.find("Saturday 21 November 2026, 03:15 GMT"), std::string::npos) << text;
    EXPECT_NE(text.find("+44 20 7946 0000"), std::string::npos) << text;
    EXPECT_EQ(created->ticket.assignee_id, agent.user_id);
}

TEST_F(TicketServiceTest, P2AfterHoursWaitsForTheNextBusinessMorningAndSaysSo)
{
    clock.set(at("2026-11-20T18:30:00Z"));   // Friday evening
    auto created = sync_wait(tickets->create(maria, ticket("Slow site", "P2"), ""));
    ASSERT_TRUE(created);
    EXPECT_EQ(core::format_rfc3339(created->ticket.first_response_due_at), "2026-11-23T11:00:00Z");
    EXPECT_TRUE(created->acknowledgement.starts_after_hours);
    EXPECT_NE(created->acknowledgement.text.find("outside business hours"), std::string::npos);
    EXPECT_NE(created->acknowledgement.text.find("Monday 23 November 2026, 11:00 GMT"), std::string::npos)
        << created->acknowledgement.text;
}

TEST_F(TicketServiceTest, ChristmasIsSkippedAndSummerTimeRespected)
{
    clock.set(at("2026-12-24T16:30:00Z"));   // Thursday 16:30, 30 minutes before close; Friday is a holiday
    auto created = sync_wait(tickets->create(maria, ticket("Printer", "P3"), ""));
    ASSERT_TRUE(created);
    // 30 minutes on Thursday, then Friday 25th (holiday) and the weekend are skipped: 3.5 hours on Monday.
    EXPECT_EQ(core::format_rfc3339(created->ticket.first_response_due_at), "2026-12-28T12:30:00Z");
}

TEST_F(TicketServiceTest, UnknownSenderBecomesContactOfTheOrganizationOwningTheDomain)
{
    NewTicket t = ticket("VPN", "P3");
    t.requester_email = "New.Person@Bakery.test";
    t.requester_name = "New Person";
    auto created = sync_wait(tickets->create(agent, t, ""));
    ASSERT_TRUE(created) << created.error().message();
    EXPECT_EQ(created->ticket.organization_id, bakery);
    EXPECT_EQ(created->ticket.requester_email, "new.person@bakery.test");
    auto page = tickets->list(maria, {});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->tickets.size(), 1u);
}

TEST_F(TicketServiceTest, FailedCreateWritesNothing)
{
    NewTicket t = ticket("VPN", "P3");
    t.requester_email = "someone@elsewhere.test";
    t.organization = "no-such-org";
    auto created = sync_wait(tickets->create(agent, t, ""));
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_EQ(created.error().fields().at(0).field, "organization");
    auto token = auth->create_token_blocking("someone@elsewhere.test", "x");
    EXPECT_FALSE(token) << "the contact must not have been created";
    EXPECT_TRUE(tickets->list(agent, {})->tickets.empty());
}

TEST_F(TicketServiceTest, ContactsSeeOnlyTheirOrganization)
{
    auto mine = sync_wait(tickets->create(maria, ticket("Mine", "P3"), ""));
    auto theirs = sync_wait(tickets->create(jon, ticket("Theirs", "P3"), ""));
    ASSERT_TRUE(mine && theirs);
    EXPECT_FALSE(tickets->get(maria, theirs->ticket.id));
    EXPECT_EQ(tickets->get(maria, theirs->ticket.id).error().code(), core::ErrorCode::NotFound);
    EXPECT_TRUE(tickets->get(maria, mine->ticket.id));
    auto reply = sync_wait(tickets->reply(maria, theirs->ticket.id, "hello"));
    EXPECT_EQ(reply.error().code(), core::ErrorCode::NotFound);
    auto list = tickets->list(maria, {});
    ASSERT_EQ(list->tickets.size(), 1u);
    EXPECT_EQ(list->tickets[0].subject, "Mine");
    EXPECT_EQ(tickets->list(agent, {})->tickets.size(), 2u);
}

TEST_F(TicketServiceTest, StaffReplyIsTheFirstResponseAndOpensTheTicket)
{
    auto created = sync_wait(tickets->create(maria, ticket("Mail", "P2"), ""));
    ASSERT_TRUE(created);
    clock.advance(std::chrono::minutes(7));
    ASSERT_TRUE(sync_wait(tickets->reply(agent, created->ticket.id, "Looking now")));
    auto view = tickets->get(agent, created->ticket.id);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->ticket.status, Status::Open);
    ASSERT_TRUE(view->ticket.first_responded_at);
    EXPECT_EQ(core::format_rfc3339(*view->ticket.first_responded_at), "2026-11-20T10:07:00Z");
    ASSERT_TRUE(sync_wait(tickets->set_status(agent, created->ticket.id, Status::WaitingOnCustomer)));
    ASSERT_TRUE(sync_wait(tickets->reply(maria, created->ticket.id, "Here is the screenshot")));
    EXPECT_EQ(tickets->get(agent, created->ticket.id)->ticket.status, Status::Open);
}

TEST_F(TicketServiceTest, IdempotencyKeyIsPerCallerAndBoundToTheRequest)
{
    auto a = sync_wait(tickets->create(maria, ticket("Once", "P3"), "k"));
    auto b = sync_wait(tickets->create(maria, ticket("Once", "P3"), "k"));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->ticket.id, b->ticket.id);
    EXPECT_TRUE(b->replayed);
    auto c = sync_wait(tickets->create(maria, ticket("Different", "P3"), "k"));
    EXPECT_EQ(c.error().code(), core::ErrorCode::Conflict);
    auto d = sync_wait(tickets->create(jon, ticket("Once", "P3"), "k"));
    ASSERT_TRUE(d);
    EXPECT_NE(d->ticket.id, a->ticket.id);
}

TEST_F(TicketServiceTest, EditedAcknowledgementTemplateIsUsedAndBadOnesRejected)
{
    EXPECT_TRUE(check_acknowledgement_template("Ref {{REF}} — {{RESPONDER_NAME}}"));
    EXPECT_FALSE(check_acknowledgement_template("{{#NAMED}} never closed"));
    ASSERT_TRUE(db->write_blocking([](storage::Transaction& tx) -> core::Status {
        tx.tickets().put_template("acknowledgement", "Got it: {{REF}}, due {{RESPOND_BY_UTC}}.", core::UtcTime{});
        return core::Ok{};
    }));
    auto created = sync_wait(tickets->create(maria, ticket("Custom", "P3"), ""));
    ASSERT_TRUE(created);
    EXPECT_EQ(created->acknowledgement.text, "Got it: " + created->ticket.ref() + ", due " +
                                                 core::format_rfc3339(created->ticket.first_response_due_at) + ".");
}

TEST_F(TicketServiceTest, PublicFormPlacesTheRequesterOnlyByEmailDomain)
{
    NewTicket t = ticket("Site down", "P1");
    t.requester_email = "walkin@bakery.test";
    t.requester_name = "Walk In";
    t.organization = "northwind";   // ignored: the form cannot pick an organization
    auto created = sync_wait(tickets->create_public(t));
    ASSERT_TRUE(created) << created.error().message();
    EXPECT_EQ(created->ticket.organization_id, bakery);
    EXPECT_EQ(created->ticket.channel, Channel::Portal);
    EXPECT_EQ(created->acknowledgement.coverage, plan::Coverage::RoundTheClock);
    auto view = tickets->get(agent, created->ticket.id);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->timeline.front().actor_name, "Walk In");
    NewTicket stranger = ticket("Hello", "P4");
    stranger.requester_email = "someone@gmail.test";
    auto other = sync_wait(tickets->create_public(stranger));
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->ticket.organization_id);
}

TEST(Duration, DescribedForPeople)
{
    EXPECT_EQ(describe_duration(std::chrono::minutes(15)), "15 minutes");
    EXPECT_EQ(describe_duration(std::chrono::minutes(60)), "1 hour");
    EXPECT_EQ(describe_duration(std::chrono::minutes(1500)), "1 day 1 hour");
    EXPECT_EQ(describe_duration(std::chrono::minutes(0)), "0 minutes");
}

TEST(Ref, RoundTrips)
{
    EXPECT_EQ(format_ref(TicketId{42}), "LL-1042");
    EXPECT_EQ(parse_ref("LL-1042")->value, 42);
    EXPECT_FALSE(parse_ref("LL-1000"));
    EXPECT_FALSE(parse_ref("LL-12x"));
    EXPECT_FALSE(parse_ref(""));
}

}  // namespace
}  // namespace lifeline::ticket
