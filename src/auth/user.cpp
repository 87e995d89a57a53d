#include "auth/user.hpp"

#include "core/text.hpp"

namespace lifeline::auth {

std::string_view to_string(Role role)
{
    switch (role) {
    case Role::Admin: return "admin";
    case Role::Agent: return "agent";
    case Role::Contact: return "contact";
    }
    return "contact";
}

core::Result<Role> parse_role(std::string_view text)
{
    if (text == "admin") return Role::Admin;
    if (text == "agent") return Role::Agent;
    if (text == "contact") return Role::Contact;
    return core::Error::invalid("unknown role '" + std::string(text) + "'", {{"role", "must be admin, agent or contact"}});
}

core::Result<User> User::validated() const
{
    User u = *this;
    std::vector<core::FieldError> errors;
    u.email = core::ascii_lower(core::trim(email));
    u.name = core::trim(name);
    u.phone = core::trim(phone);
    if (!core::looks_like_email(u.email)) errors.push_back({"email", "is not a valid email address"});
    if (!core::is_valid_utf8(u.name)) errors.push_back({"name", "must be valid UTF-8"});
    if (u.name.size() > 200) errors.push_back({"name", "must be at most 200 characters"});
    if (u.name.empty()) u.name = u.email.substr(0, u.email.find('@'));
    if (u.is_staff() && u.organization_id) errors.push_back({"organization", "staff do not belong to a customer"});
    if (!errors.empty()) return core::Error::invalid("the user is not valid", std::move(errors));
    return u;
}

}  // namespace lifeline::auth
