#include "http/message.hpp"

#include "core/text.hpp"

namespace lifeline::http {

std::optional<std::string> Context::query_value(std::string_view name) const
{
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return std::nullopt;
}

std::string Context::header(std::string_view name) const
{
    auto it = request.find(boost::beast::string_view(name.data(), name.size()));
    if (it == request.end()) return {};
    return std::string(it->value());
}

std::string Context::cookie(std::string_view name) const
{
    for (auto it = request.find(beast_http::field::cookie);
         it != request.end() && it->name() == beast_http::field::cookie; ++it) {
        std::string_view all(it->value().data(), it->value().size());
        while (!all.empty()) {
            auto semi = all.find(';');
            auto pair = all.substr(0, semi);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && core::trim(pair.substr(0, eq)) == name)
                return core::trim(pair.substr(eq + 1));
            if (semi == std::string_view::npos) break;
            all.remove_prefix(semi + 1);
        }
    }
    return {};
}

namespace {

std::optional<std::int64_t> integer_param(const Context& ctx, std::string_view name)
{
    auto it = ctx.params.find(std::string(name));
    if (it == ctx.params.end()) return std::nullopt;
    return core::parse_integer(it->second);
}

}  // namespace

std::optional<std::int64_t> int_param(const Context& ctx, std::string_view name)
{
    auto n = integer_param(ctx, name);
    if (!n || *n <= 0) return std::nullopt;
    return n;
}

std::optional<std::size_t> index_param(const Context& ctx, std::string_view name)
{
    auto n = integer_param(ctx, name);
    if (!n || *n < 0) return std::nullopt;
    return static_cast<std::size_t>(*n);
}

}  // namespace lifeline::http
