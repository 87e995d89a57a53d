#include "monitor/monitor_service.hpp"

#include "auth/secrets.hpp"
#include "storage/async.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace lifeline::monitor {

namespace {

// How long a claimed check is held: the longest probe plus slack for recording it.
constexpr auto kHold = std::chrono::seconds(kMaxTimeoutSeconds + 30);
// Batches for pruning and for alert hand-over, so that no unit of work grows without bound.
constexpr int kPruneBatch = 5000;
constexpr int kAlertBatch = 64;

// At most `bytes` bytes of UTF-8, cut at a character boundary.
std::string clip_utf8(std::string text, std::size_t bytes)
{
    if (text.size() <= bytes) return text;
    auto cut = bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    text.resize(cut);
    return text;
}

std::string where(const Monitor& m)
{
    switch (m.kind) {
    case Kind::Http: return m.url;
    case Kind::Tcp:
        return (m.host.find(':') != std::string::npos ? "[" + m.host + "]" : m.host) + ":" + std::to_string(m.port);
    case Kind::Heartbeat: return "heartbeat";
    }
    return "monitor";
}

alert::AlertEvent alert_event(const Monitor& m, AlertAction action)
{
    alert::AlertEvent e;
    e.action = action == AlertAction::Resolve ? alert::AlertEvent::Action::Resolve : alert::AlertEvent::Action::Trigger;
    e.dedup_key = dedup_key(m.id);
    e.routing_key = m.integration_key;
    if (e.action == alert::AlertEvent::Action::Trigger) {
        e.summary = clip_utf8(m.name + " is down: " + m.last_detail, alert::kMaxSummaryCharacters);
        e.source = clip_utf8(where(m), 1024);
        e.severity = alert::AlertEvent::Severity::Critical;
        e.component = m.name;
        e.class_name = "monitor";
        e.client = "Lifeline monitor";
        e.custom_details_json = boost::json::serialize(boost::json::object{
            {"monitor_id", m.id},
            {"kind", to_string(m.kind)},
            {"detail", m.last_detail},
            {"consecutive_failures", m.status.consecutive_failures},
        });
    }
    return e;
}

core::UtcTime first_check(const Monitor& m, core::UtcTime now)
{
    return m.kind == Kind::Heartbeat ? now + beat_window(m) : now;
}

}  // namespace

std::string dedup_key(std::int64_t monitor_id)
{
    return "monitor-" + std::to_string(monitor_id);
}

core::Result<Monitor> MonitorService::checked(const auth::Actor& actor, const MonitorInput& input)
{
    auto m = validated(input);
    std::vector<core::FieldError> fields;
    if (!m) fields = m.error().fields();
    if (input.service_id > 0) {  // validated() reports a missing one
        auto services = alerts_.services(actor);
        if (!services) return services.error();
        bool known = std::any_of(services->begin(), services->end(),
                                 [&](const alert::Service& s) { return s.id == input.service_id; });
        if (!known) fields.push_back({"service_id", "no service has the id " + std::to_string(input.service_id)});
    }
    if (!fields.empty()) return core::Error::invalid("the monitor is not valid", std::move(fields));
    return m;
}

MonitorView MonitorService::view(storage::Transaction& tx, Monitor m, core::UtcTime now, int recent)
{
    MonitorView v;
    auto& store = tx.monitors();
    auto percent = [&](std::chrono::hours window) {
        auto counts = store.uptime(m.id, now - window);
        return uptime_percent(counts.checks, counts.passed);
    };
    v.uptime.day = percent(std::chrono::hours(24));
    v.uptime.week = percent(std::chrono::hours(24 * 7));
    v.uptime.month = percent(std::chrono::hours(24 * 30));
    v.uptime.quarter = percent(std::chrono::hours(24 * 90));
    if (recent > 0) v.recent_checks = store.recent_checks(m.id, recent);
    v.monitor = std::move(m);
    return v;
}

boost::asio::awaitable<core::Result<Created>> MonitorService::create(const auth::Actor& actor, MonitorInput input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins create monitors");
    auto m = checked(actor, input);
    if (!m) co_return m.error();
    auto now = clock_.now();
    Created out;
    if (m->kind == Kind::Heartbeat) {
        out.heartbeat_token = auth::random_token("hb_", 24);
        m->token_hash = auth::token_hash(out.heartbeat_token);
    }
    m->next_check_at = first_check(*m, now);
    m->created_at = now;
    m->updated_at = now;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto id = tx.monitors().insert(*m);
        if (!id) return id.error();
        out.view = view(tx, *tx.monitors().find(*id), now, 0);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return out;
}

boost::asio::awaitable<core::Result<MonitorView>> MonitorService::update(const auth::Actor& actor, std::int64_t id,
                                                                         MonitorInput input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins change monitors");
    auto m = checked(actor, input);
    if (!m) co_return m.error();
    auto now = clock_.now();
    MonitorView out;
    std::optional<Monitor> moved_while_down;  // its alert on the old service is resolved after the commit
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        moved_while_down.reset();
        auto& store = tx.monitors();
        auto current = store.find(id);
        if (!current) return core::Error::not_found("no monitor " + std::to_string(id));
        if (current->kind != m->kind)
            return core::Error::invalid("the monitor is not valid",
                                        {{"kind", "cannot change (it is " + std::string(to_string(current->kind)) +
                                                      "); create a new monitor instead"}});
        Monitor next = *m;
        next.id = id;
        next.token_hash = current->token_hash;
        next.status = current->status;
        next.state_changed_at = current->state_changed_at;
        next.created_at = current->created_at;
        next.updated_at = std::max(now, current->updated_at + std::chrono::milliseconds(1));
        next.next_check_at = first_check(next, now);
        if (current->service_id != next.service_id) {
            if (current->status.state == State::Down) moved_while_down = *current;
            next.status = Status{};
            next.state_changed_at = now;
        }
        LL_TRY(store.update(next));
        out = view(tx, *store.find(id), now, kRecentChecks);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    // Best effort: if this fails the old alert stays open for people to resolve.
    if (moved_while_down) (void)co_await resolve_now(*moved_while_down);
    notify_changed();
    co_return out;
}

boost::asio::awaitable<core::Status> MonitorService::remove(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins delete monitors");
    std::optional<Monitor> removed;
    bool followed = false;
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        removed = tx.monitors().find(id);
        if (!removed) return core::Error::not_found("no monitor " + std::to_string(id));
        // A monitor deleted while down no longer holds what follows it down: tell the follower it is back, before
        // the links go with the monitor.
        followed = removed->status.state == State::Down && follower_.in_work && follower_.after_commit &&
                   follower_.in_work(tx, id, false, now);
        if (!tx.monitors().remove(id)) return core::Error::not_found("no monitor " + std::to_string(id));
        return core::Ok{};
    });
    if (!status) co_return status.error();
    if (followed) follower_.after_commit();
    // Best effort, as in update().
    if (removed->status.state == State::Down || removed->pending_alert == AlertAction::Trigger)
        (void)co_await resolve_now(*removed);
    co_return core::Ok{};
}

boost::asio::awaitable<core::Status> MonitorService::resolve_now(const Monitor& monitor)
{
    // Built outside co_await: GCC 12 mis-compiles a braced list in a coroutine's awaited call.
    std::vector<alert::AlertEvent> events;
    events.push_back(alert_event(monitor, AlertAction::Resolve));
    auto done = co_await alerts_.ingest(std::move(events), monitor.integration_key);
    if (!done) co_return done.error();
    co_return core::Ok{};
}

core::Result<std::vector<MonitorView>> MonitorService::list(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see monitors");
    auto now = clock_.now();
    std::vector<MonitorView> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out.clear();
        for (auto& m : tx.monitors().list())
            out.push_back(view(tx, std::move(m), now, 0));
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<MonitorView> MonitorService::get(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see monitors");
    auto now = clock_.now();
    MonitorView out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto m = tx.monitors().find(id);
        if (!m) return core::Error::not_found("no monitor " + std::to_string(id));
        out = view(tx, std::move(*m), now, kRecentChecks);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

bool MonitorService::tell_follower(storage::Transaction& tx, std::int64_t id, const Step& applied,
                                   core::UtcTime at) const
{
    if (applied.alert == AlertAction::None || !follower_.in_work) return false;
    return follower_.in_work(tx, id, applied.alert == AlertAction::Trigger, at) && follower_.after_commit;
}

boost::asio::awaitable<core::Result<Monitor>> MonitorService::beat(std::string_view token)
{
    auto hash = auth::token_hash(token);
    auto now = clock_.now();
    Monitor out;
    bool decided = false;
    bool followed = false;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        followed = false;
        auto& store = tx.monitors();
        auto m = store.find_by_token_hash(hash);
        if (!m || m->kind != Kind::Heartbeat) return core::Error::not_found("no heartbeat monitor has this token");
        auto applied = step(m->status, m->failures_before_alert, true);
        store.record(m->id, CheckRecord{now, true, std::nullopt, "heartbeat received"}, applied, now + beat_window(*m),
                     now);
        decided = applied.alert != AlertAction::None;
        followed = tell_follower(tx, m->id, applied, now);
        out = *store.find(m->id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    if (decided) notify_changed();
    if (followed) follower_.after_commit();
    co_return out;
}

core::Result<std::vector<Monitor>> MonitorService::claim_due(core::UtcTime now, int limit)
{
    std::vector<Monitor> out;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        out = tx.monitors().claim_due(now, now + kHold, limit);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<std::int64_t> MonitorService::release_claims()
{
    std::int64_t released = 0;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        released = tx.monitors().release_claims();
        return core::Ok{};
    });
    if (!status) return status.error();
    return released;
}

core::Result<std::optional<core::UtcTime>> MonitorService::next_due(core::UtcTime now)
{
    std::optional<core::UtcTime> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.monitors().next_due(now);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Status> MonitorService::record(const Monitor& claimed, CheckResult result,
                                                            core::UtcTime at)
{
    bool decided = false;
    bool followed = false;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        followed = false;
        auto& store = tx.monitors();
        auto current = store.find(claimed.id);
        if (!current) return core::Ok{};  // deleted while the check ran
        bool redefined = current->updated_at != claimed.updated_at;
        bool beat_meanwhile = current->kind == Kind::Heartbeat && current->next_check_at > at;
        if (redefined || beat_meanwhile) {
            store.release(claimed.id);
            return core::Ok{};
        }
        auto applied = step(current->status, current->failures_before_alert, result.ok);
        store.record(claimed.id, CheckRecord{at, result.ok, result.latency_ms, result.detail}, applied,
                     at + std::chrono::seconds(current->interval_seconds), at);
        decided = applied.alert != AlertAction::None;
        followed = tell_follower(tx, claimed.id, applied, at);
        return core::Ok{};
    });
    if (!status) co_return status;
    if (decided) notify_changed();
    if (followed) follower_.after_commit();
    co_return core::Ok{};
}

boost::asio::awaitable<core::Result<int>> MonitorService::deliver_pending_alerts()
{
    std::vector<Monitor> pending;
    auto read = db_.read([&](storage::Transaction& tx) -> core::Status {
        pending = tx.monitors().pending_alerts(kAlertBatch);
        return core::Ok{};
    });
    if (!read) co_return read.error();
    int delivered = 0;
    for (const auto& m : pending) {
        std::vector<alert::AlertEvent> events;
        events.push_back(alert_event(m, m.pending_alert));
        auto done = co_await alerts_.ingest(std::move(events), m.integration_key);
        if (!done) co_return done.error();
        auto cleared = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
            tx.monitors().clear_pending_alert(m.id, m.pending_alert);
            return core::Ok{};
        });
        if (!cleared) co_return cleared.error();
        ++delivered;
    }
    co_return delivered;
}

core::Result<std::int64_t> MonitorService::prune(core::UtcTime before)
{
    std::int64_t total = 0;
    for (;;) {
        std::int64_t deleted = 0;
        auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
            deleted = tx.monitors().prune(before, kPruneBatch);
            return core::Ok{};
        });
        if (!status) return status.error();
        total += deleted;
        if (deleted < kPruneBatch) return total;
    }
}

}  // namespace lifeline::monitor
