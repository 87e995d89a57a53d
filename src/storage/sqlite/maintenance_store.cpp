#include "storage/sqlite/stores.hpp"

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kColumns =
    "SELECT id, name, status, scheduled_for, scheduled_until, auto_start, auto_complete, auto_maintenance_state, "
    "auto_operational_state, cancelled, created_at, updated_at, started_at, completed_at FROM status_maintenances ";

std::optional<core::UtcTime> maybe_time(const Statement& s, int column)
{
    if (s.is_null(column)) return std::nullopt;
    return from_unix_ms(s.integer(column));
}

status::Maintenance read_maintenance(const Statement& s)
{
    status::Maintenance m;
    m.id = s.integer(0);
    m.name = s.text(1);
    m.status = status::parse_maintenance_status(s.text(2)).value_or(status::MaintenanceStatus::Scheduled);
    m.scheduled_for = from_unix_ms(s.integer(3));
    m.scheduled_until = from_unix_ms(s.integer(4));
    m.auto_start = s.integer(5) != 0;
    m.auto_complete = s.integer(6) != 0;
    m.auto_transition_to_maintenance_state = s.integer(7) != 0;
    m.auto_transition_to_operational_state = s.integer(8) != 0;
    m.cancelled = s.integer(9) != 0;
    m.created_at = from_unix_ms(s.integer(10));
    m.updated_at = from_unix_ms(s.integer(11));
    m.started_at = maybe_time(s, 12);
    m.completed_at = maybe_time(s, 13);
    return m;
}

// Binds the columns every write sets, as parameters 1-13.
void bind_maintenance(Statement& s, const status::Maintenance& m)
{
    s.bind(1, m.name)
        .bind(2, status::to_string(m.status))
        .bind(3, to_unix_ms(m.scheduled_for))
        .bind(4, to_unix_ms(m.scheduled_until))
        .bind(5, m.auto_start ? 1 : 0)
        .bind(6, m.auto_complete ? 1 : 0)
        .bind(7, m.auto_transition_to_maintenance_state ? 1 : 0)
        .bind(8, m.auto_transition_to_operational_state ? 1 : 0)
        .bind(9, m.cancelled ? 1 : 0)
        .bind(10, to_unix_ms(m.updated_at));
    for (auto [index, t] : {std::pair{11, m.started_at}, std::pair{12, m.completed_at}}) {
        if (t)
            s.bind(index, to_unix_ms(*t));
        else
            s.bind_null(index);
    }
}

}  // namespace

void write_affected(Connection& c, UpdateKind kind, std::int64_t update_id,
                    const std::vector<status::AffectedComponent>& affected)
{
    static constexpr std::string_view kIncident = "INSERT INTO status_update_components (update_id, component_id, "
                                                  "name, old_status, new_status) VALUES (?, ?, ?, ?, ?)";
    static constexpr std::string_view kMaintenance =
        "INSERT INTO status_maintenance_update_components (update_id, component_id, name, old_status, new_status) "
        "VALUES (?, ?, ?, ?, ?)";
    for (const auto& a : affected) {
        auto link = c.prepare(kind == UpdateKind::Incident ? kIncident : kMaintenance);
        link.bind(1, update_id)
            .bind(2, a.component_id)
            .bind(3, a.name)
            .bind(4, status::to_string(a.old_status))
            .bind(5, status::to_string(a.new_status))
            .run();
    }
}

std::vector<status::AffectedComponent> read_affected(Connection& c, UpdateKind kind, std::int64_t update_id)
{
    static constexpr std::string_view kIncident = "SELECT component_id, name, old_status, new_status FROM "
                                                  "status_update_components WHERE update_id = ? ORDER BY rowid";
    static constexpr std::string_view kMaintenance =
        "SELECT component_id, name, old_status, new_status FROM status_maintenance_update_components WHERE "
        "update_id = ? ORDER BY rowid";
    auto s = c.prepare(kind == UpdateKind::Incident ? kIncident : kMaintenance);
    s.bind(1, update_id);
    std::vector<status::AffectedComponent> out;
    while (s.step()) {
        status::AffectedComponent a;
        a.component_id = s.integer(0);
        a.name = s.text(1);
        a.old_status = status::parse_component_status(s.text(2)).value_or(status::ComponentStatus::Operational);
        a.new_status = status::parse_component_status(s.text(3)).value_or(status::ComponentStatus::Operational);
        out.push_back(std::move(a));
    }
    return out;
}

void SqliteMaintenanceStore::write_components(const status::Maintenance& m)
{
    c_.prepare("DELETE FROM status_maintenance_components WHERE maintenance_id = ?").bind(1, m.id).run();
    for (auto cid : m.component_ids) {
        auto link = c_.prepare("INSERT OR IGNORE INTO status_maintenance_components (maintenance_id, component_id) "
                               "SELECT ?, id FROM status_components WHERE id = ? AND is_group = 0");
        link.bind(1, m.id).bind(2, cid).run();
    }
}

std::vector<status::Maintenance> SqliteMaintenanceStore::with_components(std::vector<status::Maintenance> list)
{
    for (auto& m : list) {
        auto s = c_.prepare("SELECT mc.component_id FROM status_maintenance_components mc JOIN status_components c "
                            "ON c.id = mc.component_id WHERE mc.maintenance_id = ? ORDER BY c.position, c.id");
        s.bind(1, m.id);
        while (s.step())
            m.component_ids.push_back(s.integer(0));
    }
    return list;
}

std::int64_t SqliteMaintenanceStore::insert_maintenance(const status::Maintenance& m)
{
    auto s = c_.prepare("INSERT INTO status_maintenances (name, status, scheduled_for, scheduled_until, auto_start, "
                        "auto_complete, auto_maintenance_state, auto_operational_state, cancelled, updated_at, "
                        "started_at, completed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_maintenance(s, m);
    s.bind(13, to_unix_ms(m.created_at)).run();
    auto stored = m;
    stored.id = c_.last_insert_id();
    write_components(stored);
    return stored.id;
}

void SqliteMaintenanceStore::update_maintenance(const status::Maintenance& m)
{
    auto s = c_.prepare("UPDATE status_maintenances SET name = ?, status = ?, scheduled_for = ?, scheduled_until = ?, "
                        "auto_start = ?, auto_complete = ?, auto_maintenance_state = ?, auto_operational_state = ?, "
                        "cancelled = ?, updated_at = ?, started_at = ?, completed_at = ? WHERE id = ?");
    bind_maintenance(s, m);
    s.bind(13, m.id).run();
    write_components(m);
}

std::optional<status::Maintenance> SqliteMaintenanceStore::find_maintenance(std::int64_t id)
{
    static const std::string sql = std::string(kColumns) + "WHERE id = ?";
    std::vector<status::Maintenance> found;
    {
        auto s = c_.prepare(sql);
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        found.push_back(read_maintenance(s));
    }
    return std::move(with_components(std::move(found)).front());
}

std::vector<status::Maintenance> SqliteMaintenanceStore::maintenances(bool open_only, int limit)
{
    static const std::string all = std::string(kColumns) + "ORDER BY scheduled_for DESC, id DESC LIMIT ?";
    static const std::string open =
        std::string(kColumns) + "WHERE status != 'completed' ORDER BY scheduled_for DESC, id DESC LIMIT ?";
    std::vector<status::Maintenance> out;
    {
        auto s = c_.prepare(open_only ? open : all);
        s.bind(1, limit);
        while (s.step())
            out.push_back(read_maintenance(s));
    }
    return with_components(std::move(out));
}

std::vector<status::Maintenance> SqliteMaintenanceStore::due_maintenances(core::UtcTime now, int limit)
{
    static const std::string sql =
        std::string(kColumns) +
        "WHERE status != 'completed' AND ((status = 'scheduled' AND auto_start = 1 AND scheduled_for <= ?1) OR "
        "(status != 'scheduled' AND auto_complete = 1 AND scheduled_until <= ?1)) ORDER BY scheduled_for, id LIMIT ?2";
    std::vector<status::Maintenance> out;
    {
        auto s = c_.prepare(sql);
        s.bind(1, to_unix_ms(now)).bind(2, limit);
        while (s.step())
            out.push_back(read_maintenance(s));
    }
    return with_components(std::move(out));
}

std::int64_t SqliteMaintenanceStore::insert_maintenance_update(const status::MaintenanceUpdate& u)
{
    auto s = c_.prepare("INSERT INTO status_maintenance_updates (maintenance_id, status, body, deliver_notifications, "
                        "author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, u.maintenance_id)
        .bind(2, status::to_string(u.status))
        .bind(3, u.body)
        .bind(4, u.deliver_notifications ? 1 : 0)
        .bind_optional(5, u.author_id)
        .bind(6, to_unix_ms(u.created_at))
        .run();
    auto id = c_.last_insert_id();
    write_affected(c_, UpdateKind::Maintenance, id, u.affected);
    return id;
}

std::vector<status::MaintenanceUpdate> SqliteMaintenanceStore::maintenance_updates(std::int64_t maintenance_id)
{
    std::vector<status::MaintenanceUpdate> out;
    {
        auto s = c_.prepare("SELECT id, status, body, deliver_notifications, author_id, created_at FROM "
                            "status_maintenance_updates WHERE maintenance_id = ? ORDER BY id DESC");
        s.bind(1, maintenance_id);
        while (s.step()) {
            status::MaintenanceUpdate u;
            u.id = s.integer(0);
            u.maintenance_id = maintenance_id;
            u.status = status::parse_maintenance_status(s.text(1)).value_or(status::MaintenanceStatus::Scheduled);
            u.body = s.text(2);
            u.deliver_notifications = s.integer(3) != 0;
            u.author_id = s.is_null(4) ? 0 : s.integer(4);
            u.created_at = from_unix_ms(s.integer(5));
            out.push_back(std::move(u));
        }
    }
    for (auto& u : out)
        u.affected = read_affected(c_, UpdateKind::Maintenance, u.id);
    return out;
}

}  // namespace lifeline::storage::sqlite
