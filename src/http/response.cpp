#include "http/response.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace lifeline::http {

namespace {

Response base(const Context& ctx, beast_http::status status, std::string body, std::string_view content_type)
{
    Response res{status, ctx.request.version()};
    res.set(beast_http::field::server, "lifeline");
    res.set(beast_http::field::content_type, content_type);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Request-Id", ctx.request_id);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

}  // namespace

beast_http::status status_for(core::ErrorCode code)
{
    switch (code) {
    case core::ErrorCode::InvalidArgument: return beast_http::status::bad_request;
    case core::ErrorCode::NotFound: return beast_http::status::not_found;
    case core::ErrorCode::PermissionDenied: return beast_http::status::forbidden;
    case core::ErrorCode::Unauthenticated: return beast_http::status::unauthorized;
    case core::ErrorCode::Conflict: return beast_http::status::conflict;
    case core::ErrorCode::LimitExceeded: return beast_http::status::too_many_requests;
    case core::ErrorCode::Unavailable: return beast_http::status::service_unavailable;
    case core::ErrorCode::Internal: return beast_http::status::internal_server_error;
    }
    return beast_http::status::internal_server_error;
}

Response problem(const Context& ctx, const core::Error& error)
{
    auto status = status_for(error.code());
    boost::json::object body;
    body["type"] = std::string("https://lifeline.example/problems/") + core::to_string(error.code());
    body["title"] = std::string(beast_http::obsolete_reason(status));
    body["status"] = static_cast<int>(status);
    body["detail"] = error.message();
    body["instance"] = std::string(ctx.request.target());
    if (!error.fields().empty()) {
        boost::json::array errors;
        for (const auto& f : error.fields()) errors.push_back({{"field", f.field}, {"message", f.message}});
        body["errors"] = std::move(errors);
    }
    auto res = base(ctx, status, boost::json::serialize(body), "application/problem+json");
    if (status == beast_http::status::unauthorized) res.set(beast_http::field::www_authenticate, "Bearer realm=\"lifeline\"");
    if (status == beast_http::status::service_unavailable) res.set(beast_http::field::retry_after, "5");
    return res;
}

Response problem(const Context& ctx, beast_http::status status, std::string_view detail)
{
    boost::json::object body;
    body["type"] = "about:blank";
    body["title"] = std::string(beast_http::obsolete_reason(status));
    body["status"] = static_cast<int>(status);
    body["detail"] = std::string(detail);
    body["instance"] = std::string(ctx.request.target());
    return base(ctx, status, boost::json::serialize(body), "application/problem+json");
}

Response json(const Context& ctx, beast_http::status status, const boost::json::value& body)
{
    return base(ctx, status, boost::json::serialize(body), "application/json");
}

Response html(const Context& ctx, beast_http::status status, std::string body)
{
    auto res = base(ctx, status, std::move(body), "text/html; charset=utf-8");
    res.set(beast_http::field::cache_control, "no-store");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "same-origin");
    res.set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    return res;
}

Response text(const Context& ctx, beast_http::status status, std::string body, std::string_view content_type)
{
    return base(ctx, status, std::move(body), content_type);
}

Response redirect(const Context& ctx, std::string_view location)
{
    auto res = base(ctx, beast_http::status::see_other, "", "text/plain");
    res.set(beast_http::field::location, location);
    return res;
}

std::string escape_html(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace lifeline::http
