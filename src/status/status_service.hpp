// Status page use-cases. Staff change component statuses and publish incidents with public updates; admins create
// and delete components and groups. Each update's component transitions are applied in the same transaction as the
// update, so the page and its history cannot drift. Anyone may read the snapshot the public documents are built from.
#pragma once

#include "auth/user.hpp"
#include "status/status.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
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
};

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
    // Staff. A public update; its component changes apply with it, and closing the incident sets every component
    // it affected back to operational. Errors: also NotFound, Conflict (closed: only postmortem may follow).
    boost::asio::awaitable<core::Result<IncidentRecord>> post_update(const auth::Actor& actor, std::int64_t id,
                                                                     UpdateInput input);
    core::Result<std::vector<IncidentRecord>> incidents(const auth::Actor& actor);
    core::Result<IncidentRecord> incident(const auth::Actor& actor, std::int64_t id);

    // The public view, for rendering the status documents. No actor: it is public. Reads on the calling thread.
    core::Result<Snapshot> snapshot();

private:
    void notify_changed();

    storage::Database& db_;
    const core::Clock& clock_;
    std::function<void()> changed_;
};

}  // namespace lifeline::status
