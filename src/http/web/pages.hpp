// Shared pieces of the page handlers: sign-in guards, ticket references, CSRF on forms, and
// turning service errors into sentences shown next to a form. Internal to src/http/web.
#pragma once

#include "http/message.hpp"
#include "http/services.hpp"
#include "http/web/form.hpp"
#include "ticket/ticket.hpp"

#include <string>
#include <string_view>

namespace lifeline::http {
class Router;
}

namespace lifeline::http::web {

enum class Audience { Staff, Anyone };

// Wraps a page handler that needs a signed-in browser session. Without one, GETs go to
// /login?next=<this page> (with expired=1 when a stale cookie came along, which is also cleared);
// htmx requests get HX-Redirect instead so the whole window navigates. Audience::Staff answers
// contacts with 404, exactly as for a page that does not exist.
Handler signed_in(Services& services, Audience audience, Handler inner);

// The ticket named by the {ref} route parameter ("LL-1042"). Errors: NotFound.
core::Result<ticket::TicketId> ticket_param(const Context& ctx);

// Checks the hidden `csrf` field of a posted form. Errors: PermissionDenied.
core::Status check_form_csrf(const Context& ctx, const Form& form);

// The message for one field of an InvalidArgument error, capitalised ("Is required" → "Subject is required"
// when `label` is "Subject"); empty when that field has no error.
std::string field_error(const core::Error& error, std::string_view field, std::string_view label);

// Refuses cross-site posts of forms that have no session to carry a CSRF token (sign-in, the public
// support form): a browser sends Origin on a form POST, and it must name this host (or the host a
// reverse proxy forwarded). No Origin at all: not a browser, allowed.
bool same_origin(const Context& ctx);

// Percent-encodes a query component (everything but unreserved characters).
std::string encode_component(std::string_view s);

void add_session_routes(Router& router, Services& services);
void add_console_routes(Router& router, Services& services);
void add_portal_routes(Router& router, Services& services);
void add_support_routes(Router& router, Services& services);

}  // namespace lifeline::http::web
