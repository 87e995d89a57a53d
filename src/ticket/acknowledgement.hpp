// The acknowledgement a requester gets the moment their ticket exists: the reference, who is on it,
// and by when a human answers under their plan. The text comes from an editable template.
#pragma once

#include "auth/user.hpp"
#include "plan/plan.hpp"
#include "ticket/ticket.hpp"

#include <optional>
#include <string>

namespace lifeline::ticket {

struct Responder {
    std::string name;  // empty: the on-duty team, no named person yet
    std::string email;
    std::string phone;  // only when the plan includes emergency coverage
};

struct Acknowledgement {
    std::string text;
    Responder responder;
    core::UtcTime respond_by;
    plan::Coverage coverage = plan::Coverage::BusinessHours;
    bool starts_after_hours = false;
};

// The template used when the desk has not edited it. ctemplate syntax, plain text (no escaping:
// the text is escaped wherever it is shown).
std::string_view default_acknowledgement_template();

// Checks that `body` is a template that expands. Errors: InvalidArgument naming the problem.
core::Status check_acknowledgement_template(std::string_view body);

// Expands the template for a new ticket. A template that fails to expand falls back to the default.
std::string render_acknowledgement(std::string_view template_body, const Ticket& ticket,
                                   const std::string& requester_name, const plan::SupportPlan& plan,
                                   const plan::Deadline& deadline, const Responder& responder);

// "2 hours", "45 minutes", "1 day 3 hours": a duration for people.
std::string describe_duration(std::chrono::minutes d);

// The plan applied when an organization has none: weekdays 09:00-17:00 UTC, no emergency coverage.
const plan::SupportPlan& fallback_plan();

}  // namespace lifeline::ticket
