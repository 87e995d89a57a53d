// Test support for page tests: a browser's session against a ServerProcess (the session cookie and the CSRF token
// its pages carry) and the GETs and form posts a browser sends with them.
#pragma once

#include "support/server_process.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lifeline::testing {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// As a browser encodes a form (percent-encoding every reserved character, which the server also accepts).
std::string form_body(const FormFields& fields);

// A browser's worth of state; copyable, and only as long-lived as the server it talks to.
struct BrowserSession {
    // POST /login with the form (expecting 303 and a cookie), then GET the page it redirects to and read the CSRF
    // token from its HTML (expecting one); failures are reported as test failures.
    static BrowserSession sign_in(const ServerProcess& server, const std::string& email, const std::string& password);

    // GET as a browser would: with the cookie, and without the #fragment of a redirect's location.
    HttpResponse get(const std::string& target, const std::map<std::string, std::string>& extra_headers = {}) const;
    // A form post as a browser sends it; the CSRF token is added unless `with_csrf` is false.
    HttpResponse post_form(const std::string& target, FormFields fields, bool with_csrf = true,
                           const std::map<std::string, std::string>& extra_headers = {}) const;

    const ServerProcess* server = nullptr;
    std::string cookie;  // "ll_session=…"
    std::string csrf;
    HttpResponse landing;  // the page sign_in() was redirected to
};

}  // namespace lifeline::testing
