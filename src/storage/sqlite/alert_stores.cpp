#include "storage/sqlite/stores.hpp"

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kAlertColumns =
    "SELECT a.id, a.service_id, s.name, a.dedup_key, a.status, a.summary, a.source, a.severity, a.component, "
    "a.group_name, a.class_name, a.details, a.event_count, a.created_at, a.updated_at, a.resolved_at, a.flapping "
    "FROM alerts a JOIN services s ON s.id = a.service_id ";

alert::Alert read_alert(const Statement& s)
{
    alert::Alert a;
    a.id = s.integer(0);
    a.service_id = s.integer(1);
    a.service_name = s.text(2);
    a.dedup_key = s.text(3);
    a.status = alert::parse_alert_status(s.text(4));
    a.summary = s.text(5);
    a.source = s.text(6);
    auto severity = alert::parse_severity(s.text(7));
    a.severity = severity ? *severity : alert::AlertEvent::Severity::Warning;
    a.component = s.text(8);
    a.group = s.text(9);
    a.class_name = s.text(10);
    a.details_json = s.text(11);
    a.event_count = s.integer(12);
    a.created_at = from_unix_ms(s.integer(13));
    a.updated_at = from_unix_ms(s.integer(14));
    if (!s.is_null(15)) a.resolved_at = from_unix_ms(s.integer(15));
    a.flapping = s.integer(16) != 0;
    return a;
}

alert::Service read_service(const Statement& s)
{
    return alert::Service{s.integer(0), s.text(1), s.text(2), from_unix_ms(s.integer(3)),
                          s.is_null(4) ? 0 : s.integer(4)};
}

}  // namespace

core::Result<std::int64_t> SqliteAlertStore::insert_service(const alert::Service& service)
{
    try {
        c_.prepare("INSERT INTO services (name, integration_key, created_at, escalation_policy_id) VALUES (?, ?, ?, ?)")
            .bind(1, service.name)
            .bind(2, service.integration_key)
            .bind(3, to_unix_ms(service.created_at))
            .bind_optional(4, service.escalation_policy_id)
            .run();
        return c_.last_insert_id();
    } catch (const Constraint&) {
        return core::Error::conflict("a service named '" + service.name + "' exists");
    }
}

std::optional<alert::Service> SqliteAlertStore::find_service_by_key(std::string_view integration_key)
{
    auto s = c_.prepare(
        "SELECT id, name, integration_key, created_at, escalation_policy_id FROM services WHERE integration_key = ?");
    s.bind(1, integration_key);
    if (!s.step()) return std::nullopt;
    return read_service(s);
}

std::vector<alert::Service> SqliteAlertStore::services()
{
    auto s =
        c_.prepare("SELECT id, name, integration_key, created_at, escalation_policy_id FROM services ORDER BY name");
    std::vector<alert::Service> out;
    while (s.step())
        out.push_back(read_service(s));
    return out;
}

std::optional<alert::Alert> SqliteAlertStore::find_open(std::int64_t service_id, std::string_view dedup_key)
{
    auto s = c_.prepare(std::string(kAlertColumns) +
                        "WHERE a.service_id = ? AND a.dedup_key = ? AND a.status <> 'resolved'");
    s.bind(1, service_id).bind(2, dedup_key);
    if (!s.step()) return std::nullopt;
    return read_alert(s);
}

std::optional<alert::Alert> SqliteAlertStore::find(std::int64_t id)
{
    auto s = c_.prepare(std::string(kAlertColumns) + "WHERE a.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_alert(s);
}

std::int64_t SqliteAlertStore::insert(const alert::Alert& a)
{
    c_.prepare("INSERT INTO alerts (service_id, dedup_key, status, summary, source, severity, component, group_name, "
               "class_name, details, event_count, created_at, updated_at, flapping) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")
        .bind(1, a.service_id)
        .bind(2, a.dedup_key)
        .bind(3, alert::to_string(a.status))
        .bind(4, a.summary)
        .bind(5, a.source)
        .bind(6, alert::to_string(a.severity))
        .bind(7, a.component)
        .bind(8, a.group)
        .bind(9, a.class_name)
        .bind(10, a.details_json)
        .bind(11, to_unix_ms(a.created_at))
        .bind(12, to_unix_ms(a.updated_at))
        .bind(13, a.flapping ? 1 : 0)
        .run();
    return c_.last_insert_id();
}

std::optional<std::int64_t> SqliteAlertStore::add_event(std::int64_t service_id, std::string_view dedup_key,
                                                        core::UtcTime now)
{
    auto s = c_.prepare("UPDATE alerts SET event_count = event_count + 1, updated_at = ? "
                        "WHERE service_id = ? AND dedup_key = ? AND status <> 'resolved' RETURNING id");
    s.bind(1, to_unix_ms(now)).bind(2, service_id).bind(3, dedup_key);
    // SQLite makes every change of a RETURNING statement on its first step; at most one alert is open per key.
    if (!s.step()) return std::nullopt;
    return s.integer(0);
}

void SqliteAlertStore::set_status(std::int64_t id, alert::AlertStatus status, core::UtcTime now)
{
    auto s = c_.prepare(
        "UPDATE alerts SET status = ?, updated_at = ?, resolved_at = CASE WHEN ? = 'resolved' THEN ? ELSE NULL END "
        "WHERE id = ?");
    auto text = alert::to_string(status);
    s.bind(1, text).bind(2, to_unix_ms(now)).bind(3, text).bind(4, to_unix_ms(now)).bind(5, id).run();
}

std::int64_t SqliteAlertStore::count_opened_since(std::int64_t service_id, std::string_view dedup_key,
                                                  core::UtcTime since)
{
    auto s = c_.prepare("SELECT count(*) FROM alerts WHERE service_id = ? AND dedup_key = ? AND created_at >= ?");
    s.bind(1, service_id).bind(2, dedup_key).bind(3, to_unix_ms(since));
    s.step();
    return s.integer(0);
}

std::optional<alert::Service> SqliteAlertStore::find_service(std::int64_t id)
{
    auto s =
        c_.prepare("SELECT id, name, integration_key, created_at, escalation_policy_id FROM services WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_service(s);
}

std::vector<alert::Alert> SqliteAlertStore::list(bool open_only, int limit)
{
    auto s = c_.prepare(std::string(kAlertColumns) + (open_only ? "WHERE a.status <> 'resolved' " : "") +
                        "ORDER BY a.id DESC LIMIT ?");
    s.bind(1, limit);
    std::vector<alert::Alert> out;
    while (s.step())
        out.push_back(read_alert(s));
    return out;
}

}  // namespace lifeline::storage::sqlite
