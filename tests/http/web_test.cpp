// The pages against a real `lifeline demo` process: sign-in by form post with the session cookie,
// tenancy on every web route, CSRF, stale sessions, HTML escaping, security headers and static assets,
// and the email channel: attachment downloads, delivery state, the dead letters and their Retry button.
#include "support/demo_pages.hpp"

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

class Web : public DemoPages {
protected:
    void SetUp() override
    {
        make_admin_token = false;  // mail_in() makes it when a test needs it
        DemoPages::SetUp();
        jon_token = create_token(dir.path(), kJon);
        staff_token = create_token(dir.path(), kTom);
    }

    // Signs in as BrowserSession::sign_in does, and checks the session cookie and the page the sign-in lands on.
    BrowserSession sign_in(const std::string& email)
    {
        auto b = BrowserSession::sign_in(*server, email, kPassword);
        EXPECT_TRUE(b.cookie.starts_with("ll_session=") && b.cookie.size() > 12) << b.cookie;
        EXPECT_EQ(b.landing.status, 200) << b.landing.body;
        return b;
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

    std::string jon_token, staff_token;
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
    EXPECT_EQ(maria.get(portal).status, 404);
    EXPECT_EQ(maria.post_form(portal + "/replies", {{"body", "Maria was here"}}).status, 404);
    EXPECT_EQ(maria.post_form(portal + "/status", {{"status", "resolved"}}).status, 404);
    EXPECT_EQ(maria.post_form(portal + "/status", {{"status", "open"}}).status, 404);

    EXPECT_EQ(maria.get("/console").status, 404);
    EXPECT_EQ(maria.get("/console?priority=P3").status, 404);
    auto console = "/console/tickets/" + ref;
    auto shown = maria.get(console);
    EXPECT_EQ(shown.status, 404);
    EXPECT_FALSE(contains(shown.body, "Warehouse scanner offline"));
    EXPECT_EQ(maria.post_form(console + "/replies", {{"body", "Maria was here"}}).status, 404);
    EXPECT_EQ(maria.post_form(console + "/notes", {{"body", "Maria was here"}}).status, 404);
    EXPECT_EQ(maria.post_form(console + "/assignment", {{"assignee", kTom}}).status, 404);
    EXPECT_EQ(maria.post_form(console + "/status", {{"status", "closed"}}).status, 404);

    // Her list holds her organization's tickets and nothing of Northwind's.
    auto list = maria.get("/portal");
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
    EXPECT_EQ(tom.post_form(console + "/replies", {{"body", "no token"}}, false).status, 403);
    EXPECT_EQ(tom.post_form(console + "/notes", {{"body", "no token"}}, false).status, 403);
    EXPECT_EQ(tom.post_form(console + "/assignment", {{"assignee", kTom}}, false).status, 403);
    EXPECT_EQ(tom.post_form(console + "/status", {{"status", "resolved"}}, false).status, 403);
    // Another session's token is no better than none.
    EXPECT_EQ(tom.post_form(console + "/replies", {{"body", "wrong token"}, {"csrf", maria.csrf}}, false).status, 403);
    EXPECT_EQ(staff_view(ref), before);

    auto mine = open_ticket(create_token(dir.path(), kMaria), "Oven timer resets");
    auto mine_before = staff_view(mine);
    EXPECT_EQ(maria.post_form("/portal/tickets/" + mine + "/replies", {{"body", "no token"}}, false).status, 403);
    EXPECT_EQ(maria.post_form("/portal/tickets/" + mine + "/status", {{"status", "resolved"}}, false).status, 403);
    auto created =
        maria.post_form("/portal/tickets", {{"subject", "No token"}, {"body", "x"}, {"priority", "P3"}}, false);
    EXPECT_EQ(created.status, 403);
    EXPECT_TRUE(contains(created.body, "did not come from this site")) << created.body;
    EXPECT_EQ(staff_view(mine), mine_before);
    EXPECT_EQ(ticket_count(), count + 1);

    // With the token the same forms work, so the refusals above were about the token.
    EXPECT_EQ(tom.post_form(console + "/notes", {{"body", "with token"}}).status, 303);
    EXPECT_NE(staff_view(ref), before);
}

TEST_F(Web, AStaleOrUnknownSessionCookieGoesToSignIn)
{
    auto maria = sign_in(kMaria);
    ASSERT_EQ(maria.post_form("/logout", {}).status, 303);
    BrowserSession garbage{server.get(), "ll_session=s_not-a-session", "", {}};
    for (const auto& b : {maria, garbage}) {
        auto res = b.get("/portal");
        EXPECT_EQ(res.status, 303);
        EXPECT_EQ(res.header("location"), "/login?next=%2Fportal&expired=1");
        EXPECT_TRUE(contains(res.header("set-cookie"), "Max-Age=0")) << res.header("set-cookie");
        auto console = b.get("/console/tickets/LL-1001");
        EXPECT_EQ(console.status, 303);
        EXPECT_TRUE(console.header("location").starts_with("/login?")) << console.header("location");
        auto posted =
            b.post_form("/portal/tickets", {{"subject", "x"}, {"body", "y"}, {"priority", "P3"}, {"csrf", "z"}}, false);
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
    auto created = maria.post_form("/portal/tickets", {{"subject", kScript},
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
        {"console queue", tom.get("/console")},
        {"console ticket", tom.get("/console/tickets/" + ref)},
        {"portal list", maria.get("/portal")},
        {"portal ticket", maria.get(location)},
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
        {"/portal", maria.get("/portal")},
        {"/portal/new", maria.get("/portal/new")},
        {"/console", tom.get("/console")},
        {"/console/tickets/LL-1001", tom.get("/console/tickets/LL-1001")},
        {"404", maria.get("/console")},
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
    auto shown = tom.get("/console/tickets/" + ref);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(contains(shown.body, "<select id=\"assignee-select\" name=\"assignee\"")) << shown.body;
    EXPECT_TRUE(std::regex_search(
        shown.body,
        std::regex(R"(<option value="priya@lifeline.test"( selected)?>Priya Nair \(priya@lifeline.test\)</option>)")))
        << shown.body;
    EXPECT_TRUE(contains(shown.body, "<option value=\"admin@lifeline.test\">"));
    EXPECT_FALSE(contains(shown.body, "maria@harbourbakery.co.uk</option>")) << "contacts are not staff";

    ASSERT_EQ(tom.post_form("/console/tickets/" + ref + "/assignment", {{"assignee", kTom}}).status, 303);
    EXPECT_EQ(json::parse(staff_view(ref)).at("assignee").at("name").as_string(), "Tom Becker");
    auto assigned = tom.get("/console/tickets/" + ref);
    EXPECT_TRUE(contains(assigned.body, "<option value=\"tom@lifeline.test\" selected>")) << assigned.body;
    EXPECT_TRUE(contains(assigned.body, "<option value=\"\">Unassigned</option>")) << assigned.body;

    ASSERT_EQ(tom.post_form("/console/tickets/" + ref + "/assignment", {{"assignee", ""}}).status, 303);
    EXPECT_TRUE(json::parse(staff_view(ref)).at("assignee").is_null()) << staff_view(ref);
    EXPECT_TRUE(contains(tom.get("/console/tickets/" + ref).body, "<option value=\"\" selected>Unassigned</option>"));
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
    auto shown = maria.get("/portal/tickets/" + ref);
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

    auto log = maria.get("/portal/attachments/" + log_id);
    ASSERT_EQ(log.status, 200);
    EXPECT_EQ(log.body, "FATAL: disk full\n");
    EXPECT_EQ(log.header("content-type"), "application/octet-stream");
    EXPECT_EQ(log.header("content-disposition"), "attachment; filename=\"error.log\"");
    EXPECT_EQ(log.header("content-security-policy"), "default-src 'none'; sandbox");
    EXPECT_EQ(log.header("x-content-type-options"), "nosniff");
    auto html = maria.get("/portal/attachments/" + html_id);
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
        auto portal = jon.get("/portal/attachments/" + id);
        EXPECT_EQ(portal.status, 404);
        EXPECT_FALSE(contains(portal.body, "FATAL")) << portal.body;
        EXPECT_EQ(jon.get("/console/attachments/" + id).status, 404);
        EXPECT_EQ(maria.get("/console/attachments/" + id).status, 404);
    }
    EXPECT_EQ(jon.get("/portal/tickets/" + ref).status, 404);
    EXPECT_EQ(maria.get("/portal/attachments/999999").status, 404);
    EXPECT_EQ(maria.get("/portal/attachments/abc").status, 404);
    EXPECT_EQ(maria.get("/portal/attachments/-1").status, 404);

    // Staff get them from the console ticket page.
    auto tom = sign_in(kTom);
    auto console = tom.get("/console/tickets/" + ref);
    ASSERT_EQ(console.status, 200);
    EXPECT_TRUE(contains(console.body, "href=\"/console/attachments/" + log_id + "\"")) << console.body;
    EXPECT_TRUE(contains(console.body, "id=\"email\"")) << console.body;
    EXPECT_TRUE(contains(console.body, "No email was sent for this ticket.")) << "the demo has no outbound mail";
    auto download = tom.get("/console/attachments/" + log_id);
    EXPECT_EQ(download.status, 200);
    EXPECT_EQ(download.body, "FATAL: disk full\n");
    EXPECT_EQ(download.header("content-security-policy"), "default-src 'none'; sandbox");
}

TEST_F(Web, TheOutboxPageIsForStaffAndRetryNeedsTheCsrfToken)
{
    auto tom = sign_in(kTom);
    auto outbox = tom.get("/console/outbox");
    ASSERT_EQ(outbox.status, 200);
    EXPECT_TRUE(contains(outbox.body, "<h1>Undelivered email</h1>")) << outbox.body;
    EXPECT_TRUE(contains(outbox.body, "Nothing undelivered")) << outbox.body;
    EXPECT_TRUE(contains(outbox.body, "href=\"/console/outbox\" aria-current=\"page\"")) << outbox.body;
    EXPECT_TRUE(contains(tom.get("/console").body, "href=\"/console/outbox\"")) << "linked from the navigation";
    EXPECT_EQ(tom.post_form("/console/outbox/1/retry", {}, false).status, 403);
    EXPECT_EQ(tom.post_form("/console/outbox/999999/retry", {}).status, 404);

    auto maria = sign_in(kMaria);
    EXPECT_EQ(maria.get("/console/outbox").status, 404);
    EXPECT_EQ(maria.post_form("/console/outbox/1/retry", {}).status, 404);
    EXPECT_FALSE(contains(maria.get("/portal").body, "/console/outbox"));
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
    auto shown = tom.get("/console/tickets/" + ref);
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
    auto outbox = tom.get("/console/outbox");
    ASSERT_EQ(outbox.status, 200);
    EXPECT_TRUE(contains(outbox.body, "href=\"/console/tickets/" + ref + "#email\"")) << outbox.body;
    EXPECT_TRUE(contains(outbox.body, "action=\"/console/outbox/" + id + "/retry\"")) << outbox.body;
    EXPECT_TRUE(contains(tom.get("/console").body, "id=\"dead-letters\""));
    auto maria = sign_in(kMaria);
    EXPECT_EQ(maria.get("/console/outbox").status, 404);

    // Retry without the token: refused, nothing queued.
    auto before = staff_view(ref);
    EXPECT_EQ(tom.post_form("/console/outbox/" + id + "/retry", {{"return_to", ref}}, false).status, 403);
    EXPECT_EQ(maria.post_form("/console/outbox/" + id + "/retry", {{"return_to", ref}}).status, 404);
    EXPECT_EQ(staff_view(ref), before);

    // With it: queued again, back to the ticket (only a ticket ref is a place to go back to).
    auto retried = tom.post_form("/console/outbox/" + id + "/retry", {{"return_to", ref}});
    ASSERT_EQ(retried.status, 303) << retried.body;
    EXPECT_EQ(retried.header("location"), "/console/tickets/" + ref + "?done=retry#email");
    EXPECT_TRUE(contains(staff_view(ref), "queued the email to jon@northwind.example again")) << staff_view(ref);
    EXPECT_TRUE(contains(tom.get("/console/tickets/" + ref + "?done=retry").body, "queued to be sent again"));

    // It dies again (one attempt), and a Retry from the outbox page returns there.
    ASSERT_FALSE(dead_letter(ref).empty()) << "the retried acknowledgement did not die again";
    auto again = tom.post_form("/console/outbox/" + id + "/retry", {{"return_to", "//evil.example/"}});
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
    EXPECT_EQ(maria.get("/console/held").status, 404);
    auto tom = sign_in(kTom);
    auto list = tom.get("/console/held");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "&lt;b&gt;Our site&lt;/b&gt;")) << list.body;
    EXPECT_FALSE(contains(list.body, "<b>Our site</b>"));
    std::vector<std::string> ids;
    const std::regex release_form(R"(/console/held/(\d+)/release)");
    for (auto it = std::sregex_iterator(list.body.begin(), list.body.end(), release_form); it != std::sregex_iterator();
         ++it)
        ids.push_back((*it)[1]);
    ASSERT_EQ(ids.size(), 2u);  // newest first: the spam, then the customer

    EXPECT_EQ(tom.post_form("/console/held/" + ids[1] + "/release", {}, false).status, 403);
    auto released = tom.post_form("/console/held/" + ids[1] + "/release", {});
    ASSERT_EQ(released.status, 303);
    EXPECT_TRUE(contains(released.header("location"), "done=released&ticket=LL-")) << released.header("location");
    auto discarded = tom.post_form("/console/held/" + ids[0] + "/discard", {});
    ASSERT_EQ(discarded.status, 303);
    EXPECT_EQ(ticket_count(), before + 1);
    auto after = tom.get("/console/held");
    EXPECT_TRUE(contains(after.body, "Nothing held")) << after.body;
    EXPECT_EQ(tom.post_form("/console/held/" + ids[0] + "/discard", {}).status, 404);
}

}  // namespace
}  // namespace lifeline::testing
