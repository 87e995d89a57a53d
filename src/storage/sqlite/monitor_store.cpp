#include "storage/sqlite/stores.hpp"

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kMonitorColumns =
    "SELECT m.id, m.name, m.kind, m.service_id, s.name, s.integration_key, m.interval_seconds, m.timeout_seconds, "
    "m.failures_before_alert, m.url, m.expected_status, m.keyword, m.max_latency_ms, m.cert_expiry_days, m.host, "
    "m.port, m.grace_seconds, m.token_hash, m.state, m.consecutive_failures, m.state_changed_at, m.last_check_at, "
    "m.last_detail, m.next_check_at, m.alert_action, m.created_at, m.updated_at "
    "FROM monitors m JOIN services s ON s.id = m.service_id ";

constexpr std::int64_t kHourMs = 60 * 60 * 1000;

monitor::Monitor read_monitor(const Statement& s)
{
    monitor::Monitor m;
    m.id = s.integer(0);
    m.name = s.text(1);
    m.kind = monitor::parse_kind(s.text(2)).value_or(monitor::Kind::Http);
    m.service_id = s.integer(3);
    m.service_name = s.text(4);
    m.integration_key = s.text(5);
    m.interval_seconds = static_cast<int>(s.integer(6));
    m.timeout_seconds = static_cast<int>(s.integer(7));
    m.failures_before_alert = static_cast<int>(s.integer(8));
    m.url = s.text(9);
    m.expected_status = static_cast<int>(s.integer(10));
    m.keyword = s.text(11);
    m.max_latency_ms = static_cast<int>(s.integer(12));
    m.cert_expiry_days = static_cast<int>(s.integer(13));
    m.host = s.text(14);
    m.port = static_cast<int>(s.integer(15));
    m.grace_seconds = static_cast<int>(s.integer(16));
    m.token_hash = s.text(17);
    m.status.state = monitor::parse_state(s.text(18));
    m.status.consecutive_failures = static_cast<int>(s.integer(19));
    m.state_changed_at = optional_time(s, 20);
    m.last_check_at = optional_time(s, 21);
    m.last_detail = s.text(22);
    m.next_check_at = from_unix_ms(s.integer(23));
    m.pending_alert = monitor::parse_alert_action(s.text(24));
    m.created_at = from_unix_ms(s.integer(25));
    m.updated_at = from_unix_ms(s.integer(26));
    return m;
}

// Binds NULL for nullopt (Statement::bind_optional also turns 0 into NULL, and a latency can be 0 ms).
void bind_or_null(Statement& s, int index, std::optional<std::int64_t> value)
{
    if (value)
        s.bind(index, *value);
    else
        s.bind_null(index);
}

std::optional<std::int64_t> unix_ms(const std::optional<core::UtcTime>& t)
{
    if (!t) return std::nullopt;
    return to_unix_ms(*t);
}

std::vector<monitor::Monitor> read_all(Statement& s)
{
    std::vector<monitor::Monitor> out;
    while (s.step())
        out.push_back(read_monitor(s));
    return out;
}

// Binds the definition columns shared by insert and update, at 1..16.
void bind_definition(Statement& s, const monitor::Monitor& m)
{
    s.bind(1, m.name)
        .bind(2, monitor::to_string(m.kind))
        .bind(3, m.service_id)
        .bind(4, m.interval_seconds)
        .bind(5, m.timeout_seconds)
        .bind(6, m.failures_before_alert)
        .bind(7, m.url)
        .bind(8, m.expected_status)
        .bind(9, m.keyword)
        .bind(10, m.max_latency_ms)
        .bind(11, m.cert_expiry_days)
        .bind(12, m.host)
        .bind(13, m.port)
        .bind(14, m.grace_seconds)
        .bind(15, monitor::to_string(m.status.state))
        .bind(16, m.status.consecutive_failures);
}

// What insert and update check before writing: the monitor's service exists. Errors: InvalidArgument.
core::Status check_service(Connection& c, const monitor::Monitor& m)
{
    auto s = c.prepare("SELECT 1 FROM services WHERE id = ?");
    s.bind(1, m.service_id);
    if (s.step()) return core::Ok{};
    return core::Error::invalid("the monitor is not valid", {{"service_id", "no such service"}});
}

// What insert and update answer when the name's unique index refuses the write.
core::Error name_taken(const monitor::Monitor& m)
{
    return core::Error::conflict("a monitor named '" + m.name + "' exists");
}

std::int64_t changes(Connection& c)
{
    auto s = c.prepare("SELECT changes()");
    s.step();
    return s.integer(0);
}

}  // namespace

core::Result<std::int64_t> SqliteMonitorStore::insert(const monitor::Monitor& m)
{
    if (auto ok = check_service(c_, m); !ok) return ok.error();
    try {
        auto s = c_.prepare(
            "INSERT INTO monitors (name, kind, service_id, interval_seconds, timeout_seconds, failures_before_alert, "
            "url, expected_status, keyword, max_latency_ms, cert_expiry_days, host, port, grace_seconds, state, "
            "consecutive_failures, token_hash, state_changed_at, next_check_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        bind_definition(s, m);
        s.bind(17, m.token_hash);
        bind_or_null(s, 18, unix_ms(m.state_changed_at));
        s.bind(19, to_unix_ms(m.next_check_at))
            .bind(20, to_unix_ms(m.created_at))
            .bind(21, to_unix_ms(m.updated_at))
            .run();
        return c_.last_insert_id();
    } catch (const Constraint&) {
        return name_taken(m);
    }
}

core::Status SqliteMonitorStore::update(const monitor::Monitor& m)
{
    if (auto ok = check_service(c_, m); !ok) return ok.error();
    try {
        auto s = c_.prepare(
            "UPDATE monitors SET name = ?, kind = ?, service_id = ?, interval_seconds = ?, timeout_seconds = ?, "
            "failures_before_alert = ?, url = ?, expected_status = ?, keyword = ?, max_latency_ms = ?, "
            "cert_expiry_days = ?, host = ?, port = ?, grace_seconds = ?, state = ?, consecutive_failures = ?, "
            "state_changed_at = ?, next_check_at = ?, updated_at = ?, claimed_until = NULL WHERE id = ?");
        bind_definition(s, m);
        bind_or_null(s, 17, unix_ms(m.state_changed_at));
        s.bind(18, to_unix_ms(m.next_check_at)).bind(19, to_unix_ms(m.updated_at)).bind(20, m.id).run();
    } catch (const Constraint&) {
        return name_taken(m);
    }
    if (changes(c_) == 0) return core::Error::not_found("no monitor " + std::to_string(m.id));
    return core::Ok{};
}

bool SqliteMonitorStore::remove(std::int64_t id)
{
    c_.prepare("DELETE FROM monitors WHERE id = ?").bind(1, id).run();
    return changes(c_) > 0;
}

std::optional<monitor::Monitor> SqliteMonitorStore::find(std::int64_t id)
{
    auto s = c_.prepare(std::string(kMonitorColumns) + "WHERE m.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_monitor(s);
}

std::optional<monitor::Monitor> SqliteMonitorStore::find_by_token_hash(std::string_view token_hash)
{
    if (token_hash.empty()) return std::nullopt;
    auto s = c_.prepare(std::string(kMonitorColumns) + "WHERE m.token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return read_monitor(s);
}

std::vector<monitor::Monitor> SqliteMonitorStore::list()
{
    auto s = c_.prepare(std::string(kMonitorColumns) + "ORDER BY m.name");
    return read_all(s);
}

std::vector<monitor::Monitor> SqliteMonitorStore::claim_due(core::UtcTime now, core::UtcTime held_until, int limit)
{
    auto s = c_.prepare(std::string(kMonitorColumns) +
                        "WHERE m.next_check_at <= ?1 AND (m.claimed_until IS NULL OR m.claimed_until <= ?1) "
                        "ORDER BY m.next_check_at LIMIT ?2");
    s.bind(1, to_unix_ms(now)).bind(2, limit);
    auto due = read_all(s);
    for (const auto& m : due)
        c_.prepare("UPDATE monitors SET claimed_until = ? WHERE id = ?")
            .bind(1, to_unix_ms(held_until))
            .bind(2, m.id)
            .run();
    return due;
}

std::int64_t SqliteMonitorStore::release_claims()
{
    c_.prepare("UPDATE monitors SET claimed_until = NULL WHERE claimed_until IS NOT NULL").run();
    return changes(c_);
}

std::optional<core::UtcTime> SqliteMonitorStore::next_due(core::UtcTime now)
{
    auto s = c_.prepare("SELECT MIN(next_check_at) FROM monitors WHERE claimed_until IS NULL OR claimed_until <= ?");
    s.bind(1, to_unix_ms(now));
    if (!s.step() || s.is_null(0)) return std::nullopt;
    return from_unix_ms(s.integer(0));
}

void SqliteMonitorStore::record(std::int64_t id, const monitor::CheckRecord& check, const monitor::Step& step,
                                core::UtcTime next_check_at, core::UtcTime now)
{
    auto at = to_unix_ms(check.at);
    auto insert =
        c_.prepare("INSERT INTO monitor_checks (monitor_id, at, ok, latency_ms, detail) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, id).bind(2, at).bind(3, check.ok ? 1 : 0).bind(5, check.detail);
    bind_or_null(insert, 4, check.latency_ms ? std::optional<std::int64_t>(*check.latency_ms) : std::nullopt);
    insert.run();
    auto hour = at - (at % kHourMs + kHourMs) % kHourMs;
    c_.prepare("INSERT INTO monitor_uptime_hours (monitor_id, hour, checks, passed) VALUES (?, ?, 1, ?) "
               "ON CONFLICT (monitor_id, hour) DO UPDATE SET checks = checks + 1, passed = passed + excluded.passed")
        .bind(1, id)
        .bind(2, hour)
        .bind(3, check.ok ? 1 : 0)
        .run();
    auto s = c_.prepare(
        "UPDATE monitors SET state = ?1, consecutive_failures = ?2, "
        "state_changed_at = CASE WHEN ?3 THEN ?4 ELSE state_changed_at END, last_check_at = ?5, last_detail = ?6, "
        "next_check_at = ?7, claimed_until = NULL, "
        "alert_action = CASE WHEN ?8 = '' THEN alert_action ELSE ?8 END, "
        "alert_decided_at = CASE WHEN ?8 = '' THEN alert_decided_at ELSE ?4 END WHERE id = ?9");
    s.bind(1, monitor::to_string(step.status.state))
        .bind(2, step.status.consecutive_failures)
        .bind(3, step.state_changed ? 1 : 0)
        .bind(4, to_unix_ms(now))
        .bind(5, at)
        .bind(6, check.detail)
        .bind(7, to_unix_ms(next_check_at))
        .bind(8, monitor::to_string(step.alert))
        .bind(9, id)
        .run();
}

void SqliteMonitorStore::release(std::int64_t id)
{
    c_.prepare("UPDATE monitors SET claimed_until = NULL WHERE id = ?").bind(1, id).run();
}

std::vector<monitor::Monitor> SqliteMonitorStore::pending_alerts(int limit)
{
    auto s = c_.prepare(std::string(kMonitorColumns) +
                        "WHERE m.alert_action <> '' ORDER BY m.alert_decided_at, m.id LIMIT ?");
    s.bind(1, limit);
    return read_all(s);
}

void SqliteMonitorStore::clear_pending_alert(std::int64_t id, monitor::AlertAction action)
{
    c_.prepare("UPDATE monitors SET alert_action = '', alert_decided_at = NULL WHERE id = ? AND alert_action = ?")
        .bind(1, id)
        .bind(2, monitor::to_string(action))
        .run();
}

std::vector<monitor::CheckRecord> SqliteMonitorStore::recent_checks(std::int64_t id, int limit)
{
    auto s = c_.prepare("SELECT at, ok, latency_ms, detail FROM monitor_checks WHERE monitor_id = ? "
                        "ORDER BY at DESC, id DESC LIMIT ?");
    s.bind(1, id).bind(2, limit);
    std::vector<monitor::CheckRecord> out;
    while (s.step()) {
        monitor::CheckRecord r;
        r.at = from_unix_ms(s.integer(0));
        r.ok = s.integer(1) != 0;
        if (!s.is_null(2)) r.latency_ms = static_cast<int>(s.integer(2));
        r.detail = s.text(3);
        out.push_back(std::move(r));
    }
    return out;
}

monitor::UptimeCounts SqliteMonitorStore::uptime(std::int64_t id, core::UtcTime since)
{
    auto s = c_.prepare("SELECT COALESCE(SUM(checks), 0), COALESCE(SUM(passed), 0) FROM monitor_uptime_hours "
                        "WHERE monitor_id = ? AND hour >= ?");
    s.bind(1, id).bind(2, to_unix_ms(since));
    monitor::UptimeCounts out;
    if (s.step()) out = {s.integer(0), s.integer(1)};
    return out;
}

std::vector<monitor::HourCounts> SqliteMonitorStore::hourly_uptime(std::int64_t id, core::UtcTime since)
{
    auto s = c_.prepare("SELECT hour, checks, passed FROM monitor_uptime_hours WHERE monitor_id = ? AND hour >= ? "
                        "ORDER BY hour");
    s.bind(1, id).bind(2, to_unix_ms(since));
    std::vector<monitor::HourCounts> out;
    while (s.step())
        out.push_back({from_unix_ms(s.integer(0)), s.integer(1), s.integer(2)});
    return out;
}

std::int64_t SqliteMonitorStore::prune(core::UtcTime before, int limit)
{
    c_.prepare("DELETE FROM monitor_checks WHERE id IN (SELECT id FROM monitor_checks WHERE at < ? LIMIT ?)")
        .bind(1, to_unix_ms(before))
        .bind(2, limit)
        .run();
    auto deleted = changes(c_);
    c_.prepare("DELETE FROM monitor_uptime_hours WHERE hour < ?").bind(1, to_unix_ms(before)).run();
    return deleted;
}

}  // namespace lifeline::storage::sqlite
