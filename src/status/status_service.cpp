#include "status/status_service.hpp"

#include "status/subscriber_service.hpp"
#include "storage/async.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lifeline::status {

namespace {

core::Status staff_only(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff run the status page");
    return core::Ok{};
}

core::Status admin_only(const auth::Actor& actor)
{
    if (!actor.is_admin()) return core::Error::denied("only admins add or remove status page components");
    return core::Ok{};
}

const char* noun(StatusService::Kind kind)
{
    return kind == StatusService::Kind::Group ? "group" : "component";
}

core::Result<Component> load(storage::Transaction& tx, StatusService::Kind kind, std::int64_t id)
{
    auto c = tx.status().find_component(id);
    if (!c || c->is_group != (kind == StatusService::Kind::Group))
        return core::Error::not_found(std::string("no status page ") + noun(kind) + " " + std::to_string(id));
    return std::move(*c);
}

// Applies the fields present in `in`, then normalises. Errors: InvalidArgument.
core::Status apply(storage::Transaction& tx, Component& c, const ComponentInput& in)
{
    if (in.name) c.name = *in.name;
    if (in.description) c.description = *in.description;
    if (in.position) c.position = *in.position;
    if (in.status) c.status = *in.status;
    if (in.showcase) c.showcase = *in.showcase;
    if (in.only_show_if_degraded) c.only_show_if_degraded = *in.only_show_if_degraded;
    if (in.group_id) {
        if (c.is_group && in.group_id->has_value())
            return core::Error::invalid("the group is not valid", {{"group_id", "groups do not nest"}});
        if (in.group_id->has_value()) {
            auto g = tx.status().find_component(**in.group_id);
            if (!g || !g->is_group)
                return core::Error::invalid("the component is not valid",
                                            {{"group_id", "no group " + std::to_string(**in.group_id)}});
        }
        c.group_id = *in.group_id;
    }
    return normalise(c);
}

std::map<std::int64_t, Component> by_id(std::vector<Component> all)
{
    std::map<std::int64_t, Component> out;
    for (auto& c : all)
        out.emplace(c.id, std::move(c));
    return out;
}

// Writes the transitions to the components and records them on the update and the incident.
void apply_transitions(storage::Transaction& tx, std::map<std::int64_t, Component>& current, PublicIncident& incident,
                       const std::vector<AffectedComponent>& affected, core::UtcTime now)
{
    for (const auto& a : affected) {
        auto& c = current.at(a.component_id);
        c.status = a.new_status;
        c.updated_at = now;
        (void)tx.status().update_component(c);
        if (std::find(incident.component_ids.begin(), incident.component_ids.end(), a.component_id) ==
            incident.component_ids.end())
            incident.component_ids.push_back(a.component_id);
    }
}

void stamp(PublicIncident& i, IncidentStatus status, core::UtcTime now)
{
    i.status = status;
    i.updated_at = now;
    if (status == IncidentStatus::Monitoring && !i.monitoring_at) i.monitoring_at = now;
    if (closes(status) && !i.resolved_at) i.resolved_at = now;
}

// The snapshot's history, links and monitor hours (see Snapshot).
void read_history(storage::Transaction& tx, Snapshot& out, core::UtcTime now)
{
    std::map<std::int64_t, const IncidentRecord*> read;  // the incidents the snapshot already holds
    for (const auto& r : out.incidents)
        read.emplace(r.incident.id, &r);
    for (auto& i : tx.status().incidents(false, kHistoryIncidents)) {
        auto known = read.find(i.id);
        auto updates = known != read.end() ? known->second->updates : tx.status().updates(i.id);
        out.history.push_back({std::move(i), std::move(updates)});
    }
    out.monitor_links = tx.status().monitor_links();
    // A day more than the bars show: the oldest bar starts at a local midnight up to a day before now - 90 days.
    auto since = now - std::chrono::days(kUptimeDays + 1);
    for (const auto& link : out.monitor_links) {
        auto& hours = out.monitor_hours[link.monitor_id];
        if (!hours.empty()) continue;
        for (const auto& h : tx.monitors().hourly_uptime(link.monitor_id, since))
            hours.push_back({h.hour, h.checks, h.passed});
    }
}

}  // namespace

void StatusService::notify_changed()
{
    if (changed_) changed_();
}

core::Result<std::vector<Component>> StatusService::list(const auth::Actor& actor, Kind kind)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<Component> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (auto& c : tx.status().components())
            if (c.is_group == (kind == Kind::Group)) out.push_back(std::move(c));
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<Component> StatusService::get(const auth::Actor& actor, Kind kind, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::optional<Component> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto c = load(tx, kind, id);
        if (!c) return c.error();
        out = std::move(*c);
        return core::Ok{};
    });
    if (!status) return status.error();
    return std::move(*out);
}

boost::asio::awaitable<core::Result<Component>> StatusService::create(const auth::Actor& actor, Kind kind,
                                                                      ComponentInput in)
{
    if (auto s = admin_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    Component out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        Component c;
        c.is_group = kind == Kind::Group;
        c.name = in.name.value_or("");
        if (!in.position) {
            int last = 0;
            for (const auto& other : tx.status().components())
                last = std::max(last, other.position);
            c.position = last + 1;
        }
        if (auto s = apply(tx, c, in); !s) return s;
        c.created_at = now;
        c.updated_at = now;
        auto id = tx.status().insert_component(c);
        if (!id) return id.error();
        c.id = *id;
        out = c;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return out;
}

boost::asio::awaitable<core::Result<Component>> StatusService::change(const auth::Actor& actor, Kind kind,
                                                                      std::int64_t id, ComponentInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    if ((in.name || in.group_id || in.description) && !actor.is_admin())
        co_return core::Error::denied("only admins rename, describe or regroup status page components");
    if (kind == Kind::Group && in.status)
        co_return core::Error::invalid("the group is not valid", {{"status", "a group's status is its components'"}});
    auto now = clock_.now();
    Component out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto c = load(tx, kind, id);
        if (!c) return c.error();
        if (auto s = apply(tx, *c, in); !s) return s;
        c->updated_at = now;
        if (auto s = tx.status().update_component(*c); !s) return s;
        out = *c;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return out;
}

boost::asio::awaitable<core::Status> StatusService::remove(const auth::Actor& actor, Kind kind, std::int64_t id)
{
    if (auto s = admin_only(actor); !s) co_return s.error();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto c = load(tx, kind, id);
        if (!c) return c.error();
        tx.status().delete_component(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return core::Ok{};
}

boost::asio::awaitable<core::Result<IncidentRecord>> StatusService::publish(const auth::Actor& actor, PublishInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    if (auto s = check_name(in.name); !s) co_return s.error();
    auto now = clock_.now();
    PublicUpdate first;
    first.status = in.status;
    first.body = in.body;
    first.next_update_at = in.next_update_at;
    first.deliver_notifications = in.deliver_notifications;
    first.author_id = actor.user_id.value;
    first.created_at = now;
    if (auto s = check_update(first, now); !s) co_return s.error();
    IncidentRecord out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        PublicIncident i;
        if (in.internal_incident_id) {
            if (!tx.incidents().find(*in.internal_incident_id))
                return core::Error::invalid(
                    "the incident is not valid",
                    {{"incident_id", "no incident " + std::to_string(*in.internal_incident_id)}});
            i.internal_incident_id = in.internal_incident_id;
        }
        i.name = in.name;
        i.impact = in.impact;
        i.created_at = now;
        i.started_at = now;
        stamp(i, in.status, now);
        auto current = by_id(tx.status().components());
        std::vector<ComponentChange> changes;
        for (auto cid : in.component_ids)
            changes.push_back({cid, closes(in.status) ? ComponentStatus::Operational : in.component_status});
        auto affected = transitions(current, {}, changes, in.status);
        if (!affected) return affected.error();
        i.id = tx.status().insert_incident(i);
        // Named components belong to the incident even when their status did not change.
        i.component_ids = in.component_ids;
        apply_transitions(tx, current, i, *affected, now);
        tx.status().update_incident(i);
        first.incident_id = i.id;
        first.affected = std::move(*affected);
        first.id = tx.status().insert_update(first);
        record_fanout(tx, i, first);
        out.incident = i;
        out.updates = {first};
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return out;
}

boost::asio::awaitable<core::Result<IncidentRecord>> StatusService::backfill(const auth::Actor& actor, BackfillInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto& p = in.incident;
    if (auto s = check_name(p.name); !s) co_return s.error();
    auto now = clock_.now();
    if (auto s = check_backfill(in.started_at, in.resolved_at, now); !s) co_return s.error();
    PublicUpdate start;
    start.status = IncidentStatus::Investigating;
    start.body = p.body;
    start.deliver_notifications = false;
    start.author_id = actor.user_id.value;
    start.created_at = in.started_at;
    if (auto s = check_update(start, in.started_at); !s) co_return s.error();
    PublicUpdate end = start;
    end.status = IncidentStatus::Resolved;
    end.body = in.resolution;
    end.created_at = in.resolved_at;
    if (auto s = check_update(end, in.resolved_at); !s) co_return s.error();
    IncidentRecord out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        // The history starts from operational: what the components show today is not what they showed then.
        auto then = by_id(tx.status().components());
        for (auto& [id, c] : then)
            c.status = ComponentStatus::Operational;
        std::vector<ComponentChange> changes;
        for (auto cid : p.component_ids)
            changes.push_back({cid, p.component_status});
        auto affected = transitions(then, {}, changes, IncidentStatus::Investigating);
        if (!affected) return affected.error();
        PublicIncident i;
        i.name = p.name;
        i.impact = p.impact;
        i.created_at = in.started_at;
        i.started_at = in.started_at;
        i.status = IncidentStatus::Resolved;
        i.updated_at = in.resolved_at;
        i.resolved_at = in.resolved_at;
        i.id = tx.status().insert_incident(i);
        i.component_ids = p.component_ids;
        tx.status().update_incident(i);
        start.incident_id = i.id;
        start.affected = *affected;
        end.incident_id = i.id;
        for (const auto& a : *affected)
            end.affected.push_back({a.component_id, a.name, a.new_status, ComponentStatus::Operational});
        start.id = tx.status().insert_update(start);
        end.id = tx.status().insert_update(end);
        out.incident = i;
        out.updates = {end, start};
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return out;
}

boost::asio::awaitable<core::Result<IncidentRecord>> StatusService::post_update(const auth::Actor& actor,
                                                                                std::int64_t id, UpdateInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    PublicUpdate u;
    u.incident_id = id;
    u.status = in.status;
    u.body = in.body;
    u.next_update_at = in.next_update_at;
    u.deliver_notifications = in.deliver_notifications;
    u.author_id = actor.user_id.value;
    u.created_at = now;
    if (auto s = check_update(u, now); !s) co_return s.error();
    IncidentRecord out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = tx.status().find_incident(id);
        if (!i) return core::Error::not_found("no public incident " + std::to_string(id));
        if (!i->unresolved() && in.status != IncidentStatus::Postmortem)
            return core::Error::conflict("the incident is resolved; only a postmortem may follow");
        auto current = by_id(tx.status().components());
        auto affected = transitions(current, i->component_ids, in.components, in.status);
        if (!affected) return affected.error();
        for (const auto& change : in.components)
            if (std::find(i->component_ids.begin(), i->component_ids.end(), change.component_id) ==
                i->component_ids.end())
                i->component_ids.push_back(change.component_id);
        apply_transitions(tx, current, *i, *affected, now);
        if (in.impact) i->impact = *in.impact;
        stamp(*i, in.status, now);
        tx.status().update_incident(*i);
        u.affected = std::move(*affected);
        u.id = tx.status().insert_update(u);
        record_fanout(tx, *i, u);
        out.incident = *i;
        out.updates = tx.status().updates(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed();
    co_return out;
}

core::Result<std::vector<IncidentRecord>> StatusService::incidents(const auth::Actor& actor)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<IncidentRecord> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (auto& i : tx.status().incidents(false, 200)) {
            auto updates = tx.status().updates(i.id);
            out.push_back({std::move(i), std::move(updates)});
        }
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<IncidentRecord> StatusService::incident(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    IncidentRecord out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto i = tx.status().find_incident(id);
        if (!i) return core::Error::not_found("no public incident " + std::to_string(id));
        out.incident = std::move(*i);
        out.updates = tx.status().updates(id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<Snapshot> StatusService::snapshot()
{
    Snapshot out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out.components = tx.status().components();
        for (const auto& c : out.components)
            out.updated_at = std::max(out.updated_at, c.updated_at);
        // The 50 most recent, and every unresolved one however old (the summary lists them all).
        auto recent = tx.status().incidents(false, 50);
        std::set<std::int64_t> listed;
        for (const auto& i : recent)
            listed.insert(i.id);
        for (auto& open : tx.status().incidents(true, 1000))
            if (!listed.contains(open.id)) recent.push_back(std::move(open));
        for (auto& i : recent) {
            out.updated_at = std::max(out.updated_at, i.updated_at);
            auto updates = tx.status().updates(i.id);
            out.incidents.push_back({std::move(i), std::move(updates)});
        }
        auto maintenances = tx.maintenances().maintenances(false, 50);
        for (auto& open : tx.maintenances().maintenances(true, 1000))
            if (std::none_of(maintenances.begin(), maintenances.end(), [&](const auto& m) { return m.id == open.id; }))
                maintenances.push_back(std::move(open));
        for (auto& m : maintenances) {
            out.updated_at = std::max(out.updated_at, m.updated_at);
            auto updates = tx.maintenances().maintenance_updates(m.id);
            out.maintenances.push_back({std::move(m), std::move(updates)});
        }
        read_history(tx, out, clock_.now());
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

namespace {

// True when an open public incident names the component: then the incident, not the monitor, decides its status.
bool held_by_incident(storage::Transaction& tx, std::int64_t component_id)
{
    for (const auto& i : tx.status().incidents(true, 1000))
        if (std::find(i.component_ids.begin(), i.component_ids.end(), component_id) != i.component_ids.end())
            return true;
    return false;
}

// Applies a monitor's state to one linked component. True when its status changed.
bool apply_monitor_state(storage::Transaction& tx, const MonitorLink& link, bool down, core::UtcTime at)
{
    auto c = tx.status().find_component(link.component_id);
    if (!c || c->is_group) return false;
    auto next = follow_monitor(c->status, link, down, !down && held_by_incident(tx, c->id));
    if (!next) return false;
    c->status = *next;
    c->updated_at = at;
    (void)tx.status().update_component(*c);
    return true;
}

}  // namespace

bool StatusService::follow_monitor_state(storage::Transaction& tx, std::int64_t monitor_id, bool down, core::UtcTime at)
{
    bool changed = false;
    for (const auto& link : tx.status().monitor_links())
        if (link.monitor_id == monitor_id) changed = apply_monitor_state(tx, link, down, at) || changed;
    return changed;
}

boost::asio::awaitable<core::Result<MonitorLink>> StatusService::link_monitor(const auth::Actor& actor,
                                                                              MonitorLink link)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins link monitors to status page components");
    if (link.down_status != ComponentStatus::DegradedPerformance &&
        link.down_status != ComponentStatus::PartialOutage && link.down_status != ComponentStatus::MajorOutage)
        co_return core::Error::invalid(
            "the link is not valid", {{"down_status", "is one of degraded_performance, partial_outage, major_outage"}});
    auto now = clock_.now();
    bool changed = false;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto c = load(tx, Kind::Component, link.component_id);
        if (!c) return c.error();
        auto m = tx.monitors().find(link.monitor_id);
        if (!m)
            return core::Error::invalid("the link is not valid",
                                        {{"monitor_id", "no monitor " + std::to_string(link.monitor_id)}});
        tx.status().set_monitor_link(link);
        changed = m->status.state == monitor::State::Down && apply_monitor_state(tx, link, true, now);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    if (changed) notify_changed();
    co_return link;
}

boost::asio::awaitable<core::Status> StatusService::unlink_monitor(const auth::Actor& actor, std::int64_t component_id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins link monitors to status page components");
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!tx.status().clear_monitor_link(component_id))
            return core::Error::not_found("component " + std::to_string(component_id) + " follows no monitor");
        return core::Ok{};
    });
    if (!status) co_return status;
    co_return core::Ok{};
}

core::Result<std::vector<MonitorLink>> StatusService::monitor_links(const auth::Actor& actor)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<MonitorLink> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.status().monitor_links();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

}  // namespace lifeline::status
