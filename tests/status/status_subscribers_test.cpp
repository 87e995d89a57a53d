// Status page subscribers on the real server: subscribe through the public form (email with double opt-in, SMS,
// webhook), publish, and only the confirmed subscribers of the affected components hear of it — email into the real
// SMTP sink with List-Unsubscribe and List-Unsubscribe-Post, SMS through the Twilio stand-in, webhooks signed
// (checked here with OpenSSL, not with our own code). One POST unsubscribes. Bad input gets clear messages, floods
// are refused, and a webhook that keeps failing is disabled with a notice to the admin.
#include "core/clock.hpp"
#include "support/demo_pages.hpp"
#include "support/served_desk.hpp"
#include "support/smtp_sink.hpp"
#include "support/twilio_standin.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

struct Hook {
    std::string path, timestamp, signature, body;
};

// Runs webhook_receiver.py; records are read back from its directory.
class WebhookReceiver {
public:
    WebhookReceiver()
    {
        child_.start({python_interpreter(), LIFELINE_WEBHOOK_RECEIVER_SCRIPT, directory_.path()});
        port_ = child_.read_port("LISTENING");
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::vector<Hook> hooks() const
    {
        std::vector<Hook> out;
        std::ifstream in(directory_.path() + "/hooks.jsonl");
        for (std::string line; std::getline(in, line);) {
            auto o = json::parse(line).as_object();
            out.push_back({std::string(o["path"].as_string()), std::string(o["timestamp"].as_string()),
                           std::string(o["signature"].as_string()), std::string(o["body"].as_string())});
        }
        return out;
    }
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 10s) const
    {
        for (auto until = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < until;
             std::this_thread::sleep_for(50ms))
            if (hooks().size() >= n) return true;
        return hooks().size() >= n;
    }

private:
    TempDir directory_{"lifeline-webhooks"};
    ChildProcess child_{"WebhookReceiver"};
    int port_ = 0;
};

std::string hmac_sha256_hex(const std::string& key, const std::string& data)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &length);
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += digits[mac[i] >> 4];
        hex += digits[mac[i] & 15];
    }
    return hex;
}

std::string form_encode(const std::string& s)
{
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string first_match(const std::string& text, const std::string& pattern)
{
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(pattern))) return {};
    return m[1];
}

// The message's header field `name` (unfolded), empty when absent.
std::string header_of(const std::string& raw, const std::string& name)
{
    auto head = raw.substr(0, raw.find("\r\n\r\n"));
    head = std::regex_replace(head, std::regex("\r\n[ \t]+"), " ");
    return first_match("\r\n" + head + "\r\n", "\r\n" + name + ": ([^\r\n]*)\r\n");
}

class Subscribers : public ::testing::Test {
protected:
    void SetUp() override
    {
        admin = init_desk(dir.path(), "admin@desk.test");
        auto config = dir.path() + "/lifeline.toml";
        std::ofstream(config) << "mail_from = \"status@desk.test\"\noutbox_retry_base_seconds = 1\n"
                                 "outbox_max_attempts = 2\naccess_log = false\n";
        server = std::make_unique<ServerProcess>(
            "serve", dir.path(),
            std::vector<std::string>{"--config", config, "--smtp-relay", sink.url(), "--twilio-url", twilio.base_url(),
                                     "--twilio-account-sid", twilio.account_sid(), "--twilio-auth-token",
                                     twilio.auth_token(), "--twilio-from", "+15550009999"});
    }

    std::int64_t component(const std::string& name)
    {
        auto res = server->post_json("/api/v1/status/components", R"({"name":")" + name + R"("})", admin);
        EXPECT_EQ(res.status, 201) << res.body;
        return parse_object(res.body)["id"].as_int64();
    }

    HttpResponse subscribe(const std::string& channel, const std::string& address,
                           const std::vector<std::int64_t>& components = {})
    {
        auto body = "channel=" + channel + "&address=" + form_encode(address);
        for (auto c : components)
            body += "&component=" + std::to_string(c);
        return server->request("POST", "/status/subscribe", body,
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

    HttpResponse post_form(const std::string& target, const std::string& body = {})
    {
        return server->request("POST", target, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

    // The messages the sink holds for `to`.
    std::vector<SinkMessage> mail_to(const std::string& to) const
    {
        std::vector<SinkMessage> out;
        for (auto& m : sink.messages())
            if (!m.recipients.empty() && m.recipients[0] == to) out.push_back(m);
        return out;
    }

    // Waits until the outbox has handed over everything queued.
    void drain()
    {
        for (int i = 0; i < 200; ++i) {
            std::this_thread::sleep_for(50ms);
            if (server->get("/metrics").body.find("lifeline_outbox_pending 0\n") != std::string::npos) return;
        }
        FAIL() << "the outbox did not drain";
    }

    TempDir dir;
    SmtpSink sink;
    TwilioStandIn twilio;
    WebhookReceiver receiver;
    std::string admin;
    std::unique_ptr<ServerProcess> server;
};

TEST_F(Subscribers, UpdatesReachConfirmedSubscribersOfAffectedComponentsOnlyAndOnePostUnsubscribes)
{
    auto api = component("API");
    auto web = component("Website");
    auto form = server->get("/status/subscribe");
    EXPECT_NE(form.body.find("name=\"component\" value=\"" + std::to_string(api) + "\""), std::string::npos)
        << form.body;

    ASSERT_EQ(subscribe("email", "Alice@Example.com", {api}).status, 201);
    ASSERT_EQ(subscribe("email", "bob@example.com", {web}).status, 201);
    ASSERT_EQ(subscribe("email", "carol@example.com").status, 201);  // never confirms
    ASSERT_EQ(subscribe("sms", "+1 555 000 1111", {api}).status, 201);
    auto hook = subscribe("webhook", receiver.url("/hooks/ok"), {api});
    ASSERT_EQ(hook.status, 201) << hook.body;
    auto secret = first_match(hook.body, R"(<code class="secret">([^<]+)</code>)");
    ASSERT_FALSE(secret.empty()) << hook.body;

    // Double opt-in: a confirmation link, and a button behind it (a GET changes nothing).
    ASSERT_TRUE(sink.wait_for(3));
    auto confirmation = mail_to("alice@example.com");
    ASSERT_EQ(confirmation.size(), 1u);
    auto confirm_url = first_match(confirmation[0].raw, R"((/status/confirm/[A-Za-z0-9_-]+))");
    ASSERT_FALSE(confirm_url.empty()) << confirmation[0].raw;
    auto page = server->get(confirm_url);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("alice@example.com"), std::string::npos);
    EXPECT_EQ(post_form(confirm_url).status, 200);
    EXPECT_EQ(post_form(confirm_url).status, 404) << "a confirmation link works once";
    auto bob_url = first_match(mail_to("bob@example.com").at(0).raw, R"((/status/confirm/[A-Za-z0-9_-]+))");
    EXPECT_EQ(post_form(bob_url).status, 200);

    auto res = server->post_json("/api/v1/status/incidents",
                                 R"({"name":"API <errors>","body":"We are looking into it.","impact":"major",
                                    "component_ids":[)" +
                                     std::to_string(api) + "]}",
                                 admin);
    ASSERT_EQ(res.status, 201) << res.body;
    auto incident = parse_object(res.body)["id"].as_int64();

    ASSERT_TRUE(twilio.wait_for(1));
    ASSERT_TRUE(receiver.wait_for(1));
    ASSERT_TRUE(sink.wait_for(4));
    drain();
    EXPECT_EQ(mail_to("bob@example.com").size(), 1u) << "bob follows the website only";
    EXPECT_EQ(mail_to("carol@example.com").size(), 1u) << "carol never confirmed";
    auto alice = mail_to("alice@example.com");
    ASSERT_EQ(alice.size(), 2u);
    const auto& update = alice[1].raw;
    EXPECT_NE(update.find("We are looking into it."), std::string::npos) << update;
    auto list_unsubscribe = header_of(update, "List-Unsubscribe");
    EXPECT_EQ(header_of(update, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    auto unsubscribe_url = first_match(list_unsubscribe, R"(^<https?://[^/]+(/status/unsubscribe/[A-Za-z0-9_-]+)>$)");
    ASSERT_FALSE(unsubscribe_url.empty()) << list_unsubscribe;
    EXPECT_NE(update.find(unsubscribe_url), std::string::npos) << "the body carries the link too";

    auto sms = twilio.requests().at(0);
    EXPECT_EQ(sms.to, "+15550001111");
    EXPECT_NE(sms.body.find("/status/unsubscribe/"), std::string::npos) << sms.body;

    auto delivered = receiver.hooks().at(0);
    EXPECT_EQ(delivered.signature, "sha256=" + hmac_sha256_hex(secret, delivered.timestamp + "." + delivered.body));
    auto payload = json::parse(delivered.body).as_object();
    EXPECT_EQ(payload["incident"].at("name"), "API <errors>");
    EXPECT_EQ(payload["incident"].at("incident_updates").as_array().at(0).at("body"), "We are looking into it.");
    EXPECT_TRUE(payload["meta"].at("unsubscribe").is_string());

    // RFC 8058: the mail client POSTs once, without a session or an Origin.
    auto one_click = post_form(unsubscribe_url, "List-Unsubscribe=One-Click");
    EXPECT_EQ(one_click.status, 200) << one_click.body;
    EXPECT_EQ(server->get(unsubscribe_url).body.find("Unsubscribe</button>"), std::string::npos);

    // Bob, on the website only so far, adds the API from the page behind his unsubscribe link.
    auto bob_manage = first_match(header_of(mail_to("bob@example.com").at(0).raw, "List-Unsubscribe"),
                                  R"(/status/unsubscribe/([A-Za-z0-9_-]+)>)");
    ASSERT_FALSE(bob_manage.empty());
    auto manage = server->get("/status/unsubscribe/" + bob_manage);
    EXPECT_NE(manage.body.find("value=\"" + std::to_string(web) + "\" checked"), std::string::npos) << manage.body;
    auto saved = post_form("/status/manage/" + bob_manage,
                           "component=" + std::to_string(web) + "&component=" + std::to_string(api));
    EXPECT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(post_form("/status/manage/" + bob_manage, "component=999").status, 400);

    res = server->post_json("/api/v1/status/incidents/" + std::to_string(incident) + "/updates",
                            R"({"status":"resolved","body":"Fixed."})", admin);
    ASSERT_EQ(res.status, 201) << res.body;
    ASSERT_TRUE(twilio.wait_for(2));
    ASSERT_TRUE(receiver.wait_for(2));
    drain();
    EXPECT_EQ(mail_to("alice@example.com").size(), 2u) << "alice unsubscribed";
    EXPECT_EQ(mail_to("bob@example.com").size(), 2u) << "bob now follows the API too";

    auto progress = parse_object(server->get("/api/v1/status/deliveries", admin).body)["data"].as_array();
    ASSERT_EQ(progress.size(), 2u);
    EXPECT_EQ(progress[0].at("sent").as_int64(), 3);  // bob, SMS and webhook
    EXPECT_EQ(progress[1].at("sent").as_int64(), 3);  // alice, SMS and webhook
    EXPECT_EQ(progress[1].at("failed").as_int64(), 0);
}

TEST_F(Subscribers, ScheduledMaintenanceReachesSubscribersOfItsComponentsOnly)
{
    auto mail = component("Mail");
    auto web = component("Website");
    ASSERT_EQ(subscribe("email", "dana@example.com", {mail}).status, 201);
    ASSERT_EQ(subscribe("email", "eli@example.com", {web}).status, 201);
    ASSERT_EQ(subscribe("sms", "+1 555 000 2222", {mail}).status, 201);
    auto hook = subscribe("webhook", receiver.url("/hooks/ok"), {mail});
    ASSERT_EQ(hook.status, 201) << hook.body;
    auto secret = first_match(hook.body, R"(<code class="secret">([^<]+)</code>)");
    ASSERT_TRUE(sink.wait_for(2));
    for (const auto* who : {"dana@example.com", "eli@example.com"})
        ASSERT_EQ(post_form(first_match(mail_to(who).at(0).raw, R"((/status/confirm/[A-Za-z0-9_-]+))")).status, 200);

    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto at = [&](std::chrono::hours h) { return core::format_rfc3339(now + h); };
    auto res = server->post_json("/api/v1/status/maintenances",
                                 R"({"name":"Mail <upgrade>","body":"Mail waits for an hour.","component_ids":[)" +
                                     std::to_string(mail) + R"(],"scheduled_for":")" + at(std::chrono::hours(24)) +
                                     R"(","scheduled_until":")" + at(std::chrono::hours(25)) + R"("})",
                                 admin);
    ASSERT_EQ(res.status, 201) << res.body;
    auto id = parse_object(res.body)["id"].as_int64();

    ASSERT_TRUE(sink.wait_for(3));
    ASSERT_TRUE(twilio.wait_for(1));
    ASSERT_TRUE(receiver.wait_for(1));
    drain();
    EXPECT_EQ(mail_to("eli@example.com").size(), 1u) << "eli follows the website only";
    auto dana = mail_to("dana@example.com");
    ASSERT_EQ(dana.size(), 2u);
    const auto& notice = dana[1].raw;
    EXPECT_NE(header_of(notice, "Subject").find("Scheduled maintenance: Mail <upgrade>: Scheduled"), std::string::npos)
        << notice;
    EXPECT_NE(notice.find("Mail waits for an hour."), std::string::npos) << notice;
    EXPECT_NE(notice.find("/status/maintenances/" + std::to_string(id)), std::string::npos) << notice;
    EXPECT_EQ(header_of(notice, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    EXPECT_NE(twilio.requests().at(0).body.find("Scheduled maintenance: Mail <upgrade>"), std::string::npos);
    auto delivered = receiver.hooks().at(0);
    EXPECT_EQ(delivered.signature, "sha256=" + hmac_sha256_hex(secret, delivered.timestamp + "." + delivered.body));
    auto payload = json::parse(delivered.body).as_object();
    const auto& m = payload["scheduled_maintenance"].as_object();
    EXPECT_EQ(m.at("name"), "Mail <upgrade>");
    EXPECT_EQ(m.at("impact"), "maintenance");
    EXPECT_EQ(std::string(m.at("scheduled_for").as_string()).substr(0, 19), at(std::chrono::hours(24)).substr(0, 19));

    // Cancelling says so, to the same people.
    res = server->post_json("/api/v1/status/maintenances/" + std::to_string(id) + "/cancel", "{}", admin);
    ASSERT_EQ(res.status, 200) << res.body;
    ASSERT_TRUE(sink.wait_for(4));
    drain();
    EXPECT_NE(header_of(mail_to("dana@example.com").at(2).raw, "Subject").find(": Cancelled"), std::string::npos);
    EXPECT_EQ(mail_to("eli@example.com").size(), 1u);
}

TEST_F(Subscribers, BadInputIsExplainedAndFloodsAreRefused)
{
    auto res = subscribe("email", "not-an-address");
    EXPECT_EQ(res.status, 400);
    EXPECT_NE(res.body.find("is not an email address"), std::string::npos) << res.body;
    res = subscribe("sms", "555-0100");
    EXPECT_EQ(res.status, 400);
    EXPECT_NE(res.body.find("international format"), std::string::npos) << res.body;
    res = subscribe("webhook", "ftp://hooks.example/x");
    EXPECT_EQ(res.status, 400);
    EXPECT_NE(res.body.find("https://"), std::string::npos) << res.body;
    res = subscribe("email", "dave@example.com", {999});
    EXPECT_EQ(res.status, 400);

    res = server->post_json("/api/v1/status/subscribers", R"({"channel":"sms","address":"12"})", admin);
    EXPECT_EQ(res.status, 400);
    EXPECT_EQ(res.header("content-type"), "application/problem+json");
    EXPECT_NE(res.body.find("\"address\""), std::string::npos) << res.body;

    // A cross-site post of the form is refused.
    res = server->request("POST", "/status/subscribe", "channel=email&address=eve%40example.com",
                          {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", "https://evil.example"}});
    EXPECT_EQ(res.status, 403);

    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(subscribe("email", "victim@example.com").status, 201);
    res = subscribe("email", "victim@example.com");
    EXPECT_EQ(res.status, 429) << "one inbox gets at most three confirmation requests an hour";
    drain();
    EXPECT_EQ(mail_to("victim@example.com").size(), 3u);

    // Twenty requests an hour from one client address, whatever they subscribe (four were used above).
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(subscribe("webhook", "https://hooks.example/" + std::to_string(i)).status, 201) << i;
    EXPECT_EQ(subscribe("webhook", "https://hooks.example/one-more").status, 429);
}

TEST_F(Subscribers, FailingWebhookIsRetriedThenDisabledAndTheAdminIsTold)
{
    auto api = component("API");
    ASSERT_EQ(subscribe("webhook", receiver.url("/fail/here"), {api}).status, 201);
    auto res =
        server->post_json("/api/v1/status/incidents",
                          R"({"name":"Down","body":"Looking.","component_ids":[)" + std::to_string(api) + "]}", admin);
    ASSERT_EQ(res.status, 201) << res.body;
    ASSERT_TRUE(receiver.wait_for(2, 15s)) << "retried after a 500";
    ASSERT_TRUE(sink.wait_for(1, 15s));
    auto notice = mail_to("admin@desk.test");
    ASSERT_EQ(notice.size(), 1u);
    EXPECT_NE(notice[0].raw.find("Status page webhook disabled"), std::string::npos);
    auto list = parse_object(server->get("/api/v1/status/subscribers", admin).body)["data"].as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].at("state"), "disabled");
    EXPECT_NE(std::string(list[0].at("disabled_reason").as_string()).find("answered 500"), std::string::npos);

    auto id = std::to_string(list[0].at("id").as_int64());
    EXPECT_EQ(server->request("DELETE", "/api/v1/status/subscribers/" + id, {}, {{"Authorization", "Bearer " + admin}})
                  .status,
              204);
    EXPECT_EQ(server->request("DELETE", "/api/v1/status/subscribers/" + id, {}, {{"Authorization", "Bearer " + admin}})
                  .status,
              404);
}

class SubscriberPages : public DemoPages {};

TEST_F(SubscriberPages, StatusPageLinksTheFormAndOnlyAdminsSeeTheConsolePage)
{
    auto status = server->get("/status");
    EXPECT_TRUE(contains(status.body, "href=\"/status/subscribe\"")) << status.body;
    auto form = server->get("/status/subscribe");
    EXPECT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "name=\"channel\" value=\"webhook\"")) << form.body;

    auto hook = server->request("POST", "/status/subscribe",
                                "channel=webhook&address=" + form_encode("https://hooks.example/<b>x</b>"),
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(hook.status, 201) << hook.body;
    EXPECT_FALSE(contains(hook.body, "<b>x</b>")) << "the address is escaped on the page";

    auto page = sign_in(kAdmin).get("/console/status/subscribers");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Status page subscribers"));
    EXPECT_TRUE(contains(page.body, "https://hooks.example/&lt;b&gt;x&lt;/b&gt;")) << page.body;
    EXPECT_EQ(sign_in(kTom).get("/console/status/subscribers").status, 403);
    EXPECT_EQ(server->get("/api/v1/status/subscribers", create_token(dir.path(), kTom)).status, 403);
}

}  // namespace
}  // namespace lifeline::testing
