// Route table: method + path pattern ("/api/v1/tickets/{id}") → handler.
#pragma once

#include "http/message.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lifeline::http {

struct Route {
    beast_http::verb method;
    std::string pattern;
    Handler handler;               // empty for a stream route
    std::uint64_t body_limit = 0;  // 0: the server's default limit
    StreamHandler stream;          // set for a stream route (add_stream)

    // The pattern split once when the route is added: each segment's text, or the name of a {parameter}.
    struct Segment {
        std::string text;
        bool parameter = false;
    };
    std::vector<Segment> segments;
    bool trailing_slash = false;
};

struct Match {
    const Route* route = nullptr;  // null: no route
    bool path_exists = false;      // some route matches the path with another method
    std::unordered_map<std::string, std::string> params;
};

class Router {
public:
    // `body_limit` overrides the server's request body limit for this route (e.g. raw email); 0 keeps it.
    void add(beast_http::verb method, std::string pattern, Handler handler, std::uint64_t body_limit = 0);
    // A route whose handler may stream server-sent events (see StreamHandler and core/hub.hpp). HEAD is not
    // answered by it: a stream route only matches its own method.
    void add_stream(beast_http::verb method, std::string pattern, StreamHandler handler);
    // Finds the route for method and decoded path. Segments in braces capture one path segment.
    Match match(beast_http::verb method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    void add_route(Route route);
    std::vector<Route> routes_;

    // Routes without parameters by their path ("/api/v2/summary.json"), so that most requests find theirs without
    // walking every pattern. A path that some parameter route also matches is "contested" and always walked, so the
    // first route added still wins.
    struct Literal {
        std::vector<std::size_t> routes;  // indexes into routes_, in the order added
        bool contested = false;
    };
    struct PathHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view path) const { return std::hash<std::string_view>{}(path); }
    };
    std::unordered_map<std::string, Literal, PathHash, std::equal_to<>> literals_;
};

}  // namespace lifeline::http
