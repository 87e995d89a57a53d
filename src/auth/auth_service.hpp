// Authentication use-cases: API tokens, password sign-in and browser sessions.
#pragma once

#include "auth/user.hpp"
#include "core/clock.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace lifeline::auth {

struct SignedIn {
    std::string session_token;  // goes in the cookie; only its hash is stored
    std::string csrf_token;
    Actor actor;
};

struct SessionState {
    Actor actor;
    std::string csrf_token;
};

Actor actor_of(const User& user);

class AuthService {
public:
    // `hashing` runs argon2id work so that it never blocks an I/O thread.
    AuthService(storage::Database& db, const core::Clock& clock, boost::asio::thread_pool& hashing)
        : db_(db), clock_(clock), hashing_(hashing)
    {
    }

    // The actor owning a bearer token. Errors: Unauthenticated, Unavailable.
    core::Result<Actor> authenticate_token(std::string_view token);

    // Checks the password (on the hashing pool) and opens a session.
    // Errors: Unauthenticated with one message for any wrong email or password, Unavailable.
    boost::asio::awaitable<core::Result<SignedIn>> sign_in(std::string email, std::string password);

    // The live session for a cookie token. Errors: Unauthenticated when unknown or expired.
    core::Result<SessionState> session(std::string_view session_token);

    boost::asio::awaitable<core::Status> sign_out(std::string session_token);

    // Creates a person. Admins create anyone; agents create contacts only. The contact's organization is
    // given by slug in `organization_slug`. The password (optional) is hashed on the hashing pool.
    // Errors: PermissionDenied, InvalidArgument, Conflict (email taken), Unavailable.
    boost::asio::awaitable<core::Result<User>> create_user(const Actor& actor, User user, std::string organization_slug,
                                                           std::string password);

    // The firm's admins and agents, by name. Staff only. Errors: PermissionDenied, Unavailable.
    core::Result<std::vector<User>> staff(const Actor& actor);

    // Blocking variants for the CLI and demo seeding; never call on an I/O thread.
    // Creates a user with an optional password (empty: no password sign-in). Errors: InvalidArgument, Conflict.
    core::Result<UserId> create_user_blocking(User user, std::string_view password);
    // Issues an API token for the user with this email and returns it (shown once). Errors: NotFound.
    core::Result<std::string> create_token_blocking(std::string_view email, std::string_view label);
    // True when at least one admin exists.
    core::Result<bool> has_admin();

private:
    storage::Database& db_;
    const core::Clock& clock_;
    boost::asio::thread_pool& hashing_;
};

}  // namespace lifeline::auth
