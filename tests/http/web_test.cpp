// The pages against a real `lifeline demo` process: sign-in by form post with the session cookie,
// tenancy on every web route, CSRF, stale sessions, HTML escaping, security headers and static assets.
#include "http/web/pages.hpp"
#include "support/server_process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>
#include <utility>
#include <vector>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

const std::string kMaria = "maria@harbourbakery.co.uk";
const std::string kJon = "jon@northwind.example";
const std::string kTom = "tom@lifeline.test";
const std::string kPassword = "demo-password";
const std::string kScript = "<script>alert(1)</script>";

using Fields = std::vector<std::pair<std::string, std::string>>;

// As a browser encodes a form (percent-encoding every reserved character, which the server also accepts).
std::string form_body(const Fields& fields)
{
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += http::web::encode_component(k) + "=" + http::web::encode_component(v);
    }
    return out;
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// A browser's worth of state: the session cookie and the CSRF token its pages carry.
struct Browser {
    std::string cookie;  // "ll_session=…"
    std::string csrf;
};

class Web : public ::testing::Test {
protected:
    void SetUp() override
    {
        server = std::make_unique<ServerProcess>("demo", dir.path());
        jon_token = create_token(dir.path(), kJon);
        staff_token = create_token(dir.path(), kTom);
    }

    // POST /login with the form, then GET the home page to read the CSRF token from its HTML.
    Browser sign_in(const std::string& email)
    {
        auto res = server->request("POST", "/login", form_body({{"email", email}, {"password", kPassword}}),
                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
        EXPECT_EQ(res.status, 303) << res.body;
        Browser b;
        auto set_cookie = res.header("set-cookie");
        b.cookie = set_cookie.substr(0, set_cookie.find(';'));
        EXPECT_TRUE(b.cookie.starts_with("ll_session=") && b.cookie.size() > 12) << set_cookie;
        auto home = page(b, res.header("location"));
        EXPECT_EQ(home.status, 200) << home.body;
        std::smatch m;
        if (std::regex_search(home.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re"))) b.csrf = m[1];
        EXPECT_FALSE(b.csrf.empty()) << home.body;
        return b;
    }

    HttpResponse page(const Browser& b, const std::string& target) const
    {
        return server->request("GET", target, {}, {{"Cookie", b.cookie}});
    }

    // A form post as a browser sends it; the CSRF token is added unless `with_csrf` is false.
    HttpResponse post(const Browser& b, const std::string& target, Fields fields, bool with_csrf = true) const
    {
        if (with_csrf) fields.emplace_back("csrf", b.csrf);
        return server->request("POST", target, form_body(fields),
                               {{"Cookie", b.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}});
    }

    // A ticket opened through the API; returns its ref.
    std::string open_ticket(const std::string& token, const std::string& subject)
    {
        json::object body{{"subject", subject}, {"body", "opened by the web test"}, {"priority", "P3"}};
        auto res = server->post_json("/api/v1/tickets", json::serialize(body), token);
        EXPECT_EQ(res.status, 201) << res.body;
        return std::string(json::parse(res.body).at("ref").as_string());
    }

    // The staff's API view of a ticket: every message, the timeline, status and assignee.
    std::string staff_view(const std::string& ref) const
    {
        auto res = server->get("/api/v1/tickets/" + ref, staff_token);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.body;
    }

    std::size_t ticket_count() const
    {
        auto res = server->get("/api/v1/tickets?limit=200", staff_token);
        return json::parse(res.body).at("data").as_array().size();
    }

    TempDir dir;
    std::unique_ptr<ServerProcess> server;
    std::string jon_token, staff_token;
};

TEST_F(Web, ContactGets404ForAnotherOrganizationsTicketOnEveryPage)
{
    auto ref = open_ticket(jon_token, "Warehouse scanner offline");
    auto before = staff_view(ref);
    auto maria = sign_in(kMaria);

    auto portal = "/portal/tickets/" + ref;
    EXPECT_EQ(page(maria, portal).status, 404);
    EXPECT_EQ(post(maria, portal + "/replies", {{"body", "Maria was here"}}).status, 404);
    EXPECT_EQ(post(maria, portal + "/status", {{"status", "resolved"}}).status, 404);
    EXPECT_EQ(post(maria, portal + "/status", {{"status", "open"}}).status, 404);

    EXPECT_EQ(page(maria, "/console").status, 404);
    EXPECT_EQ(page(maria, "/console?priority=P3").status, 404);
    auto console = "/console/tickets/" + ref;
    auto shown = page(maria, console);
    EXPECT_EQ(shown.status, 404);
    EXPECT_FALSE(contains(shown.body, "Warehouse scanner offline"));
    EXPECT_EQ(post(maria, console + "/replies", {{"body", "Maria was here"}}).status, 404);
    EXPECT_EQ(post(maria, console + "/notes", {{"body", "Maria was here"}}).status, 404);
    EXPECT_EQ(post(maria, console + "/assignment", {{"assignee", kTom}}).status, 404);
    EXPECT_EQ(post(maria, console + "/status", {{"status", "closed"}}).status, 404);

    // Her list holds her organization's tickets and nothing of Northwind's.
    auto list = page(maria, "/portal");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Online shop checkout fails")) << list.body;
    EXPECT_FALSE(contains(list.body, "/tickets/" + ref + "\""));
    EXPECT_FALSE(contains(list.body, "Warehouse scanner offline"));
    EXPECT_FALSE(contains(list.body, "VPN drops every few minutes"));
    EXPECT_FALSE(contains(list.body, "Northwind"));

    // Nothing she did reached Jon's ticket.
    EXPECT_EQ(staff_view(ref), before);
    auto view = json::parse(before).as_object();
    EXPECT_EQ(view.at("messages").as_array().size(), 1u);
    EXPECT_EQ(view.at("status").as_string(), "new");
}

TEST_F(Web, FormsPostedWithoutTheCsrfTokenAreRefusedAndWriteNothing)
{
    auto maria = sign_in(kMaria);
    auto tom = sign_in(kTom);
    auto ref = open_ticket(jon_token, "Label printer jams");
    auto before = staff_view(ref);
    auto count = ticket_count();

    auto console = "/console/tickets/" + ref;
    EXPECT_EQ(post(tom, console + "/replies", {{"body", "no token"}}, false).status, 403);
    EXPECT_EQ(post(tom, console + "/notes", {{"body", "no token"}}, false).status, 403);
    EXPECT_EQ(post(tom, console + "/assignment", {{"assignee", kTom}}, false).status, 403);
    EXPECT_EQ(post(tom, console + "/status", {{"status", "resolved"}}, false).status, 403);
    // Another session's token is no better than none.
    EXPECT_EQ(post(tom, console + "/replies", {{"body", "wrong token"}, {"csrf", maria.csrf}}, false).status, 403);
    EXPECT_EQ(staff_view(ref), before);

    auto mine = open_ticket(create_token(dir.path(), kMaria), "Oven timer resets");
    auto mine_before = staff_view(mine);
    EXPECT_EQ(post(maria, "/portal/tickets/" + mine + "/replies", {{"body", "no token"}}, false).status, 403);
    EXPECT_EQ(post(maria, "/portal/tickets/" + mine + "/status", {{"status", "resolved"}}, false).status, 403);
    auto created = post(maria, "/portal/tickets", {{"subject", "No token"}, {"body", "x"}, {"priority", "P3"}}, false);
    EXPECT_EQ(created.status, 403);
    EXPECT_TRUE(contains(created.body, "did not come from this site")) << created.body;
    EXPECT_EQ(staff_view(mine), mine_before);
    EXPECT_EQ(ticket_count(), count + 1);

    // With the token the same forms work, so the refusals above were about the token.
    EXPECT_EQ(post(tom, console + "/notes", {{"body", "with token"}}).status, 303);
    EXPECT_NE(staff_view(ref), before);
}

TEST_F(Web, AStaleOrUnknownSessionCookieGoesToSignIn)
{
    auto maria = sign_in(kMaria);
    ASSERT_EQ(post(maria, "/logout", {}).status, 303);
    Browser garbage{"ll_session=s_not-a-session", ""};
    for (const auto& b : {maria, garbage}) {
        auto res = page(b, "/portal");
        EXPECT_EQ(res.status, 303);
        EXPECT_EQ(res.header("location"), "/login?next=%2Fportal&expired=1");
        EXPECT_TRUE(contains(res.header("set-cookie"), "Max-Age=0")) << res.header("set-cookie");
        auto console = page(b, "/console/tickets/LL-1001");
        EXPECT_EQ(console.status, 303);
        EXPECT_TRUE(console.header("location").starts_with("/login?")) << console.header("location");
        auto posted =
            post(b, "/portal/tickets", {{"subject", "x"}, {"body", "y"}, {"priority", "P3"}, {"csrf", "z"}}, false);
        EXPECT_EQ(posted.status, 303);
        EXPECT_EQ(posted.header("location"), "/login?expired=1");
    }
    // No cookie at all: sign in, without the "expired" note.
    auto anonymous = server->request("GET", "/console");
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_EQ(anonymous.header("location"), "/login?next=%2Fconsole");
}

TEST_F(Web, ASubjectWithMarkupIsEscapedOnEveryPage)
{
    auto maria = sign_in(kMaria);
    auto created = post(maria, "/portal/tickets",
                        {{"subject", kScript},
                         {"body", "<img src=x onerror=alert(2)>"},
                         {"priority", "P2"},
                         {"idempotency_key", "web-test-escape"}});
    ASSERT_EQ(created.status, 303) << created.body;
    auto location = created.header("location");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(location, m, std::regex("/portal/tickets/(LL-[0-9]+)"))) << location;
    std::string ref = m[1];
    const std::string escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

    auto tom = sign_in(kTom);
    std::vector<std::pair<std::string, HttpResponse>> pages{
        {"console queue", page(tom, "/console")},
        {"console ticket", page(tom, "/console/tickets/" + ref)},
        {"portal list", page(maria, "/portal")},
        {"portal ticket", page(maria, location)},
    };
    for (const auto& [name, res] : pages) {
        ASSERT_EQ(res.status, 200) << name;
        EXPECT_FALSE(contains(res.body, kScript)) << name;
        EXPECT_FALSE(contains(res.body, "<img src=x")) << name;
        EXPECT_TRUE(contains(res.body, escaped)) << name << ":\n" << res.body;
    }
}

TEST_F(Web, PagesCarrySecurityHeaders)
{
    auto maria = sign_in(kMaria);
    auto tom = sign_in(kTom);
    std::vector<std::pair<std::string, HttpResponse>> pages{
        {"/login", server->request("GET", "/login")},
        {"/support", server->request("GET", "/support")},
        {"/portal", page(maria, "/portal")},
        {"/portal/new", page(maria, "/portal/new")},
        {"/console", page(tom, "/console")},
        {"/console/tickets/LL-1001", page(tom, "/console/tickets/LL-1001")},
        {"404", page(maria, "/console")},
    };
    for (const auto& [name, res] : pages) {
        EXPECT_TRUE(res.status == 200 || res.status == 404) << name << " " << res.status;
        EXPECT_TRUE(res.header("content-type").starts_with("text/html")) << name;
        auto csp = res.header("content-security-policy");
        EXPECT_TRUE(contains(csp, "default-src 'self'")) << name << ": " << csp;
        EXPECT_TRUE(contains(csp, "frame-ancestors 'none'")) << name << ": " << csp;
        EXPECT_EQ(res.header("x-frame-options"), "DENY") << name;
        EXPECT_EQ(res.header("x-content-type-options"), "nosniff") << name;
        EXPECT_EQ(res.header("cache-control"), "no-store") << name;
    }
}

TEST_F(Web, StaticAssetsHaveTheirContentTypes)
{
    auto css = server->request("GET", "/static/lifeline.css");
    EXPECT_EQ(css.status, 200);
    EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
    EXPECT_EQ(css.header("x-content-type-options"), "nosniff");
    EXPECT_FALSE(css.header("etag").empty());
    auto js = server->request("GET", "/static/htmx.min.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.header("x-content-type-options"), "nosniff");
    auto again = server->request("GET", "/static/htmx.min.js", {}, {{"If-None-Match", js.header("etag")}});
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(server->request("GET", "/static/nope.js").status, 404);
}

TEST_F(Web, TheConsoleAssignsFromTheStaffList)
{
    auto tom = sign_in(kTom);
    auto ref = open_ticket(jon_token, "Till receipt printer");
    auto shown = page(tom, "/console/tickets/" + ref);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(contains(shown.body, "<select id=\"assignee-select\" name=\"assignee\"")) << shown.body;
    EXPECT_TRUE(std::regex_search(
        shown.body,
        std::regex(R"(<option value="priya@lifeline.test"( selected)?>Priya Nair \(priya@lifeline.test\)</option>)")))
        << shown.body;
    EXPECT_TRUE(contains(shown.body, "<option value=\"admin@lifeline.test\">"));
    EXPECT_FALSE(contains(shown.body, "maria@harbourbakery.co.uk</option>")) << "contacts are not staff";

    ASSERT_EQ(post(tom, "/console/tickets/" + ref + "/assignment", {{"assignee", kTom}}).status, 303);
    EXPECT_EQ(json::parse(staff_view(ref)).at("assignee").at("name").as_string(), "Tom Becker");
    auto assigned = page(tom, "/console/tickets/" + ref);
    EXPECT_TRUE(contains(assigned.body, "<option value=\"tom@lifeline.test\" selected>")) << assigned.body;
    EXPECT_TRUE(contains(assigned.body, "<option value=\"\">Unassigned</option>")) << assigned.body;

    ASSERT_EQ(post(tom, "/console/tickets/" + ref + "/assignment", {{"assignee", ""}}).status, 303);
    EXPECT_TRUE(json::parse(staff_view(ref)).at("assignee").is_null()) << staff_view(ref);
    EXPECT_TRUE(contains(page(tom, "/console/tickets/" + ref).body, "<option value=\"\" selected>Unassigned</option>"));
}

}  // namespace
}  // namespace lifeline::testing
