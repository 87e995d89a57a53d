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
    for (auto it = request.find(beast_http::field::cookie); it != request.end() && it->name() == beast_http::field::cookie;
         ++it) {
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

}  // namespace lifeline::http
