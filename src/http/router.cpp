#include "http/router.hpp"

#include <algorithm>

namespace lifeline::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path)
{
    std::vector<std::string_view> out;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash);
    }
    return out;
}

// Compares the split request path with a route's pre-split pattern; fills `params` only on a match.
bool match_segments(const Route& route, const std::vector<std::string_view>& have, bool trailing_slash,
                    std::unordered_map<std::string, std::string>& params)
{
    if (route.segments.size() != have.size()) return false;
    if (trailing_slash && !route.trailing_slash) return false;
    for (std::size_t i = 0; i < have.size(); ++i)
        if (!route.segments[i].parameter && route.segments[i].text != have[i]) return false;
    for (std::size_t i = 0; i < have.size(); ++i)
        if (route.segments[i].parameter) params.emplace(route.segments[i].text, std::string(have[i]));
    return true;
}

// Whether a request with `method` is answered by `route` (HEAD by a GET route, unless it streams).
bool answers(const Route& route, beast_http::verb method)
{
    return route.method == method ||
           (method == beast_http::verb::head && route.method == beast_http::verb::get && !route.stream);
}

// The path a request must have, exactly, to match a route without parameters: its segments joined by single
// slashes, with the pattern's trailing slash.
std::string literal_path(const Route& route)
{
    std::string path;
    for (const auto& segment : route.segments)
        path.append("/").append(segment.text);
    if (path.empty() || route.trailing_slash) path.append("/");
    return path;
}

}  // namespace

void Router::add_route(Route route)
{
    for (auto part : split_path(route.pattern)) {
        bool parameter = part.size() > 2 && part.front() == '{' && part.back() == '}';
        route.segments.push_back({std::string(parameter ? part.substr(1, part.size() - 2) : part), parameter});
    }
    route.trailing_slash = route.pattern.size() > 1 && route.pattern.back() == '/';
    // A route matches a path without parameters that is not its own: that path is walked from now on.
    auto is_literal = [](const Route& r) {
        return std::none_of(r.segments.begin(), r.segments.end(), [](const auto& s) { return s.parameter; });
    };
    auto own = is_literal(route) ? literal_path(route) : std::string();
    std::unordered_map<std::string, std::string> unused;
    for (auto& [path, entry] : literals_)
        if (path != own && match_segments(route, split_path(path), path.size() > 1 && path.back() == '/', unused))
            entry.contested = true;
    if (!own.empty()) {
        auto& entry = literals_[own];
        entry.routes.push_back(routes_.size());
        auto have = split_path(own);
        for (const auto& earlier : routes_)
            if (!(is_literal(earlier) && literal_path(earlier) == own) &&
                match_segments(earlier, have, route.trailing_slash, unused))
                entry.contested = true;
    }
    routes_.push_back(std::move(route));
}

void Router::add(beast_http::verb method, std::string pattern, Handler handler, std::uint64_t body_limit)
{
    add_route(Route{method, std::move(pattern), std::move(handler), body_limit, {}, {}, false});
}

void Router::add_stream(beast_http::verb method, std::string pattern, StreamHandler handler)
{
    add_route(Route{method, std::move(pattern), {}, 0, std::move(handler), {}, false});
}

Match Router::match(beast_http::verb method, std::string_view path) const
{
    Match m;
    if (auto literal = literals_.find(path); literal != literals_.end() && !literal->second.contested) {
        for (auto index : literal->second.routes) {
            if (answers(routes_[index], method)) {
                m.route = &routes_[index];
                return m;
            }
            m.path_exists = true;
        }
        return m;
    }
    // The path is split once; each route's pattern was split when it was added.
    auto have = split_path(path);
    bool trailing_slash = path.size() > 1 && path.back() == '/';
    for (const auto& route : routes_) {
        std::unordered_map<std::string, std::string> params;
        if (!match_segments(route, have, trailing_slash, params)) continue;
        if (answers(route, method)) {
            m.route = &route;
            m.params = std::move(params);
            return m;
        }
        m.path_exists = true;
    }
    return m;
}

}  // namespace lifeline::http
