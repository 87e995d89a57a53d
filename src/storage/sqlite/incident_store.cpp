#include "storage/sqlite/stores.hpp"

#include <boost/json.hpp>

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;
namespace js = boost::json;
using namespace incident;

namespace {

std::string encode_impact(const Impact& i)
{
    js::array orgs, components;
    for (auto o : i.organization_ids)
        orgs.push_back(o);
    for (const auto& c : i.components)
        components.push_back(js::value(c));
    return js::serialize(js::object{{"organizations", std::move(orgs)},
                                    {"users", i.users},
                                    {"users_estimated", i.users_estimated},
                                    {"components", std::move(components)},
                                    {"business", to_string(i.business)},
                                    {"description", i.description}});
}

Impact decode_impact(const std::string& text)
{
    Impact i;
    auto doc = js::parse(text);
    const auto& o = doc.as_object();
    for (const auto& v : o.at("organizations").as_array())
        i.organization_ids.push_back(v.as_int64());
    i.users = o.at("users").as_int64();
    i.users_estimated = o.at("users_estimated").as_bool();
    for (const auto& v : o.at("components").as_array())
        i.components.emplace_back(v.as_string());
    i.business = parse_business_impact(std::string(o.at("business").as_string())).value_or(BusinessImpact::Degraded);
    i.description = std::string(o.at("description").as_string());
    return i;
}

std::string join_words(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

std::vector<std::string> split_words(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

constexpr std::string_view kIncidentColumns =
    "SELECT i.id, i.title, i.status, i.severity, i.severity_reason, i.proposed_severity, i.severity_override_reason, "
    "i.impact, i.keywords, i.commander_id, c.name, c.phone, c.email, i.communications_lead_id, cl.name, "
    "i.technical_lead_id, tl.name, i.next_update_at, i.next_update_reason, i.reminded_at, i.escalated_at, "
    "i.declared_by, i.declared_at, i.acknowledged_at, i.identified_at, i.mitigated_at, i.resolved_at, i.updated_at "
    "FROM incidents i JOIN users c ON c.id = i.commander_id LEFT JOIN users cl ON cl.id = i.communications_lead_id "
    "LEFT JOIN users tl ON tl.id = i.technical_lead_id ";

Incident read_incident(const Statement& s)
{
    Incident i;
    i.id = s.integer(0);
    i.title = s.text(1);
    i.status = parse_status(s.text(2)).value_or(Status::Investigating);
    i.severity = static_cast<Severity>(s.integer(3));
    i.severity_reason = s.text(4);
    i.proposed_severity = static_cast<Severity>(s.integer(5));
    i.severity_override_reason = s.text(6);
    i.impact = decode_impact(s.text(7));
    i.keywords = split_words(s.text(8));
    i.commander_id = s.integer(9);
    i.commander_name = s.text(10);
    i.commander_phone = s.text(11);
    i.commander_email = s.text(12);
    i.communications_lead_id = s.is_null(13) ? 0 : s.integer(13);
    if (!s.is_null(14)) i.communications_lead_name = s.text(14);
    i.technical_lead_id = s.is_null(15) ? 0 : s.integer(15);
    if (!s.is_null(16)) i.technical_lead_name = s.text(16);
    i.next_update_at = optional_time(s, 17);
    i.next_update_reason = s.text(18);
    i.reminded_at = optional_time(s, 19);
    i.escalated_at = optional_time(s, 20);
    i.declared_by = s.integer(21);
    i.declared_at = from_unix_ms(s.integer(22));
    i.acknowledged_at = optional_time(s, 23);
    i.identified_at = optional_time(s, 24);
    i.mitigated_at = optional_time(s, 25);
    i.resolved_at = optional_time(s, 26);
    i.updated_at = from_unix_ms(s.integer(27));
    return i;
}

template <class T, class Read> std::vector<T> rows(Statement& s, Read read)
{
    std::vector<T> out;
    while (s.step())
        out.push_back(read(s));
    return out;
}

constexpr std::string_view kStepColumns =
    "SELECT s.id, s.incident_id, s.title, s.owner_id, u.name, s.deadline_at, s.state, s.outcome, s.extensions, "
    "s.overdue_alerted_at, s.created_at, s.closed_at FROM incident_steps s JOIN users u ON u.id = s.owner_id ";

Step read_step(const Statement& s)
{
    Step st;
    st.id = s.integer(0);
    st.incident_id = s.integer(1);
    st.title = s.text(2);
    st.owner_id = s.integer(3);
    st.owner_name = s.text(4);
    st.deadline_at = from_unix_ms(s.integer(5));
    auto state = s.text(6);
    st.state = state == "confirmed"   ? StepState::Confirmed
               : state == "ruled_out" ? StepState::RuledOut
                                      : StepState::Open;
    st.outcome = s.text(7);
    st.extensions = static_cast<int>(s.integer(8));
    st.overdue_alerted_at = optional_time(s, 9);
    st.created_at = from_unix_ms(s.integer(10));
    st.closed_at = optional_time(s, 11);
    return st;
}

constexpr std::string_view kLinkedTicketColumns =
    "SELECT t.id, t.subject, coalesce(o.name, ''), r.email, l.linked_at FROM incident_tickets l "
    "JOIN tickets t ON t.id = l.ticket_id JOIN users r ON r.id = t.requester_id "
    "LEFT JOIN organizations o ON o.id = t.organization_id ";

LinkedTicket read_linked_ticket(const Statement& s)
{
    LinkedTicket t;
    t.ticket_id = s.integer(0);
    t.ref = ticket::format_ref(ticket::TicketId{t.ticket_id});
    t.subject = s.text(1);
    t.organization_name = s.text(2);
    t.requester_email = s.text(3);
    t.linked_at = from_unix_ms(s.integer(4));
    return t;
}

}  // namespace

std::int64_t SqliteIncidentStore::insert(const Incident& i)
{
    auto s = c_.prepare(
        "INSERT INTO incidents (title, status, severity, severity_reason, proposed_severity, severity_override_reason, "
        "impact, keywords, commander_id, next_update_at, next_update_reason, declared_by, declared_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, i.title)
        .bind(2, to_string(i.status))
        .bind(3, static_cast<int>(i.severity))
        .bind(4, i.severity_reason)
        .bind(5, static_cast<int>(i.proposed_severity))
        .bind(6, i.severity_override_reason)
        .bind(7, encode_impact(i.impact))
        .bind(8, join_words(i.keywords))
        .bind(9, i.commander_id);
    bind_time(s, 10, i.next_update_at)
        .bind(11, i.next_update_reason)
        .bind(12, i.declared_by)
        .bind(13, to_unix_ms(i.declared_at))
        .bind(14, to_unix_ms(i.updated_at))
        .run();
    return c_.last_insert_id();
}

void SqliteIncidentStore::update(const Incident& i)
{
    auto s = c_.prepare(
        "UPDATE incidents SET title = ?, status = ?, severity = ?, severity_reason = ?, proposed_severity = ?, "
        "severity_override_reason = ?, impact = ?, keywords = ?, commander_id = ?, communications_lead_id = ?, "
        "technical_lead_id = ?, next_update_at = ?, next_update_reason = ?, reminded_at = ?, escalated_at = ?, "
        "acknowledged_at = ?, identified_at = ?, mitigated_at = ?, resolved_at = ?, updated_at = ? WHERE id = ?");
    s.bind(1, i.title)
        .bind(2, to_string(i.status))
        .bind(3, static_cast<int>(i.severity))
        .bind(4, i.severity_reason)
        .bind(5, static_cast<int>(i.proposed_severity))
        .bind(6, i.severity_override_reason)
        .bind(7, encode_impact(i.impact))
        .bind(8, join_words(i.keywords))
        .bind(9, i.commander_id)
        .bind_optional(10, i.communications_lead_id)
        .bind_optional(11, i.technical_lead_id);
    bind_time(s, 12, i.next_update_at).bind(13, i.next_update_reason);
    bind_time(s, 14, i.reminded_at);
    bind_time(s, 15, i.escalated_at);
    bind_time(s, 16, i.acknowledged_at);
    bind_time(s, 17, i.identified_at);
    bind_time(s, 18, i.mitigated_at);
    bind_time(s, 19, i.resolved_at);
    s.bind(20, to_unix_ms(i.updated_at)).bind(21, i.id).run();
}

std::optional<Incident> SqliteIncidentStore::find(std::int64_t id)
{
    auto s = c_.prepare(std::string(kIncidentColumns) + "WHERE i.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_incident(s);
}

std::vector<Incident> SqliteIncidentStore::list(bool open_only, int limit)
{
    auto s = c_.prepare(std::string(kIncidentColumns) + (open_only ? "WHERE i.status <> 'resolved' " : "") +
                        "ORDER BY i.id DESC LIMIT ?");
    s.bind(1, limit);
    return rows<Incident>(s, read_incident);
}

std::vector<Incident> SqliteIncidentStore::overdue_updates(core::UtcTime now, std::chrono::milliseconds escalate_after)
{
    auto s = c_.prepare(std::string(kIncidentColumns) +
                        "WHERE i.status <> 'resolved' AND i.next_update_at IS NOT NULL AND "
                        "((i.reminded_at IS NULL AND i.next_update_at <= ?1) OR "
                        "(i.escalated_at IS NULL AND i.next_update_at <= ?2)) ORDER BY i.next_update_at");
    s.bind(1, to_unix_ms(now)).bind(2, to_unix_ms(now - escalate_after));
    return rows<Incident>(s, read_incident);
}

std::int64_t SqliteIncidentStore::insert_update(const Update& u)
{
    auto s = c_.prepare("INSERT INTO incident_updates (incident_id, channel, kind, author_id, body, next_update_at, "
                        "next_update_reason, status, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, u.incident_id)
        .bind(2, to_string(u.channel))
        .bind(3, u.kind)
        .bind_optional(4, u.author_id)
        .bind(5, u.body);
    bind_time(s, 6, u.next_update_at)
        .bind(7, u.next_update_reason)
        .bind(8, to_string(u.status))
        .bind(9, to_unix_ms(u.at));
    s.run();
    return c_.last_insert_id();
}

std::vector<Update> SqliteIncidentStore::updates(std::int64_t incident_id)
{
    auto s =
        c_.prepare("SELECT u.id, u.incident_id, u.channel, u.kind, coalesce(u.author_id, 0), coalesce(a.name, ''), "
                   "u.body, u.next_update_at, u.next_update_reason, u.status, u.at FROM incident_updates u "
                   "LEFT JOIN users a ON a.id = u.author_id WHERE u.incident_id = ? ORDER BY u.id");
    s.bind(1, incident_id);
    return rows<Update>(s, [](const Statement& st) {
        Update u;
        u.id = st.integer(0);
        u.incident_id = st.integer(1);
        auto channel = st.text(2);
        u.channel = channel == "business" ? Channel::Business
                    : channel == "system" ? Channel::System
                                          : Channel::Technical;
        u.kind = st.text(3);
        u.author_id = st.integer(4);
        u.author_name = st.text(5);
        u.body = st.text(6);
        u.next_update_at = optional_time(st, 7);
        u.next_update_reason = st.text(8);
        u.status = parse_status(st.text(9)).value_or(Status::Investigating);
        u.at = from_unix_ms(st.integer(10));
        return u;
    });
}

bool SqliteIncidentStore::link_ticket(std::int64_t incident_id, std::int64_t ticket_id, std::int64_t by,
                                      core::UtcTime now)
{
    c_.prepare(
          "INSERT OR IGNORE INTO incident_tickets (incident_id, ticket_id, linked_by, linked_at) VALUES (?, ?, ?, ?)")
        .bind(1, incident_id)
        .bind(2, ticket_id)
        .bind_optional(3, by)
        .bind(4, to_unix_ms(now))
        .run();
    auto changed = c_.prepare("SELECT changes()");
    changed.step();
    return changed.integer(0) > 0;
}

std::vector<LinkedTicket> SqliteIncidentStore::tickets(std::int64_t incident_id)
{
    auto s = c_.prepare(std::string(kLinkedTicketColumns) + "WHERE l.incident_id = ? ORDER BY l.linked_at, t.id");
    s.bind(1, incident_id);
    return rows<LinkedTicket>(s, read_linked_ticket);
}

std::vector<std::int64_t> SqliteIncidentStore::incidents_of_ticket(std::int64_t ticket_id)
{
    auto s = c_.prepare("SELECT l.incident_id FROM incident_tickets l JOIN incidents i ON i.id = l.incident_id "
                        "WHERE l.ticket_id = ? AND i.status <> 'resolved' ORDER BY l.incident_id");
    s.bind(1, ticket_id);
    return rows<std::int64_t>(s, [](const Statement& st) { return st.integer(0); });
}

bool SqliteIncidentStore::link_alert(std::int64_t incident_id, std::int64_t alert_id, core::UtcTime now)
{
    c_.prepare("INSERT OR IGNORE INTO incident_alerts (incident_id, alert_id, linked_at) VALUES (?, ?, ?)")
        .bind(1, incident_id)
        .bind(2, alert_id)
        .bind(3, to_unix_ms(now))
        .run();
    auto changed = c_.prepare("SELECT changes()");
    changed.step();
    return changed.integer(0) > 0;
}

std::vector<LinkedAlert> SqliteIncidentStore::alerts(std::int64_t incident_id)
{
    auto s =
        c_.prepare("SELECT a.id, a.summary, s.name, a.status FROM incident_alerts l JOIN alerts a ON a.id = "
                   "l.alert_id JOIN services s ON s.id = a.service_id WHERE l.incident_id = ? ORDER BY l.linked_at");
    s.bind(1, incident_id);
    return rows<LinkedAlert>(s, [](const Statement& st) {
        return LinkedAlert{st.integer(0), st.text(1), st.text(2), st.text(3)};
    });
}

std::int64_t SqliteIncidentStore::insert_step(const Step& st)
{
    c_.prepare("INSERT INTO incident_steps (incident_id, title, owner_id, deadline_at, state, created_at) "
               "VALUES (?, ?, ?, ?, 'open', ?)")
        .bind(1, st.incident_id)
        .bind(2, st.title)
        .bind(3, st.owner_id)
        .bind(4, to_unix_ms(st.deadline_at))
        .bind(5, to_unix_ms(st.created_at))
        .run();
    return c_.last_insert_id();
}

void SqliteIncidentStore::update_step(const Step& st)
{
    auto s = c_.prepare("UPDATE incident_steps SET deadline_at = ?, state = ?, outcome = ?, extensions = ?, "
                        "overdue_alerted_at = ?, closed_at = ? WHERE id = ?");
    s.bind(1, to_unix_ms(st.deadline_at)).bind(2, to_string(st.state)).bind(3, st.outcome).bind(4, st.extensions);
    bind_time(s, 5, st.overdue_alerted_at);
    bind_time(s, 6, st.closed_at);
    s.bind(7, st.id).run();
}

std::optional<Step> SqliteIncidentStore::find_step(std::int64_t id)
{
    auto s = c_.prepare(std::string(kStepColumns) + "WHERE s.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_step(s);
}

std::vector<Step> SqliteIncidentStore::steps(std::int64_t incident_id)
{
    auto s = c_.prepare(std::string(kStepColumns) + "WHERE s.incident_id = ? ORDER BY s.id");
    s.bind(1, incident_id);
    return rows<Step>(s, read_step);
}

std::vector<Step> SqliteIncidentStore::overdue_steps(core::UtcTime now)
{
    auto s = c_.prepare(std::string(kStepColumns) +
                        "JOIN incidents i ON i.id = s.incident_id WHERE s.state = 'open' AND s.deadline_at <= ? AND "
                        "s.overdue_alerted_at IS NULL AND i.status <> 'resolved' ORDER BY s.deadline_at");
    s.bind(1, to_unix_ms(now));
    return rows<Step>(s, read_step);
}

std::int64_t SqliteIncidentStore::insert_action_item(const ActionItem& a)
{
    c_.prepare("INSERT INTO incident_action_items (incident_id, title, owner_id, due_at, created_at) "
               "VALUES (?, ?, ?, ?, ?)")
        .bind(1, a.incident_id)
        .bind(2, a.title)
        .bind(3, a.owner_id)
        .bind(4, to_unix_ms(a.due_at))
        .bind(5, to_unix_ms(a.created_at))
        .run();
    return c_.last_insert_id();
}

void SqliteIncidentStore::set_action_item_done(std::int64_t id, std::optional<core::UtcTime> done_at)
{
    auto s = c_.prepare("UPDATE incident_action_items SET done_at = ? WHERE id = ?");
    bind_time(s, 1, done_at).bind(2, id).run();
}

std::vector<ActionItem> SqliteIncidentStore::action_items(std::int64_t incident_id)
{
    auto s = c_.prepare("SELECT a.id, a.incident_id, a.title, a.owner_id, u.name, a.due_at, a.done_at, a.created_at "
                        "FROM incident_action_items a JOIN users u ON u.id = a.owner_id WHERE a.incident_id = ? "
                        "ORDER BY a.id");
    s.bind(1, incident_id);
    return rows<ActionItem>(s, [](const Statement& st) {
        return ActionItem{st.integer(0),        st.integer(1),
                          st.text(2),           st.integer(3),
                          st.text(4),           from_unix_ms(st.integer(5)),
                          optional_time(st, 6), from_unix_ms(st.integer(7))};
    });
}

std::int64_t SqliteIncidentStore::insert_comment(const DebriefComment& c)
{
    c_.prepare("INSERT INTO incident_debrief_comments (incident_id, author_id, body, at) VALUES (?, ?, ?, ?)")
        .bind(1, c.incident_id)
        .bind(2, c.author_id)
        .bind(3, c.body)
        .bind(4, to_unix_ms(c.at))
        .run();
    return c_.last_insert_id();
}

std::vector<DebriefComment> SqliteIncidentStore::comments(std::int64_t incident_id)
{
    auto s = c_.prepare("SELECT c.id, c.incident_id, c.author_id, u.name, coalesce(o.name, ''), c.body, c.at "
                        "FROM incident_debrief_comments c JOIN users u ON u.id = c.author_id "
                        "LEFT JOIN organizations o ON o.id = u.organization_id WHERE c.incident_id = ? ORDER BY c.id");
    s.bind(1, incident_id);
    return rows<DebriefComment>(s, [](const Statement& st) {
        return DebriefComment{st.integer(0),
                              st.integer(1),
                              st.integer(2),
                              st.text(3),
                              st.text(4),
                              st.text(5),
                              from_unix_ms(st.integer(6))};
    });
}

std::vector<LinkedTicket> SqliteIncidentStore::candidate_tickets(std::int64_t incident_id,
                                                                 const std::vector<std::int64_t>& organization_ids,
                                                                 const std::vector<std::string>& words,
                                                                 core::UtcTime since, int limit)
{
    // Built per call: the number of organizations and words varies. Values are always bound, never spliced.
    std::string sql = "SELECT t.id, t.subject, coalesce(o.name, ''), r.email, t.created_at FROM tickets t "
                      "JOIN users r ON r.id = t.requester_id LEFT JOIN organizations o ON o.id = t.organization_id "
                      "WHERE t.status IN ('new', 'open', 'waiting_on_customer') AND t.created_at >= ? AND NOT EXISTS "
                      "(SELECT 1 FROM incident_tickets l WHERE l.incident_id = ? AND l.ticket_id = t.id) AND (0";
    for (std::size_t k = 0; k < organization_ids.size(); ++k)
        sql += " OR t.organization_id = ?";
    for (std::size_t k = 0; k < words.size(); ++k)
        sql += " OR instr(lower(t.subject), ?) > 0 OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND "
               "instr(lower(m.body), ?) > 0)";
    sql += ") ORDER BY t.id DESC LIMIT ?";
    auto s = c_.prepare(sql);
    s.bind(1, to_unix_ms(since));
    s.bind(2, incident_id);
    int n = 3;
    for (auto o : organization_ids)
        s.bind(n++, o);
    for (const auto& w : words) {
        s.bind(n++, w);
        s.bind(n++, w);
    }
    s.bind(n, limit);
    return rows<LinkedTicket>(s, read_linked_ticket);
}

}  // namespace lifeline::storage::sqlite
