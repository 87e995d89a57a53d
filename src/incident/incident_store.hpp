// Storage interface for incidents. Implementations live in storage/<backend>/.
#pragma once

#include "incident/incident.hpp"

#include <optional>
#include <vector>

namespace lifeline::incident {

class IncidentStore {
public:
    virtual ~IncidentStore() = default;
    virtual std::int64_t insert(const Incident& incident) = 0;
    // Writes every field of the incident except its id and declared_* fields.
    virtual void update(const Incident& incident) = 0;
    // With the names and phone of the people in its roles.
    virtual std::optional<Incident> find(std::int64_t id) = 0;
    // Newest first.
    virtual std::vector<Incident> list(bool open_only, int limit) = 0;
    // Open incidents whose next update was due by `now` and whose commander has not been reminded, or was due by
    // `now - escalate_after` and has not been escalated.
    virtual std::vector<Incident> overdue_updates(core::UtcTime now, std::chrono::milliseconds escalate_after) = 0;

    virtual std::int64_t insert_update(const Update& update) = 0;
    virtual std::vector<Update> updates(std::int64_t incident_id) = 0;

    // False when the ticket was already linked.
    virtual bool link_ticket(std::int64_t incident_id, std::int64_t ticket_id, std::int64_t by, core::UtcTime now) = 0;
    virtual std::vector<LinkedTicket> tickets(std::int64_t incident_id) = 0;
    // The open incidents a ticket is linked to.
    virtual std::vector<std::int64_t> incidents_of_ticket(std::int64_t ticket_id) = 0;
    virtual bool link_alert(std::int64_t incident_id, std::int64_t alert_id, core::UtcTime now) = 0;
    virtual std::vector<LinkedAlert> alerts(std::int64_t incident_id) = 0;

    virtual std::int64_t insert_step(const Step& step) = 0;
    virtual void update_step(const Step& step) = 0;
    virtual std::optional<Step> find_step(std::int64_t id) = 0;
    virtual std::vector<Step> steps(std::int64_t incident_id) = 0;
    // Open steps past their deadline whose owner's commander has not been alerted yet.
    virtual std::vector<Step> overdue_steps(core::UtcTime now) = 0;

    virtual std::int64_t insert_action_item(const ActionItem& item) = 0;
    virtual void set_action_item_done(std::int64_t id, std::optional<core::UtcTime> done_at) = 0;
    virtual std::vector<ActionItem> action_items(std::int64_t incident_id) = 0;
    virtual std::int64_t insert_comment(const DebriefComment& comment) = 0;
    virtual std::vector<DebriefComment> comments(std::int64_t incident_id) = 0;

    // Open tickets created since `since` that are not linked to this incident, for suggestions: from one of
    // `organization_ids`, or whose subject or first message contains one of `words` (case-insensitive).
    virtual std::vector<LinkedTicket> candidate_tickets(std::int64_t incident_id,
                                                        const std::vector<std::int64_t>& organization_ids,
                                                        const std::vector<std::string>& words, core::UtcTime since,
                                                        int limit) = 0;
};

}  // namespace lifeline::incident
