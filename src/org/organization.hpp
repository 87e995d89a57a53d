// Organizations: the support firm's customers, each with a support plan and a primary responder.
#pragma once

#include "core/id.hpp"
#include "core/result.hpp"
#include "plan/plan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lifeline::auth {
struct UserTag;
}

namespace lifeline::org {

struct OrganizationTag;
using OrganizationId = core::Id<OrganizationTag>;
using UserId = core::Id<auth::UserTag>;

struct Organization {
    OrganizationId id;
    std::string name;                        // "Harbour Bakery"
    std::string slug;                        // "harbour-bakery", unique, used in URLs and the API
    std::vector<std::string> email_domains;  // senders at these domains belong here
    plan::PlanId plan_id;                    // zero: no plan (the desk's default plan applies)
    UserId primary_agent_id;                 // zero: whoever is on duty for the desk

    // Trims; derives the slug from the name when empty; lower-cases domains.
    // Errors: InvalidArgument for an empty or over-long name, a bad slug or domain.
    core::Result<Organization> validated() const;
};

// "Harbour Bakery & Café" → "harbour-bakery-caf"; ASCII letters, digits and single dashes.
std::string slugify(std::string_view name);

// Joins and splits the comma-separated storage form of email domains.
std::string join_domains(const std::vector<std::string>& domains);
std::vector<std::string> split_domains(std::string_view text);

}  // namespace lifeline::org
