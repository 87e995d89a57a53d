// People who sign in: the firm's admins and agents, and customers' contacts.
#pragma once

#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/result.hpp"
#include "org/organization.hpp"

#include <optional>
#include <string>

namespace lifeline::auth {

struct UserTag;
using UserId = core::Id<UserTag>;

enum class Role { Admin, Agent, Contact };

std::string_view to_string(Role role);
core::Result<Role> parse_role(std::string_view text);

struct User {
    UserId id;
    std::string email;   // unique, lower-case
    std::string name;
    Role role = Role::Contact;
    org::OrganizationId organization_id;   // contacts only; zero for staff and for unaffiliated contacts
    std::string phone;                     // for emergencies, shown to customers for staff
    std::string password_hash;             // argon2id string; empty: cannot sign in with a password

    bool is_staff() const { return role != Role::Contact; }

    // Trims, lower-cases the email, checks name and email. Errors: InvalidArgument.
    core::Result<User> validated() const;
};

// Who is acting on a request, resolved by authentication. Permission checks read this.
struct Actor {
    UserId user_id;
    Role role = Role::Contact;
    org::OrganizationId organization_id;
    std::string name;
    std::string email;

    bool is_staff() const { return role != Role::Contact; }
    bool is_admin() const { return role == Role::Admin; }
};

// The tenancy a query runs under: staff see every organization; a contact sees only their own
// organization's rows, or only their own tickets when they belong to none. Stores take this as a
// mandatory argument and add the matching WHERE clause themselves.
struct Scope {
    bool all = false;
    org::OrganizationId organization_id;
    UserId requester_id;

    static Scope everything() { return Scope{true, {}, {}}; }
    static Scope of(const Actor& actor)
    {
        if (actor.is_staff()) return everything();
        return Scope{false, actor.organization_id, actor.user_id};
    }
};

// A signed-in browser session. Only the hash of its token is stored.
struct Session {
    std::int64_t id = 0;
    UserId user_id;
    std::string csrf_token;
    core::UtcTime expires_at;
};

}  // namespace lifeline::auth
