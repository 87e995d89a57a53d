#include "http/api/api_common.hpp"

#include "core/text.hpp"
#include "http/guard.hpp"
#include "http/response.hpp"

#include <boost/json/parse.hpp>

namespace lifeline::http::api {

js::value user_ref(auth::UserId id, const std::string& name, const std::string& email)
{
    if (!id) return nullptr;
    js::object o{{"id", id.value}, {"name", name}};
    if (!email.empty()) o["email"] = email;
    return o;
}

js::value time_or_null(const std::optional<core::UtcTime>& t)
{
    if (!t) return nullptr;
    return js::value(core::format_rfc3339(*t));
}

std::optional<core::UtcTime> time_field(const js::object& o, std::string_view key,
                                        std::vector<core::FieldError>& errors)
{
    auto text = string_field(o, key, errors);
    if (text.empty()) return std::nullopt;
    auto t = core::parse_rfc3339(text);
    if (!t) errors.push_back({std::string(key), "is an RFC 3339 time, like 2026-11-23T19:00:00Z"});
    return t;
}

// Parses the request body as a JSON object. Errors: InvalidArgument with a clear detail.
core::Result<js::object> parse_object(const Context& ctx)
{
    auto content_type = ctx.header("Content-Type");
    if (content_type.find("application/json") == std::string::npos)
        return core::Error::invalid("send the body as application/json",
                                    {{"Content-Type", "must be application/json"}});
    boost::system::error_code ec;
    auto value = js::parse(ctx.request.body(), ec);
    if (ec) return core::Error::invalid("the body is not valid JSON: " + ec.message());
    if (!value.is_object()) return core::Error::invalid("the body must be a JSON object");
    return std::move(value.as_object());
}

// Reads an optional string field, recording a type error when it is present and not a string.
std::string string_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors,
                         std::string_view path)
{
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return {};
    if (!it->value().is_string()) {
        errors.push_back({std::string(path) + std::string(key), "must be a string"});
        return {};
    }
    return std::string(it->value().as_string());
}

std::int64_t integer_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors,
                           std::string_view path)
{
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return 0;
    if (!it->value().is_int64()) {
        errors.push_back({std::string(path) + std::string(key), "must be an integer"});
        return 0;
    }
    return it->value().as_int64();
}

bool bool_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors)
{
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return false;
    if (!it->value().is_bool()) {
        errors.push_back({std::string(key), "must be true or false"});
        return false;
    }
    return it->value().as_bool();
}

std::vector<std::string> strings_field(const js::object& o, std::string_view key, std::vector<core::FieldError>& errors)
{
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return out;
    if (!it->value().is_array()) {
        errors.push_back({std::string(key), "must be an array of strings"});
        return out;
    }
    for (const auto& v : it->value().as_array()) {
        if (!v.is_string()) {
            errors.push_back({std::string(key), "must be an array of strings"});
            return {};
        }
        out.emplace_back(v.as_string());
    }
    return out;
}

// Wraps a handler that needs an authenticated API actor.
Handler authenticated(Services& s, std::function<boost::asio::awaitable<Response>(Context&)> inner)
{
    return [&s, inner = std::move(inner)](Context& ctx) -> boost::asio::awaitable<Response> {
        if (auto ok = authenticate_api(ctx, s.auth); !ok) co_return problem(ctx, ok.error());
        co_return co_await inner(ctx);
    };
}

core::Result<ticket::TicketId> ticket_id_param(const Context& ctx)
{
    const auto& raw = ctx.params.at("ref");
    if (auto id = ticket::parse_ref(raw)) return *id;
    if (auto n = core::parse_integer(raw); n && *n > 0) return ticket::TicketId{*n};
    return core::Error::not_found("no ticket " + raw);
}

}  // namespace lifeline::http::api
