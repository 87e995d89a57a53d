// The email channel end to end with real parts: swaks speaking LMTP to the listener, `lifeline mailgate`, the
// real binary, and an aiosmtpd relay receiving what we send.
#include "support/server_process.hpp"
#include "support/smtp_sink.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <thread>

namespace lifeline::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

json::object parse(const std::string& body)
{
    return json::parse(body).as_object();
}

std::string header(const std::string& raw, const std::string& name)
{
    std::regex re("(^|\\r?\\n)" + name + ":[ \\t]*([^\\r\\n]*(\\r?\\n[ \\t][^\\r\\n]*)*)", std::regex::icase);
    std::smatch m;
    if (!std::regex_search(raw, m, re)) return {};
    return std::regex_replace(m[2].str(), std::regex("\\r?\\n[ \\t]+"), " ");
}

std::string strip_brackets(std::string id)
{
    if (!id.empty() && id.front() == '<') id.erase(0, 1);
    if (!id.empty() && id.back() == '>') id.pop_back();
    return id;
}

// Runs a shell command, returning its exit code and output.
std::pair<int, std::string> shell(const std::string& command)
{
    std::string out;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string message(const std::string& from, const std::string& subject, const std::string& body,
                    const std::string& message_id, const std::string& extra_headers = {})
{
    return "From: " + from + "\r\nTo: support@desk.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + message_id +
           ">\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
           "charset=utf-8\r\n" +
           extra_headers + "\r\n" + body + "\r\n";
}

class EmailFlow : public ::testing::Test {
protected:
    void SetUp() override
    {
        token = init_desk(dir.path(), "admin@desk.test");
        config = dir.path() + "/lifeline.toml";
        std::ofstream(config)
            << "mail_from = \"support@desk.test\"\noutbox_retry_base_seconds = 1\naccess_log = false\n";
        start();
    }
    void start()
    {
        server = std::make_unique<ServerProcess>(
            "serve", dir.path(),
            std::vector<std::string>{"--config", config, "--lmtp-listen", "127.0.0.1:0", "--smtp-relay", sink.url()});
    }
    // Feeds a message to `lifeline mailgate`; returns its exit code.
    int mailgate(const std::string& raw, int port = 0)
    {
        auto file = dir.path() + "/in.eml";
        std::ofstream(file, std::ios::binary) << raw;
        auto url = "http://127.0.0.1:" + std::to_string(port ? port : server->port());
        return shell(lifeline_binary() + " mailgate --url " + url + " --token " + token + " < " + file).first;
    }
    json::array tickets() { return parse(server->get("/api/v1/tickets", token).body)["data"].as_array(); }

    TempDir dir;
    SmtpSink sink;
    std::string token;
    std::string config;
    std::unique_ptr<ServerProcess> server;
};

TEST_F(EmailFlow, LmtpMessageBecomesATicketAndTheSenderGetsAThreadedAcknowledgement)
{
    auto file = dir.path() + "/first.eml";
    std::ofstream(file, std::ios::binary) << message("Maria Lopez <maria@bakery.test>", "Checkout is broken",
                                                     "Every order fails at payment.", "first@bakery.test");
    auto [code, out] = shell("swaks --protocol LMTP --server 127.0.0.1 --port " + std::to_string(server->lmtp_port()) +
                             " --from maria@bakery.test --to support@desk.test --data @" + file);
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("250"), std::string::npos) << out;
    auto list = tickets();
    ASSERT_EQ(list.size(), 1u);
    std::string ref(list[0].as_object()["ref"].as_string());
    EXPECT_EQ(list[0].as_object()["channel"].as_string(), "email");

    ASSERT_TRUE(sink.wait_for(1, 10s));
    auto ack = sink.messages().at(0);
    EXPECT_EQ(ack.recipients, std::vector<std::string>{"maria@bakery.test"});
    EXPECT_NE(header(ack.raw, "Subject").find("[" + ref + "]"), std::string::npos) << ack.raw;
    EXPECT_EQ(strip_brackets(header(ack.raw, "In-Reply-To")), "first@bakery.test");
    EXPECT_NE(header(ack.raw, "References").find("<first@bakery.test>"), std::string::npos);
    EXPECT_EQ(header(ack.raw, "Auto-Submitted"), "auto-replied");
    EXPECT_NE(ack.raw.find(ref), std::string::npos);

    // The customer answers the acknowledgement: it joins the ticket by In-Reply-To.
    auto ack_id = strip_brackets(header(ack.raw, "Message-I[dD]"));
    ASSERT_FALSE(ack_id.empty());
    ASSERT_EQ(mailgate(message("maria@bakery.test", "Re: whatever the client did to the subject",
                               "Here is a screenshot.", "second@bakery.test", "In-Reply-To: <" + ack_id + ">\r\n")),
              0);
    ASSERT_EQ(tickets().size(), 1u);
    auto view = parse(server->get("/api/v1/tickets/" + ref, token).body);
    EXPECT_EQ(view["messages"].as_array().size(), 2u);

    // An agent's reply reaches the customer threaded under the conversation.
    ASSERT_EQ(server
                  ->post_json("/api/v1/tickets/" + ref + "/replies",
                              R"({"body":"Fixed: the payment key had expired."})", token)
                  .status,
              201);
    ASSERT_TRUE(sink.wait_for(2, 10s));
    auto reply = sink.messages().at(1);
    EXPECT_NE(header(reply.raw, "Subject").find("[" + ref + "]"), std::string::npos);
    EXPECT_EQ(strip_brackets(header(reply.raw, "In-Reply-To")), "second@bakery.test");
    auto refs = header(reply.raw, "References");
    EXPECT_NE(refs.find("<first@bakery.test>"), std::string::npos) << refs;
    EXPECT_NE(refs.find("<" + ack_id + ">"), std::string::npos) << refs;
    EXPECT_TRUE(header(reply.raw, "Auto-Submitted").empty());
    auto deliveries = parse(server->get("/api/v1/tickets/" + ref + "/emails", token).body)["data"].as_array();
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_EQ(deliveries[0].as_object()["state"].as_string(), "sent");
}

TEST_F(EmailFlow, SubjectTagJoinsWhenHeadersAreLost)
{
    ASSERT_EQ(mailgate(message("jon@northwind.test", "VPN drops", "Every few minutes.", "a@northwind.test")), 0);
    std::string ref(tickets()[0].as_object()["ref"].as_string());
    ASSERT_EQ(
        mailgate(message("jon@northwind.test", "RE: [" + ref + "] VPN drops", "Still happening.", "b@northwind.test")),
        0);
    ASSERT_EQ(tickets().size(), 1u);
    EXPECT_EQ(parse(server->get("/api/v1/tickets/" + ref, token).body)["messages"].as_array().size(), 2u);
}

TEST_F(EmailFlow, RedeliveredMessageIsNotDuplicated)
{
    auto raw = message("jon@northwind.test", "Printer", "Jammed.", "same@northwind.test");
    ASSERT_EQ(mailgate(raw), 0);
    ASSERT_EQ(mailgate(raw), 0);
    EXPECT_EQ(tickets().size(), 1u);
    ASSERT_TRUE(sink.wait_for(1, 10s));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(EmailFlow, AutomaticMailGetsNoAcknowledgement)
{
    ASSERT_EQ(mailgate(message("jon@northwind.test", "Out of office", "I am away until Monday.", "ooo@northwind.test",
                               "Auto-Submitted: auto-replied\r\n")),
              0);
    ASSERT_EQ(mailgate(message("news@vendor.test", "Our newsletter", "Deals!", "news1@vendor.test",
                               "Precedence: bulk\r\nList-Id: <deals.vendor.test>\r\n")),
              0);
    ASSERT_EQ(mailgate(message("MAILER-DAEMON@relay.test", "Undeliverable", "gone", "md@relay.test")), 0);
    ASSERT_EQ(mailgate(message("real@customer.test", "Help", "Please call me.", "real@customer.test")), 0);
    ASSERT_TRUE(sink.wait_for(1, 10s));
    std::this_thread::sleep_for(1s);
    auto sent = sink.messages();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].recipients, std::vector<std::string>{"real@customer.test"});
}

TEST_F(EmailFlow, AcknowledgementsAreRateLimitedPerSender)
{
    for (int i = 0; i < 7; ++i)
        ASSERT_EQ(mailgate(message("loop@customer.test", "Ticket " + std::to_string(i), "x",
                                   "loop" + std::to_string(i) + "@c.test")),
                  0);
    EXPECT_EQ(tickets().size(), 7u);
    ASSERT_TRUE(sink.wait_for(5, 10s));
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(sink.messages().size(), 5u);
}

TEST_F(EmailFlow, MailgateExits75WhenTheServerIsDown)
{
    int port = server->port();
    server->stop();
    EXPECT_EQ(mailgate(message("x@customer.test", "Down", "x", "down@customer.test"), port), 75);
    EXPECT_EQ(
        shell(lifeline_binary() + " mailgate --url http://127.0.0.1:" + std::to_string(port) + " --token t < /dev/null")
            .first,
        65);
}

TEST_F(EmailFlow, MailgateRefusalsArePermanent)
{
    auto file = dir.path() + "/x.eml";
    std::ofstream(file) << message("x@customer.test", "Hi", "x", "perm@customer.test");
    auto url = " --url http://127.0.0.1:" + std::to_string(server->port());
    EXPECT_EQ(shell(lifeline_binary() + " mailgate" + url + " --token wrong < " + file).first, 77);
    std::ofstream(file) << "\x01\x02\x03 not an email";
    EXPECT_EQ(shell(lifeline_binary() + " mailgate" + url + " --token " + token + " < " + file).first, 65);
    EXPECT_EQ(tickets().size(), 0u);
}

TEST_F(EmailFlow, RelayDownQueuesAndDeliversEachMessageOnceWhenItReturns)
{
    sink.stop();
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(mailgate(message("c" + std::to_string(i) + "@customer.test", "Outage " + std::to_string(i), "x",
                                   "outage" + std::to_string(i) + "@customer.test")),
                  0);
    std::this_thread::sleep_for(2s);
    auto metrics = server->get("/metrics").body;
    EXPECT_NE(metrics.find("lifeline_outbox_pending 3"), std::string::npos) << metrics;
    sink.restart();
    ASSERT_TRUE(sink.wait_for(3, 20s));
    std::this_thread::sleep_for(2s);
    auto sent = sink.messages();
    EXPECT_EQ(sent.size(), 3u);
    std::set<std::string> ids;
    for (const auto& m : sent)
        ids.insert(header(m.raw, "Message-I[dD]"));
    EXPECT_EQ(ids.size(), 3u);
}

TEST_F(EmailFlow, OutboxSurvivesARestartWithoutSendingTwice)
{
    sink.stop();
    ASSERT_EQ(mailgate(message("r@customer.test", "Restart", "x", "restart@customer.test")), 0);
    server->kill_hard();
    sink.restart();
    start();
    ASSERT_TRUE(sink.wait_for(1, 20s));
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(EmailFlow, DeliveryReportIsRecordedAgainstTheOriginalNotTurnedIntoATicket)
{
    ASSERT_EQ(mailgate(message("typo@customer.test", "Hello", "x", "dsn-origin@customer.test")), 0);
    ASSERT_TRUE(sink.wait_for(1, 10s));
    auto ack_id = strip_brackets(header(sink.messages().at(0).raw, "Message-I[dD]"));
    std::string ref(tickets()[0].as_object()["ref"].as_string());
    std::string dsn =
        "From: MAILER-DAEMON@relay.test\r\nTo: support@desk.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn1@relay.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
        "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.test\r\n\r\n"
        "Final-Recipient: rfc822; typo@customer.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@desk.test\r\nTo: typo@customer.test\r\n"
        "Message-ID: <" +
        ack_id + ">\r\nSubject: [" + ref + "] Hello\r\n\r\n--b1--\r\n";
    ASSERT_EQ(mailgate(dsn), 0);
    EXPECT_EQ(tickets().size(), 1u);
    auto deliveries = parse(server->get("/api/v1/tickets/" + ref + "/emails", token).body)["data"].as_array();
    ASSERT_EQ(deliveries.size(), 1u);
    std::string bounce(deliveries[0].as_object()["bounce"].as_string());
    EXPECT_NE(bounce.find("typo@customer.test"), std::string::npos) << bounce;
    EXPECT_NE(bounce.find("5.1.1"), std::string::npos) << bounce;
}

TEST_F(EmailFlow, AttachmentsAreKeptAndDownloadable)
{
    std::string raw =
        "From: maria@bakery.test\r\nTo: support@desk.test\r\nSubject: Screenshot\r\nMessage-ID: <att@bakery.test>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: "
        "text/plain\r\n\r\n"
        "See attached.\r\n--x\r\nContent-Type: text/plain; name=\"error.log\"\r\nContent-Disposition: attachment; "
        "filename=\"error.log\"\r\nContent-Transfer-Encoding: base64\r\n\r\nRkFUQUw6IGRpc2sgZnVsbAo=\r\n--x--\r\n";
    ASSERT_EQ(mailgate(raw), 0);
    std::string ref(tickets()[0].as_object()["ref"].as_string());
    auto list = parse(server->get("/api/v1/tickets/" + ref + "/attachments", token).body)["data"].as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].as_object()["filename"].as_string(), "error.log");
    auto download = server->get(std::string(list[0].as_object()["download"].as_string()), token);
    EXPECT_EQ(download.status, 200);
    EXPECT_EQ(download.body, "FATAL: disk full\n");
    EXPECT_NE(download.header("content-disposition").find("attachment"), std::string::npos);
}

TEST_F(EmailFlow, UnknownSendersCanBeHeldForReview)
{
    server->stop();
    std::ofstream(config, std::ios::app) << "unknown_senders = \"hold\"\n";
    start();
    ASSERT_EQ(mailgate(message("stranger@unknown.test", "Buy now", "spam?", "held@unknown.test")), 0);
    ASSERT_EQ(mailgate(message("customer@unknown.test", "Real problem", "help", "held2@unknown.test")), 0);
    EXPECT_EQ(tickets().size(), 0u);
    auto held = parse(server->get("/api/v1/held-emails", token).body)["data"].as_array();
    ASSERT_EQ(held.size(), 2u);
    auto id_of = [&](const std::string& from) {
        for (const auto& h : held)
            if (h.as_object().at("from").as_string() == from) return std::to_string(h.as_object().at("id").as_int64());
        return std::string();
    };
    auto released = server->post_json("/api/v1/held-emails/" + id_of("customer@unknown.test") + "/release", "", token);
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(parse(released.body)["outcome"].as_string(), "created");
    auto discarded = server->request("DELETE", "/api/v1/held-emails/" + id_of("stranger@unknown.test"), {},
                                     {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(discarded.status, 200);
    EXPECT_EQ(parse(server->get("/api/v1/held-emails", token).body)["data"].as_array().size(), 0u);
    EXPECT_EQ(tickets().size(), 1u);
    // A known person (here the admin) still opens a ticket.
    ASSERT_EQ(mailgate(message("admin@desk.test", "Internal", "a real request", "known@desk.test")), 0);
    EXPECT_EQ(tickets().size(), 2u);
}

}  // namespace
}  // namespace lifeline::testing
