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

bool match_pattern(std::string_view pattern, std::string_view path,
                   std::unordered_map<std::string, std::string>& params)
{
    auto want = split_path(pattern);
    auto have = split_path(path);
    if (want.size() != have.size()) return false;
    if (path.size() > 1 && path.back() == '/' && pattern.back() != '/') return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
            params.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
        } else if (want[i] != have[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

void Router::add(beast_http::verb method, std::string pattern, Handler handler, std::uint64_t body_limit)
{
    routes_.push_back(Route{method, std::move(pattern), std::move(handler), body_limit, {}});
}

void Router::add_stream(beast_http::verb method, std::string pattern, StreamHandler handler)
{
    routes_.push_back(Route{method, std::move(pattern), {}, 0, std::move(handler)});
}

Match Router::match(beast_http::verb method, std::string_view path) const
{
    Match m;
    for (const auto& route : routes_) {
        std::unordered_map<std::string, std::string> params;
        if (!match_pattern(route.pattern, path, params)) continue;
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
