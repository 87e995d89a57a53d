// Storage interface for scheduled maintenance. Implementations live in storage/<backend>/.
#pragma once

#include "status/maintenance.hpp"

#include <optional>
#include <vector>

namespace lifeline::status {

class MaintenanceStore {
public:
    virtual ~MaintenanceStore() = default;

    // Maintenances, with component_ids filled in by find, list and due.
    virtual std::int64_t insert_maintenance(const Maintenance& maintenance) = 0;
    // Writes every field except id and created_at; the component ids replace the stored ones.
    virtual void update_maintenance(const Maintenance& maintenance) = 0;
    virtual std::optional<Maintenance> find_maintenance(std::int64_t id) = 0;
    // Latest window first; only the open (not completed) ones when asked.
    virtual std::vector<Maintenance> maintenances(bool open_only, int limit) = 0;
    // Open maintenances an automatic transition may be due for at `now` (see due_status), earliest window first.
    virtual std::vector<Maintenance> due_maintenances(core::UtcTime now, int limit) = 0;

    // An update with its affected components.
    virtual std::int64_t insert_maintenance_update(const MaintenanceUpdate& update) = 0;
    // Newest first.
    virtual std::vector<MaintenanceUpdate> maintenance_updates(std::int64_t maintenance_id) = 0;
};

}  // namespace lifeline::status
