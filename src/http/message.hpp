// The request/response types of the HTTP edge and the context a handler receives.
#pragma once

#include "auth/user.hpp"
#include "http/body.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lifeline::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
// Owns its body, or shares a cached document's immutable bytes (http/body.hpp).
using Response = beast_http::response<Body>;

// What a handler knows about its request: the parsed target, route parameters, the peer, and
// (after authentication) the actor and session.
struct Context {
    const Request& request;
    std::string path;                                        // decoded path
    std::vector<std::pair<std::string, std::string>> query;  // decoded query parameters, in order
    std::unordered_map<std::string, std::string> params;     // from {name} segments of the route
    std::string client_address;
    std::string request_id;

    std::optional<auth::Actor> actor;  // set by the authentication helpers
    std::string csrf_token;            // of the browser session, when signed in by cookie

    // The first value of query parameter `name`, if present.
    std::optional<std::string> query_value(std::string_view name) const;
    // A request header, empty when absent.
    std::string header(std::string_view name) const;
    // The value of cookie `name`, empty when absent.
    std::string cookie(std::string_view name) const;
};

// The {name} path parameter as a positive integer; nullopt when absent or not one.
std::optional<std::int64_t> int_param(const Context& ctx, std::string_view name);
// The {name} path parameter as an index: an integer from 0; nullopt when absent or not one.
std::optional<std::size_t> index_param(const Context& ctx, std::string_view name);

using Handler = std::function<boost::asio::awaitable<Response>(Context&)>;

class EventStream;
// A route that may take over its connection for server-sent events (http/event_stream.hpp). It returns a Response
// to answer normally instead (an error, a redirect; nothing was streamed), or nullopt once it has streamed; the
// server then logs the stream and closes the connection.
using StreamHandler = std::function<boost::asio::awaitable<std::optional<Response>>(Context&, EventStream&)>;

}  // namespace lifeline::http
