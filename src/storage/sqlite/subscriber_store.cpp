#include "storage/sqlite/stores.hpp"

#include <boost/json.hpp>

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kSubscriberColumns =
    "SELECT id, channel, address, all_components, state, token, confirm_hash, confirm_expires_at, signing_secret, "
    "disabled_reason, created_at, confirmed_at FROM status_subscribers ";

constexpr std::string_view kFanoutColumns =
    "SELECT update_id, status_incident_id, component_ids, next_subscriber_id, email_count, sms_count, webhook_count, "
    "created_at, expanded_at FROM status_fanouts ";
constexpr std::string_view kMaintenanceFanoutColumns =
    "SELECT update_id, maintenance_id, component_ids, next_subscriber_id, email_count, sms_count, webhook_count, "
    "created_at, expanded_at FROM status_maintenance_fanouts ";

status::Subscriber read_subscriber(const Statement& s)
{
    status::Subscriber out;
    out.id = s.integer(0);
    out.channel = status::parse_subscriber_channel(s.text(1)).value_or(status::SubscriberChannel::Email);
    out.address = s.text(2);
    out.all_components = s.integer(3) != 0;
    out.state = status::parse_subscriber_state(s.text(4));
    out.token = s.text(5);
    out.confirm_hash = s.text(6);
    out.confirm_expires_at = optional_time(s, 7);
    out.signing_secret = s.text(8);
    out.disabled_reason = s.text(9);
    out.created_at = from_unix_ms(s.integer(10));
    out.confirmed_at = optional_time(s, 11);
    return out;
}

std::string ids_json(const std::vector<std::int64_t>& ids)
{
    return boost::json::serialize(boost::json::array(ids.begin(), ids.end()));
}

std::vector<std::int64_t> ids_of(const std::string& text)
{
    std::vector<std::int64_t> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& id : v.as_array())
        if (id.is_int64()) out.push_back(id.as_int64());
    return out;
}

status::Fanout read_fanout(const Statement& s)
{
    status::Fanout f;
    f.update_id = s.integer(0);
    f.incident_id = s.integer(1);
    f.component_ids = ids_of(s.text(2));
    f.next_subscriber_id = s.integer(3);
    f.email_count = s.integer(4);
    f.sms_count = s.integer(5);
    f.webhook_count = s.integer(6);
    f.created_at = from_unix_ms(s.integer(7));
    f.expanded_at = optional_time(s, 8);
    return f;
}

void write_components(Connection& c, const status::Subscriber& subscriber)
{
    c.prepare("DELETE FROM status_subscriber_components WHERE subscriber_id = ?").bind(1, subscriber.id).run();
    if (subscriber.all_components) return;
    for (auto id : subscriber.component_ids)
        c.prepare("INSERT OR IGNORE INTO status_subscriber_components (subscriber_id, component_id) VALUES (?, ?)")
            .bind(1, subscriber.id)
            .bind(2, id)
            .run();
}

}  // namespace

std::vector<status::Subscriber> SqliteSubscriberStore::with_components(Statement& s)
{
    std::vector<status::Subscriber> out;
    while (s.step())
        out.push_back(read_subscriber(s));
    for (auto& subscriber : out) {
        if (subscriber.all_components) continue;
        auto q = c_.prepare(
            "SELECT component_id FROM status_subscriber_components WHERE subscriber_id = ? ORDER BY component_id");
        q.bind(1, subscriber.id);
        while (q.step())
            subscriber.component_ids.push_back(q.integer(0));
    }
    return out;
}

std::optional<status::Subscriber> SqliteSubscriberStore::find_where(std::string_view condition, std::string_view value)
{
    auto s = c_.prepare(std::string(kSubscriberColumns) + "WHERE " + std::string(condition) + " = ?");
    s.bind(1, value);
    auto all = with_components(s);
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

core::Result<std::int64_t> SqliteSubscriberStore::insert(const status::Subscriber& subscriber)
{
    try {
        auto s =
            c_.prepare("INSERT INTO status_subscribers (channel, address, all_components, state, token, confirm_hash, "
                       "confirm_expires_at, signing_secret, disabled_reason, created_at, confirmed_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, status::to_string(subscriber.channel))
            .bind(2, subscriber.address)
            .bind(3, subscriber.all_components ? 1 : 0)
            .bind(4, status::to_string(subscriber.state))
            .bind(5, subscriber.token)
            .bind(6, subscriber.confirm_hash);
        bind_time(s, 7, subscriber.confirm_expires_at);
        s.bind(8, subscriber.signing_secret)
            .bind(9, subscriber.disabled_reason)
            .bind(10, to_unix_ms(subscriber.created_at));
        bind_time(s, 11, subscriber.confirmed_at);
        s.run();
    } catch (const Constraint&) {
        return core::Error::conflict("this " + std::string(status::to_string(subscriber.channel)) +
                                     " address is already subscribed");
    }
    auto stored = subscriber;
    stored.id = c_.last_insert_id();
    write_components(c_, stored);
    return stored.id;
}

void SqliteSubscriberStore::update(const status::Subscriber& subscriber)
{
    auto s =
        c_.prepare("UPDATE status_subscribers SET all_components = ?, state = ?, token = ?, confirm_hash = ?, "
                   "confirm_expires_at = ?, signing_secret = ?, disabled_reason = ?, confirmed_at = ? WHERE id = ?");
    s.bind(1, subscriber.all_components ? 1 : 0)
        .bind(2, status::to_string(subscriber.state))
        .bind(3, subscriber.token)
        .bind(4, subscriber.confirm_hash);
    bind_time(s, 5, subscriber.confirm_expires_at);
    s.bind(6, subscriber.signing_secret).bind(7, subscriber.disabled_reason);
    bind_time(s, 8, subscriber.confirmed_at);
    s.bind(9, subscriber.id).run();
    write_components(c_, subscriber);
}

bool SqliteSubscriberStore::remove(std::int64_t id)
{
    c_.prepare("DELETE FROM status_subscriber_components WHERE subscriber_id = ?").bind(1, id).run();
    c_.prepare("DELETE FROM status_subscribers WHERE id = ?").bind(1, id).run();
    auto changed = c_.prepare("SELECT changes()");
    return changed.step() && changed.integer(0) > 0;
}

std::optional<status::Subscriber> SqliteSubscriberStore::find(std::int64_t id)
{
    auto s = c_.prepare(std::string(kSubscriberColumns) + "WHERE id = ?");
    s.bind(1, id);
    auto all = with_components(s);
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

std::optional<status::Subscriber> SqliteSubscriberStore::find_by_address(status::SubscriberChannel channel,
                                                                         std::string_view address)
{
    auto s = c_.prepare(std::string(kSubscriberColumns) + "WHERE channel = ? AND address = ?");
    s.bind(1, status::to_string(channel)).bind(2, address);
    auto all = with_components(s);
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

std::optional<status::Subscriber> SqliteSubscriberStore::find_by_token(std::string_view token)
{
    if (token.empty()) return std::nullopt;
    return find_where("token", token);
}

std::optional<status::Subscriber> SqliteSubscriberStore::find_by_confirm_hash(std::string_view hash)
{
    if (hash.empty()) return std::nullopt;
    return find_where("confirm_hash", hash);
}

std::vector<status::Subscriber> SqliteSubscriberStore::list(int limit)
{
    auto s = c_.prepare(std::string(kSubscriberColumns) + "ORDER BY id DESC LIMIT ?");
    s.bind(1, limit);
    return with_components(s);
}

std::vector<status::Subscriber> SqliteSubscriberStore::active_for(const std::vector<std::int64_t>& components,
                                                                  std::int64_t from, int limit)
{
    // The component list rides along as JSON so that one statement serves any number of components.
    auto s = c_.prepare(std::string(kSubscriberColumns) +
                        "WHERE state = 'active' AND id >= ? AND (all_components = 1 OR id IN ("
                        "SELECT subscriber_id FROM status_subscriber_components "
                        "WHERE component_id IN (SELECT value FROM json_each(?)))) ORDER BY id LIMIT ?");
    s.bind(1, from).bind(2, ids_json(components)).bind(3, limit);
    std::vector<status::Subscriber> out;
    while (s.step())
        out.push_back(read_subscriber(s));
    return out;
}

status::SubscriberStore::AttemptCounts SqliteSubscriberStore::record_attempt(std::string_view client,
                                                                             std::string_view address,
                                                                             core::UtcTime now, core::UtcTime since)
{
    c_.prepare("DELETE FROM status_subscribe_attempts WHERE created_at < ?").bind(1, to_unix_ms(since)).run();
    c_.prepare("INSERT INTO status_subscribe_attempts (client, address, created_at) VALUES (?, ?, ?)")
        .bind(1, client)
        .bind(2, address)
        .bind(3, to_unix_ms(now))
        .run();
    AttemptCounts out;
    auto by_client = c_.prepare("SELECT count(*) FROM status_subscribe_attempts WHERE client = ?");
    by_client.bind(1, client);
    if (by_client.step()) out.client = by_client.integer(0);
    auto by_address = c_.prepare("SELECT count(*) FROM status_subscribe_attempts WHERE address = ?");
    by_address.bind(1, address);
    if (by_address.step()) out.address = by_address.integer(0);
    return out;
}

void SqliteSubscriberStore::insert_fanout(const status::Fanout& f)
{
    c_.prepare(f.maintenance ? "INSERT OR IGNORE INTO status_maintenance_fanouts (update_id, maintenance_id, "
                               "component_ids, created_at) VALUES (?, ?, ?, ?)"
                             : "INSERT OR IGNORE INTO status_fanouts (update_id, status_incident_id, component_ids, "
                               "created_at) VALUES (?, ?, ?, ?)")
        .bind(1, f.update_id)
        .bind(2, f.incident_id)
        .bind(3, ids_json(f.component_ids))
        .bind(4, to_unix_ms(f.created_at))
        .run();
}

std::vector<status::Fanout> SqliteSubscriberStore::pending_fanouts(int limit)
{
    std::vector<status::Fanout> out;
    for (bool maintenance : {false, true}) {
        auto s = c_.prepare(std::string(maintenance ? kMaintenanceFanoutColumns : kFanoutColumns) +
                            "WHERE expanded_at IS NULL ORDER BY update_id LIMIT ?");
        s.bind(1, limit - static_cast<int>(out.size()));
        while (s.step()) {
            out.push_back(read_fanout(s));
            out.back().maintenance = maintenance;
        }
        if (static_cast<int>(out.size()) >= limit) break;
    }
    return out;
}

void SqliteSubscriberStore::update_fanout(const status::Fanout& f)
{
    auto s = c_.prepare(std::string("UPDATE ") + (f.maintenance ? "status_maintenance_fanouts" : "status_fanouts") +
                        " SET next_subscriber_id = ?, email_count = ?, sms_count = ?, webhook_count = ?, "
                        "expanded_at = ? WHERE update_id = ?");
    s.bind(1, f.next_subscriber_id).bind(2, f.email_count).bind(3, f.sms_count).bind(4, f.webhook_count);
    bind_time(s, 5, f.expanded_at);
    s.bind(6, f.update_id).run();
}

std::vector<status::FanoutProgress> SqliteSubscriberStore::progress(int limit)
{
    std::vector<status::FanoutProgress> out;
    {
        auto s = c_.prepare(
            "SELECT f.update_id, f.status_incident_id, f.component_ids, f.next_subscriber_id, f.email_count, "
            "f.sms_count, f.webhook_count, f.created_at, f.expanded_at, i.name FROM status_fanouts f "
            "JOIN status_incidents i ON i.id = f.status_incident_id ORDER BY f.update_id DESC LIMIT ?");
        s.bind(1, limit);
        while (s.step()) {
            status::FanoutProgress p;
            p.fanout = read_fanout(s);
            p.incident_name = s.text(9);
            out.push_back(std::move(p));
        }
    }
    for (auto& p : out) {
        auto s = c_.prepare("SELECT state, count(*) FROM outbox WHERE status_update_id = ? GROUP BY state");
        s.bind(1, p.fanout.update_id);
        while (s.step()) {
            auto state = s.text(0);
            auto n = s.integer(1);
            if (state == "sent")
                p.sent += n;
            else if (state == "dead")
                p.failed += n;
            else
                p.queued += n;
        }
    }
    return out;
}

}  // namespace lifeline::storage::sqlite
