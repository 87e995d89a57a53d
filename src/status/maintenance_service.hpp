// Scheduled maintenance use-cases. Staff schedule a maintenance with its window and components, post updates that
// move it on, change or cancel it; the timer worker runs its automatic transitions at the window's edges. Each
// status change and its component transitions commit together with the update that records them, and each commit
// tells the status service's `changed` hook, so the public documents show it at once.
#pragma once

#include "auth/user.hpp"
#include "status/maintenance.hpp"
#include "status/status_service.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace lifeline::status {

// A maintenance to schedule, or the fields to change (absent: unchanged).
struct MaintenanceInput {
    std::optional<std::string> name;
    std::optional<core::UtcTime> scheduled_for;
    std::optional<core::UtcTime> scheduled_until;
    std::optional<std::vector<std::int64_t>> component_ids;
    std::optional<bool> auto_start;
    std::optional<bool> auto_complete;
    std::optional<bool> auto_transition_to_maintenance_state;
    std::optional<bool> auto_transition_to_operational_state;
    std::string body;  // scheduling: the first update's text (required); a change: ignored
    bool deliver_notifications = true;
};

struct MaintenanceUpdateInput {
    MaintenanceStatus status = MaintenanceStatus::InProgress;
    std::string body;
    bool deliver_notifications = true;
};

class MaintenanceService {
public:
    MaintenanceService(storage::Database& db, const core::Clock& clock, StatusService& status)
        : db_(db), clock_(clock), status_(status)
    {
    }

    // Staff. Errors: PermissionDenied, InvalidArgument (name, scheduled_for, scheduled_until, component_ids, body).
    boost::asio::awaitable<core::Result<MaintenanceRecord>> schedule(const auth::Actor& actor, MaintenanceInput input);
    // Staff. An update moving the maintenance to `input.status` (or keeping it, to say more); its components follow
    // (see maintenance_transitions). Errors: also NotFound, Conflict (completed, or a move can_move refuses).
    boost::asio::awaitable<core::Result<MaintenanceRecord>> post_update(const auth::Actor& actor, std::int64_t id,
                                                                        MaintenanceUpdateInput input);
    // Staff. Renames, moves the window, changes components or flags. Once started, the start stays as it was.
    // Errors: also NotFound, Conflict (completed), InvalidArgument.
    boost::asio::awaitable<core::Result<MaintenanceRecord>> change(const auth::Actor& actor, std::int64_t id,
                                                                   MaintenanceInput input);
    // Staff. Completes a maintenance that has not started, marked cancelled, with an update saying so (`body`, or a
    // standard sentence when empty). Errors: also NotFound, Conflict (started or completed: complete it instead).
    boost::asio::awaitable<core::Result<MaintenanceRecord>> cancel(const auth::Actor& actor, std::int64_t id,
                                                                   std::string body);
    // Staff. Latest window first.
    core::Result<std::vector<MaintenanceRecord>> list(const auth::Actor& actor);
    core::Result<MaintenanceRecord> get(const auth::Actor& actor, std::int64_t id);

    // For the timer worker: runs every automatic transition due now, each in the commit that records it, so after a
    // restart a due one runs once and none is lost. Returns how many maintenances moved. Blocking.
    core::Result<int> run_due_blocking(int limit = 64);

private:
    // In one write: loads the open maintenance `id` (NotFound, Conflict when completed), runs `work` on it and
    // answers it with its updates; tells the page after the commit.
    using Work = std::function<core::Status(storage::Transaction&, Maintenance&)>;
    boost::asio::awaitable<core::Result<MaintenanceRecord>> change_one(std::int64_t id, const Work& work);

    storage::Database& db_;
    const core::Clock& clock_;
    StatusService& status_;
};

}  // namespace lifeline::status
