#include "http/web/form.hpp"

#include "core/text.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

namespace lifeline::http::web {

core::Result<Form> Form::parse(std::string_view body, std::size_t max_bytes)
{
    if (body.size() > max_bytes)
        return core::Error::invalid("the form is too large (at most " + std::to_string(max_bytes / 1024) + " KB)");
    Form form;
    if (body.empty()) return form;
    auto query = boost::urls::parse_query(boost::urls::string_view(body.data(), body.size()));
    if (!query) return core::Error::invalid("the form data is malformed");
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    for (auto param : *query) {
        std::string key = param.key.decode(opts);
        std::string value = param.has_value ? param.value.decode(opts) : std::string();
        if (!core::is_valid_utf8(key) || !core::is_valid_utf8(value))
            return core::Error::invalid("the form contains text that is not valid UTF-8");
        form.fields_.emplace_back(std::move(key), std::move(value));
    }
    return form;
}

core::Result<Form> Form::of(const Context& ctx, std::size_t max_bytes)
{
    auto type = core::ascii_lower(ctx.header("Content-Type"));
    auto semi = type.find(';');
    if (core::trim(std::string_view(type).substr(0, semi)) != "application/x-www-form-urlencoded")
        return core::Error::invalid("send the form as application/x-www-form-urlencoded");
    return parse(ctx.request.body(), max_bytes);
}

std::string Form::get(std::string_view name) const
{
    for (const auto& [k, v] : fields_)
        if (k == name) return v;
    return {};
}

bool Form::has(std::string_view name) const
{
    for (const auto& [k, v] : fields_)
        if (k == name) return true;
    return false;
}

}  // namespace lifeline::http::web
