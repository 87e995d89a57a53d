// Building responses. The one error → HTTP status map lives here, and problem+json bodies
// (RFC 9457) are made only by problem().
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <string_view>

namespace lifeline::http {

// The HTTP status for an error code.
beast_http::status status_for(core::ErrorCode code);

// application/problem+json with type, title, status, detail and the field errors as "errors".
Response problem(const Context& ctx, const core::Error& error);
Response problem(const Context& ctx, beast_http::status status, std::string_view detail);

Response json(const Context& ctx, beast_http::status status, const boost::json::value& body);
Response html(const Context& ctx, beast_http::status status, std::string body);
Response text(const Context& ctx, beast_http::status status, std::string body, std::string_view content_type);
// 303 See Other to `location` (after a form post).
Response redirect(const Context& ctx, std::string_view location);

// A file someone mailed us, always as a download and never rendered in our origin: application/octet-stream,
// Content-Disposition: attachment with a sanitised ASCII name (and the UTF-8 name as filename*), a sandboxing CSP.
Response attachment_download(const Context& ctx, std::string_view filename, std::string bytes);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string escape_html(std::string_view s);

}  // namespace lifeline::http
