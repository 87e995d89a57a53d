// Scheduled maintenance on the public status page: a window, the components it affects, its updates, and the policy
// of its automatic transitions (at the window's start to in progress with the components under maintenance, at its
// end to completed with the components back to operational). Pure values and policy; no I/O.
#pragma once

#include "status/status.hpp"

#include <set>

namespace lifeline::status {

// A maintenance's status, in Statuspage's words. Completed is final.
enum class MaintenanceStatus { Scheduled, InProgress, Verifying, Completed };
std::string_view to_string(MaintenanceStatus status);  // "scheduled", "in_progress", "verifying", "completed"
// For people: "Scheduled", "In progress", "Verifying", "Completed".
std::string_view label(MaintenanceStatus status);
std::optional<MaintenanceStatus> parse_maintenance_status(std::string_view text);

// Statuspage's impact word for a maintenance; a maintenance never raises the page's indicator.
inline constexpr std::string_view kMaintenanceImpact = "maintenance";

// A window is at least this long and at most this long; it may be scheduled at most kMaxLead ahead.
inline constexpr std::chrono::minutes kMinWindow{1};
inline constexpr std::chrono::days kMaxWindow{7};
inline constexpr std::chrono::days kMaxLead{366};

struct Maintenance {
    std::int64_t id = 0;
    std::string name;
    MaintenanceStatus status = MaintenanceStatus::Scheduled;
    core::UtcTime scheduled_for{};
    core::UtcTime scheduled_until{};
    std::vector<std::int64_t> component_ids;
    // Statuspage's scheduled_auto_in_progress and scheduled_auto_completed: the status follows the window's edges.
    bool auto_start = true;
    bool auto_complete = true;
    // Statuspage's auto_transition_to_maintenance_state and auto_transition_to_operational_state: the components
    // follow the maintenance into under_maintenance when it starts and back to operational when it completes.
    bool auto_transition_to_maintenance_state = true;
    bool auto_transition_to_operational_state = true;
    bool cancelled = false;  // completed without having run
    core::UtcTime created_at{};
    core::UtcTime updated_at{};
    std::optional<core::UtcTime> started_at;    // when it went in progress
    std::optional<core::UtcTime> completed_at;  // when it completed or was cancelled

    bool open() const { return status != MaintenanceStatus::Completed; }
    bool active() const { return status == MaintenanceStatus::InProgress || status == MaintenanceStatus::Verifying; }
};

struct MaintenanceUpdate {
    std::int64_t id = 0;
    std::int64_t maintenance_id = 0;
    MaintenanceStatus status = MaintenanceStatus::Scheduled;
    std::string body;
    std::vector<AffectedComponent> affected;
    bool deliver_notifications = true;
    std::int64_t author_id = 0;  // 0: the automatic transition wrote it
    core::UtcTime created_at{};
};

// A maintenance with its updates, newest first.
struct MaintenanceRecord {
    Maintenance maintenance;
    std::vector<MaintenanceUpdate> updates;
};

// Trims the name and checks it (1-300 characters of UTF-8) and the window: it ends after it starts, lasts from
// kMinWindow to kMaxWindow and starts at most kMaxLead after `now`. A window being scheduled (`is_new`) must still
// end in the future. Errors: InvalidArgument with fields "name", "scheduled_for", "scheduled_until".
core::Status check_maintenance(Maintenance& maintenance, core::UtcTime now, bool is_new);

// Trims an update's body and checks it: 1-10000 characters of UTF-8. Errors: InvalidArgument ("body").
core::Status check_maintenance_body(std::string& body);

// Whether staff may move a maintenance from one status to another: never out of completed, never back to scheduled,
// otherwise forward, or from verifying back to in progress.
bool can_move(MaintenanceStatus from, MaintenanceStatus to);

// The status the automatic transitions give the maintenance at `now`, when that differs from its own: completed
// once its window has ended (if it completes automatically and has started or starts automatically), else
// in_progress once its window has started (if it starts automatically). Nothing for a completed one.
std::optional<MaintenanceStatus> due_status(const Maintenance& maintenance, core::UtcTime now);

// The component transitions when `maintenance` moves to `to`. `current` holds every component by id; `held` are the
// components something else keeps in their state (unresolved incidents, other active maintenance).
// - Starting (to in_progress or verifying from scheduled), with auto_transition_to_maintenance_state: each of its
//   operational components goes under_maintenance; a component in an outage keeps it, as that says more.
// - Completing after it ran (from in_progress or verifying), with auto_transition_to_operational_state: each of its
//   components under maintenance and not held goes back to operational. A maintenance that never ran changes none.
std::vector<AffectedComponent> maintenance_transitions(const std::map<std::int64_t, Component>& current,
                                                       const Maintenance& maintenance, MaintenanceStatus to,
                                                       const std::set<std::int64_t>& held);

}  // namespace lifeline::status
