#include "http/response.hpp"

#include "core/text.hpp"

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
        for (const auto& f : error.fields())
            errors.push_back({{"field", f.field}, {"message", f.message}});
        body["errors"] = std::move(errors);
    }
    auto res = base(ctx, status, boost::json::serialize(body), "application/problem+json");
    if (status == beast_http::status::unauthorized)
        res.set(beast_http::field::www_authenticate, "Bearer realm=\"lifeline\"");
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
    res.set("Content-Security-Policy",
            "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
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

namespace {

// Content-Disposition that always downloads: printable ASCII in `filename` (quotes, slashes, backslashes, '%',
// control and non-ASCII characters become '_', no leading dot), and the UTF-8 name in `filename*` (RFC 5987).
std::string attachment_disposition(std::string_view filename)
{
    std::string ascii;
    std::string utf8;
    bool plain = true;
    for (unsigned char c : filename.substr(0, 200)) {
        bool unsafe = c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '/' || c == '%';
        if (c >= 0x80) plain = false;
        ascii += unsafe || c >= 0x80 ? '_' : static_cast<char>(c);
        utf8 += unsafe ? '_' : static_cast<char>(c);
    }
    if (ascii.empty()) ascii = "attachment";
    if (ascii[0] == '.') ascii[0] = '_';
    std::string out = "attachment; filename=\"" + ascii + "\"";
    if (!plain && core::is_valid_utf8(utf8)) {
        if (utf8[0] == '.') utf8[0] = '_';
        static constexpr char kHex[] = "0123456789ABCDEF";
        std::string encoded;
        for (unsigned char c : utf8) {
            bool attr_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
            if (attr_char) {
                encoded += static_cast<char>(c);
            } else {
                encoded += '%';
                encoded += kHex[c >> 4];
                encoded += kHex[c & 15];
            }
        }
        out += "; filename*=UTF-8''" + encoded;
    }
    return out;
}

}  // namespace

Response attachment_download(const Context& ctx, std::string_view filename, std::string bytes)
{
    auto res = base(ctx, beast_http::status::ok, std::move(bytes), "application/octet-stream");
    res.set(beast_http::field::content_disposition, attachment_disposition(filename));
    res.set("Content-Security-Policy", "default-src 'none'; sandbox");
    res.set(beast_http::field::cache_control, "private, no-store");
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
