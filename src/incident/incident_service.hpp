// Incident use-cases. Staff declare and run incidents; the commander is accountable and named to customers; every
// business briefing reaches each linked ticket's requester on their ticket (and by email when mail is on); a
// missed next update reminds the commander, then pages through the escalation policy; customers see only the public
// parts of incidents that touch their own tickets or organization.
#pragma once

#include "auth/user.hpp"
#include "escalation/escalator.hpp"
#include "incident/incident.hpp"
#include "storage/database.hpp"
#include "ticket/ticket_service.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <vector>

namespace lifeline::incident {

struct DeclareInput {
    std::string title;
    std::vector<std::int64_t> ticket_ids;
    std::vector<std::int64_t> alert_ids;
    Impact impact;
    std::vector<std::string> organization_slugs;  // added to impact.organization_ids
    std::optional<Severity> severity;             // overrides the proposal; needs a justification
    std::string severity_justification;
    std::vector<std::string> keywords;
};

struct UpdateInput {
    Channel channel = Channel::Technical;
    std::string body;
    std::optional<core::UtcTime> next_update_at;
    std::string next_update_reason;
};

struct StepInput {
    std::string title;
    std::int64_t owner_id = 0;
    std::optional<core::UtcTime> deadline_at;
};

// What a step's owner records at (or before) its deadline.
struct StepOutcome {
    std::string outcome;  // "confirmed", "ruled_out" or "extend"
    std::string note;     // what was found; the reason for an extension
    std::optional<core::UtcTime> new_deadline;
};

// The public parts of an incident, for customers.
struct PublicView {
    Incident incident;
    std::vector<Update> briefings;  // business channel only
};

struct SeverityMetrics {
    Severity severity = Severity::Sev3;
    int incidents = 0;
    std::optional<std::chrono::milliseconds> mean_acknowledge, mean_mitigate, mean_resolve;
};

class IncidentService {
public:
    // `changed` is called after each commit that changed an incident (live updates); may be empty.
    IncidentService(storage::Database& db, const core::Clock& clock, ticket::TicketService& tickets,
                    escalation::Escalator& escalator, std::function<void(std::int64_t incident_id)> changed = {})
        : db_(db), clock_(clock), tickets_(tickets), escalator_(escalator), changed_(std::move(changed))
    {
    }

    // Staff only; the declaring person is the first commander. Errors: PermissionDenied, InvalidArgument (title,
    // impact, unknown tickets/alerts/organizations, an override without justification), Unavailable.
    boost::asio::awaitable<core::Result<Incident>> declare(const auth::Actor& actor, DeclareInput input);
    core::Result<std::vector<Incident>> list(const auth::Actor& actor, bool open_only);
    // Everything about one incident. Staff only. Errors: PermissionDenied, NotFound.
    core::Result<Record> get(const auth::Actor& actor, std::int64_t id);
    // Customers: incidents linked to their tickets or affecting their organization, public parts only.
    core::Result<std::vector<PublicView>> public_incidents(const auth::Actor& actor, bool open_only);
    core::Result<PublicView> public_view(const auth::Actor& actor, std::int64_t id);

    // A technical note or a business briefing (which needs the next-update time and why, unless resolved).
    // Briefings go to every linked requester. Errors: PermissionDenied, NotFound, InvalidArgument, Conflict (resolved).
    boost::asio::awaitable<core::Result<Update>> post_update(const auth::Actor& actor, std::int64_t id,
                                                             UpdateInput input);
    // The one-click "still working on it, no news" briefing, with the next update in 30 minutes.
    boost::asio::awaitable<core::Result<Update>> still_working(const auth::Actor& actor, std::int64_t id);
    // Records a new assessment; severity follows the proposal unless overridden with a justification.
    boost::asio::awaitable<core::Result<Incident>> assess(const auth::Actor& actor, std::int64_t id, Impact impact,
                                                          std::optional<Severity> severity, std::string justification);
    // The one way to change the commander: explicit and logged. Errors: also InvalidArgument (not staff).
    boost::asio::awaitable<core::Result<Incident>> handover(const auth::Actor& actor, std::int64_t id,
                                                            std::int64_t user_id, std::string note);
    // "communications" or "technical" lead (0 clears). "commander" is refused: hand over instead.
    boost::asio::awaitable<core::Result<Incident>> set_role(const auth::Actor& actor, std::int64_t id, std::string role,
                                                            std::int64_t user_id);
    // investigating → identified → monitoring → resolved (and resolved → investigating to reopen). Resolving sends
    // linked requesters the resolution notice with `note` and a follow-up question.
    boost::asio::awaitable<core::Result<Incident>> set_status(const auth::Actor& actor, std::int64_t id, Status status,
                                                              std::string note);
    // Links a ticket; its requester receives the known-issue answer on it. Errors: NotFound, Conflict (linked).
    boost::asio::awaitable<core::Result<LinkedTicket>> link_ticket(const auth::Actor& actor, std::int64_t id,
                                                                   std::int64_t ticket_id);
    boost::asio::awaitable<core::Status> link_alert(const auth::Actor& actor, std::int64_t id, std::int64_t alert_id);
    // Open tickets, not linked yet, from affected organizations or matching the keywords or components.
    core::Result<std::vector<LinkedTicket>> suggestions(const auth::Actor& actor, std::int64_t id);

    // Diagnostic steps: an owner and a written deadline (required, in the future, within 24 hours).
    boost::asio::awaitable<core::Result<Step>> add_step(const auth::Actor& actor, std::int64_t id, StepInput input);
    boost::asio::awaitable<core::Result<Step>> record_step(const auth::Actor& actor, std::int64_t id,
                                                           std::int64_t step_id, StepOutcome outcome);

    // The debrief: Markdown drafted from the record; action items; customers' comments (from the portal).
    core::Result<std::string> debrief(const auth::Actor& actor, std::int64_t id);
    boost::asio::awaitable<core::Result<ActionItem>> add_action_item(const auth::Actor& actor, std::int64_t id,
                                                                     std::string title, std::int64_t owner_id,
                                                                     std::optional<core::UtcTime> due_at);
    boost::asio::awaitable<core::Status> set_action_item_done(const auth::Actor& actor, std::int64_t id,
                                                              std::int64_t item_id, bool done);
    boost::asio::awaitable<core::Result<DebriefComment>> add_comment(const auth::Actor& actor, std::int64_t id,
                                                                     std::string body);

    // Means per severity over resolved and open incidents.
    core::Result<std::vector<SeverityMetrics>> metrics(const auth::Actor& actor);

    // The timer tick: reminds commanders of missed updates, pages when still missed kEscalateAfter later, and
    // alerts commanders of overdue diagnostic steps. Blocking: not on an I/O thread. Returns what it did.
    core::Result<int> run_due_blocking();

private:
    core::Result<Incident> load(storage::Transaction& tx, std::int64_t id);
    void log(storage::Transaction& tx, const Incident& i, Channel channel, std::string kind, std::int64_t author,
             std::string body, core::UtcTime now);
    // Posts `body` as a public reply from the commander on every linked ticket.
    void tell_requesters(storage::Transaction& tx, const Incident& i, const std::string& body, core::UtcTime now);
    void notify_changed(std::int64_t id);

    storage::Database& db_;
    const core::Clock& clock_;
    ticket::TicketService& tickets_;
    escalation::Escalator& escalator_;
    std::function<void(std::int64_t)> changed_;
};

}  // namespace lifeline::incident
