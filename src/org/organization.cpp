#include "org/organization.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace lifeline::org {

std::string slugify(std::string_view name)
{
    std::string out;
    for (unsigned char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out.push_back(char(c));
        } else if (c >= 'A' && c <= 'Z') {
            out.push_back(char(c + 32));
        } else if (!out.empty() && out.back() != '-') {
            out.push_back('-');
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string join_domains(const std::vector<std::string>& domains)
{
    std::string out;
    for (const auto& d : domains) {
        if (!out.empty()) out += ',';
        out += d;
    }
    return out;
}

std::vector<std::string> split_domains(std::string_view text)
{
    std::vector<std::string> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto part = core::trim(text.substr(0, comma));
        if (!part.empty()) out.push_back(core::ascii_lower(part));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

core::Result<Organization> Organization::validated() const
{
    Organization o = *this;
    std::vector<core::FieldError> errors;
    o.name = core::trim(name);
    if (o.name.empty()) errors.push_back({"name", "is required"});
    if (o.name.size() > 200) errors.push_back({"name", "must be at most 200 characters"});
    if (!core::is_valid_utf8(o.name)) errors.push_back({"name", "must be valid UTF-8"});
    o.slug = core::trim(slug).empty() ? slugify(o.name) : core::trim(slug);
    if (o.slug.empty() || o.slug != slugify(o.slug) || o.slug.size() > 64)
        errors.push_back({"slug", "must be lower-case letters, digits and dashes (1-64)"});
    o.email_domains.clear();
    for (const auto& d : email_domains) {
        auto domain = core::ascii_lower(core::trim(d));
        if (domain.empty()) continue;
        if (!core::looks_like_email("x@" + domain)) {
            errors.push_back({"email_domains", "'" + domain + "' is not a domain"});
            continue;
        }
        if (std::find(o.email_domains.begin(), o.email_domains.end(), domain) == o.email_domains.end())
            o.email_domains.push_back(domain);
    }
    if (!errors.empty()) return core::Error::invalid("the organization is not valid", std::move(errors));
    return o;
}

}  // namespace lifeline::org
