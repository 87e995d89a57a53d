// SubscriberService over a real SQLite file with a fake clock: the fan-out is recorded in the update's own commit and
// expanded in batches to the active subscribers of the affected components only, each channel paced by its rate;
// double opt-in; a webhook the outbox gives up on is disabled.
#include "core/sync_wait.hpp"
#include "status/status_service.hpp"
#include "status/subscriber_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/child_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace lifeline::status {
namespace {

using core::sync_wait;

class SubscriberServiceTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = storage::sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::move(opened).value();
        auth::User u;
        u.email = "admin@desk.test";
        u.name = "Ada Admin";
        u.role = auth::Role::Admin;
        ASSERT_TRUE(db->write_blocking([&](storage::Transaction& tx) -> core::Status {
            auto id = tx.auth().insert_user(u, clock.now());
            if (!id) return id.error();
            admin.user_id = *id;
            return core::Ok{};
        }));
        admin.role = auth::Role::Admin;
        admin.name = u.name;
        SubscriberSettings settings;
        settings.page = {"Acme Status", "https://status.test"};
        settings.identity = {"status@desk.test", "Acme"};
        settings.sms_enabled = true;
        settings.rates.email_per_second = 10;
        settings.rates.sms_per_second = 1;
        settings.batch = 2;
        subscribers = std::make_unique<SubscriberService>(*db, clock, settings);
        statuses = std::make_unique<StatusService>(*db, clock);
        for (const auto* name : {"API", "Website"}) {
            ComponentInput in;
            in.name = name;
            auto c = sync_wait(statuses->create(admin, StatusService::Kind::Component, in));
            ASSERT_TRUE(c) << c.error().message();
            components.push_back(c->id);
        }
    }

    Subscribed add(SubscriberChannel channel, const std::string& address, std::vector<std::int64_t> ids = {})
    {
        auto r = sync_wait(subscribers->subscribe({channel, address, std::move(ids), "192.0.2.1"}));
        EXPECT_TRUE(r) << r.error().message();
        return r ? *r : Subscribed{};
    }

    // Claims every queued message of `kind` due within the hour, as the outbox worker would.
    std::vector<notify::OutboxMessage> claim(std::string_view kind)
    {
        std::vector<notify::OutboxMessage> out;
        EXPECT_TRUE(db->write_blocking([&](storage::Transaction& tx) -> core::Status {
            for (auto& m : tx.outbox().claim_due(clock.now() + std::chrono::hours(1), 1000))
                if (m.kind == kind) out.push_back(std::move(m));
            return core::Ok{};
        }));
        return out;
    }

    // The confirmation token from the link in the newest confirmation email to `address` (claiming the queued ones
    // keeps each address's newest token for later calls).
    std::string confirm_token(const std::string& address)
    {
        for (const auto& m : claim(notify::kStatusConfirmation)) {
            auto at = m.body.find("/status/confirm/") + 16;
            tokens_[m.recipient] = m.body.substr(at, m.body.find('\n', at) - at);
        }
        return tokens_[address];
    }

    void confirm(const std::string& address)
    {
        auto confirmed = sync_wait(subscribers->confirm(confirm_token(address)));
        ASSERT_TRUE(confirmed) << address << ": " << confirmed.error().message();
        EXPECT_EQ(confirmed->state, SubscriberState::Active);
    }

    core::Result<IncidentRecord> publish(std::vector<std::int64_t> ids)
    {
        PublishInput in;
        in.name = "Errors";
        in.body = "Looking into it.";
        in.component_ids = std::move(ids);
        return sync_wait(statuses->publish(admin, in));
    }

    testing::TempDir dir;
    core::FakeClock clock{*core::parse_rfc3339("2026-11-23T10:00:00Z")};
    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    auth::Actor admin;
    std::unique_ptr<StatusService> statuses;
    std::unique_ptr<SubscriberService> subscribers;
    std::vector<std::int64_t> components;
    std::map<std::string, std::string> tokens_;
};

TEST_F(SubscriberServiceTest, FanoutReachesActiveSubscribersOfAffectedComponentsInBatchesPacedPerChannel)
{
    const auto api = components[0];
    const auto web = components[1];
    add(SubscriberChannel::Email, "a@example.com", {api});
    add(SubscriberChannel::Email, "b@example.com", {web});
    add(SubscriberChannel::Email, "c@example.com");  // never confirms
    add(SubscriberChannel::Sms, "+15550001111", {api});
    add(SubscriberChannel::Sms, "+15550002222");
    add(SubscriberChannel::Webhook, "https://hooks.test/x", {web});
    confirm("a@example.com");
    confirm("b@example.com");

    ASSERT_TRUE(publish({api}));
    EXPECT_TRUE(claim(notify::kStatusUpdate).empty()) << "the commit records the fan-out, not the messages";
    EXPECT_EQ(*subscribers->expand_due_blocking(), 2) << "batches of settings.batch";
    EXPECT_EQ(*subscribers->expand_due_blocking(), 1);
    EXPECT_EQ(*subscribers->expand_due_blocking(), 0);

    auto progress = *subscribers->progress(admin);
    ASSERT_EQ(progress.size(), 1u);
    EXPECT_EQ(progress[0].fanout.email_count, 1);
    EXPECT_EQ(progress[0].fanout.sms_count, 2);
    EXPECT_EQ(progress[0].fanout.webhook_count, 0);
    EXPECT_EQ(progress[0].queued, 3);
    EXPECT_TRUE(progress[0].fanout.expanded_at);

    std::set<std::string> recipients;
    std::vector<core::UtcTime> sms_due;
    for (const auto& m : claim(notify::kStatusUpdate)) {
        recipients.insert(m.recipient);
        if (m.channel == notify::kSms) sms_due.push_back(m.next_attempt_at);
        if (m.channel == notify::kEmail) {
            EXPECT_NE(
                std::find(m.headers.begin(), m.headers.end(), "List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
                m.headers.end());
        }
    }
    EXPECT_EQ(recipients, (std::set<std::string>{"a@example.com", "+15550001111", "+15550002222"}));
    ASSERT_EQ(sms_due.size(), 2u);
    EXPECT_EQ(sms_due[1] - sms_due[0], std::chrono::seconds(1)) << "SMS paced at 1/s";
}

TEST_F(SubscriberServiceTest, UpdatesWithoutDeliverNotificationsAreNotFannedOut)
{
    add(SubscriberChannel::Sms, "+15550001111");
    PublishInput in;
    in.name = "Quiet";
    in.body = "Nothing to tell.";
    in.deliver_notifications = false;
    ASSERT_TRUE(sync_wait(statuses->publish(admin, in)));
    EXPECT_EQ(*subscribers->expand_due_blocking(), 0);
    EXPECT_TRUE(subscribers->progress(admin)->empty());
}

TEST_F(SubscriberServiceTest, ConfirmationLinkWorksOnceAndExpires)
{
    add(SubscriberChannel::Email, "late@example.com");
    auto token = confirm_token("late@example.com");
    ASSERT_FALSE(token.empty());
    ASSERT_TRUE(subscribers->pending(token));
    clock.advance(std::chrono::hours(49));
    EXPECT_EQ(subscribers->pending(token).error().code(), core::ErrorCode::NotFound);
    EXPECT_FALSE(sync_wait(subscribers->confirm(token)));

    add(SubscriberChannel::Email, "once@example.com");
    token = confirm_token("once@example.com");
    ASSERT_TRUE(sync_wait(subscribers->confirm(token)));
    EXPECT_FALSE(sync_wait(subscribers->confirm(token)));
    // Asking again for a confirmed address sends nothing and reveals nothing.
    auto again = add(SubscriberChannel::Email, "once@example.com");
    EXPECT_EQ(again.subscriber.id, 0);
    EXPECT_TRUE(claim(notify::kStatusConfirmation).empty());
}

TEST_F(SubscriberServiceTest, WebhookTheOutboxGivesUpOnIsDisabledAndTheAdminsAreMailed)
{
    auto hook = add(SubscriberChannel::Webhook, "https://hooks.test/down");
    EXPECT_TRUE(hook.signing_secret.starts_with("whsec_"));
    ASSERT_TRUE(publish({components[0]}));
    ASSERT_EQ(*subscribers->expand_due_blocking(), 1);
    auto messages = claim(notify::kStatusUpdate);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].signing_secret, hook.signing_secret);
    ASSERT_TRUE(db->write_blocking([&](storage::Transaction& tx) -> core::Status {
        on_message_dead(tx, messages[0], "the webhook answered 500; gave up after 8 attempts",
                        subscribers->settings().identity, clock.now());
        return core::Ok{};
    }));
    auto list = *subscribers->list(admin);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].state, SubscriberState::Disabled);
    EXPECT_EQ(list[0].disabled_reason, "the webhook answered 500; gave up after 8 attempts");
    auto notices = claim(notify::kStatusSubscriberDisabled);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_EQ(notices[0].recipient, "admin@desk.test");

    ASSERT_TRUE(publish({components[0]}));
    EXPECT_EQ(*subscribers->expand_due_blocking(), 0) << "a disabled subscriber gets nothing";
}

TEST_F(SubscriberServiceTest, PagesAreClaimedBeforeFanoutMessagesThatFellDueEarlier)
{
    add(SubscriberChannel::Sms, "+15550001111");
    add(SubscriberChannel::Sms, "+15550002222");
    ASSERT_TRUE(publish({components[0]}));
    ASSERT_EQ(*subscribers->expand_due_blocking(), 2);
    clock.advance(std::chrono::seconds(5));
    notify::OutboxMessage page;
    page.kind = std::string(notify::kPage);
    page.channel = std::string(notify::kSms);
    page.recipient = "+15550003333";
    page.body = "Checkout is down";
    page.message_id = "page-1@desk.test";
    page.next_attempt_at = clock.now();
    page.created_at = clock.now();
    std::vector<notify::OutboxMessage> first;
    ASSERT_TRUE(db->write_blocking([&](storage::Transaction& tx) -> core::Status {
        tx.outbox().enqueue(page);
        first = tx.outbox().claim_due(clock.now(), 1);
        return core::Ok{};
    }));
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].kind, notify::kPage);
    EXPECT_EQ(claim(notify::kStatusUpdate).size(), 2u) << "the fan-out follows in the same claims";
}

TEST_F(SubscriberServiceTest, ChannelsTheDeskCannotSendOnAreRefused)
{
    SubscriberSettings settings;
    SubscriberService quiet(*db, clock, settings);
    for (auto channel : {SubscriberChannel::Email, SubscriberChannel::Sms}) {
        auto r = sync_wait(quiet.subscribe(
            {channel, channel == SubscriberChannel::Sms ? "+15550001111" : "a@b.test", {}, "192.0.2.1"}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().fields().at(0).field, "channel");
        EXPECT_NE(r.error().fields().at(0).message.find("not available here"), std::string::npos);
    }
    EXPECT_TRUE(sync_wait(quiet.subscribe({SubscriberChannel::Webhook, "https://hooks.test/x", {}, "192.0.2.1"})));
}

TEST_F(SubscriberServiceTest, OnlyAdminsSeeOrRemoveSubscribers)
{
    auth::Actor agent = admin;
    agent.role = auth::Role::Agent;
    EXPECT_EQ(subscribers->list(agent).error().code(), core::ErrorCode::PermissionDenied);
    EXPECT_EQ(subscribers->progress(agent).error().code(), core::ErrorCode::PermissionDenied);
    auto sms = add(SubscriberChannel::Sms, "+15550001111");
    EXPECT_EQ(sync_wait(subscribers->remove(agent, sms.subscriber.id)).error().code(),
              core::ErrorCode::PermissionDenied);
    EXPECT_TRUE(sync_wait(subscribers->remove(admin, sms.subscriber.id)));
    EXPECT_EQ(sync_wait(subscribers->remove(admin, sms.subscriber.id)).error().code(), core::ErrorCode::NotFound);
}

}  // namespace
}  // namespace lifeline::status
