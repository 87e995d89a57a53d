// Status page use-cases. Staff change component statuses and publish incidents with public updates; admins create
// and delete components and groups. Each update's component transitions are applied in the same transaction as the
// update, so the page and its history cannot drift. Anyone may read the snapshot the public documents are built from.
#pragma once

#include "auth/user.hpp"
#include "status/maintenance.hpp"
#include "status/status.hpp"
#include "status/uptime.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace lifeline::status {

// A component or group to create, or the fields to change (absent: unchanged).
struct ComponentInput {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<int> position;
    std::optional<std::optional<std::int64_t>> group_id;  // set to nullopt inside: ungroup
    std::optional<ComponentStatus> status;
    std::optional<bool> showcase;
    std::optional<bool> only_show_if_degraded;
};

struct PublishInput {
    std::optional<std::int64_t> internal_incident_id;  // an incident from incident/, when published from one
    std::string name;
    Impact impact = Impact::Minor;
    IncidentStatus status = IncidentStatus::Investigating;
    std::vector<std::int64_t> component_ids;
    ComponentStatus component_status = ComponentStatus::MajorOutage;
    std::string body;
    std::optional<core::UtcTime> next_update_at;
    bool deliver_notifications = true;  // tell the subscribers of its components
};

// A past incident to record (see check_backfill): published already resolved, its components shown in
// `component_status` between the two times in the history, their current status untouched, nobody notified.
struct BackfillInput {
    PublishInput incident;  // status and next_update_at are ignored: it is resolved
    core::UtcTime started_at{};
    core::UtcTime resolved_at{};
    std::string resolution = "This incident has been resolved.";
};

struct UpdateInput {
    IncidentStatus status = IncidentStatus::Investigating;
    std::string body;
    std::vector<ComponentChange> components;
    std::optional<Impact> impact;  // a new impact, when it changed
    std::optional<core::UtcTime> next_update_at;
    bool deliver_notifications = true;
};

// Everything the public documents are rendered from, read in one snapshot.
struct Snapshot {
    std::vector<Component> components;      // groups and components, by position
    std::vector<IncidentRecord> incidents;  // the 50 most recent, newest first, with updates
    core::UtcTime updated_at{};             // the latest change to any of them
    // For the uptime bars and the history pages: the kHistoryIncidents most recent incidents with their updates,
    // newest first; each component's monitor link; and the hourly counts of every linked monitor over the uptime
    // window, by monitor id.
    std::vector<IncidentRecord> history;
    std::vector<MonitorLink> monitor_links;
    std::map<std::int64_t, std::vector<MonitorHour>> monitor_hours;
    // The 50 latest scheduled maintenances and every open one, latest window first, with updates.
    std::vector<MaintenanceRecord> maintenances;
};

// How many incidents the history pages reach back.
inline constexpr int kHistoryIncidents = 500;

class StatusService {
public:
    // `changed` is called after each commit that changed what the public sees; may be empty.
    StatusService(storage::Database& db, const core::Clock& clock, std::function<void()> changed = {})
        : db_(db), clock_(clock), changed_(std::move(changed))
    {
    }

    // Staff. Groups when Kind::Group, components otherwise.
    enum class Kind { Component, Group };
    core::Result<std::vector<Component>> list(const auth::Actor& actor, Kind kind);
    core::Result<Component> get(const auth::Actor& actor, Kind kind, std::int64_t id);
    // Admins. Errors: PermissionDenied, InvalidArgument (name, description, group_id), Conflict (name taken).
    boost::asio::awaitable<core::Result<Component>> create(const auth::Actor& actor, Kind kind, ComponentInput input);
    // Staff; renaming and regrouping need an admin. Errors: also NotFound.
    boost::asio::awaitable<core::Result<Component>> change(const auth::Actor& actor, Kind kind, std::int64_t id,
                                                           ComponentInput input);
    // Admins. Errors: PermissionDenied, NotFound.
    boost::asio::awaitable<core::Status> remove(const auth::Actor& actor, Kind kind, std::int64_t id);

    // Staff. Publishes an incident with its first update; the components named take `component_status`.
    // Errors: PermissionDenied, InvalidArgument (name, body, components, incident_id, next_update_at).
    boost::asio::awaitable<core::Result<IncidentRecord>> publish(const auth::Actor& actor, PublishInput input);
    // Staff. Records a past incident with two updates (its start and its resolution) at their own times.
    // Errors: PermissionDenied, InvalidArgument (name, body, components, started_at, resolved_at).
    boost::asio::awaitable<core::Result<IncidentRecord>> backfill(const auth::Actor& actor, BackfillInput input);
    // Staff. A public update; its component changes apply with it, and closing the incident sets every component
    // it affected back to operational. Errors: also NotFound, Conflict (closed: only postmortem may follow).
    boost::asio::awaitable<core::Result<IncidentRecord>> post_update(const auth::Actor& actor, std::int64_t id,
                                                                     UpdateInput input);
    core::Result<std::vector<IncidentRecord>> incidents(const auth::Actor& actor);
    core::Result<IncidentRecord> incident(const auth::Actor& actor, std::int64_t id);

    // The public view, for rendering the status documents. No actor: it is public. Reads on the calling thread.
    core::Result<Snapshot> snapshot();

    // Admins. Makes a component follow a monitor (replacing its previous link) and applies the monitor's current
    // state at once (a monitor that is down now sets the component's status now). Errors: PermissionDenied,
    // NotFound (component), InvalidArgument ("monitor_id": no such monitor; "down_status": not an outage status).
    boost::asio::awaitable<core::Result<MonitorLink>> link_monitor(const auth::Actor& actor, MonitorLink link);
    // Admins. The component stops following its monitor and keeps its status. Errors: PermissionDenied, NotFound.
    boost::asio::awaitable<core::Status> unlink_monitor(const auth::Actor& actor, std::int64_t component_id);
    // Staff. Every link, by component id. Errors: PermissionDenied.
    core::Result<std::vector<MonitorLink>> monitor_links(const auth::Actor& actor);

    // For the monitors (monitor::MonitorService's state follower): called inside the unit of work that records a
    // monitor going down (`down`) or coming back up, so that the linked components change in the same commit (see
    // follow_monitor in status.hpp). Returns true when a component changed; then call public_changed() after the
    // commit.
    static bool follow_monitor_state(storage::Transaction& tx, std::int64_t monitor_id, bool down, core::UtcTime at);
    void public_changed() { notify_changed(); }

private:
    void notify_changed();

    storage::Database& db_;
    const core::Clock& clock_;
    std::function<void()> changed_;
};

}  // namespace lifeline::status
