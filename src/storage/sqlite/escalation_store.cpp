#include "storage/sqlite/stores.hpp"

#include <boost/json.hpp>

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;
namespace js = boost::json;
using namespace escalation;

namespace {

// The stored form of a policy's levels: [{"timeout": seconds, "targets": [{"kind": "user", "id": 3}]}].
std::string encode_levels(const Policy& p)
{
    js::array levels;
    for (const auto& l : p.levels) {
        js::array targets;
        for (const auto& t : l.targets)
            targets.push_back(js::object{{"kind", to_string(t.kind)}, {"id", t.id}});
        levels.push_back(js::object{{"timeout", l.timeout.count()}, {"targets", std::move(targets)}});
    }
    return js::serialize(levels);
}

constexpr std::string_view kPolicyColumns =
    "SELECT id, name, description, definition, repeat_count, is_default, created_at, updated_at "
    "FROM escalation_policies ";

Policy read_policy(const Statement& s)
{
    Policy p;
    p.id = s.integer(0);
    p.name = s.text(1);
    p.description = s.text(2);
    auto doc = js::parse(s.text(3));
    for (const auto& v : doc.as_array()) {
        const auto& o = v.as_object();
        Level l;
        l.timeout = std::chrono::seconds(o.at("timeout").as_int64());
        for (const auto& t : o.at("targets").as_array()) {
            const auto& to = t.as_object();
            l.targets.push_back({to.at("kind").as_string() == "schedule" ? Target::Kind::Schedule : Target::Kind::User,
                                 to.at("id").as_int64(), ""});
        }
        p.levels.push_back(std::move(l));
    }
    p.repeat = static_cast<int>(s.integer(4));
    p.is_default = s.integer(5) != 0;
    p.created_at = from_unix_ms(s.integer(6));
    p.updated_at = from_unix_ms(s.integer(7));
    return p;
}

core::Error policy_conflict(Connection& c, const Policy& p)
{
    if (p.is_default) {
        auto s = c.prepare("SELECT name FROM escalation_policies WHERE is_default = 1 AND id <> ?");
        s.bind(1, p.id);
        if (s.step()) return core::Error::conflict("'" + s.text(0) + "' is already the default policy");
    }
    return core::Error::conflict("an escalation policy named '" + p.name + "' exists");
}

constexpr std::string_view kMethodColumns =
    "SELECT id, user_id, channel, address, label, created_at FROM contact_methods ";

ContactMethod read_method(const Statement& s)
{
    ContactMethod m;
    m.id = s.integer(0);
    m.user_id = s.integer(1);
    m.channel = parse_channel(s.text(2)).value_or(Channel::Sms);
    m.address = s.text(3);
    m.label = s.text(4);
    m.created_at = from_unix_ms(s.integer(5));
    return m;
}

constexpr std::string_view kRuleColumns =
    "SELECT id, user_id, contact_method_id, delay_seconds, created_at FROM notification_rules ";

NotificationRule read_rule(const Statement& s)
{
    return NotificationRule{s.integer(0), s.integer(1), s.integer(2), std::chrono::seconds(s.integer(3)),
                            from_unix_ms(s.integer(4))};
}

constexpr std::string_view kEscalationColumns =
    "SELECT e.id, e.policy_id, p.name, e.alert_id, e.ticket_id, e.summary, e.severity, e.state, e.level, e.loop, "
    "e.acknowledged_by, u.name, e.acknowledged_via, e.acknowledged_at, e.started_at, e.updated_at, e.ended_at "
    "FROM escalations e JOIN escalation_policies p ON p.id = e.policy_id "
    "LEFT JOIN users u ON u.id = e.acknowledged_by ";

Escalation read_escalation(const Statement& s)
{
    Escalation e;
    e.id = s.integer(0);
    e.policy_id = s.integer(1);
    e.policy_name = s.text(2);
    e.alert_id = s.is_null(3) ? 0 : s.integer(3);
    e.ticket_id = s.is_null(4) ? 0 : s.integer(4);
    e.summary = s.text(5);
    e.severity = s.text(6);
    e.state = parse_state(s.text(7));
    e.step = Step{static_cast<int>(s.integer(8)), static_cast<int>(s.integer(9))};
    e.acknowledged_by = s.is_null(10) ? 0 : s.integer(10);
    if (!s.is_null(11)) e.acknowledged_by_name = s.text(11);
    e.acknowledged_via = s.text(12);
    if (!s.is_null(13)) e.acknowledged_at = from_unix_ms(s.integer(13));
    e.started_at = from_unix_ms(s.integer(14));
    e.updated_at = from_unix_ms(s.integer(15));
    if (!s.is_null(16)) e.ended_at = from_unix_ms(s.integer(16));
    return e;
}

std::optional<Escalation> one_escalation(Statement& s)
{
    if (!s.step()) return std::nullopt;
    return read_escalation(s);
}

constexpr std::string_view kPageColumns =
    "SELECT p.id, p.escalation_id, p.user_id, u.name, p.level, p.loop, p.created_at FROM pages p "
    "JOIN users u ON u.id = p.user_id ";

Page read_page(const Statement& s)
{
    Page p;
    p.id = s.integer(0);
    p.escalation_id = s.integer(1);
    p.user_id = s.integer(2);
    p.user_name = s.text(3);
    p.step = Step{static_cast<int>(s.integer(4)), static_cast<int>(s.integer(5))};
    p.created_at = from_unix_ms(s.integer(6));
    return p;
}

template <class T, class Read> std::vector<T> read_rows(Statement& s, Read read)
{
    std::vector<T> out;
    while (s.step())
        out.push_back(read(s));
    return out;
}

}  // namespace

core::Result<std::int64_t> SqliteEscalationStore::insert_policy(const Policy& p)
{
    try {
        c_.prepare("INSERT INTO escalation_policies (name, description, definition, repeat_count, is_default, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, p.name)
            .bind(2, p.description)
            .bind(3, encode_levels(p))
            .bind(4, p.repeat)
            .bind(5, p.is_default ? 1 : 0)
            .bind(6, to_unix_ms(p.created_at))
            .bind(7, to_unix_ms(p.updated_at))
            .run();
        return c_.last_insert_id();
    } catch (const Constraint&) {
        return policy_conflict(c_, p);
    }
}

core::Status SqliteEscalationStore::update_policy(const Policy& p)
{
    try {
        c_.prepare("UPDATE escalation_policies SET name = ?, description = ?, definition = ?, repeat_count = ?, "
                   "is_default = ?, updated_at = ? WHERE id = ?")
            .bind(1, p.name)
            .bind(2, p.description)
            .bind(3, encode_levels(p))
            .bind(4, p.repeat)
            .bind(5, p.is_default ? 1 : 0)
            .bind(6, to_unix_ms(p.updated_at))
            .bind(7, p.id)
            .run();
        return core::Ok{};
    } catch (const Constraint&) {
        return policy_conflict(c_, p);
    }
}

bool SqliteEscalationStore::policy_in_use(std::int64_t id)
{
    auto s = c_.prepare("SELECT EXISTS (SELECT 1 FROM services WHERE escalation_policy_id = ?1) "
                        "OR EXISTS (SELECT 1 FROM organizations WHERE escalation_policy_id = ?1) "
                        "OR EXISTS (SELECT 1 FROM escalations WHERE policy_id = ?1)");
    s.bind(1, id);
    s.step();
    return s.integer(0) != 0;
}

void SqliteEscalationStore::delete_policy(std::int64_t id)
{
    c_.prepare("DELETE FROM escalation_policies WHERE id = ?").bind(1, id).run();
}

std::optional<Policy> SqliteEscalationStore::find_policy(std::int64_t id)
{
    auto s = c_.prepare(std::string(kPolicyColumns) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_policy(s);
}

std::optional<Policy> SqliteEscalationStore::default_policy()
{
    auto s = c_.prepare(std::string(kPolicyColumns) + "WHERE is_default = 1");
    if (!s.step()) return std::nullopt;
    return read_policy(s);
}

std::vector<Policy> SqliteEscalationStore::policies()
{
    auto s = c_.prepare(std::string(kPolicyColumns) + "ORDER BY name");
    return read_rows<Policy>(s, read_policy);
}

std::int64_t SqliteEscalationStore::policy_of_service(std::int64_t service_id)
{
    auto s = c_.prepare("SELECT coalesce(escalation_policy_id, 0) FROM services WHERE id = ?");
    s.bind(1, service_id);
    return s.step() ? s.integer(0) : 0;
}

void SqliteEscalationStore::set_service_policy(std::int64_t service_id, std::int64_t policy_id)
{
    c_.prepare("UPDATE services SET escalation_policy_id = ? WHERE id = ?")
        .bind_optional(1, policy_id)
        .bind(2, service_id)
        .run();
}

std::int64_t SqliteEscalationStore::policy_of_organization(std::int64_t organization_id)
{
    auto s = c_.prepare("SELECT coalesce(escalation_policy_id, 0) FROM organizations WHERE id = ?");
    s.bind(1, organization_id);
    return s.step() ? s.integer(0) : 0;
}

void SqliteEscalationStore::set_organization_policy(std::int64_t organization_id, std::int64_t policy_id)
{
    c_.prepare("UPDATE organizations SET escalation_policy_id = ? WHERE id = ?")
        .bind_optional(1, policy_id)
        .bind(2, organization_id)
        .run();
}

std::vector<std::string> SqliteEscalationStore::policies_naming(Target target)
{
    std::vector<std::string> out;
    for (const auto& p : policies())
        for (const auto& l : p.levels)
            if (std::find(l.targets.begin(), l.targets.end(), target) != l.targets.end()) {
                out.push_back(p.name);
                break;
            }
    return out;
}

std::int64_t SqliteEscalationStore::insert_contact_method(const ContactMethod& m)
{
    c_.prepare("INSERT INTO contact_methods (user_id, channel, address, label, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, m.user_id)
        .bind(2, to_string(m.channel))
        .bind(3, m.address)
        .bind(4, m.label)
        .bind(5, to_unix_ms(m.created_at))
        .run();
    return c_.last_insert_id();
}

void SqliteEscalationStore::update_contact_method(const ContactMethod& m)
{
    c_.prepare("UPDATE contact_methods SET channel = ?, address = ?, label = ? WHERE id = ?")
        .bind(1, to_string(m.channel))
        .bind(2, m.address)
        .bind(3, m.label)
        .bind(4, m.id)
        .run();
}

void SqliteEscalationStore::delete_contact_method(std::int64_t id)
{
    c_.prepare("DELETE FROM contact_methods WHERE id = ?").bind(1, id).run();
}

std::optional<ContactMethod> SqliteEscalationStore::find_contact_method(std::int64_t id)
{
    auto s = c_.prepare(std::string(kMethodColumns) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_method(s);
}

std::vector<ContactMethod> SqliteEscalationStore::contact_methods(std::int64_t user_id)
{
    auto s = c_.prepare(std::string(kMethodColumns) + "WHERE user_id = ? ORDER BY id");
    s.bind(1, user_id);
    return read_rows<ContactMethod>(s, read_method);
}

std::vector<std::int64_t> SqliteEscalationStore::users_with_phone(std::string_view e164)
{
    auto s = c_.prepare("SELECT DISTINCT user_id FROM contact_methods WHERE channel IN ('sms', 'voice') AND "
                        "address = ? ORDER BY user_id");
    s.bind(1, e164);
    return read_rows<std::int64_t>(s, [](const Statement& st) { return st.integer(0); });
}

std::int64_t SqliteEscalationStore::insert_rule(const NotificationRule& r)
{
    c_.prepare("INSERT INTO notification_rules (user_id, contact_method_id, delay_seconds, created_at) "
               "VALUES (?, ?, ?, ?)")
        .bind(1, r.user_id)
        .bind(2, r.contact_method_id)
        .bind(3, static_cast<std::int64_t>(r.delay.count()))
        .bind(4, to_unix_ms(r.created_at))
        .run();
    return c_.last_insert_id();
}

void SqliteEscalationStore::update_rule(const NotificationRule& r)
{
    c_.prepare("UPDATE notification_rules SET contact_method_id = ?, delay_seconds = ? WHERE id = ?")
        .bind(1, r.contact_method_id)
        .bind(2, static_cast<std::int64_t>(r.delay.count()))
        .bind(3, r.id)
        .run();
}

void SqliteEscalationStore::delete_rule(std::int64_t id)
{
    c_.prepare("DELETE FROM notification_rules WHERE id = ?").bind(1, id).run();
}

std::optional<NotificationRule> SqliteEscalationStore::find_rule(std::int64_t id)
{
    auto s = c_.prepare(std::string(kRuleColumns) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_rule(s);
}

std::vector<NotificationRule> SqliteEscalationStore::rules(std::int64_t user_id)
{
    auto s = c_.prepare(std::string(kRuleColumns) + "WHERE user_id = ? ORDER BY delay_seconds, id");
    s.bind(1, user_id);
    return read_rows<NotificationRule>(s, read_rule);
}

std::int64_t SqliteEscalationStore::insert(const Escalation& e)
{
    c_.prepare("INSERT INTO escalations (policy_id, alert_id, ticket_id, summary, severity, state, level, loop, "
               "started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, e.policy_id)
        .bind_optional(2, e.alert_id)
        .bind_optional(3, e.ticket_id)
        .bind(4, e.summary)
        .bind(5, e.severity)
        .bind(6, to_string(e.state))
        .bind(7, e.step.level)
        .bind(8, e.step.loop)
        .bind(9, to_unix_ms(e.started_at))
        .bind(10, to_unix_ms(e.updated_at))
        .run();
    return c_.last_insert_id();
}

std::optional<Escalation> SqliteEscalationStore::find(std::int64_t id)
{
    auto s = c_.prepare(std::string(kEscalationColumns) + "WHERE e.id = ?");
    s.bind(1, id);
    return one_escalation(s);
}

std::optional<Escalation> SqliteEscalationStore::find_open_for_alert(std::int64_t alert_id)
{
    auto s = c_.prepare(std::string(kEscalationColumns) +
                        "WHERE e.alert_id = ? AND e.state IN ('active', 'exhausted') ORDER BY e.id DESC LIMIT 1");
    s.bind(1, alert_id);
    return one_escalation(s);
}

std::optional<Escalation> SqliteEscalationStore::find_open_for_ticket(std::int64_t ticket_id)
{
    auto s = c_.prepare(std::string(kEscalationColumns) +
                        "WHERE e.ticket_id = ? AND e.state IN ('active', 'exhausted') ORDER BY e.id DESC LIMIT 1");
    s.bind(1, ticket_id);
    return one_escalation(s);
}

std::optional<Escalation> SqliteEscalationStore::latest_for_alert(std::int64_t alert_id)
{
    auto s = c_.prepare(std::string(kEscalationColumns) + "WHERE e.alert_id = ? ORDER BY e.id DESC LIMIT 1");
    s.bind(1, alert_id);
    return one_escalation(s);
}

void SqliteEscalationStore::set_step(std::int64_t id, Step step, core::UtcTime now)
{
    c_.prepare("UPDATE escalations SET level = ?, loop = ?, updated_at = ? WHERE id = ?")
        .bind(1, step.level)
        .bind(2, step.loop)
        .bind(3, to_unix_ms(now))
        .bind(4, id)
        .run();
}

void SqliteEscalationStore::set_state(std::int64_t id, State state, core::UtcTime now)
{
    bool ends = state == State::Resolved;
    c_.prepare("UPDATE escalations SET state = ?, updated_at = ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END "
               "WHERE id = ?")
        .bind(1, to_string(state))
        .bind(2, to_unix_ms(now))
        .bind(3, ends ? 1 : 0)
        .bind(4, to_unix_ms(now))
        .bind(5, id)
        .run();
}

void SqliteEscalationStore::set_acknowledged(std::int64_t id, std::int64_t user_id, std::string_view via,
                                             core::UtcTime now)
{
    c_.prepare("UPDATE escalations SET state = 'acknowledged', acknowledged_by = ?, acknowledged_via = ?, "
               "acknowledged_at = ?, updated_at = ? WHERE id = ?")
        .bind_optional(1, user_id)
        .bind(2, via)
        .bind(3, to_unix_ms(now))
        .bind(4, to_unix_ms(now))
        .bind(5, id)
        .run();
}

std::vector<Escalation> SqliteEscalationStore::list(bool open_only, int limit)
{
    auto s = c_.prepare(std::string(kEscalationColumns) +
                        (open_only ? "WHERE e.state IN ('active', 'exhausted') ORDER BY e.id DESC LIMIT ?"
                                   : "ORDER BY e.id DESC LIMIT ?"));
    s.bind(1, limit);
    return read_rows<Escalation>(s, read_escalation);
}

void SqliteEscalationStore::insert_event(const Event& e)
{
    c_.prepare("INSERT INTO escalation_events (escalation_id, kind, text, at) VALUES (?, ?, ?, ?)")
        .bind(1, e.escalation_id)
        .bind(2, e.kind)
        .bind(3, e.text)
        .bind(4, to_unix_ms(e.at))
        .run();
}

std::vector<Event> SqliteEscalationStore::events(std::int64_t escalation_id)
{
    auto s = c_.prepare("SELECT escalation_id, kind, text, at FROM escalation_events WHERE escalation_id = ? "
                        "ORDER BY id");
    s.bind(1, escalation_id);
    return read_rows<Event>(s, [](const Statement& st) {
        return Event{st.integer(0), st.text(1), st.text(2), from_unix_ms(st.integer(3))};
    });
}

std::int64_t SqliteEscalationStore::insert_page(const Page& p)
{
    c_.prepare("INSERT INTO pages (escalation_id, user_id, level, loop, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, p.escalation_id)
        .bind(2, p.user_id)
        .bind(3, p.step.level)
        .bind(4, p.step.loop)
        .bind(5, to_unix_ms(p.created_at))
        .run();
    return c_.last_insert_id();
}

std::optional<Page> SqliteEscalationStore::find_page(std::int64_t id)
{
    auto s = c_.prepare(std::string(kPageColumns) + "WHERE p.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_page(s);
}

void SqliteEscalationStore::insert_ack_link(std::int64_t page_id, std::string_view token_hash, core::UtcTime now)
{
    c_.prepare("INSERT INTO ack_links (token_hash, page_id, created_at) VALUES (?, ?, ?)")
        .bind(1, token_hash)
        .bind(2, page_id)
        .bind(3, to_unix_ms(now))
        .run();
}

std::optional<Page> SqliteEscalationStore::find_page_by_link(std::string_view token_hash)
{
    auto s = c_.prepare("SELECT page_id, used_at FROM ack_links WHERE token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    auto page = find_page(s.integer(0));
    if (page && !s.is_null(1)) page->token_used_at = from_unix_ms(s.integer(1));
    return page;
}

void SqliteEscalationStore::use_ack_link(std::string_view token_hash, core::UtcTime now)
{
    c_.prepare("UPDATE ack_links SET used_at = ? WHERE token_hash = ?")
        .bind(1, to_unix_ms(now))
        .bind(2, token_hash)
        .run();
}

std::vector<Page> SqliteEscalationStore::pages(std::int64_t escalation_id)
{
    auto s = c_.prepare(std::string(kPageColumns) + "WHERE p.escalation_id = ? ORDER BY p.id");
    s.bind(1, escalation_id);
    return read_rows<Page>(s, read_page);
}

std::optional<Page> SqliteEscalationStore::newest_open_page(const std::vector<std::int64_t>& user_ids)
{
    std::optional<Page> best;
    for (auto user : user_ids) {
        auto s = c_.prepare(std::string(kPageColumns) +
                            "JOIN escalations e ON e.id = p.escalation_id WHERE p.user_id = ? AND e.state IN "
                            "('active', 'exhausted') ORDER BY p.id DESC LIMIT 1");
        s.bind(1, user);
        if (s.step()) {
            auto p = read_page(s);
            if (!best || p.id > best->id) best = std::move(p);
        }
    }
    return best;
}

void SqliteEscalationStore::insert_job(const Job& j, core::UtcTime now)
{
    c_.prepare("INSERT INTO jobs (kind, subject_id, arg, due_at, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)")
        .bind(1, j.kind)
        .bind(2, j.subject_id)
        .bind(3, j.arg)
        .bind(4, to_unix_ms(j.due_at))
        .bind(5, to_unix_ms(now))
        .run();
}

std::vector<Job> SqliteEscalationStore::due_jobs(core::UtcTime now, int limit)
{
    auto s = c_.prepare("SELECT id, kind, subject_id, arg, due_at FROM jobs WHERE state = 'pending' AND due_at <= ? "
                        "ORDER BY due_at, id LIMIT ?");
    s.bind(1, to_unix_ms(now)).bind(2, limit);
    return read_rows<Job>(s, [](const Statement& st) {
        return Job{st.integer(0), st.text(1), st.integer(2), st.integer(3), from_unix_ms(st.integer(4))};
    });
}

void SqliteEscalationStore::finish_job(std::int64_t id, core::UtcTime now)
{
    c_.prepare("UPDATE jobs SET state = 'done', finished_at = ? WHERE id = ?")
        .bind(1, to_unix_ms(now))
        .bind(2, id)
        .run();
}

void SqliteEscalationStore::cancel_jobs(std::int64_t escalation_id, core::UtcTime now)
{
    c_.prepare("UPDATE jobs SET state = 'cancelled', finished_at = ?1 WHERE state = 'pending' AND "
               "((kind = 'escalation.step' AND subject_id = ?2) OR "
               "(kind = 'page.notify' AND subject_id IN (SELECT id FROM pages WHERE escalation_id = ?2)))")
        .bind(1, to_unix_ms(now))
        .bind(2, escalation_id)
        .run();
}

std::int64_t SqliteEscalationStore::pending_jobs()
{
    auto s = c_.prepare("SELECT count(*) FROM jobs WHERE state = 'pending'");
    s.step();
    return s.integer(0);
}

std::optional<core::UtcTime> SqliteEscalationStore::next_job_due()
{
    auto s = c_.prepare("SELECT min(due_at) FROM jobs WHERE state = 'pending'");
    if (!s.step() || s.is_null(0)) return std::nullopt;
    return from_unix_ms(s.integer(0));
}

}  // namespace lifeline::storage::sqlite
