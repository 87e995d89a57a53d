// A fixture for page tests: `lifeline demo` served by the real binary, the demo's people, and browsers signed in to
// it (BrowserSession), with helpers for reading pages.
#pragma once

#include "support/browser_session.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace lifeline::testing {

// The people `lifeline demo` creates (src/app/demo.cpp), all with the password kPassword: the admin (Ana Silva), two
// agents (Tom Becker, Priya Nair), and contacts at Harbour Bakery (Maria Lopez) and Northwind Outfitters (Jon Park).
inline const std::string kAdmin = "admin@lifeline.test";
inline const std::string kTom = "tom@lifeline.test";
inline const std::string kPriya = "priya@lifeline.test";
inline const std::string kMaria = "maria@harbourbakery.co.uk";
inline const std::string kJon = "jon@northwind.example";
inline const std::string kPassword = "demo-password";
// Markup typed into a form, which every page must show escaped.
inline const std::string kScript = "<script>alert(1)</script>";

inline bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// The part of a page from `start` to the next `end` (empty when `start` is missing).
inline std::string between(const std::string& body, const std::string& start, const std::string& end)
{
    auto from = body.find(start);
    if (from == std::string::npos) return {};
    auto to = body.find(end, from);
    return body.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

class DemoPages : public ::testing::Test {
protected:
    // Starts the demo, and makes the admin's API token unless the fixture has cleared make_admin_token.
    void SetUp() override
    {
        server = std::make_unique<ServerProcess>("demo", dir.path(), server_args());
        if (make_admin_token) admin_token = create_token(dir.path(), kAdmin);
    }

    // Extra arguments of `lifeline demo` (written config files go under dir).
    virtual std::vector<std::string> server_args() { return {}; }

    BrowserSession sign_in(const std::string& email) { return BrowserSession::sign_in(*server, email, kPassword); }

    TempDir dir;
    std::unique_ptr<ServerProcess> server;
    bool make_admin_token = true;
    std::string admin_token;
};

}  // namespace lifeline::testing
