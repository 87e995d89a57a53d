#include "status/maintenance_service.hpp"

#include "core/text.hpp"
#include "status/subscriber_service.hpp"
#include "storage/async.hpp"

#include <algorithm>
#include <map>

namespace lifeline::status {

namespace {

core::Status staff_only(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff schedule maintenance on the status page");
    return core::Ok{};
}

core::Result<Maintenance> load(storage::Transaction& tx, std::int64_t id)
{
    auto m = tx.maintenances().find_maintenance(id);
    if (!m) return core::Error::not_found("no scheduled maintenance " + std::to_string(id));
    return std::move(*m);
}

// Components something other than maintenance `except` keeps in their state: those of unresolved incidents and of
// the other maintenances in progress.
std::set<std::int64_t> held_components(storage::Transaction& tx, std::int64_t except)
{
    std::set<std::int64_t> out;
    for (const auto& i : tx.status().incidents(true, 1000))
        out.insert(i.component_ids.begin(), i.component_ids.end());
    for (const auto& m : tx.maintenances().maintenances(true, 1000))
        if (m.id != except && m.active()) out.insert(m.component_ids.begin(), m.component_ids.end());
    return out;
}

// Moves `m` to `to`: applies its component transitions, stamps it and records the update, all in `tx`.
MaintenanceUpdate move(storage::Transaction& tx, Maintenance& m, MaintenanceStatus to, std::string body,
                       bool deliver_notifications, std::int64_t author_id, core::UtcTime now)
{
    std::map<std::int64_t, Component> current;
    for (auto& c : tx.status().components())
        current.emplace(c.id, std::move(c));
    MaintenanceUpdate u;
    if (to != m.status) u.affected = maintenance_transitions(current, m, to, held_components(tx, m.id));
    for (const auto& a : u.affected) {
        auto& c = current.at(a.component_id);
        c.status = a.new_status;
        c.updated_at = now;
        (void)tx.status().update_component(c);
    }
    m.status = to;
    m.updated_at = now;
    if (m.active() && !m.started_at) m.started_at = now;
    if (!m.open() && !m.completed_at) m.completed_at = now;
    tx.maintenances().update_maintenance(m);
    u.maintenance_id = m.id;
    u.status = to;
    u.body = std::move(body);
    u.deliver_notifications = deliver_notifications;
    u.author_id = author_id;
    u.created_at = now;
    u.id = tx.maintenances().insert_maintenance_update(u);
    record_fanout(tx, m, u);
    return u;
}

// Applies the fields present in `in` to `m`. Errors: InvalidArgument ("component_ids", "scheduled_for").
core::Status apply(storage::Transaction& tx, Maintenance& m, const MaintenanceInput& in)
{
    if (in.name) m.name = *in.name;
    if (in.scheduled_for && *in.scheduled_for != m.scheduled_for) {
        if (m.active())
            return core::Error::invalid("the maintenance is not valid",
                                        {{"scheduled_for", "cannot move once the maintenance has started"}});
        m.scheduled_for = *in.scheduled_for;
    }
    if (in.scheduled_until) m.scheduled_until = *in.scheduled_until;
    if (in.component_ids) {
        if (m.active() && *in.component_ids != m.component_ids)
            return core::Error::invalid("the maintenance is not valid",
                                        {{"component_ids", "cannot change once the maintenance has started"}});
        std::vector<std::int64_t> ids;
        for (auto id : *in.component_ids) {
            auto c = tx.status().find_component(id);
            if (!c || c->is_group)
                return core::Error::invalid("the maintenance is not valid",
                                            {{"component_ids", "no component " + std::to_string(id)}});
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        }
        m.component_ids = std::move(ids);
    }
    if (in.auto_start) m.auto_start = *in.auto_start;
    if (in.auto_complete) m.auto_complete = *in.auto_complete;
    if (in.auto_transition_to_maintenance_state)
        m.auto_transition_to_maintenance_state = *in.auto_transition_to_maintenance_state;
    if (in.auto_transition_to_operational_state)
        m.auto_transition_to_operational_state = *in.auto_transition_to_operational_state;
    return core::Ok{};
}

std::string automatic_body(MaintenanceStatus to)
{
    return to == MaintenanceStatus::Completed ? "The scheduled maintenance has been completed."
                                              : "The scheduled maintenance is in progress.";
}

}  // namespace

boost::asio::awaitable<core::Result<MaintenanceRecord>> MaintenanceService::schedule(const auth::Actor& actor,
                                                                                     MaintenanceInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    if (!in.scheduled_for || !in.scheduled_until) {
        std::vector<core::FieldError> errors;
        if (!in.scheduled_for) errors.push_back({"scheduled_for", "is required"});
        if (!in.scheduled_until) errors.push_back({"scheduled_until", "is required"});
        co_return core::Error::invalid("the maintenance is not valid", std::move(errors));
    }
    if (auto s = check_maintenance_body(in.body); !s) co_return s.error();
    MaintenanceRecord out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        Maintenance m;
        if (auto s = apply(tx, m, in); !s) return s;
        if (auto s = check_maintenance(m, now, true); !s) return s;
        m.created_at = now;
        m.updated_at = now;
        m.id = tx.maintenances().insert_maintenance(m);
        MaintenanceUpdate first;
        first.maintenance_id = m.id;
        first.body = in.body;
        first.deliver_notifications = in.deliver_notifications;
        first.author_id = actor.user_id.value;
        first.created_at = now;
        first.id = tx.maintenances().insert_maintenance_update(first);
        record_fanout(tx, m, first);
        out.maintenance = std::move(m);
        out.updates = {std::move(first)};
        return core::Ok{};
    });
    if (!status) co_return status.error();
    status_.public_changed();
    co_return out;
}

boost::asio::awaitable<core::Result<MaintenanceRecord>>
MaintenanceService::post_update(const auth::Actor& actor, std::int64_t id, MaintenanceUpdateInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    if (auto s = check_maintenance_body(in.body); !s) co_return s.error();
    auto now = clock_.now();
    const Work work = [&](storage::Transaction& tx, Maintenance& m) -> core::Status {
        if (in.status != m.status && !can_move(m.status, in.status))
            return core::Error::conflict("a maintenance " + std::string(to_string(m.status)) + " cannot move to " +
                                         std::string(to_string(in.status)));
        move(tx, m, in.status, in.body, in.deliver_notifications, actor.user_id.value, now);
        return core::Ok{};
    };
    auto out = co_await change_one(id, work);
    co_return out;
}

boost::asio::awaitable<core::Result<MaintenanceRecord>> MaintenanceService::change(const auth::Actor& actor,
                                                                                   std::int64_t id, MaintenanceInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    const Work work = [&](storage::Transaction& tx, Maintenance& m) -> core::Status {
        if (auto s = apply(tx, m, in); !s) return s;
        if (auto s = check_maintenance(m, now, false); !s) return s;
        m.updated_at = now;
        tx.maintenances().update_maintenance(m);
        return core::Ok{};
    };
    auto out = co_await change_one(id, work);
    co_return out;
}

boost::asio::awaitable<core::Result<MaintenanceRecord>> MaintenanceService::cancel(const auth::Actor& actor,
                                                                                   std::int64_t id, std::string body)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    if (core::trim(body).empty()) body = "This scheduled maintenance has been cancelled.";
    if (auto s = check_maintenance_body(body); !s) co_return s.error();
    auto now = clock_.now();
    const Work work = [&](storage::Transaction& tx, Maintenance& m) -> core::Status {
        if (m.status != MaintenanceStatus::Scheduled)
            return core::Error::conflict("only a maintenance that has not started can be cancelled; complete it "
                                         "instead");
        m.cancelled = true;
        move(tx, m, MaintenanceStatus::Completed, body, true, actor.user_id.value, now);
        return core::Ok{};
    };
    auto out = co_await change_one(id, work);
    co_return out;
}

boost::asio::awaitable<core::Result<MaintenanceRecord>> MaintenanceService::change_one(std::int64_t id,
                                                                                       const Work& work)
{
    MaintenanceRecord out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto m = load(tx, id);
        if (!m) return m.error();
        if (!m->open()) return core::Error::conflict("the maintenance is completed");
        if (auto s = work(tx, *m); !s) return s;
        out.maintenance = std::move(*m);
        out.updates = tx.maintenances().maintenance_updates(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    status_.public_changed();
    co_return out;
}

core::Result<std::vector<MaintenanceRecord>> MaintenanceService::list(const auth::Actor& actor)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<MaintenanceRecord> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (auto& m : tx.maintenances().maintenances(false, 200)) {
            auto updates = tx.maintenances().maintenance_updates(m.id);
            out.push_back({std::move(m), std::move(updates)});
        }
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<MaintenanceRecord> MaintenanceService::get(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    MaintenanceRecord out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto m = load(tx, id);
        if (!m) return m.error();
        out.maintenance = std::move(*m);
        out.updates = tx.maintenances().maintenance_updates(id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<int> MaintenanceService::run_due_blocking(int limit)
{
    auto now = clock_.now();
    // A read first, so that a quiet desk queues no write every tick.
    bool due = false;
    auto peek = db_.read([&](storage::Transaction& tx) -> core::Status {
        due = !tx.maintenances().due_maintenances(now, 1).empty();
        return core::Ok{};
    });
    if (!peek) return peek.error();
    if (!due) return 0;
    int moved = 0;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        moved = 0;
        // Read again inside the write: another node or a staff update may have moved it since the peek.
        for (auto& m : tx.maintenances().due_maintenances(now, limit)) {
            bool any = false;
            // At most two steps (start, then end); a window missed entirely goes straight to completed.
            while (auto to = due_status(m, now)) {
                move(tx, m, *to, automatic_body(*to), true, 0, now);
                any = true;
            }
            if (any) ++moved;
        }
        return core::Ok{};
    });
    if (!status) return status.error();
    if (moved > 0) status_.public_changed();
    return moved;
}

}  // namespace lifeline::status
