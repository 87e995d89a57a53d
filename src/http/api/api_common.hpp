// Shared pieces of the JSON API handlers: body parsing with field-level type errors, the
// authentication wrapper, and the JSON shapes of shared values.
#pragma once

#include "http/message.hpp"
#include "http/services.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::http::api {

namespace js = boost::json;

// {"id", "name", "email"?} or null for a zero id.
js::value user_ref(auth::UserId id, const std::string& name, const std::string& email = {});
js::value time_or_null(const std::optional<core::UtcTime>& t);

// Parses the request body as a JSON object. Errors: InvalidArgument with a clear detail.
core::Result<js::object> parse_object(const Context& ctx);

// Reads an optional string field, recording a type error when it is present and not a string.
std::string string_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors,
                         std::string_view path = {});
// Reads an optional integer field (0 when absent), recording a type error otherwise.
std::int64_t integer_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors,
                           std::string_view path = {});
// Reads an optional boolean field (false when absent), recording a type error otherwise.
bool bool_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors);
// Reads an optional RFC 3339 time (nullopt when absent or empty), recording an error when it is not one.
std::optional<core::UtcTime> time_field(const js::object& o, std::string_view key,
                                        std::vector<core::FieldError>& errors);
// Reads an optional array of strings, recording a type error otherwise.
std::vector<std::string> strings_field(const js::object& o, std::string_view key,
                                       std::vector<core::FieldError>& errors);

// Wraps a handler that needs an authenticated API actor (bearer token, or session cookie with CSRF header).
Handler authenticated(Services& s, std::function<boost::asio::awaitable<Response>(Context&)> inner);

void add_ticket_routes(Router& router, Services& s);
void add_directory_routes(Router& router, Services& s);
void add_mail_routes(Router& router, Services& s);
void add_alert_routes(Router& router, Services& s);
void add_schedule_routes(Router& router, Services& s);
void add_monitor_routes(Router& router, Services& s);

// An escalation's JSON shape, for the alert list and the escalation routes.
js::value escalation_summary(const escalation::Escalation& e);
void add_escalation_routes(Router& router, Services& s);
void add_incident_routes(Router& router, Services& s);
void add_status_routes(Router& router, Services& s);
// The component transitions of an update: [{"id", "name", "old_status", "new_status"}].
js::array affected_components_json(const std::vector<lifeline::status::AffectedComponent>& affected);
// Scheduled maintenance under /api/v1/status/maintenances; registered by add_status_routes.
void add_maintenance_routes(Router& router, Services& s);
// The status page's subscribers and their delivery progress (admins).
void add_subscriber_routes(Router& router, Services& s);

// A ticket reference ("LL-1042") or numeric id from the {ref} path parameter. Errors: NotFound.
core::Result<ticket::TicketId> ticket_id_param(const Context& ctx);

}  // namespace lifeline::http::api
