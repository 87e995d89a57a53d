// The public status page's values and policy: components (and groups of them) with a status, public incidents with
// their updates, and the overall status rolled up from both. Pure values and policy; no I/O.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::status {

// A component's status, in Statuspage's words.
enum class ComponentStatus { Operational, UnderMaintenance, DegradedPerformance, PartialOutage, MajorOutage };
std::string_view to_string(ComponentStatus status);  // "operational", "degraded_performance", …
std::optional<ComponentStatus> parse_component_status(std::string_view text);

// An incident's impact, and the page's indicator (the same four words).
enum class Impact { None, Minor, Major, Critical };
std::string_view to_string(Impact impact);  // "none", "minor", "major", "critical"
std::optional<Impact> parse_impact(std::string_view text);

enum class IncidentStatus { Investigating, Identified, Monitoring, Resolved, Postmortem };
std::string_view to_string(IncidentStatus status);
std::optional<IncidentStatus> parse_incident_status(std::string_view text);
// Resolved and Postmortem close an incident.
inline bool closes(IncidentStatus status)
{
    return status == IncidentStatus::Resolved || status == IncidentStatus::Postmortem;
}

// For people: "Partial outage", "Minor impact", "Identified".
std::string_view label(ComponentStatus status);
std::string_view label(Impact impact);
std::string_view label(IncidentStatus status);

// A component, or a group of components (is_group; its status is derived from its children, see group_status).
struct Component {
    std::int64_t id = 0;
    std::string name;
    std::string description;
    int position = 0;
    bool is_group = false;
    std::optional<std::int64_t> group_id;  // the group a component belongs to; never set on a group
    ComponentStatus status = ComponentStatus::Operational;
    bool showcase = true;
    bool only_show_if_degraded = false;
    core::UtcTime created_at{};
    core::UtcTime updated_at{};
};

// Trims name and description and checks them: name 1-200 characters of UTF-8, description up to 2000.
// Errors: InvalidArgument with fields "name", "description".
core::Status normalise(Component& component);

// A group's status: its worst child's, operational when it has none.
ComponentStatus group_status(const std::vector<Component>& children);

// The page's rollup, as in Statuspage's status.json.
struct Overall {
    Impact indicator = Impact::None;
    std::string description;  // "All Systems Operational", …
};

// The overall-status rule. The indicator is the worst of
//   - each component's status: degraded_performance → minor, partial_outage → major, major_outage → critical
//     (operational and under_maintenance → none);
//   - each unresolved incident's impact (none, minor, major, critical as they are).
// The description follows the indicator: none → "All Systems Operational", or "Service Under Maintenance" when some
// component is under maintenance; minor → "Minor Service Outage"; major → "Partial System Outage";
// critical → "Major System Outage". Groups are ignored (their children count).
Overall overall_status(const std::vector<Component>& components, const std::vector<Impact>& unresolved_impacts);
Impact indicator_of(ComponentStatus status);

// One component an update changed.
struct AffectedComponent {
    std::int64_t component_id = 0;
    std::string name;
    ComponentStatus old_status = ComponentStatus::Operational;
    ComponentStatus new_status = ComponentStatus::Operational;
};

struct PublicUpdate {
    std::int64_t id = 0;
    std::int64_t incident_id = 0;  // the public incident
    IncidentStatus status = IncidentStatus::Investigating;
    std::string body;
    std::vector<AffectedComponent> affected;
    std::optional<core::UtcTime> next_update_at;
    bool deliver_notifications = true;
    std::int64_t author_id = 0;
    core::UtcTime created_at{};
};

// An incident as the public sees it; may be published from an internal incident (incident/).
struct PublicIncident {
    std::int64_t id = 0;
    std::optional<std::int64_t> internal_incident_id;
    std::string name;
    IncidentStatus status = IncidentStatus::Investigating;
    Impact impact = Impact::None;
    std::vector<std::int64_t> component_ids;  // every component it ever affected
    core::UtcTime created_at{};
    core::UtcTime updated_at{};
    core::UtcTime started_at{};
    std::optional<core::UtcTime> monitoring_at;
    std::optional<core::UtcTime> resolved_at;

    bool unresolved() const { return !closes(status); }
};

// A public incident with its updates, newest first.
struct IncidentRecord {
    PublicIncident incident;
    std::vector<PublicUpdate> updates;
};

// What an update asks of one component.
struct ComponentChange {
    std::int64_t component_id = 0;
    ComponentStatus status = ComponentStatus::Operational;
};

// The component transitions an update makes. `current` holds every component by id; `incident_components` are the
// components the incident affected before this update. Each requested change whose new status differs from the
// current one is a transition; when `update_status` closes the incident, every component of the incident (and of
// this update) that is not operational and not explicitly set by the update goes back to operational.
// Errors: InvalidArgument ("components": an unknown id, a group, a component named twice).
core::Result<std::vector<AffectedComponent>> transitions(const std::map<std::int64_t, Component>& current,
                                                         const std::vector<std::int64_t>& incident_components,
                                                         const std::vector<ComponentChange>& changes,
                                                         IncidentStatus update_status);

// Checks an update's body (1-10000 characters of UTF-8 after trimming) and next-update time (in the future, within
// 7 days; not allowed when the update closes the incident). Errors: InvalidArgument ("body", "next_update_at").
core::Status check_update(PublicUpdate& update, core::UtcTime now);

// Checks a public incident's name (1-300 characters of UTF-8 after trimming). Errors: InvalidArgument ("name").
core::Status check_name(std::string& name);

// A past incident entered after the fact (Statuspage calls these backfilled), for history and uptime: it started
// and was resolved before `now`, at most a year ago, and lasted at least a minute.
// Errors: InvalidArgument ("started_at", "resolved_at").
core::Status check_backfill(core::UtcTime started_at, core::UtcTime resolved_at, core::UtcTime now);

// A monitor (monitor/) driving a component: while the monitor is down the component takes `down_status` (one of
// degraded_performance, partial_outage, major_outage); when it is up again the component returns to operational,
// unless an open public incident holds it.
struct MonitorLink {
    std::int64_t component_id = 0;
    std::int64_t monitor_id = 0;
    ComponentStatus down_status = ComponentStatus::MajorOutage;
};

// What a monitor's state change does to a linked component: the status it takes, or nullopt to leave it alone.
// Down: `down_status`, unless the component is under maintenance (expected downtime) or already worse. Up: operational,
// unless the component is under maintenance or `held_by_incident` (an open public incident names it), or it is
// already operational.
std::optional<ComponentStatus> follow_monitor(ComponentStatus current, const MonitorLink& link, bool monitor_down,
                                              bool held_by_incident);

}  // namespace lifeline::status
