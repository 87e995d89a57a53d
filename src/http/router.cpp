#include "http/router.hpp"

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

}  // namespace

void Router::add_route(Route route)
{
    for (auto part : split_path(route.pattern)) {
        bool parameter = part.size() > 2 && part.front() == '{' && part.back() == '}';
        route.segments.push_back({std::string(parameter ? part.substr(1, part.size() - 2) : part), parameter});
    }
    route.trailing_slash = route.pattern.size() > 1 && route.pattern.back() == '/';
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
    // The path is split once; each route's pattern was split when it was added.
    auto have = split_path(path);
    bool trailing_slash = path.size() > 1 && path.back() == '/';
    for (const auto& route : routes_) {
        std::unordered_map<std::string, std::string> params;
        if (!match_segments(route, have, trailing_slash, params)) continue;
        bool same = route.method == method ||
                    (method == beast_http::verb::head && route.method == beast_http::verb::get && !route.stream);
        if (same) {
            m.route = &route;
            m.params = std::move(params);
            return m;
        }
        m.path_exists = true;
    }
    return m;
}

}  // namespace lifeline::http
