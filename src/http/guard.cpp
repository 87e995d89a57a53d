#include "http/guard.hpp"

#include "auth/secrets.hpp"

namespace lifeline::http {

core::Status authenticate_api(Context& ctx, auth::AuthService& auth)
{
    auto authorization = ctx.header("Authorization");
    if (!authorization.empty()) {
        constexpr std::string_view kBearer = "Bearer ";
        if (authorization.size() <= kBearer.size() || authorization.compare(0, kBearer.size(), kBearer) != 0)
            return core::Error::unauthenticated("use 'Authorization: Bearer <token>'");
        auto actor = auth.authenticate_token(std::string_view(authorization).substr(kBearer.size()));
        if (!actor) return actor.error();
        ctx.actor = *actor;
        return core::Ok{};
    }
    auto cookie = ctx.cookie(kSessionCookie);
    if (cookie.empty()) return core::Error::unauthenticated("an API token is required (Authorization: Bearer <token>)");
    auto session = auth.session(cookie);
    if (!session) return session.error();
    ctx.actor = session->actor;
    ctx.csrf_token = session->csrf_token;
    auto method = ctx.request.method();
    if (method != beast_http::verb::get && method != beast_http::verb::head)
        return check_csrf(ctx, ctx.header("X-CSRF-Token"));
    return core::Ok{};
}

core::Status authenticate_page(Context& ctx, auth::AuthService& auth)
{
    auto session = auth.session(ctx.cookie(kSessionCookie));
    if (!session) return session.error();
    ctx.actor = session->actor;
    ctx.csrf_token = session->csrf_token;
    return core::Ok{};
}

core::Status check_csrf(const Context& ctx, std::string_view submitted)
{
    if (ctx.csrf_token.empty() || submitted.empty() || !auth::secrets_equal(ctx.csrf_token, submitted))
        return core::Error::denied("the form has expired or did not come from this site; reload the page and try again");
    return core::Ok{};
}

std::string session_cookie(std::string_view token)
{
    return std::string(kSessionCookie) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200";
}

std::string cleared_session_cookie() { return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"; }

}  // namespace lifeline::http
