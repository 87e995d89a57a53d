// The pages against a real `lifeline demo` process: sign-in by form post with the session cookie,
// tenancy on every web route, CSRF, stale sessions, HTML escaping, security headers and static assets,
// and the email channel: attachment downloads, delivery state, the dead letters and their Retry button.
#include "http/web/pages.hpp"
#include "support/server_process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>
#include <utility>
#include <vector>

namespace lifeline::testing {
namespace {

namespace json = boost::json;

const std::string kMaria = "maria@harbourbakery.co.uk";
const std::string kJon = "jon@northwind.example";
const std::string kTom = "tom@lifeline.test";
const std::string kAdmin = "admin@lifeline.test";
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
        server = std::make_unique<ServerProcess>("demo", dir.path(), server_args());
        jon_token = create_token(dir.path(), kJon);
        staff_token = create_token(dir.path(), kTom);
    }

    // Extra arguments of `lifeline demo` (written config files go under dir).
    virtual std::vector<std::string> server_args() { return {}; }

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

    // A raw email through the intake endpoint, as the mailgate sends it; returns the ticket ref it landed on.
    std::string mail_in(const std::string& raw)
    {
        if (admin_token.empty()) admin_token = create_token(dir.path(), kAdmin);
        auto res = server->request("POST", "/api/v1/intake/email", raw,
                                   {{"Authorization", "Bearer " + admin_token}, {"Content-Type", "message/rfc822"}});
        EXPECT_EQ(res.status, 202) << res.body;
        auto ticket = json::parse(res.body).at("ticket");
        return ticket.is_string() ? std::string(ticket.as_string()) : std::string();
    }

    json::array api_list(const std::string& target) const
    {
        auto res = server->get(target, staff_token);
        EXPECT_EQ(res.status, 200) << target << ": " << res.body;
        return json::parse(res.body).at("data").as_array();
    }

    std::size_t ticket_count() const
    {
        auto res = server->get("/api/v1/tickets?limit=200", staff_token);
        return json::parse(res.body).at("data").as_array().size();
    }

    TempDir dir;
    std::unique_ptr<ServerProcess> server;
    std::string jon_token, staff_token, admin_token;
};

// An email from Maria with two attachments: a log, and a file whose name tries markup and header tricks.
std::string email_with_attachments(const std::string& message_id)
{
    return "From: Maria Lopez <maria@harbourbakery.co.uk>\r\nTo: support@desk.test\r\nSubject: Till crashes\r\n"
           "Message-ID: <" +
           message_id +
           ">\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n"
           "--x\r\nContent-Type: text/plain\r\n\r\nThe till crashes, log attached.\r\n"
           "--x\r\nContent-Type: text/plain; name=\"error.log\"\r\nContent-Disposition: attachment; "
           "filename=\"error.log\"\r\nContent-Transfer-Encoding: base64\r\n\r\nRkFUQUw6IGRpc2sgZnVsbAo=\r\n"
           "--x\r\nContent-Type: text/html\r\nContent-Disposition: attachment; "
           "filename=\"<i>x\\\";.html\"\r\n\r\n<script>alert(3)</script>\r\n--x--\r\n";
}

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

namespace lifeline::testing {
namespace {

TEST_F(Web, AttachmentsDownloadOnlyWithinTheirOrganization)
{
    auto ref = mail_in(email_with_attachments("till@harbourbakery.co.uk"));
    ASSERT_FALSE(ref.empty());
    auto list = api_list("/api/v1/tickets/" + ref + "/attachments");
    ASSERT_EQ(list.size(), 2u);
    auto log_id = std::to_string(list[0].at("id").as_int64());
    auto html_id = std::to_string(list[1].at("id").as_int64());
    ASSERT_EQ(list[0].at("filename").as_string(), "error.log");

    // Maria sees them under her email in the portal and downloads them as files, never as pages.
    auto maria = sign_in(kMaria);
    auto shown = page(maria, "/portal/tickets/" + ref);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(contains(shown.body, "href=\"/portal/attachments/" + log_id + "\"")) << shown.body;
    EXPECT_TRUE(contains(shown.body, ">error.log</a>")) << shown.body;
    EXPECT_FALSE(contains(shown.body, "<i>x"));
    EXPECT_TRUE(contains(shown.body, ">&lt;i&gt;x&quot;;.html</a>")) << shown.body;
    // Both came with the email that opened the ticket, so they are listed under its first message.
    EXPECT_TRUE(std::regex_search(shown.body, std::regex("class=\"message__body[^<]*The till crashes[^<]*</div>\\s*"
                                                         "<ul class=\"attachments\"")))
        << shown.body;
    EXPECT_FALSE(contains(shown.body, "data-state=")) << "the portal does not show the outbox";

    auto log = page(maria, "/portal/attachments/" + log_id);
    ASSERT_EQ(log.status, 200);
    EXPECT_EQ(log.body, "FATAL: disk full\n");
    EXPECT_EQ(log.header("content-type"), "application/octet-stream");
    EXPECT_EQ(log.header("content-disposition"), "attachment; filename=\"error.log\"");
    EXPECT_EQ(log.header("content-security-policy"), "default-src 'none'; sandbox");
    EXPECT_EQ(log.header("x-content-type-options"), "nosniff");
    auto html = page(maria, "/portal/attachments/" + html_id);
    ASSERT_EQ(html.status, 200);
    EXPECT_EQ(html.header("content-type"), "application/octet-stream");
    auto disposition = html.header("content-disposition");
    ASSERT_TRUE(disposition.starts_with("attachment; filename=\"")) << disposition;
    auto name = disposition.substr(22, disposition.size() - 23);
    EXPECT_EQ(disposition.back(), '"') << disposition;
    EXPECT_EQ(name.find_first_of("\"\\/\r\n"), std::string::npos) << disposition;

    // Jon (another organization) gets 404 on both paths, and Maria none of the console.
    auto jon = sign_in(kJon);
    for (const auto& id : {log_id, html_id}) {
        auto portal = page(jon, "/portal/attachments/" + id);
        EXPECT_EQ(portal.status, 404);
        EXPECT_FALSE(contains(portal.body, "FATAL")) << portal.body;
        EXPECT_EQ(page(jon, "/console/attachments/" + id).status, 404);
        EXPECT_EQ(page(maria, "/console/attachments/" + id).status, 404);
    }
    EXPECT_EQ(page(jon, "/portal/tickets/" + ref).status, 404);
    EXPECT_EQ(page(maria, "/portal/attachments/999999").status, 404);
    EXPECT_EQ(page(maria, "/portal/attachments/abc").status, 404);
    EXPECT_EQ(page(maria, "/portal/attachments/-1").status, 404);

    // Staff get them from the console ticket page.
    auto tom = sign_in(kTom);
    auto console = page(tom, "/console/tickets/" + ref);
    ASSERT_EQ(console.status, 200);
    EXPECT_TRUE(contains(console.body, "href=\"/console/attachments/" + log_id + "\"")) << console.body;
    EXPECT_TRUE(contains(console.body, "id=\"email\"")) << console.body;
    EXPECT_TRUE(contains(console.body, "No email was sent for this ticket.")) << "the demo has no outbound mail";
    auto download = page(tom, "/console/attachments/" + log_id);
    EXPECT_EQ(download.status, 200);
    EXPECT_EQ(download.body, "FATAL: disk full\n");
    EXPECT_EQ(download.header("content-security-policy"), "default-src 'none'; sandbox");
}

TEST_F(Web, TheOutboxPageIsForStaffAndRetryNeedsTheCsrfToken)
{
    auto tom = sign_in(kTom);
    auto outbox = page(tom, "/console/outbox");
    ASSERT_EQ(outbox.status, 200);
    EXPECT_TRUE(contains(outbox.body, "<h1>Undelivered email</h1>")) << outbox.body;
    EXPECT_TRUE(contains(outbox.body, "Nothing undelivered")) << outbox.body;
    EXPECT_TRUE(contains(outbox.body, "href=\"/console/outbox\" aria-current=\"page\"")) << outbox.body;
    EXPECT_TRUE(contains(page(tom, "/console").body, "href=\"/console/outbox\"")) << "linked from the navigation";
    EXPECT_EQ(post(tom, "/console/outbox/1/retry", {}, false).status, 403);
    EXPECT_EQ(post(tom, "/console/outbox/999999/retry", {}).status, 404);

    auto maria = sign_in(kMaria);
    EXPECT_EQ(page(maria, "/console/outbox").status, 404);
    EXPECT_EQ(post(maria, "/console/outbox/1/retry", {}).status, 404);
    EXPECT_FALSE(contains(page(maria, "/portal").body, "/console/outbox"));
}

// With a relay that refuses every connection and one attempt per message, each acknowledgement is a dead
// letter within a second or so: the Retry button is exercised for real.
class WebDeadLetters : public Web {
protected:
    std::vector<std::string> server_args() override
    {
        auto config = dir.path() + "/lifeline.toml";
        std::ofstream(config) << "outbox_max_attempts = 1\noutbox_retry_base_seconds = 1\naccess_log = false\n";
        return {"--config", config, "--smtp-relay", "smtp://127.0.0.1:1", "--mail-from", "support@desk.test"};
    }

    // The dead letter of `ref` once the worker has given up on it (null when it did not within 20 s).
    json::object dead_letter(const std::string& ref)
    {
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < until) {
            for (const auto& m : api_list("/api/v1/outbox/dead"))
                if (m.at("ticket") == json::value(ref)) return m.as_object();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return {};
    }
};

TEST_F(WebDeadLetters, ADeadAcknowledgementShowsItsBounceAndIsRetriedFromTheConsole)
{
    auto ref = mail_in("From: Jon Park <jon@northwind.example>\r\nTo: support@desk.test\r\nSubject: Scanner offline\r\n"
                       "Message-ID: <scanner@northwind.example>\r\n\r\nThe scanner is offline again.\r\n");
    ASSERT_FALSE(ref.empty());
    auto dead = dead_letter(ref);
    ASSERT_FALSE(dead.empty()) << "the acknowledgement did not die";
    auto id = std::to_string(dead.at("id").as_int64());
    std::string message_id(dead.at("message_id").as_string());

    // A delivery report for it arrives: the console highlights the bounce.
    mail_in("From: MAILER-DAEMON@relay.test\r\nTo: support@desk.test\r\nSubject: Undelivered Mail\r\n"
            "Message-ID: <dsn-web@relay.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
            "--b1\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
            "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.test\r\n\r\n"
            "Final-Recipient: rfc822; jon@northwind.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 <script>unknown</script>\r\n"
            "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" +
            message_id + ">\r\n\r\n--b1--\r\n");

    auto tom = sign_in(kTom);
    auto shown = page(tom, "/console/tickets/" + ref);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(contains(shown.body, "id=\"outbox-" + id + "\" data-state=\"dead\"")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "<span class=\"delivery-state delivery-state--dead\">")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Acknowledgement")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "jon@northwind.example")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "1 attempt")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Last error:")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Delivery to jon@northwind.example failed (5.1.1)")) << shown.body;
    EXPECT_FALSE(contains(shown.body, "<script>unknown")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "action=\"/console/outbox/" + id + "/retry\"")) << shown.body;

    // The dead-letter page lists it with its ticket, and the queue points there.
    auto outbox = page(tom, "/console/outbox");
    ASSERT_EQ(outbox.status, 200);
    EXPECT_TRUE(contains(outbox.body, "href=\"/console/tickets/" + ref + "#email\"")) << outbox.body;
    EXPECT_TRUE(contains(outbox.body, "action=\"/console/outbox/" + id + "/retry\"")) << outbox.body;
    EXPECT_TRUE(contains(page(tom, "/console").body, "id=\"dead-letters\""));
    auto maria = sign_in(kMaria);
    EXPECT_EQ(page(maria, "/console/outbox").status, 404);

    // Retry without the token: refused, nothing queued.
    auto before = staff_view(ref);
    EXPECT_EQ(post(tom, "/console/outbox/" + id + "/retry", {{"return_to", ref}}, false).status, 403);
    EXPECT_EQ(post(maria, "/console/outbox/" + id + "/retry", {{"return_to", ref}}).status, 404);
    EXPECT_EQ(staff_view(ref), before);

    // With it: queued again, back to the ticket (only a ticket ref is a place to go back to).
    auto retried = post(tom, "/console/outbox/" + id + "/retry", {{"return_to", ref}});
    ASSERT_EQ(retried.status, 303) << retried.body;
    EXPECT_EQ(retried.header("location"), "/console/tickets/" + ref + "?done=retry#email");
    EXPECT_TRUE(contains(staff_view(ref), "queued the email to jon@northwind.example again")) << staff_view(ref);
    EXPECT_TRUE(contains(page(tom, "/console/tickets/" + ref + "?done=retry").body, "queued to be sent again"));

    // It dies again (one attempt), and a Retry from the outbox page returns there.
    ASSERT_FALSE(dead_letter(ref).empty()) << "the retried acknowledgement did not die again";
    auto again = post(tom, "/console/outbox/" + id + "/retry", {{"return_to", "//evil.example/"}});
    ASSERT_EQ(again.status, 303) << again.body;
    EXPECT_EQ(again.header("location"), "/console/outbox?done=retry");
}

}  // namespace
}  // namespace lifeline::testing

namespace lifeline::testing {
namespace {

class WebHeldMail : public Web {
protected:
    std::vector<std::string> server_args() override
    {
        auto config = dir.path() + "/lifeline.toml";
        std::ofstream(config) << "unknown_senders = \"hold\"\naccess_log = false\n";
        return {"--config", config};
    }
};

TEST_F(WebHeldMail, StaffTakeInOrDiscardMailFromUnknownSenders)
{
    auto before = ticket_count();
    EXPECT_TRUE(
        mail_in("From: New Customer <new@stranger.example>\r\nTo: support@desk.test\r\nSubject: <b>Our site</b> "
                "is down\r\nMessage-ID: <held1@stranger.example>\r\n\r\nPlease help.\r\n")
            .empty());
    EXPECT_TRUE(mail_in("From: spam@stranger.example\r\nTo: support@desk.test\r\nSubject: Cheap pills\r\n"
                        "Message-ID: <held2@stranger.example>\r\n\r\nBuy.\r\n")
                    .empty());
    EXPECT_EQ(ticket_count(), before);

    auto maria = sign_in(kMaria);
    EXPECT_EQ(page(maria, "/console/held").status, 404);
    auto tom = sign_in(kTom);
    auto list = page(tom, "/console/held");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "&lt;b&gt;Our site&lt;/b&gt;")) << list.body;
    EXPECT_FALSE(contains(list.body, "<b>Our site</b>"));
    std::vector<std::string> ids;
    const std::regex release_form(R"(/console/held/(\d+)/release)");
    for (auto it = std::sregex_iterator(list.body.begin(), list.body.end(), release_form); it != std::sregex_iterator();
         ++it)
        ids.push_back((*it)[1]);
    ASSERT_EQ(ids.size(), 2u);  // newest first: the spam, then the customer

    EXPECT_EQ(post(tom, "/console/held/" + ids[1] + "/release", {}, false).status, 403);
    auto released = post(tom, "/console/held/" + ids[1] + "/release", {});
    ASSERT_EQ(released.status, 303);
    EXPECT_TRUE(contains(released.header("location"), "done=released&ticket=LL-")) << released.header("location");
    auto discarded = post(tom, "/console/held/" + ids[0] + "/discard", {});
    ASSERT_EQ(discarded.status, 303);
    EXPECT_EQ(ticket_count(), before + 1);
    auto after = page(tom, "/console/held");
    EXPECT_TRUE(contains(after.body, "Nothing held")) << after.body;
    EXPECT_EQ(post(tom, "/console/held/" + ids[0] + "/discard", {}).status, 404);
}

}  // namespace
}  // namespace lifeline::testing
