// MonitorService and MonitorWorker over a real SQLite file with a fake clock and scripted probes: N failures before
// an alert, recovery, heartbeat deadlines with grace, durable check times across a restart, uptime and pruning. The
// last tests run the real probes (libcurl) against a loopback stub.
#include "alert/alert_service.hpp"
#include "core/sync_wait.hpp"
#include "engine/monitor_worker.hpp"
#include "http_stub.hpp"
#include "monitor/check.hpp"
#include "monitor/monitor_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

namespace lifeline::monitor {
namespace {

using core::sync_wait;
using std::chrono::seconds;

core::UtcTime at(const char* rfc3339)
{
    return *core::parse_rfc3339(rfc3339);
}

// Probe results in order; a pass once the script runs out. Counts the probes run.
class Script {
public:
    void push(bool ok, std::string detail = {})
    {
        std::lock_guard lock(mutex_);
        results_.push_back({ok, ok ? std::optional<int>(12) : std::nullopt, detail.empty() ? "scripted" : detail});
    }
    engine::MonitorWorker::Probe probe()
    {
        return [this](const Monitor&, const std::atomic<bool>&) {
            std::lock_guard lock(mutex_);
            ++runs_;
            if (results_.empty()) return CheckResult{true, 10, "HTTP 200 in 10 ms"};
            auto r = results_.front();
            results_.pop_front();
            return r;
        };
    }
    int runs()
    {
        std::lock_guard lock(mutex_);
        return runs_;
    }

private:
    std::mutex mutex_;
    std::deque<CheckResult> results_;
    int runs_ = 0;
};

class MonitorWorkerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = storage::sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::move(opened).value();
        alerts = std::make_unique<alert::AlertService>(*db, clock, escalator);
        monitors = std::make_unique<MonitorService>(*db, clock, *alerts);
        worker = std::make_unique<engine::MonitorWorker>(*monitors, clock, script.probe());
        auto service = sync_wait(alerts->create_service(admin, "Shop"));
        ASSERT_TRUE(service) << service.error().message();
        service_id = service->id;
    }
    void TearDown() override
    {
        worker.reset();
        monitors.reset();
        alerts.reset();
        db.reset();
    }

    Monitor create(MonitorInput in, std::string* token = nullptr)
    {
        auto created = sync_wait(monitors->create(admin, in));
        EXPECT_TRUE(created) << created.error().message();
        if (token) *token = created->heartbeat_token;
        return created->view.monitor;
    }
    MonitorInput http(int failures_before_alert)
    {
        MonitorInput in;
        in.name = "Shop front";
        in.kind = "http";
        in.service_id = service_id;
        in.url = "https://shop.example/health";
        in.interval_seconds = 60;
        in.failures_before_alert = failures_before_alert;
        return in;
    }
    MonitorInput heartbeat(int interval, int grace)
    {
        MonitorInput in;
        in.name = "Nightly backup";
        in.kind = "heartbeat";
        in.service_id = service_id;
        in.interval_seconds = interval;
        in.grace_seconds = grace;
        return in;
    }
    MonitorView get(std::int64_t id) { return *monitors->get(admin, id); }
    std::vector<alert::Alert> alerts_for(std::int64_t monitor_id)
    {
        std::vector<alert::Alert> out;
        auto all = alerts->list(admin, false);
        EXPECT_TRUE(all);
        for (auto& a : *all)
            if (a.dedup_key == dedup_key(monitor_id)) out.push_back(a);
        return out;
    }
    int run_at(std::chrono::seconds offset)
    {
        clock.set(start + offset);
        return worker->run_once(clock.now());
    }

    lifeline::testing::TempDir dir;
    core::UtcTime start = at("2026-11-23T09:00:00Z");
    core::FakeClock clock{start};
    escalation::Escalator escalator{escalation::PagingSettings{}};
    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    std::unique_ptr<alert::AlertService> alerts;
    std::unique_ptr<MonitorService> monitors;
    Script script;
    std::unique_ptr<engine::MonitorWorker> worker;
    auth::Actor admin{auth::UserId{1}, auth::Role::Admin, {}, "Admin", "admin@desk.test"};
    std::int64_t service_id = 0;
};

TEST_F(MonitorWorkerTest, OpensTheAlertAfterNFailuresAndResolvesItOnRecovery)
{
    auto m = create(http(3));
    EXPECT_EQ(m.status.state, State::Pending);
    EXPECT_EQ(m.next_check_at, start);  // checked at once

    script.push(false, "HTTP 503, expected 2xx");
    script.push(false, "HTTP 503, expected 2xx");
    script.push(false, "HTTP 503, expected 2xx");
    EXPECT_EQ(run_at(seconds(0)), 1);
    EXPECT_EQ(get(m.id).monitor.status.consecutive_failures, 1);
    EXPECT_EQ(run_at(seconds(30)), 0);  // not due yet
    EXPECT_EQ(run_at(seconds(60)), 1);
    EXPECT_TRUE(alerts_for(m.id).empty());
    EXPECT_EQ(get(m.id).monitor.status.state, State::Pending);

    EXPECT_EQ(run_at(seconds(120)), 1);
    auto down = get(m.id);
    EXPECT_EQ(down.monitor.status.state, State::Down);
    EXPECT_EQ(down.monitor.state_changed_at, start + seconds(120));
    EXPECT_EQ(down.monitor.pending_alert, AlertAction::None);  // handed over
    auto opened = alerts_for(m.id);
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0].status, alert::AlertStatus::Triggered);
    EXPECT_EQ(opened[0].summary, "Shop front is down: HTTP 503, expected 2xx");
    EXPECT_EQ(opened[0].source, "https://shop.example/health");
    EXPECT_EQ(opened[0].severity, alert::AlertEvent::Severity::Critical);

    // Still down: no second alert, no extra events.
    script.push(false, "HTTP 503, expected 2xx");
    run_at(seconds(180));
    ASSERT_EQ(alerts_for(m.id).size(), 1u);
    EXPECT_EQ(alerts_for(m.id)[0].event_count, 1);

    run_at(seconds(240));  // the script is empty: a pass
    auto up = get(m.id);
    EXPECT_EQ(up.monitor.status.state, State::Up);
    EXPECT_EQ(up.monitor.status.consecutive_failures, 0);
    auto resolved = alerts_for(m.id);
    ASSERT_EQ(resolved.size(), 1u);
    EXPECT_EQ(resolved[0].status, alert::AlertStatus::Resolved);

    // History and uptime: 4 failures and 1 pass.
    EXPECT_EQ(up.recent_checks.size(), 5u);
    EXPECT_TRUE(up.recent_checks.front().ok);
    EXPECT_EQ(up.recent_checks.front().at, start + seconds(240));
    ASSERT_TRUE(up.uptime.day);
    EXPECT_DOUBLE_EQ(*up.uptime.day, 20.0);
    EXPECT_DOUBLE_EQ(*up.uptime.quarter, 20.0);
}

TEST_F(MonitorWorkerTest, AMissedHeartbeatPlusGraceOpensTheAlertAndTheNextBeatResolvesIt)
{
    std::string token;
    auto m = create(heartbeat(60, 30), &token);
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(m.next_check_at, start + seconds(90));

    // A beat before the deadline moves it.
    clock.set(start + seconds(50));
    auto beat = sync_wait(monitors->beat(token));
    ASSERT_TRUE(beat) << beat.error().message();
    EXPECT_EQ(beat->status.state, State::Up);
    EXPECT_EQ(beat->next_check_at, start + seconds(140));
    EXPECT_EQ(run_at(seconds(139)), 0);
    EXPECT_TRUE(alerts_for(m.id).empty());

    // The interval plus grace passes without a beat.
    EXPECT_EQ(run_at(seconds(140)), 1);
    EXPECT_EQ(script.runs(), 0);  // heartbeats have no probe
    auto down = get(m.id);
    EXPECT_EQ(down.monitor.status.state, State::Down);
    EXPECT_NE(down.monitor.last_detail.find("no heartbeat by"), std::string::npos) << down.monitor.last_detail;
    ASSERT_EQ(alerts_for(m.id).size(), 1u);
    EXPECT_EQ(alerts_for(m.id)[0].status, alert::AlertStatus::Triggered);
    // Each further missed interval is one more failure, not another alert.
    EXPECT_EQ(get(m.id).monitor.next_check_at, start + seconds(200));
    run_at(seconds(200));
    EXPECT_EQ(get(m.id).monitor.status.consecutive_failures, 2);
    EXPECT_EQ(alerts_for(m.id).size(), 1u);

    clock.set(start + seconds(230));
    ASSERT_TRUE(sync_wait(monitors->beat(token)));
    EXPECT_EQ(get(m.id).monitor.pending_alert, AlertAction::Resolve);
    run_at(seconds(230));  // the worker hands the decision over
    EXPECT_EQ(alerts_for(m.id)[0].status, alert::AlertStatus::Resolved);
    EXPECT_EQ(get(m.id).monitor.next_check_at, start + seconds(320));
}

TEST_F(MonitorWorkerTest, UnknownHeartbeatTokensAreNotFound)
{
    create(heartbeat(60, 0));
    auto beat = sync_wait(monitors->beat("hb_not-a-token"));
    ASSERT_FALSE(beat);
    EXPECT_EQ(beat.error().code(), core::ErrorCode::NotFound);
}

TEST_F(MonitorWorkerTest, ACheckInterruptedByACrashRunsOnceAfterTheRestart)
{
    auto m = create(http(1));
    // A worker claims the check and dies before recording it.
    auto claimed = monitors->claim_due(clock.now(), 8);
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->size(), 1u);
    EXPECT_EQ(worker->run_once(clock.now()), 0);  // held by the dead worker

    // The restarted worker drops the holds; the overdue check runs exactly once.
    worker = std::make_unique<engine::MonitorWorker>(*monitors, clock, script.probe());
    ASSERT_TRUE(monitors->release_claims());
    EXPECT_EQ(run_at(seconds(5)), 1);
    EXPECT_EQ(run_at(seconds(6)), 0);
    auto v = get(m.id);
    EXPECT_EQ(v.recent_checks.size(), 1u);
    EXPECT_EQ(v.monitor.next_check_at, start + seconds(65));
}

TEST_F(MonitorWorkerTest, AServerDownForADayRunsEachOverdueCheckOnce)
{
    auto m = create(http(1));
    run_at(seconds(0));
    std::string token;
    auto hb = create(heartbeat(60, 0), &token);  // deadline at +60 s
    EXPECT_EQ(run_at(std::chrono::hours(24)), 2);
    EXPECT_EQ(run_at(std::chrono::hours(24)), 0);
    EXPECT_EQ(get(m.id).recent_checks.size(), 2u);
    auto missed = get(hb.id);
    EXPECT_EQ(missed.recent_checks.size(), 1u);
    EXPECT_EQ(missed.monitor.status.state, State::Down);
    EXPECT_EQ(missed.monitor.next_check_at, start + std::chrono::hours(24) + seconds(60));
    EXPECT_EQ(alerts_for(hb.id).size(), 1u);
}

TEST_F(MonitorWorkerTest, AnAlertDecidedBeforeACrashIsHandedOverAfterTheRestart)
{
    auto m = create(http(1));
    // The result is recorded (state Down, trigger decided) but the process stops before the hand-over.
    auto claimed = monitors->claim_due(clock.now(), 8);
    ASSERT_TRUE(claimed);
    ASSERT_TRUE(
        sync_wait(monitors->record(claimed->front(), CheckResult{false, std::nullopt, "cannot connect"}, clock.now())));
    EXPECT_EQ(get(m.id).monitor.pending_alert, AlertAction::Trigger);
    EXPECT_TRUE(alerts_for(m.id).empty());

    worker = std::make_unique<engine::MonitorWorker>(*monitors, clock, script.probe());
    run_at(seconds(1));
    ASSERT_EQ(alerts_for(m.id).size(), 1u);
    EXPECT_EQ(alerts_for(m.id)[0].summary, "Shop front is down: cannot connect");
    EXPECT_EQ(get(m.id).monitor.pending_alert, AlertAction::None);
}

TEST_F(MonitorWorkerTest, AResultForAMonitorRedefinedMeanwhileIsDropped)
{
    auto m = create(http(1));
    auto claimed = monitors->claim_due(clock.now(), 8);
    ASSERT_TRUE(claimed);
    clock.advance(std::chrono::milliseconds(5));
    auto in = http(1);
    in.url = "https://shop.example/ready";
    ASSERT_TRUE(sync_wait(monitors->update(admin, m.id, in)));
    ASSERT_TRUE(
        sync_wait(monitors->record(claimed->front(), CheckResult{false, std::nullopt, "old URL"}, clock.now())));
    auto v = get(m.id);
    EXPECT_TRUE(v.recent_checks.empty());
    EXPECT_EQ(v.monitor.status.state, State::Pending);
    EXPECT_EQ(v.monitor.url, "https://shop.example/ready");
    EXPECT_EQ(run_at(seconds(1)), 1);  // the new definition is checked at once
}

TEST_F(MonitorWorkerTest, HistoryOlderThan90DaysIsPruned)
{
    auto m = create(http(1));
    run_at(seconds(0));
    run_at(seconds(60));
    EXPECT_EQ(get(m.id).recent_checks.size(), 2u);
    // 91 days later (the worker prunes on its first pass, then hourly).
    worker = std::make_unique<engine::MonitorWorker>(*monitors, clock, script.probe());
    run_at(std::chrono::days(91));
    auto v = get(m.id);
    ASSERT_EQ(v.recent_checks.size(), 1u);
    EXPECT_EQ(v.recent_checks[0].at, start + std::chrono::days(91));
    EXPECT_DOUBLE_EQ(*v.uptime.quarter, 100.0);
}

TEST_F(MonitorWorkerTest, DeletingADownMonitorResolvesItsAlert)
{
    auto m = create(http(1));
    script.push(false);
    run_at(seconds(0));
    ASSERT_EQ(alerts_for(m.id).size(), 1u);
    ASSERT_TRUE(sync_wait(monitors->remove(admin, m.id)));
    EXPECT_EQ(alerts_for(m.id)[0].status, alert::AlertStatus::Resolved);
    auto gone = monitors->get(admin, m.id);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code(), core::ErrorCode::NotFound);
}

TEST_F(MonitorWorkerTest, OnlyAdminsDefineMonitorsAndTheServiceMustExist)
{
    auth::Actor agent{auth::UserId{2}, auth::Role::Agent, {}, "Agent", "agent@desk.test"};
    auto in = http(1);
    auto denied = sync_wait(monitors->create(agent, in));
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code(), core::ErrorCode::PermissionDenied);
    EXPECT_TRUE(monitors->list(agent));

    in.service_id = service_id + 100;
    in.interval_seconds = -1;
    auto invalid = sync_wait(monitors->create(admin, in));
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code(), core::ErrorCode::InvalidArgument);
    std::vector<std::string> fields;
    for (const auto& f : invalid.error().fields())
        fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"interval_seconds", "service_id"}));

    create(http(1));
    auto twin = sync_wait(monitors->create(admin, http(1)));
    ASSERT_FALSE(twin);
    EXPECT_EQ(twin.error().code(), core::ErrorCode::Conflict);

    auto changed_kind = heartbeat(60, 0);
    auto id = monitors->list(admin)->front().monitor.id;
    auto refused = sync_wait(monitors->update(admin, id, changed_kind));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields().front().field, "kind");
}

// The real probes against loopback.
TEST(MonitorProbe, HttpSeesStatusKeywordAndLatency)
{
    lifeline::testing::HttpStub stub("all systems go");
    core::SystemClock clock;
    std::atomic<bool> cancelled{false};
    MonitorInput in;
    in.name = "stub";
    in.kind = "http";
    in.service_id = 1;
    in.url = "http://127.0.0.1:" + std::to_string(stub.port()) + "/health";
    in.keyword = "systems go";
    in.timeout_seconds = 5;
    auto m = *validated(in);
    auto pass = run_check(m, clock, cancelled);
    EXPECT_TRUE(pass.ok) << pass.detail;
    EXPECT_TRUE(pass.latency_ms);
    EXPECT_EQ(pass.detail.rfind("HTTP 200 in ", 0), 0u) << pass.detail;

    m.keyword = "absent words";
    auto missing = run_check(m, clock, cancelled);
    EXPECT_FALSE(missing.ok);
    EXPECT_NE(missing.detail.find("does not contain"), std::string::npos) << missing.detail;

    stub.set_healthy(false);
    m.keyword.clear();
    EXPECT_EQ(run_check(m, clock, cancelled).detail, "HTTP 503, expected 2xx");

    stub.close_listener();
    auto refused = run_check(m, clock, cancelled);
    EXPECT_FALSE(refused.ok);
    EXPECT_EQ(refused.detail.rfind("cannot connect", 0), 0u) << refused.detail;
}

TEST(MonitorProbe, TcpConnectsOrReportsTheRefusal)
{
    lifeline::testing::HttpStub stub;
    core::SystemClock clock;
    std::atomic<bool> cancelled{false};
    MonitorInput in;
    in.name = "port";
    in.kind = "tcp";
    in.service_id = 1;
    in.host = "127.0.0.1";
    in.port = stub.port();
    in.timeout_seconds = 5;
    auto open = run_check(*validated(in), clock, cancelled);
    EXPECT_TRUE(open.ok) << open.detail;
    EXPECT_EQ(open.detail.rfind("connected to 127.0.0.1:", 0), 0u) << open.detail;

    in.port = lifeline::testing::HttpStub::closed_port();
    auto closed = run_check(*validated(in), clock, cancelled);
    EXPECT_FALSE(closed.ok);
    EXPECT_NE(closed.detail.find("cannot connect"), std::string::npos) << closed.detail;
}

TEST(MonitorProbe, StopsWithinASecondWhenCancelled)
{
    // A listener that accepts and never answers: only the timeout or cancellation ends the request.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    MonitorInput in;
    in.name = "silent";
    in.kind = "http";
    in.service_id = 1;
    in.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
    in.timeout_seconds = 60;
    auto m = *validated(in);
    core::SystemClock clock;
    std::atomic<bool> cancelled{false};
    auto began = std::chrono::steady_clock::now();
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancelled = true;
    });
    auto r = run_check(m, clock, cancelled);
    canceller.join();
    ::close(fd);
    EXPECT_FALSE(r.ok);
    EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(3));
}

}  // namespace
}  // namespace lifeline::monitor
