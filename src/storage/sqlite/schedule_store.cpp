#include "storage/sqlite/stores.hpp"

#include <boost/json.hpp>

namespace lifeline::storage::sqlite {

namespace js = boost::json;

namespace {

js::object participant_json(const schedule::Participant& p)
{
    return {{"user_id", p.user_id}, {"name", p.name}};
}

schedule::Participant read_participant(const js::value& v)
{
    const auto& o = v.as_object();
    return {o.at("user_id").as_int64(), std::string(o.at("name").as_string())};
}

// The stored form of layers and overrides. Times: local seconds since the epoch for hand-offs (they are local
// times in the schedule's zone), UTC milliseconds for overrides.
std::string encode(const schedule::Schedule& s)
{
    js::array layers;
    for (const auto& l : s.layers) {
        js::array people;
        for (const auto& p : l.participants)
            people.push_back(participant_json(p));
        js::array restrictions;
        for (const auto& r : l.restrictions)
            restrictions.push_back({{"start_day", r.start_day.c_encoding()},
                                    {"start", r.start_time.count()},
                                    {"end_day", r.end_day.c_encoding()},
                                    {"end", r.end_time.count()}});
        layers.push_back({{"name", l.name},
                          {"participants", std::move(people)},
                          {"start", l.start.time_since_epoch().count()},
                          {"length", static_cast<int>(l.length)},
                          {"hours", l.hours},
                          {"restrictions", std::move(restrictions)}});
    }
    js::array overrides;
    for (const auto& o : s.overrides)
        overrides.push_back({{"user_id", o.user_id},
                             {"name", o.name},
                             {"start", core::to_unix_ms(o.start)},
                             {"end", core::to_unix_ms(o.end)}});
    return js::serialize(js::object{{"layers", std::move(layers)}, {"overrides", std::move(overrides)}});
}

schedule::Schedule decode(std::int64_t id, std::string name, std::string zone, const std::string& definition)
{
    schedule::Schedule s;
    s.id = id;
    s.name = std::move(name);
    s.time_zone = std::move(zone);
    auto doc = js::parse(definition).as_object();
    for (const auto& v : doc.at("layers").as_array()) {
        const auto& o = v.as_object();
        schedule::Layer l;
        l.name = std::string(o.at("name").as_string());
        for (const auto& p : o.at("participants").as_array())
            l.participants.push_back(read_participant(p));
        l.start = date::local_seconds{std::chrono::seconds(o.at("start").as_int64())};
        l.length = static_cast<schedule::Layer::Length>(o.at("length").as_int64());
        l.hours = static_cast<int>(o.at("hours").as_int64());
        for (const auto& r : o.at("restrictions").as_array()) {
            const auto& ro = r.as_object();
            l.restrictions.push_back({date::weekday{static_cast<unsigned>(ro.at("start_day").as_int64())},
                                      std::chrono::minutes(ro.at("start").as_int64()),
                                      date::weekday{static_cast<unsigned>(ro.at("end_day").as_int64())},
                                      std::chrono::minutes(ro.at("end").as_int64())});
        }
        s.layers.push_back(std::move(l));
    }
    for (const auto& v : doc.at("overrides").as_array()) {
        const auto& o = v.as_object();
        s.overrides.push_back({o.at("user_id").as_int64(), std::string(o.at("name").as_string()),
                               core::from_unix_ms(o.at("start").as_int64()),
                               core::from_unix_ms(o.at("end").as_int64())});
    }
    return s;
}

}  // namespace

core::Result<std::int64_t> SqliteScheduleStore::insert(const schedule::Schedule& s, core::UtcTime now)
{
    try {
        c_.prepare("INSERT INTO schedules (name, time_zone, definition, created_at) VALUES (?, ?, ?, ?)")
            .bind(1, s.name)
            .bind(2, s.time_zone)
            .bind(3, encode(s))
            .bind(4, core::to_unix_ms(now))
            .run();
        return c_.last_insert_id();
    } catch (const Constraint&) {
        return core::Error::conflict("a schedule named '" + s.name + "' exists");
    }
}

std::optional<schedule::Schedule> SqliteScheduleStore::find(std::int64_t id)
{
    auto s = c_.prepare("SELECT id, name, time_zone, definition FROM schedules WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return decode(s.integer(0), s.text(1), s.text(2), s.text(3));
}

std::vector<schedule::Schedule> SqliteScheduleStore::list()
{
    auto s = c_.prepare("SELECT id, name, time_zone, definition FROM schedules ORDER BY name");
    std::vector<schedule::Schedule> out;
    while (s.step())
        out.push_back(decode(s.integer(0), s.text(1), s.text(2), s.text(3)));
    return out;
}

core::Status SqliteScheduleStore::update(const schedule::Schedule& s)
{
    try {
        c_.prepare("UPDATE schedules SET name = ?, time_zone = ?, definition = ? WHERE id = ?")
            .bind(1, s.name)
            .bind(2, s.time_zone)
            .bind(3, encode(s))
            .bind(4, s.id)
            .run();
    } catch (const Constraint&) {
        return core::Error::conflict("a schedule named '" + s.name + "' exists");
    }
    auto changed = c_.prepare("SELECT changes()");
    changed.step();
    if (changed.integer(0) == 0) return core::Error::not_found("no schedule " + std::to_string(s.id));
    return core::Ok{};
}

bool SqliteScheduleStore::remove(std::int64_t id)
{
    c_.prepare("DELETE FROM schedules WHERE id = ?").bind(1, id).run();
    auto changed = c_.prepare("SELECT changes()");
    changed.step();
    return changed.integer(0) > 0;
}

bool SqliteScheduleStore::set_feed_token_hash(std::int64_t id, std::string_view hash)
{
    c_.prepare("UPDATE schedules SET feed_token_hash = ? WHERE id = ?").bind(1, hash).bind(2, id).run();
    auto s = c_.prepare("SELECT changes()");
    s.step();
    return s.integer(0) > 0;
}

std::optional<schedule::Schedule> SqliteScheduleStore::find_by_feed_token_hash(std::string_view hash)
{
    if (hash.empty()) return std::nullopt;
    auto s = c_.prepare("SELECT id, name, time_zone, definition FROM schedules WHERE feed_token_hash = ?");
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return decode(s.integer(0), s.text(1), s.text(2), s.text(3));
}

}  // namespace lifeline::storage::sqlite
