#include "support/browser_session.hpp"

#include "http/web/pages.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace lifeline::testing {

std::string form_body(const FormFields& fields)
{
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += http::web::encode_component(k) + "=" + http::web::encode_component(v);
    }
    return out;
}

BrowserSession BrowserSession::sign_in(const ServerProcess& server, const std::string& email,
                                       const std::string& password)
{
    auto res = server.request("POST", "/login", form_body({{"email", email}, {"password", password}}),
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(res.status, 303) << res.body;
    BrowserSession b;
    b.server = &server;
    auto set_cookie = res.header("set-cookie");
    b.cookie = set_cookie.substr(0, set_cookie.find(';'));
    b.landing = b.get(res.header("location"));
    std::smatch m;
    if (std::regex_search(b.landing.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re"))) b.csrf = m[1];
    EXPECT_FALSE(b.csrf.empty()) << b.landing.body;
    return b;
}

HttpResponse BrowserSession::get(const std::string& target,
                                 const std::map<std::string, std::string>& extra_headers) const
{
    auto headers = extra_headers;
    headers["Cookie"] = cookie;
    return server->request("GET", target.substr(0, target.find('#')), {}, headers);
}

HttpResponse BrowserSession::post_form(const std::string& target, FormFields fields, bool with_csrf,
                                       const std::map<std::string, std::string>& extra_headers) const
{
    if (with_csrf) fields.emplace_back("csrf", csrf);
    auto headers = extra_headers;
    headers["Cookie"] = cookie;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    return server->request("POST", target, form_body(fields), headers);
}

}  // namespace lifeline::testing
