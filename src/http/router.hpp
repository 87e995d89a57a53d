// Route table: method + path pattern ("/api/v1/tickets/{id}") → handler.
#pragma once

#include "http/message.hpp"

#include <string>
#include <vector>

namespace lifeline::http {

struct Route {
    beast_http::verb method;
    std::string pattern;
    Handler handler;
};

struct Match {
    const Route* route = nullptr;            // null: no route
    bool path_exists = false;                // some route matches the path with another method
    std::unordered_map<std::string, std::string> params;
};

class Router {
public:
    void add(beast_http::verb method, std::string pattern, Handler handler);
    // Finds the route for method and decoded path. Segments in braces capture one path segment.
    Match match(beast_http::verb method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace lifeline::http
