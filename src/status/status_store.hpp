// Storage interface for the public status page. Implementations live in storage/<backend>/.
#pragma once

#include "status/status.hpp"

#include <optional>
#include <vector>

namespace lifeline::status {

class StatusStore {
public:
    virtual ~StatusStore() = default;

    // Components and groups (one table: a group is a component with is_group). Errors: Conflict when the name is
    // taken among components of the same kind.
    virtual core::Result<std::int64_t> insert_component(const Component& component) = 0;
    virtual core::Status update_component(const Component& component) = 0;
    // Deleting a group ungroups its components. False when there was none.
    virtual bool delete_component(std::int64_t id) = 0;
    virtual std::optional<Component> find_component(std::int64_t id) = 0;
    // Groups and components, by position then id.
    virtual std::vector<Component> components() = 0;

    // Public incidents, with component_ids filled in by find and list.
    virtual std::int64_t insert_incident(const PublicIncident& incident) = 0;
    // Writes every field except id and created_at; adds component_ids it does not hold yet.
    virtual void update_incident(const PublicIncident& incident) = 0;
    virtual std::optional<PublicIncident> find_incident(std::int64_t id) = 0;
    // Newest start first (a backfilled incident takes its place in history); only the unresolved ones when asked.
    virtual std::vector<PublicIncident> incidents(bool unresolved_only, int limit) = 0;

    // An update with its affected components.
    virtual std::int64_t insert_update(const PublicUpdate& update) = 0;
    // Newest first, by their time.
    virtual std::vector<PublicUpdate> updates(std::int64_t incident_id) = 0;

    // Monitor links (one per component at most). Setting replaces the component's link.
    virtual void set_monitor_link(const MonitorLink& link) = 0;
    // False when the component had none.
    virtual bool clear_monitor_link(std::int64_t component_id) = 0;
    // Every link, by component id.
    virtual std::vector<MonitorLink> monitor_links() = 0;
};

}  // namespace lifeline::status
