// Storage interface for users, API tokens and sessions. Only hashes of secrets are stored.
#pragma once

#include "auth/user.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::auth {

class AuthStore {
public:
    virtual ~AuthStore() = default;
    // Inserts a validated user. Errors: Conflict when the email is taken.
    virtual core::Result<UserId> insert_user(const User& user, core::UtcTime now) = 0;
    virtual std::optional<User> find_user(UserId id) = 0;
    virtual std::optional<User> find_user_by_email(std::string_view email) = 0;
    virtual std::vector<User> list_staff() = 0;
    virtual void set_password_hash(UserId id, std::string_view hash) = 0;

    virtual void insert_api_token(UserId user, std::string_view token_hash, std::string_view label, core::UtcTime now) = 0;
    // The user owning the token with this hash.
    virtual std::optional<User> find_user_by_token_hash(std::string_view token_hash) = 0;

    virtual void insert_session(UserId user, std::string_view token_hash, std::string_view csrf_token,
                                core::UtcTime now, core::UtcTime expires_at) = 0;
    // A live session (expires_at after now) with this token hash, and its user.
    virtual std::optional<std::pair<Session, User>> find_session(std::string_view token_hash, core::UtcTime now) = 0;
    virtual void delete_session(std::string_view token_hash) = 0;
};

}  // namespace lifeline::auth
