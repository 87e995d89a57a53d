// Authentication at the edge: resolves the actor of a request and checks CSRF tokens.
#pragma once

#include "auth/auth_service.hpp"
#include "http/message.hpp"

namespace lifeline::http {

inline constexpr std::string_view kSessionCookie = "ll_session";

// API requests: a Bearer token, or a browser session cookie (then unsafe methods must carry the
// session's CSRF token in X-CSRF-Token). Sets ctx.actor. Errors: Unauthenticated, PermissionDenied.
core::Status authenticate_api(Context& ctx, auth::AuthService& auth);

// Pages: the session cookie. Sets ctx.actor and ctx.csrf_token. Errors: Unauthenticated.
core::Status authenticate_page(Context& ctx, auth::AuthService& auth);

// Compares a submitted CSRF token with the session's. Errors: PermissionDenied.
core::Status check_csrf(const Context& ctx, std::string_view submitted);

// Set-Cookie values for a new session and for signing out.
std::string session_cookie(std::string_view token);
std::string cleared_session_cookie();

}  // namespace lifeline::http
