// Scheduled maintenance: the window checks and transition policy (pure, fake clock), and the service over a real
// SQLite file: the timer's automatic transitions at the window's edges move the components, run once, survive a
// restart, and leave components an incident holds alone.
#include "auth/auth_service.hpp"
#include "core/sync_wait.hpp"
#include "status/maintenance_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/server_process.hpp"

#include <gtest/gtest.h>

namespace lifeline::status {
namespace {

using core::sync_wait;
using std::chrono::hours;
using std::chrono::minutes;
using MS = MaintenanceStatus;
using CS = ComponentStatus;

core::UtcTime at(const char* rfc3339)
{
    return *core::parse_rfc3339(rfc3339);
}

const auto kNow = at("2026-11-23T18:00:00Z");

Maintenance window(core::UtcTime from, core::UtcTime until)
{
    Maintenance m;
    m.name = "  Database upgrade  ";
    m.scheduled_for = from;
    m.scheduled_until = until;
    return m;
}

std::set<std::string> fields(const core::Status& s)
{
    std::set<std::string> out;
    for (const auto& f : s.error().fields())
        out.insert(f.field);
    return out;
}

TEST(MaintenanceWindow, NameIsTrimmedAndASaneWindowPasses)
{
    auto m = window(kNow + hours(2), kNow + hours(4));
    ASSERT_TRUE(check_maintenance(m, kNow, true));
    EXPECT_EQ(m.name, "Database upgrade");
}

TEST(MaintenanceWindow, BadWindowsNameTheFieldAtFault)
{
    auto backwards = window(kNow + hours(4), kNow + hours(2));
    EXPECT_EQ(fields(check_maintenance(backwards, kNow, true)), std::set<std::string>{"scheduled_until"});
    auto too_long = window(kNow, kNow + std::chrono::days(8));
    EXPECT_EQ(fields(check_maintenance(too_long, kNow, true)), std::set<std::string>{"scheduled_until"});
    auto too_short = window(kNow + hours(1), kNow + hours(1) + std::chrono::seconds(30));
    EXPECT_FALSE(check_maintenance(too_short, kNow, true));
    auto past = window(kNow - hours(3), kNow - hours(1));
    EXPECT_EQ(fields(check_maintenance(past, kNow, true)), std::set<std::string>{"scheduled_until"});
    EXPECT_TRUE(check_maintenance(past, kNow, false)) << "an existing one may lie in the past";
    auto far = window(kNow + std::chrono::days(400), kNow + std::chrono::days(400) + hours(1));
    far.name = "";
    EXPECT_EQ(fields(check_maintenance(far, kNow, true)), (std::set<std::string>{"name", "scheduled_for"}));
}

TEST(MaintenanceMoves, ForwardOrBackFromVerifyingNeverOutOfCompleted)
{
    EXPECT_TRUE(can_move(MS::Scheduled, MS::InProgress));
    EXPECT_TRUE(can_move(MS::Scheduled, MS::Completed));
    EXPECT_TRUE(can_move(MS::InProgress, MS::Verifying));
    EXPECT_TRUE(can_move(MS::Verifying, MS::InProgress));
    EXPECT_FALSE(can_move(MS::InProgress, MS::Scheduled));
    EXPECT_FALSE(can_move(MS::Completed, MS::InProgress));
}

TEST(MaintenanceDue, FollowsTheWindowEdgesWithAFakeClock)
{
    core::FakeClock clock(kNow);
    auto m = window(kNow + hours(1), kNow + hours(3));
    EXPECT_FALSE(due_status(m, clock.now()));
    clock.advance(hours(1));
    EXPECT_EQ(due_status(m, clock.now()), MS::InProgress);
    m.status = MS::Verifying;
    EXPECT_FALSE(due_status(m, clock.now()));
    clock.advance(hours(2));
    EXPECT_EQ(due_status(m, clock.now()), MS::Completed);
    m.status = MS::Completed;
    EXPECT_FALSE(due_status(m, clock.now()));
}

TEST(MaintenanceDue, FlagsTurnTheAutomaticEdgesOff)
{
    auto m = window(kNow - hours(2), kNow - hours(1));
    EXPECT_EQ(due_status(m, kNow), MS::Completed) << "a window missed entirely ends completed";
    m.auto_start = false;
    EXPECT_FALSE(due_status(m, kNow)) << "it never started, so it does not complete by itself either";
    m.status = MS::InProgress;
    EXPECT_EQ(due_status(m, kNow), MS::Completed);
    m.auto_complete = false;
    EXPECT_FALSE(due_status(m, kNow));
}

std::map<std::int64_t, Component> page()
{
    std::map<std::int64_t, Component> out;
    for (auto [id, s] : {std::pair{1, CS::Operational}, std::pair{2, CS::MajorOutage}, std::pair{3, CS::Operational}}) {
        Component c;
        c.id = id;
        c.name = "C" + std::to_string(id);
        c.status = s;
        out.emplace(id, c);
    }
    return out;
}

TEST(MaintenanceTransitions, StartPutsOperationalComponentsUnderMaintenanceOnly)
{
    auto m = window(kNow, kNow + hours(1));
    m.component_ids = {1, 2, 99};
    auto t = maintenance_transitions(page(), m, MS::InProgress, {});
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].component_id, 1);
    EXPECT_EQ(t[0].old_status, CS::Operational);
    EXPECT_EQ(t[0].new_status, CS::UnderMaintenance);
    m.auto_transition_to_maintenance_state = false;
    EXPECT_TRUE(maintenance_transitions(page(), m, MS::InProgress, {}).empty());
}

TEST(MaintenanceTransitions, CompletionRestoresComponentsNothingElseHolds)
{
    auto current = page();
    current.at(1).status = CS::UnderMaintenance;
    current.at(3).status = CS::UnderMaintenance;
    auto m = window(kNow, kNow + hours(1));
    m.component_ids = {1, 3};
    m.status = MS::InProgress;
    auto t = maintenance_transitions(current, m, MS::Completed, {3});
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].component_id, 1);
    EXPECT_EQ(t[0].new_status, CS::Operational);
    m.status = MS::Scheduled;
    EXPECT_TRUE(maintenance_transitions(current, m, MS::Completed, {}).empty()) << "it never ran";
}

class Maintenances : public ::testing::Test {
protected:
    void SetUp() override { open(); }

    void open()
    {
        maintenances.reset();
        status.reset();
        db.reset();
        auto opened = storage::sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::move(opened).value();
        status = std::make_unique<StatusService>(*db, clock, [this] { ++changes; });
        maintenances = std::make_unique<MaintenanceService>(*db, clock, *status);
        if (admin.user_id.value == 0) {
            auth::AuthService auth(*db, clock, hashing);
            auth::User u;
            u.email = "ana@desk.test";
            u.name = "Ana Silva";
            u.role = auth::Role::Admin;
            auto id = auth.create_user_blocking(u, "");
            ASSERT_TRUE(id) << id.error().message();
            admin = auth::Actor{*id, auth::Role::Admin, {}, u.name, u.email};
        }
    }

    std::int64_t component(const std::string& name)
    {
        ComponentInput in;
        in.name = name;
        auto c = sync_wait(status->create(admin, StatusService::Kind::Component, in));
        EXPECT_TRUE(c) << c.error().message();
        return c->id;
    }

    CS status_of(std::int64_t id) { return status->get(admin, StatusService::Kind::Component, id)->status; }

    MaintenanceRecord schedule(std::vector<std::int64_t> components)
    {
        MaintenanceInput in;
        in.name = "Database upgrade";
        in.scheduled_for = clock.now() + hours(1);
        in.scheduled_until = clock.now() + hours(2);
        in.component_ids = std::move(components);
        in.body = "We will upgrade the database; expect short pauses.";
        auto m = sync_wait(maintenances->schedule(admin, in));
        EXPECT_TRUE(m) << m.error().message();
        return *m;
    }

    lifeline::testing::TempDir dir;
    core::FakeClock clock{kNow};
    boost::asio::thread_pool hashing{1};
    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    std::unique_ptr<StatusService> status;
    std::unique_ptr<MaintenanceService> maintenances;
    auth::Actor admin;
    int changes = 0;
};

TEST_F(Maintenances, TimerMovesItAtTheWindowEdgesAndTheComponentsFollow)
{
    auto api = component("API");
    auto web = component("Web");
    auto m = schedule({api, web});
    EXPECT_EQ(m.maintenance.status, MS::Scheduled);
    EXPECT_EQ(m.updates.size(), 1u);
    EXPECT_EQ(*maintenances->run_due_blocking(), 0);

    clock.advance(hours(1));
    auto before = changes;
    EXPECT_EQ(*maintenances->run_due_blocking(), 1);
    EXPECT_GT(changes, before) << "the page is told";
    EXPECT_EQ(*maintenances->run_due_blocking(), 0) << "a due transition runs once";
    auto running = *maintenances->get(admin, m.maintenance.id);
    EXPECT_EQ(running.maintenance.status, MS::InProgress);
    EXPECT_EQ(running.maintenance.started_at, clock.now());
    ASSERT_EQ(running.updates.size(), 2u);
    EXPECT_EQ(running.updates.front().status, MS::InProgress);
    EXPECT_EQ(running.updates.front().affected.size(), 2u);
    EXPECT_EQ(status_of(api), CS::UnderMaintenance);
    EXPECT_EQ(status_of(web), CS::UnderMaintenance);

    clock.advance(hours(1));
    EXPECT_EQ(*maintenances->run_due_blocking(), 1);
    auto done = *maintenances->get(admin, m.maintenance.id);
    EXPECT_EQ(done.maintenance.status, MS::Completed);
    EXPECT_EQ(done.maintenance.completed_at, clock.now());
    EXPECT_EQ(status_of(api), CS::Operational);
    EXPECT_EQ(status_of(web), CS::Operational);
}

TEST_F(Maintenances, ADueTransitionSurvivesARestartAndRunsOnce)
{
    auto api = component("API");
    auto m = schedule({api});
    clock.advance(hours(1));
    open();
    EXPECT_EQ(*maintenances->run_due_blocking(), 1) << "the start, found after a restart";
    EXPECT_EQ(status_of(api), CS::UnderMaintenance);
    open();
    EXPECT_EQ(*maintenances->run_due_blocking(), 0);
    auto later = schedule({api});
    // The desk is down across the whole window: on restart it completes, once, without touching the components.
    clock.advance(hours(3));
    open();
    EXPECT_EQ(*maintenances->run_due_blocking(), 2) << "the first ends, the second is completed unrun";
    open();
    EXPECT_EQ(*maintenances->run_due_blocking(), 0);
    EXPECT_EQ(maintenances->get(admin, m.maintenance.id)->maintenance.status, MS::Completed);
    auto done = *maintenances->get(admin, later.maintenance.id);
    EXPECT_EQ(done.maintenance.status, MS::Completed);
    ASSERT_EQ(done.updates.size(), 2u);
    EXPECT_EQ(done.updates[0].status, MS::Completed);
    EXPECT_EQ(done.updates[1].status, MS::Scheduled);
    EXPECT_EQ(status_of(api), CS::Operational);
    EXPECT_EQ(done.updates[0].affected.size(), 0u);
}

TEST_F(Maintenances, AnIncidentKeepsItsComponentThroughTheMaintenance)
{
    auto api = component("API");
    auto web = component("Web");
    auto m = schedule({api, web});
    clock.advance(hours(1));
    ASSERT_EQ(*maintenances->run_due_blocking(), 1);
    // During the window the API breaks: an incident takes it from under maintenance to a major outage, then
    // says it is under maintenance again while the incident stays open.
    PublishInput incident;
    incident.name = "API errors";
    incident.body = "Errors after the upgrade.";
    incident.component_ids = {api};
    auto published = sync_wait(status->publish(admin, incident));
    ASSERT_TRUE(published) << published.error().message();
    UpdateInput back;
    back.status = IncidentStatus::Identified;
    back.body = "Rolling back under maintenance.";
    back.components = {{api, CS::UnderMaintenance}};
    ASSERT_TRUE(sync_wait(status->post_update(admin, published->incident.id, back)));
    clock.advance(hours(1));
    ASSERT_EQ(*maintenances->run_due_blocking(), 1);
    EXPECT_EQ(status_of(api), CS::UnderMaintenance) << "the open incident holds it";
    EXPECT_EQ(status_of(web), CS::Operational);
}

TEST_F(Maintenances, StaffMovesItByHandAndCancelsOnlyWhatHasNotStarted)
{
    auto api = component("API");
    auto m = schedule({api});
    MaintenanceUpdateInput start{MS::InProgress, "Starting early.", true};
    auto started = sync_wait(maintenances->post_update(admin, m.maintenance.id, start));
    ASSERT_TRUE(started) << started.error().message();
    EXPECT_EQ(status_of(api), CS::UnderMaintenance);
    auto cancel = sync_wait(maintenances->cancel(admin, m.maintenance.id, ""));
    ASSERT_FALSE(cancel);
    EXPECT_EQ(cancel.error().code(), core::ErrorCode::Conflict);
    MaintenanceUpdateInput back{MS::Scheduled, "Back to planning.", true};
    EXPECT_EQ(sync_wait(maintenances->post_update(admin, m.maintenance.id, back)).error().code(),
              core::ErrorCode::Conflict);

    auto later = schedule({api});
    auto cancelled = sync_wait(maintenances->cancel(admin, later.maintenance.id, ""));
    ASSERT_TRUE(cancelled) << cancelled.error().message();
    EXPECT_TRUE(cancelled->maintenance.cancelled);
    EXPECT_EQ(cancelled->maintenance.status, MS::Completed);
    EXPECT_EQ(cancelled->updates.front().body, "This scheduled maintenance has been cancelled.");
    EXPECT_EQ(status_of(api), CS::UnderMaintenance) << "cancelling one that never ran changes no component";
}

TEST_F(Maintenances, BadInputIsRefusedWithTheField)
{
    auto api = component("API");
    MaintenanceInput in;
    in.name = "Upgrade";
    in.body = "Soon.";
    auto missing = sync_wait(maintenances->schedule(admin, in));
    ASSERT_FALSE(missing);
    EXPECT_EQ(fields(core::Status(missing.error())), (std::set<std::string>{"scheduled_for", "scheduled_until"}));
    in.scheduled_for = clock.now() + hours(1);
    in.scheduled_until = clock.now() + hours(2);
    in.component_ids = std::vector<std::int64_t>{api, 4242};
    auto unknown = sync_wait(maintenances->schedule(admin, in));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(fields(core::Status(unknown.error())), std::set<std::string>{"component_ids"});
    auth::Actor contact{admin.user_id, auth::Role::Contact, {}, "Maria", "maria@bakery.test"};
    EXPECT_EQ(sync_wait(maintenances->schedule(contact, in)).error().code(), core::ErrorCode::PermissionDenied);
}

}  // namespace
}  // namespace lifeline::status
