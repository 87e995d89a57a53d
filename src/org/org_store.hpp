// Storage interface for organizations. Implementations live in storage/<backend>/.
#pragma once

#include "org/organization.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::org {

class OrgStore {
public:
    virtual ~OrgStore() = default;
    // Inserts a validated organization. Errors: Conflict when the slug is taken.
    virtual core::Result<OrganizationId> insert(const Organization& org) = 0;
    virtual std::optional<Organization> find(OrganizationId id) = 0;
    virtual std::optional<Organization> find_by_slug(std::string_view slug) = 0;
    // The organization that lists this (lower-case) email domain, if any.
    virtual std::optional<Organization> find_by_email_domain(std::string_view domain) = 0;
    virtual std::vector<Organization> list() = 0;
};

}  // namespace lifeline::org
