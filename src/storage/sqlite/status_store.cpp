#include "storage/sqlite/stores.hpp"

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kComponentColumns =
    "SELECT id, name, description, position, is_group, group_id, status, showcase, only_show_if_degraded, "
    "created_at, updated_at FROM status_components ";

constexpr std::string_view kIncidentColumns =
    "SELECT id, incident_id, name, status, impact, created_at, updated_at, started_at, monitoring_at, resolved_at "
    "FROM status_incidents ";

status::Component read_component(const Statement& s)
{
    status::Component c;
    c.id = s.integer(0);
    c.name = s.text(1);
    c.description = s.text(2);
    c.position = static_cast<int>(s.integer(3));
    c.is_group = s.integer(4) != 0;
    if (!s.is_null(5)) c.group_id = s.integer(5);
    c.status = status::parse_component_status(s.text(6)).value_or(status::ComponentStatus::Operational);
    c.showcase = s.integer(7) != 0;
    c.only_show_if_degraded = s.integer(8) != 0;
    c.created_at = from_unix_ms(s.integer(9));
    c.updated_at = from_unix_ms(s.integer(10));
    return c;
}

status::PublicIncident read_incident(const Statement& s)
{
    status::PublicIncident i;
    i.id = s.integer(0);
    if (!s.is_null(1)) i.internal_incident_id = s.integer(1);
    i.name = s.text(2);
    i.status = status::parse_incident_status(s.text(3)).value_or(status::IncidentStatus::Investigating);
    i.impact = status::parse_impact(s.text(4)).value_or(status::Impact::None);
    i.created_at = from_unix_ms(s.integer(5));
    i.updated_at = from_unix_ms(s.integer(6));
    i.started_at = from_unix_ms(s.integer(7));
    i.monitoring_at = optional_time(s, 8);
    i.resolved_at = optional_time(s, 9);
    return i;
}

void bind_component(Statement& s, const status::Component& c)
{
    s.bind(1, c.name)
        .bind(2, c.description)
        .bind(3, c.position)
        .bind(4, c.is_group ? 1 : 0)
        .bind_optional(5, c.group_id)
        .bind(6, status::to_string(c.status))
        .bind(7, c.showcase ? 1 : 0)
        .bind(8, c.only_show_if_degraded ? 1 : 0)
        .bind(9, to_unix_ms(c.updated_at));
}

core::Error name_taken(const status::Component& c)
{
    return core::Error::conflict(std::string(c.is_group ? "a group" : "a component") + " named '" + c.name +
                                 "' exists");
}

}  // namespace

core::Result<std::int64_t> SqliteStatusStore::insert_component(const status::Component& c)
{
    auto s =
        c_.prepare("INSERT INTO status_components (name, description, position, is_group, group_id, status, "
                   "showcase, only_show_if_degraded, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_component(s, c);
    s.bind(10, to_unix_ms(c.created_at));
    try {
        s.run();
    } catch (const Constraint&) {
        return name_taken(c);
    }
    return c_.last_insert_id();
}

core::Status SqliteStatusStore::update_component(const status::Component& c)
{
    auto s = c_.prepare("UPDATE status_components SET name = ?, description = ?, position = ?, is_group = ?, "
                        "group_id = ?, status = ?, showcase = ?, only_show_if_degraded = ?, updated_at = ? "
                        "WHERE id = ?");
    bind_component(s, c);
    s.bind(10, c.id);
    try {
        s.run();
    } catch (const Constraint&) {
        return name_taken(c);
    }
    return core::Ok{};
}

bool SqliteStatusStore::delete_component(std::int64_t id)
{
    auto s = c_.prepare("DELETE FROM status_components WHERE id = ?");
    s.bind(1, id).run();
    auto n = c_.prepare("SELECT changes()");
    n.step();
    return n.integer(0) > 0;
}

std::optional<status::Component> SqliteStatusStore::find_component(std::int64_t id)
{
    static const std::string sql = std::string(kComponentColumns) + "WHERE id = ?";
    auto s = c_.prepare(sql);
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_component(s);
}

std::vector<status::Component> SqliteStatusStore::components()
{
    static const std::string sql = std::string(kComponentColumns) + "ORDER BY position, id";
    auto s = c_.prepare(sql);
    std::vector<status::Component> out;
    while (s.step())
        out.push_back(read_component(s));
    return out;
}

std::int64_t SqliteStatusStore::insert_incident(const status::PublicIncident& i)
{
    auto s = c_.prepare("INSERT INTO status_incidents (incident_id, name, status, impact, created_at, updated_at, "
                        "started_at, monitoring_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind_optional(1, i.internal_incident_id)
        .bind(2, i.name)
        .bind(3, status::to_string(i.status))
        .bind(4, status::to_string(i.impact))
        .bind(5, to_unix_ms(i.created_at))
        .bind(6, to_unix_ms(i.updated_at))
        .bind(7, to_unix_ms(i.started_at));
    bind_time(s, 8, i.monitoring_at);
    bind_time(s, 9, i.resolved_at);
    s.run();
    auto id = c_.last_insert_id();
    for (auto cid : i.component_ids) {
        auto link = c_.prepare("INSERT OR IGNORE INTO status_incident_components (status_incident_id, component_id) "
                               "VALUES (?, ?)");
        link.bind(1, id).bind(2, cid).run();
    }
    return id;
}

void SqliteStatusStore::update_incident(const status::PublicIncident& i)
{
    auto s =
        c_.prepare("UPDATE status_incidents SET incident_id = ?, name = ?, status = ?, impact = ?, updated_at = ?, "
                   "started_at = ?, monitoring_at = ?, resolved_at = ? WHERE id = ?");
    s.bind_optional(1, i.internal_incident_id)
        .bind(2, i.name)
        .bind(3, status::to_string(i.status))
        .bind(4, status::to_string(i.impact))
        .bind(5, to_unix_ms(i.updated_at))
        .bind(6, to_unix_ms(i.started_at));
    bind_time(s, 7, i.monitoring_at);
    bind_time(s, 8, i.resolved_at);
    s.bind(9, i.id).run();
    for (auto cid : i.component_ids) {
        auto link = c_.prepare("INSERT OR IGNORE INTO status_incident_components (status_incident_id, component_id) "
                               "SELECT ?, id FROM status_components WHERE id = ?");
        link.bind(1, i.id).bind(2, cid).run();
    }
}

std::vector<std::int64_t> SqliteStatusStore::incident_components(std::int64_t id)
{
    auto s = c_.prepare("SELECT ic.component_id FROM status_incident_components ic JOIN status_components c "
                        "ON c.id = ic.component_id WHERE ic.status_incident_id = ? ORDER BY c.position, c.id");
    s.bind(1, id);
    std::vector<std::int64_t> out;
    while (s.step())
        out.push_back(s.integer(0));
    return out;
}

std::optional<status::PublicIncident> SqliteStatusStore::find_incident(std::int64_t id)
{
    static const std::string sql = std::string(kIncidentColumns) + "WHERE id = ?";
    std::optional<status::PublicIncident> out;
    {
        auto s = c_.prepare(sql);
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        out = read_incident(s);
    }
    out->component_ids = incident_components(id);
    return out;
}

std::vector<status::PublicIncident> SqliteStatusStore::incidents(bool unresolved_only, int limit)
{
    static const std::string all = std::string(kIncidentColumns) + "ORDER BY started_at DESC, id DESC LIMIT ?";
    static const std::string open =
        std::string(kIncidentColumns) +
        "WHERE status NOT IN ('resolved', 'postmortem') ORDER BY started_at DESC, id DESC LIMIT ?";
    std::vector<status::PublicIncident> out;
    {
        auto s = c_.prepare(unresolved_only ? open : all);
        s.bind(1, limit);
        while (s.step())
            out.push_back(read_incident(s));
    }
    for (auto& i : out)
        i.component_ids = incident_components(i.id);
    return out;
}

std::int64_t SqliteStatusStore::insert_update(const status::PublicUpdate& u)
{
    auto s = c_.prepare("INSERT INTO status_updates (status_incident_id, status, body, next_update_at, "
                        "deliver_notifications, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, u.incident_id).bind(2, status::to_string(u.status)).bind(3, u.body);
    bind_time(s, 4, u.next_update_at);
    s.bind(5, u.deliver_notifications ? 1 : 0).bind_optional(6, u.author_id).bind(7, to_unix_ms(u.created_at));
    s.run();
    auto id = c_.last_insert_id();
    write_affected(c_, UpdateKind::Incident, id, u.affected);
    return id;
}

std::vector<status::PublicUpdate> SqliteStatusStore::updates(std::int64_t incident_id)
{
    std::vector<status::PublicUpdate> out;
    {
        auto s = c_.prepare("SELECT id, status, body, next_update_at, deliver_notifications, author_id, created_at "
                            "FROM status_updates WHERE status_incident_id = ? ORDER BY created_at DESC, id DESC");
        s.bind(1, incident_id);
        while (s.step()) {
            status::PublicUpdate u;
            u.id = s.integer(0);
            u.incident_id = incident_id;
            u.status = status::parse_incident_status(s.text(1)).value_or(status::IncidentStatus::Investigating);
            u.body = s.text(2);
            u.next_update_at = optional_time(s, 3);
            u.deliver_notifications = s.integer(4) != 0;
            u.author_id = s.is_null(5) ? 0 : s.integer(5);
            u.created_at = from_unix_ms(s.integer(6));
            out.push_back(std::move(u));
        }
    }
    for (auto& u : out)
        u.affected = read_affected(c_, UpdateKind::Incident, u.id);
    return out;
}

void SqliteStatusStore::set_monitor_link(const status::MonitorLink& link)
{
    c_.prepare("INSERT INTO status_component_monitors (component_id, monitor_id, down_status) VALUES (?, ?, ?) "
               "ON CONFLICT (component_id) DO UPDATE SET monitor_id = excluded.monitor_id, "
               "down_status = excluded.down_status")
        .bind(1, link.component_id)
        .bind(2, link.monitor_id)
        .bind(3, status::to_string(link.down_status))
        .run();
}

bool SqliteStatusStore::clear_monitor_link(std::int64_t component_id)
{
    c_.prepare("DELETE FROM status_component_monitors WHERE component_id = ?").bind(1, component_id).run();
    auto n = c_.prepare("SELECT changes()");
    n.step();
    return n.integer(0) > 0;
}

std::vector<status::MonitorLink> SqliteStatusStore::monitor_links()
{
    std::vector<status::MonitorLink> out;
    auto s = c_.prepare("SELECT component_id, monitor_id, down_status FROM status_component_monitors "
                        "ORDER BY component_id");
    while (s.step())
        out.push_back({s.integer(0), s.integer(1),
                       status::parse_component_status(s.text(2)).value_or(status::ComponentStatus::MajorOutage)});
    return out;
}

}  // namespace lifeline::storage::sqlite
