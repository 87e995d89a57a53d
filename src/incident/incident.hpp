// Incident command: an incident with its assessed impact and the severity proposed from it, one commander, a
// technical log and business briefings (each briefing commits to the next update and says why then), timeboxed
// diagnostic steps, and the debrief. Pure values and policy; no I/O.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::incident {

enum class Status { Investigating, Identified, Monitoring, Resolved };
std::string_view to_string(Status status);
std::optional<Status> parse_status(std::string_view text);
std::string_view status_words(Status status);  // "Investigating", "Fix in progress"… for customers

enum class Severity { Sev1 = 1, Sev2 = 2, Sev3 = 3, Sev4 = 4 };
std::string_view to_string(Severity severity);  // "SEV1"
std::optional<Severity> parse_severity(std::string_view text);

// What the business cannot do, from worst to least.
enum class BusinessImpact { Down, Degraded, Minor, Cosmetic };
std::string_view to_string(BusinessImpact impact);  // "down", "degraded", "minor", "cosmetic"
std::optional<BusinessImpact> parse_business_impact(std::string_view text);

struct Impact {
    std::vector<std::int64_t> organization_ids;
    std::int64_t users = 0;        // affected users, counted or estimated
    bool users_estimated = false;  // true: an estimate
    std::vector<std::string> components;
    BusinessImpact business = BusinessImpact::Degraded;
    std::string description;  // in the customer's words: "cannot take orders"
};

// The severity an impact calls for, with the reason people see: "3 organizations, cannot take orders (down) → SEV1".
struct Proposal {
    Severity severity = Severity::Sev3;
    std::string reason;
};
Proposal propose_severity(const Impact& impact);

// Checks the text fields of an impact. Errors: InvalidArgument with fields "impact.users", "impact.components",
// "impact.description".
core::Status check_impact(const Impact& impact);

inline constexpr std::chrono::minutes kFirstUpdateWithin{30};  // after declaring, until the first briefing
inline constexpr std::chrono::minutes kEscalateAfter{10};      // a missed update: remind, then page after this
inline constexpr std::chrono::hours kMaxUpdateInterval{24};
inline constexpr std::chrono::hours kMaxStepDeadline{24};

struct Incident {
    std::int64_t id = 0;
    std::string title;
    Status status = Status::Investigating;
    Severity severity = Severity::Sev3;
    std::string severity_reason;
    Severity proposed_severity = Severity::Sev3;
    std::string severity_override_reason;  // set when people chose another severity than proposed
    Impact impact;
    std::vector<std::string> keywords;
    std::int64_t commander_id = 0;
    std::string commander_name, commander_phone, commander_email;
    std::int64_t communications_lead_id = 0;
    std::string communications_lead_name;
    std::int64_t technical_lead_id = 0;
    std::string technical_lead_name;
    std::optional<core::UtcTime> next_update_at;
    std::string next_update_reason;
    std::optional<core::UtcTime> reminded_at;
    std::optional<core::UtcTime> escalated_at;
    std::int64_t declared_by = 0;
    core::UtcTime declared_at{};
    std::optional<core::UtcTime> acknowledged_at, identified_at, mitigated_at, resolved_at;
    core::UtcTime updated_at{};

    bool open() const { return status != Status::Resolved; }
};

enum class Channel { Technical, Business, System };
std::string_view to_string(Channel channel);
std::optional<Channel> parse_channel(std::string_view text);

struct Update {
    std::int64_t id = 0;
    std::int64_t incident_id = 0;
    Channel channel = Channel::Technical;
    std::string kind;  // "note", "briefing", "still_working", "status", "handover", "step", "link", "severity", …
    std::int64_t author_id = 0;
    std::string author_name;
    std::string body;
    std::optional<core::UtcTime> next_update_at;
    std::string next_update_reason;
    Status status = Status::Investigating;
    core::UtcTime at{};
};

// A business briefing must say when the next one comes and why, in the future and within kMaxUpdateInterval,
// unless it resolves the incident. Errors: InvalidArgument with fields "body", "next_update_at",
// "next_update_reason".
core::Status check_update(const Update& update, bool resolving, core::UtcTime now);

enum class StepState { Open, Confirmed, RuledOut };
std::string_view to_string(StepState state);  // "open", "confirmed", "ruled_out"

// A hypothesis or diagnostic step with an owner and a written deadline.
struct Step {
    std::int64_t id = 0;
    std::int64_t incident_id = 0;
    std::string title;
    std::int64_t owner_id = 0;
    std::string owner_name;
    core::UtcTime deadline_at{};
    StepState state = StepState::Open;
    std::string outcome;
    int extensions = 0;
    std::optional<core::UtcTime> overdue_alerted_at;
    core::UtcTime created_at{};
    std::optional<core::UtcTime> closed_at;
};

struct ActionItem {
    std::int64_t id = 0;
    std::int64_t incident_id = 0;
    std::string title;
    std::int64_t owner_id = 0;
    std::string owner_name;
    core::UtcTime due_at{};
    std::optional<core::UtcTime> done_at;
    core::UtcTime created_at{};
};

struct DebriefComment {
    std::int64_t id = 0;
    std::int64_t incident_id = 0;
    std::int64_t author_id = 0;
    std::string author_name;
    std::string organization_name;
    std::string body;
    core::UtcTime at{};
};

struct LinkedTicket {
    std::int64_t ticket_id = 0;
    std::string ref;
    std::string subject;
    std::string organization_name;
    std::string requester_email;
    core::UtcTime linked_at{};
};

struct LinkedAlert {
    std::int64_t alert_id = 0;
    std::string summary;
    std::string service_name;
    std::string status;
};

// Durations an incident's timestamps give: time to acknowledge (first update), to mitigate (monitoring), to resolve.
struct Durations {
    std::optional<std::chrono::milliseconds> acknowledge, mitigate, resolve;
};
Durations durations(const Incident& incident);

// The text a linked ticket's requester receives: what is known, who leads, when the next update comes.
std::string known_issue_answer(const Incident& incident);
// What linked requesters receive for a business briefing, and when the incident is resolved.
std::string briefing_for_customers(const Incident& incident, const Update& update);
std::string resolution_notice(const Incident& incident, const Update& update);

// Everything the debrief is drafted from.
struct Record {
    Incident incident;
    std::vector<Update> updates;
    std::vector<Step> steps;
    std::vector<ActionItem> action_items;
    std::vector<LinkedTicket> tickets;
    std::vector<LinkedAlert> alerts;
    std::vector<DebriefComment> comments;
    std::vector<std::string> organization_names;
};

// The debrief as Markdown: what happened, impact, timeline, diagnosis, what went well, what did not, action items,
// customers' views. Drafted from the record; sections people write start with a prompt.
std::string debrief_markdown(const Record& record);

// "2026-11-23 18:45 UTC".
std::string format_time(core::UtcTime t);

}  // namespace lifeline::incident
