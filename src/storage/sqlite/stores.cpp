#include "storage/sqlite/stores.hpp"

#include <date/date.h>

#include <cstdio>

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kOrgColumns =
    "SELECT id, name, slug, email_domains, plan_id, primary_agent_id FROM organizations ";

org::Organization read_org(const Statement& s)
{
    org::Organization o;
    o.id = org::OrganizationId{s.integer(0)};
    o.name = s.text(1);
    o.slug = s.text(2);
    o.email_domains = org::split_domains(s.text(3));
    o.plan_id = plan::PlanId{s.integer(4)};
    o.primary_agent_id = org::UserId{s.integer(5)};
    return o;
}

constexpr std::string_view kUserColumns =
    "SELECT u.id, u.email, u.name, u.role, u.organization_id, u.phone, u.password_hash FROM users u ";

auth::User read_user(const Statement& s, int first = 0)
{
    auth::User u;
    u.id = auth::UserId{s.integer(first)};
    u.email = s.text(first + 1);
    u.name = s.text(first + 2);
    auto role = auth::parse_role(s.text(first + 3));
    u.role = role ? *role : auth::Role::Contact;
    u.organization_id = org::OrganizationId{s.integer(first + 4)};
    u.phone = s.text(first + 5);
    u.password_hash = s.text(first + 6);
    return u;
}

constexpr std::string_view kTicketColumns =
    "SELECT t.id, t.subject, t.priority, t.status, t.channel, t.requester_id, t.organization_id, t.assignee_id, "
    "t.created_at, t.updated_at, t.first_response_due_at, t.first_responded_at, t.acknowledgement, "
    "r.name, r.email, o.name, a.name "
    "FROM tickets t JOIN users r ON r.id = t.requester_id "
    "LEFT JOIN organizations o ON o.id = t.organization_id LEFT JOIN users a ON a.id = t.assignee_id ";

ticket::Ticket read_ticket(const Statement& s)
{
    ticket::Ticket t;
    t.id = ticket::TicketId{s.integer(0)};
    t.subject = s.text(1);
    t.priority = static_cast<plan::Priority>(s.integer(2));
    auto status = ticket::parse_status(s.text(3));
    t.status = status ? *status : ticket::Status::Open;
    auto channel = ticket::parse_channel(s.text(4));
    t.channel = channel ? *channel : ticket::Channel::Api;
    t.requester_id = auth::UserId{s.integer(5)};
    t.organization_id = org::OrganizationId{s.integer(6)};
    t.assignee_id = auth::UserId{s.integer(7)};
    t.created_at = from_unix_ms(s.integer(8));
    t.updated_at = from_unix_ms(s.integer(9));
    t.first_response_due_at = from_unix_ms(s.integer(10));
    if (!s.is_null(11)) t.first_responded_at = from_unix_ms(s.integer(11));
    t.acknowledgement = s.text(12);
    t.requester_name = s.text(13);
    t.requester_email = s.text(14);
    t.organization_name = s.text(15);
    t.assignee_name = s.text(16);
    return t;
}

// Appends the tenancy condition for `scope` and returns the values to bind, in order.
void add_scope(std::string& sql, std::vector<std::int64_t>& args, const auth::Scope& scope)
{
    if (scope.all) return;
    if (scope.organization_id) {
        sql += " AND t.organization_id = ?";
        args.push_back(scope.organization_id.value);
    } else {
        sql += " AND t.requester_id = ?";
        args.push_back(scope.requester_id.value);
    }
}

std::string format_day(const date::year_month_day& day)
{
    return date::format("%F", date::sys_days(day));
}

std::optional<date::year_month_day> parse_day(const std::string& text)
{
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
    date::year_month_day day{date::year{y}, date::month{m}, date::day{d}};
    if (!day.ok()) return std::nullopt;
    return day;
}

}  // namespace

core::Result<org::OrganizationId> SqliteOrgStore::insert(const org::Organization& o)
{
    try {
        c_.prepare(
              "INSERT INTO organizations (name, slug, email_domains, plan_id, primary_agent_id) VALUES (?, ?, ?, ?, ?)")
            .bind(1, o.name)
            .bind(2, o.slug)
            .bind(3, org::join_domains(o.email_domains))
            .bind_optional(4, o.plan_id.value)
            .bind_optional(5, o.primary_agent_id.value)
            .run();
        org::OrganizationId id{c_.last_insert_id()};
        for (const auto& domain : o.email_domains)
            c_.prepare("INSERT INTO organization_domains (domain, organization_id) VALUES (?, ?)")
                .bind(1, domain)
                .bind(2, id.value)
                .run();
        return id;
    } catch (const Constraint&) {
        return core::Error::conflict("an organization with slug '" + o.slug + "' or one of its email domains exists");
    }
}

std::optional<org::Organization> SqliteOrgStore::find(org::OrganizationId id)
{
    auto s = c_.prepare(std::string(kOrgColumns) + "WHERE id = ?");
    s.bind(1, id.value);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

std::optional<org::Organization> SqliteOrgStore::find_by_slug(std::string_view slug)
{
    auto s = c_.prepare(std::string(kOrgColumns) + "WHERE slug = ?");
    s.bind(1, slug);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

std::optional<org::Organization> SqliteOrgStore::find_by_email_domain(std::string_view domain)
{
    auto s = c_.prepare(std::string(kOrgColumns) +
                        "WHERE id = (SELECT organization_id FROM organization_domains WHERE domain = ?)");
    s.bind(1, domain);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

std::vector<org::Organization> SqliteOrgStore::list()
{
    auto s = c_.prepare(std::string(kOrgColumns) + "ORDER BY name");
    std::vector<org::Organization> out;
    while (s.step())
        out.push_back(read_org(s));
    return out;
}

plan::PlanId SqlitePlanStore::insert(const plan::SupportPlan& p)
{
    c_.prepare("INSERT INTO plans (name, time_zone, weekly_hours, after_hours_emergency, emergency_phone) "
               "VALUES (?, ?, ?, ?, ?)")
        .bind(1, p.name)
        .bind(2, p.calendar.time_zone)
        .bind(3, plan::format_weekly_hours(p.calendar.hours))
        .bind(4, p.after_hours_emergency ? 1 : 0)
        .bind(5, p.emergency_phone)
        .run();
    plan::PlanId id{c_.last_insert_id()};
    for (int i = 0; i < 4; ++i)
        c_.prepare("INSERT INTO plan_targets (plan_id, priority, first_response_minutes, resolution_minutes) "
                   "VALUES (?, ?, ?, ?)")
            .bind(1, id.value)
            .bind(2, i + 1)
            .bind(3, static_cast<std::int64_t>(p.targets[i].first_response.count()))
            .bind(4, static_cast<std::int64_t>(p.targets[i].resolution.count()))
            .run();
    for (const auto& day : p.calendar.holidays)
        c_.prepare("INSERT OR IGNORE INTO plan_holidays (plan_id, day) VALUES (?, ?)")
            .bind(1, id.value)
            .bind(2, format_day(day))
            .run();
    return id;
}

plan::SupportPlan SqlitePlanStore::load_details(plan::SupportPlan p)
{
    auto targets =
        c_.prepare("SELECT priority, first_response_minutes, resolution_minutes FROM plan_targets WHERE plan_id = ?");
    targets.bind(1, p.id.value);
    while (targets.step()) {
        auto index = targets.integer(0) - 1;
        if (index < 0 || index > 3) continue;
        p.targets[index].first_response = std::chrono::minutes(targets.integer(1));
        p.targets[index].resolution = std::chrono::minutes(targets.integer(2));
    }
    auto days = c_.prepare("SELECT day FROM plan_holidays WHERE plan_id = ? ORDER BY day");
    days.bind(1, p.id.value);
    while (days.step())
        if (auto d = parse_day(days.text(0))) p.calendar.holidays.push_back(*d);
    return p;
}

std::optional<plan::SupportPlan> SqlitePlanStore::find(plan::PlanId id)
{
    std::optional<plan::SupportPlan> found;
    {
        auto s = c_.prepare(
            "SELECT id, name, time_zone, weekly_hours, after_hours_emergency, emergency_phone FROM plans WHERE id = ?");
        s.bind(1, id.value);
        if (!s.step()) return std::nullopt;
        plan::SupportPlan p;
        p.id = plan::PlanId{s.integer(0)};
        p.name = s.text(1);
        p.calendar.time_zone = s.text(2);
        auto hours = plan::parse_weekly_hours(s.text(3));
        if (hours) p.calendar.hours = *hours;
        p.after_hours_emergency = s.integer(4) != 0;
        p.emergency_phone = s.text(5);
        found = std::move(p);
    }
    return load_details(std::move(*found));
}

std::vector<plan::SupportPlan> SqlitePlanStore::list()
{
    std::vector<plan::PlanId> ids;
    {
        auto s = c_.prepare("SELECT id FROM plans ORDER BY name");
        while (s.step())
            ids.push_back(plan::PlanId{s.integer(0)});
    }
    std::vector<plan::SupportPlan> out;
    for (auto id : ids)
        if (auto p = find(id)) out.push_back(std::move(*p));
    return out;
}

core::Result<auth::UserId> SqliteAuthStore::insert_user(const auth::User& u, core::UtcTime now)
{
    try {
        c_.prepare("INSERT INTO users (email, name, role, organization_id, phone, password_hash, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, u.email)
            .bind(2, u.name)
            .bind(3, auth::to_string(u.role))
            .bind_optional(4, u.organization_id.value)
            .bind(5, u.phone)
            .bind(6, u.password_hash)
            .bind(7, to_unix_ms(now))
            .run();
        return auth::UserId{c_.last_insert_id()};
    } catch (const Constraint&) {
        return core::Error::conflict("a user with email '" + u.email + "' exists");
    }
}

std::optional<auth::User> SqliteAuthStore::find_user(auth::UserId id)
{
    auto s = c_.prepare(std::string(kUserColumns) + "WHERE u.id = ?");
    s.bind(1, id.value);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

std::optional<auth::User> SqliteAuthStore::find_user_by_email(std::string_view email)
{
    auto s = c_.prepare(std::string(kUserColumns) + "WHERE u.email = ?");
    s.bind(1, email);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

std::vector<auth::User> SqliteAuthStore::list_staff()
{
    auto s = c_.prepare(std::string(kUserColumns) + "WHERE u.role IN ('admin', 'agent') ORDER BY u.name");
    std::vector<auth::User> out;
    while (s.step())
        out.push_back(read_user(s));
    return out;
}

void SqliteAuthStore::set_password_hash(auth::UserId id, std::string_view hash)
{
    c_.prepare("UPDATE users SET password_hash = ? WHERE id = ?").bind(1, hash).bind(2, id.value).run();
}

void SqliteAuthStore::insert_api_token(auth::UserId user, std::string_view token_hash, std::string_view label,
                                       core::UtcTime now)
{
    c_.prepare("INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)")
        .bind(1, user.value)
        .bind(2, token_hash)
        .bind(3, label)
        .bind(4, to_unix_ms(now))
        .run();
}

std::optional<auth::User> SqliteAuthStore::find_user_by_token_hash(std::string_view token_hash)
{
    auto s = c_.prepare(std::string(kUserColumns) + "JOIN api_tokens k ON k.user_id = u.id WHERE k.token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

void SqliteAuthStore::insert_session(auth::UserId user, std::string_view token_hash, std::string_view csrf_token,
                                     core::UtcTime now, core::UtcTime expires_at)
{
    c_.prepare("INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, user.value)
        .bind(2, token_hash)
        .bind(3, csrf_token)
        .bind(4, to_unix_ms(now))
        .bind(5, to_unix_ms(expires_at))
        .run();
}

std::optional<std::pair<auth::Session, auth::User>> SqliteAuthStore::find_session(std::string_view token_hash,
                                                                                  core::UtcTime now)
{
    auto s = c_.prepare("SELECT u.id, u.email, u.name, u.role, u.organization_id, u.phone, u.password_hash, "
                        "s.id, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
                        "WHERE s.token_hash = ? AND s.expires_at > ?");
    s.bind(1, token_hash).bind(2, to_unix_ms(now));
    if (!s.step()) return std::nullopt;
    auth::User user = read_user(s);
    auth::Session session{s.integer(7), user.id, s.text(8), from_unix_ms(s.integer(9))};
    return std::make_pair(std::move(session), std::move(user));
}

void SqliteAuthStore::delete_session(std::string_view token_hash)
{
    c_.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).run();
}

ticket::TicketId SqliteTicketStore::insert(const ticket::Ticket& t)
{
    c_.prepare(
          "INSERT INTO tickets (subject, priority, status, channel, requester_id, organization_id, assignee_id, "
          "created_at, updated_at, first_response_due_at, acknowledgement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, t.subject)
        .bind(2, static_cast<int>(t.priority))
        .bind(3, ticket::to_string(t.status))
        .bind(4, ticket::to_string(t.channel))
        .bind(5, t.requester_id.value)
        .bind_optional(6, t.organization_id.value)
        .bind_optional(7, t.assignee_id.value)
        .bind(8, to_unix_ms(t.created_at))
        .bind(9, to_unix_ms(t.updated_at))
        .bind(10, to_unix_ms(t.first_response_due_at))
        .bind(11, t.acknowledgement)
        .run();
    return ticket::TicketId{c_.last_insert_id()};
}

void SqliteTicketStore::set_acknowledgement(ticket::TicketId id, std::string_view text)
{
    c_.prepare("UPDATE tickets SET acknowledgement = ? WHERE id = ?").bind(1, text).bind(2, id.value).run();
}

std::optional<ticket::Ticket> SqliteTicketStore::find(ticket::TicketId id, const auth::Scope& scope)
{
    std::string sql = std::string(kTicketColumns) + "WHERE t.id = ?";
    std::vector<std::int64_t> args{id.value};
    add_scope(sql, args, scope);
    auto s = c_.prepare(sql);
    for (std::size_t i = 0; i < args.size(); ++i)
        s.bind(static_cast<int>(i + 1), args[i]);
    if (!s.step()) return std::nullopt;
    return read_ticket(s);
}

std::vector<ticket::Ticket> SqliteTicketStore::list(const ticket::ListFilter& f, const auth::Scope& scope)
{
    std::string sql = std::string(kTicketColumns) + "WHERE 1 = 1";
    std::vector<std::int64_t> ints;
    std::optional<std::string> status_text;
    add_scope(sql, ints, scope);
    if (f.priority) {
        sql += " AND t.priority = ?";
        ints.push_back(static_cast<int>(*f.priority));
    }
    if (f.organization_id) {
        sql += " AND t.organization_id = ?";
        ints.push_back(f.organization_id->value);
    }
    if (f.assignee_id) {
        if (*f.assignee_id) {
            sql += " AND t.assignee_id = ?";
            ints.push_back(f.assignee_id->value);
        } else {
            sql += " AND t.assignee_id IS NULL";
        }
    }
    if (f.open_only) sql += " AND t.status IN ('new', 'open', 'waiting_on_customer')";
    if (f.after_id) {
        sql += " AND t.id < ?";
        ints.push_back(*f.after_id);
    }
    if (f.status) {
        sql += " AND t.status = ?";
        status_text = std::string(ticket::to_string(*f.status));
    }
    sql += f.order == ticket::ListFilter::Order::Deadline ? " ORDER BY t.first_response_due_at, t.id"
                                                          : " ORDER BY t.id DESC";
    sql += " LIMIT ?";
    auto s = c_.prepare(sql);
    int index = 1;
    for (auto v : ints)
        s.bind(index++, v);
    if (status_text) s.bind(index++, *status_text);
    s.bind(index, f.limit);
    std::vector<ticket::Ticket> out;
    while (s.step())
        out.push_back(read_ticket(s));
    return out;
}

void SqliteTicketStore::update_status(ticket::TicketId id, ticket::Status status, core::UtcTime now)
{
    c_.prepare("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?")
        .bind(1, ticket::to_string(status))
        .bind(2, to_unix_ms(now))
        .bind(3, id.value)
        .run();
}

void SqliteTicketStore::update_assignee(ticket::TicketId id, auth::UserId assignee, core::UtcTime now)
{
    c_.prepare("UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?")
        .bind_optional(1, assignee.value)
        .bind(2, to_unix_ms(now))
        .bind(3, id.value)
        .run();
}

void SqliteTicketStore::mark_first_response(ticket::TicketId id, core::UtcTime at)
{
    c_.prepare("UPDATE tickets SET first_responded_at = ? WHERE id = ? AND first_responded_at IS NULL")
        .bind(1, to_unix_ms(at))
        .bind(2, id.value)
        .run();
}

void SqliteTicketStore::touch(ticket::TicketId id, core::UtcTime now)
{
    c_.prepare("UPDATE tickets SET updated_at = ? WHERE id = ?").bind(1, to_unix_ms(now)).bind(2, id.value).run();
}

std::int64_t SqliteTicketStore::insert_message(const ticket::Message& m)
{
    c_.prepare("INSERT INTO messages (ticket_id, author_id, visibility, body, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, m.ticket_id.value)
        .bind_optional(2, m.author_id.value)
        .bind(3, ticket::to_string(m.visibility))
        .bind(4, m.body)
        .bind(5, to_unix_ms(m.created_at))
        .run();
    return c_.last_insert_id();
}

std::vector<ticket::Message> SqliteTicketStore::messages(ticket::TicketId id, ticket::IncludeInternal include)
{
    auto s =
        c_.prepare(include == ticket::IncludeInternal::Yes
                       ? "SELECT m.id, m.author_id, u.name, m.visibility, m.body, m.created_at FROM messages m "
                         "LEFT JOIN users u ON u.id = m.author_id WHERE m.ticket_id = ? ORDER BY m.id"
                       : "SELECT m.id, m.author_id, u.name, m.visibility, m.body, m.created_at FROM messages m "
                         "LEFT JOIN users u ON u.id = m.author_id WHERE m.ticket_id = ? AND m.visibility = 'public' "
                         "ORDER BY m.id");
    s.bind(1, id.value);
    std::vector<ticket::Message> out;
    while (s.step()) {
        ticket::Message m;
        m.id = s.integer(0);
        m.ticket_id = id;
        m.author_id = auth::UserId{s.integer(1)};
        m.author_name = s.text(2);
        m.visibility = s.text(3) == "internal" ? ticket::Visibility::Internal : ticket::Visibility::Public;
        m.body = s.text(4);
        m.created_at = from_unix_ms(s.integer(5));
        out.push_back(std::move(m));
    }
    return out;
}

void SqliteTicketStore::insert_event(const ticket::TimelineEvent& e)
{
    c_.prepare("INSERT INTO timeline_events (ticket_id, actor_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, e.ticket_id.value)
        .bind_optional(2, e.actor_id.value)
        .bind(3, e.kind)
        .bind(4, e.detail)
        .bind(5, to_unix_ms(e.created_at))
        .run();
}

std::vector<ticket::TimelineEvent> SqliteTicketStore::timeline(ticket::TicketId id)
{
    auto s = c_.prepare("SELECT e.id, e.actor_id, u.name, e.kind, e.detail, e.created_at FROM timeline_events e "
                        "LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = ? ORDER BY e.id");
    s.bind(1, id.value);
    std::vector<ticket::TimelineEvent> out;
    while (s.step()) {
        ticket::TimelineEvent e;
        e.id = s.integer(0);
        e.ticket_id = id;
        e.actor_id = auth::UserId{s.integer(1)};
        e.actor_name = s.text(2);
        e.kind = s.text(3);
        e.detail = s.text(4);
        e.created_at = from_unix_ms(s.integer(5));
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<ticket::IdempotentRecord> SqliteTicketStore::find_idempotent(auth::UserId user, std::string_view key)
{
    auto s =
        c_.prepare("SELECT ticket_id, request_hash FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ?");
    s.bind(1, user.value).bind(2, key);
    if (!s.step()) return std::nullopt;
    return ticket::IdempotentRecord{ticket::TicketId{s.integer(0)}, s.text(1)};
}

void SqliteTicketStore::insert_idempotent(auth::UserId user, std::string_view key, std::string_view request_hash,
                                          ticket::TicketId ticket, core::UtcTime now)
{
    c_.prepare("INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, ticket_id, created_at) "
               "VALUES (?, ?, ?, ?, ?)")
        .bind(1, user.value)
        .bind(2, key)
        .bind(3, request_hash)
        .bind(4, ticket.value)
        .bind(5, to_unix_ms(now))
        .run();
}

std::int64_t SqliteTicketStore::count_open()
{
    auto s = c_.prepare("SELECT count(*) FROM tickets WHERE status IN ('new', 'open', 'waiting_on_customer')");
    s.step();
    return s.integer(0);
}

std::optional<std::string> SqliteTicketStore::find_template(std::string_view name)
{
    auto s = c_.prepare("SELECT body FROM templates WHERE name = ?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void SqliteTicketStore::put_template(std::string_view name, std::string_view body, core::UtcTime now)
{
    c_.prepare("INSERT INTO templates (name, body, updated_at) VALUES (?, ?, ?) "
               "ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")
        .bind(1, name)
        .bind(2, body)
        .bind(3, to_unix_ms(now))
        .run();
}

}  // namespace lifeline::storage::sqlite
