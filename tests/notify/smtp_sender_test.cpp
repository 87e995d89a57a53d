// compose() is checked by parsing its output back with GMime; SmtpSender talks to a real SMTP server (aiosmtpd).
#include "notify/email/smtp_sender.hpp"
#include "support/smtp_sink.hpp"

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <regex>
#include <sys/socket.h>
#include <unistd.h>

namespace lifeline::notify::email {
namespace {

using Outcome = SendResult::Outcome;
using testing::SmtpSink;
using testing::SmtpSinkOptions;

struct GObjectUnref {
    void operator()(gpointer object) const
    {
        if (object) g_object_unref(object);
    }
};
template <class T> using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

// A parsed message, and the helpers to read it.
class Parsed {
public:
    explicit Parsed(const std::string& raw)
    {
        static std::once_flag once;
        std::call_once(once, [] { g_mime_init(); });
        GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
        GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
        message_.reset(g_mime_parser_construct_message(parser.get(), nullptr));
        if (!message_) throw std::runtime_error("GMime could not parse the message");
    }

    std::string header(const char* name) const
    {
        const char* value = g_mime_object_get_header(GMIME_OBJECT(message_.get()), name);
        return value ? value : "";
    }
    bool has_header(const char* name) const
    {
        return g_mime_object_get_header(GMIME_OBJECT(message_.get()), name) != nullptr;
    }
    std::string subject() const
    {
        const char* subject = g_mime_message_get_subject(message_.get());
        return subject ? subject : "";
    }
    std::string message_id() const
    {
        const char* id = g_mime_message_get_message_id(message_.get());
        return id ? id : "";
    }
    std::pair<std::string, std::string> mailbox(GMimeAddressType type) const
    {
        auto* list = g_mime_message_get_addresses(message_.get(), type);
        if (internet_address_list_length(list) != 1) return {};
        auto* address = internet_address_list_get_address(list, 0);
        const char* name = internet_address_get_name(address);
        return {name ? name : "", internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))};
    }
    std::vector<std::string> references() const
    {
        std::vector<std::string> out;
        auto value = header("References");
        GMimeReferences* references = g_mime_references_parse(nullptr, value.c_str());
        for (int i = 0; i < g_mime_references_length(references); ++i)
            out.emplace_back(g_mime_references_get_message_id(references, i));
        g_mime_references_free(references);
        return out;
    }
    long long date_unix() const
    {
        GDateTime* date = g_mime_message_get_date(message_.get());
        return date ? g_date_time_to_unix(date) : 0;
    }
    GMimeTextPart* text_part() const
    {
        GMimeObject* body = g_mime_message_get_mime_part(message_.get());
        return body && GMIME_IS_TEXT_PART(body) ? GMIME_TEXT_PART(body) : nullptr;
    }
    std::string text() const
    {
        auto* part = text_part();
        if (!part) return "";
        // Decoded content keeps the wire's CRLF; compare with drafts in LF.
        char* text = g_mime_text_part_get_text(part);
        std::string out;
        for (const char* c = text; c && *c; ++c)
            if (!(c[0] == '\r' && c[1] == '\n')) out.push_back(*c);
        g_free(text);
        return out;
    }

private:
    GObjectPtr<GMimeMessage> message_;
};

Draft sample_draft()
{
    Draft draft;
    draft.from_address = "support@desk.example";
    draft.from_name = "Lifeline Support";
    draft.to_address = "ada@customer.example";
    draft.to_name = "Ada Lovelace";
    draft.subject = "[LL-1042] Shop is down";
    draft.text = "Hello Ada,\n\nWe are looking into it.\n\n-- \nLifeline Support\n";
    draft.message_id = "reply-1@desk.example";
    return draft;
}

// The header block of a raw message (up to the blank line).
std::string headers_of(const std::string& raw)
{
    return raw.substr(0, raw.find("\r\n\r\n"));
}

bool crlf_only(const std::string& raw)
{
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) return false;
        if (raw[i] == '\r' && (i + 1 == raw.size() || raw[i + 1] != '\n')) return false;
    }
    return true;
}

bool all_ascii(const std::string& text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

SmtpConfig config_for(const std::string& url)
{
    SmtpConfig config;
    config.url = url;
    config.timeout = std::chrono::seconds(10);
    return config;
}

// A TCP port on 127.0.0.1 that accepts connections (the kernel completes them) but never says a word.
class SilentListener {
public:
    SilentListener()
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 8) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("SilentListener: could not listen");
        port_ = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(fd_); }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

// compose()

TEST(Compose, HeadersParseBack)
{
    const auto before =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto raw = compose(sample_draft());
    const Parsed parsed(raw);

    EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_FROM),
              (std::pair<std::string, std::string>{"Lifeline Support", "support@desk.example"}));
    EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_TO),
              (std::pair<std::string, std::string>{"Ada Lovelace", "ada@customer.example"}));
    EXPECT_EQ(parsed.subject(), "[LL-1042] Shop is down");
    EXPECT_EQ(parsed.message_id(), "reply-1@desk.example");
    EXPECT_NE(headers_of(raw).find("\r\nMessage-Id: <reply-1@desk.example>"), std::string::npos) << raw;
    EXPECT_EQ(parsed.header("MIME-Version"), "1.0");
    EXPECT_NEAR(static_cast<double>(parsed.date_unix()), static_cast<double>(before), 5.0);
    EXPECT_TRUE(std::regex_search(parsed.header("Date"),
                                  std::regex(R"(^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$)")))
        << parsed.header("Date");
    ASSERT_NE(parsed.text_part(), nullptr);
    EXPECT_STREQ(g_mime_text_part_get_charset(parsed.text_part()), "utf-8");
    EXPECT_EQ(g_mime_part_get_content_encoding(GMIME_PART(parsed.text_part())), GMIME_CONTENT_ENCODING_7BIT);
    EXPECT_EQ(parsed.text(), sample_draft().text);
    EXPECT_FALSE(parsed.has_header("In-Reply-To"));
    EXPECT_FALSE(parsed.has_header("References"));
    EXPECT_FALSE(parsed.has_header("X-Loop"));
}

TEST(Compose, ThreadingHeadersCarryTheConversation)
{
    auto draft = sample_draft();
    draft.in_reply_to = "customer-2@mail.example";
    draft.references = {"ticket-1042@desk.example", "customer-1@mail.example", "customer-2@mail.example"};
    const Parsed parsed(compose(draft));

    EXPECT_EQ(parsed.header("In-Reply-To"), "<customer-2@mail.example>");
    EXPECT_EQ(parsed.references(), draft.references);
}

TEST(Compose, NonAsciiSubjectNamesAndTextRoundTrip)
{
    auto draft = sample_draft();
    draft.subject = "[LL-7] Café ☕ ご注文について";
    draft.from_name = "Équipe Lifeline";
    draft.to_name = "山田 太郎";
    draft.text = "Bonjour, votre café ☕ arrive.\nお問い合わせありがとうございます。\n";
    const auto raw = compose(draft);
    const Parsed parsed(raw);

    EXPECT_TRUE(all_ascii(raw)) << "headers must be RFC 2047-encoded and the body transfer-encoded";
    auto headers = headers_of(raw);
    std::transform(headers.begin(), headers.end(), headers.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_NE(headers.find("subject: [ll-7] =?utf-8?"), std::string::npos) << headers;
    EXPECT_EQ(parsed.subject(), draft.subject);
    EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_FROM).first, "Équipe Lifeline");
    EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_TO).first, "山田 太郎");
    ASSERT_NE(parsed.text_part(), nullptr);
    EXPECT_STREQ(g_mime_text_part_get_charset(parsed.text_part()), "utf-8");
    EXPECT_EQ(g_mime_part_get_content_encoding(GMIME_PART(parsed.text_part())), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    EXPECT_EQ(parsed.text(), draft.text);
}

TEST(Compose, UsesCrlfLineEndingsOnly)
{
    auto draft = sample_draft();
    draft.text = "unix\nwindows\r\nold mac\rlast line without newline";
    draft.references = std::vector<std::string>(30, "a-rather-long-message-identifier@mail.example");
    draft.subject = std::string(2000, 'x');
    const auto raw = compose(draft);

    EXPECT_TRUE(crlf_only(raw)) << raw;
    EXPECT_EQ(Parsed(raw).text(), "unix\nwindows\nold mac\nlast line without newline\n");
    EXPECT_EQ(Parsed(raw).subject(), draft.subject);
    for (std::size_t start = 0, end; (end = raw.find("\r\n", start)) != std::string::npos; start = end + 2)
        EXPECT_LE(end - start, 998u) << "line too long for SMTP";
}

TEST(Compose, AutoSubmittedOnlyWhenAutomatic)
{
    auto draft = sample_draft();
    const Parsed personal(compose(draft));
    EXPECT_FALSE(personal.has_header("Auto-Submitted"));
    EXPECT_FALSE(personal.has_header("X-Auto-Response-Suppress"));

    draft.automatic = true;
    const Parsed automatic(compose(draft));
    EXPECT_EQ(automatic.header("Auto-Submitted"), "auto-replied");
    EXPECT_EQ(automatic.header("X-Auto-Response-Suppress"), "All");
}

TEST(Compose, LoopMarkerWhenSet)
{
    auto draft = sample_draft();
    draft.loop_marker = "support@desk.example";
    EXPECT_EQ(Parsed(compose(draft)).header("X-Loop"), "support@desk.example");
}

TEST(Compose, LineBreaksInHeaderFieldsCannotAddHeaders)
{
    auto draft = sample_draft();
    draft.subject = "Hello\r\nBcc: victim@elsewhere.example";
    draft.to_name = "Ada\nX-Injected: yes";
    draft.message_id = "id@desk.example>\r\nX-Injected: yes";
    const auto raw = compose(draft);
    const Parsed parsed(raw);

    EXPECT_TRUE(crlf_only(raw));
    EXPECT_FALSE(parsed.has_header("Bcc"));
    EXPECT_FALSE(parsed.has_header("X-Injected"));
    EXPECT_EQ(parsed.subject(), "Hello  Bcc: victim@elsewhere.example");
}

TEST(NewMessageId, RandomHexThenMillisecondsThenDomain)
{
    const auto before =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const auto id = new_message_id("desk.example");
    std::smatch match;
    ASSERT_TRUE(std::regex_match(id, match, std::regex(R"(^([0-9a-f]{32})\.(\d+)@desk\.example$)"))) << id;
    EXPECT_NEAR(static_cast<double>(std::stoll(match[2])), static_cast<double>(before), 5000.0);
    EXPECT_NE(new_message_id("desk.example"), id);
    EXPECT_TRUE(std::regex_match(new_message_id(""), std::regex(R"(^[0-9a-f]{32}\.\d+@lifeline\.invalid$)")));
}

// SmtpSender against a real relay

TEST(SmtpSender, DeliversToARealRelay)
{
    SmtpSink sink;
    auto draft = sample_draft();
    draft.text = "Line one.\n.\n.leading dot\nCafé ☕\n";  // a lone dot must not end DATA early
    const auto message = compose(draft);

    const auto result = SmtpSender(config_for(sink.url())).send("bounces@desk.example", draft.to_address, message);

    EXPECT_EQ(result.outcome, Outcome::Sent) << result.detail;
    EXPECT_EQ(result.smtp_code, 250);
    EXPECT_NE(result.detail.find("accepted"), std::string::npos) << result.detail;
    ASSERT_TRUE(sink.wait_for(1));
    const auto received = sink.messages();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].envelope_from, "bounces@desk.example");
    EXPECT_EQ(received[0].recipients, std::vector<std::string>{"ada@customer.example"});
    EXPECT_EQ(received[0].raw, message);
    const Parsed parsed(received[0].raw);
    EXPECT_EQ(parsed.message_id(), "reply-1@desk.example");
    EXPECT_EQ(parsed.text(), draft.text);
}

TEST(SmtpSender, EmptyEnvelopeSenderIsTheNullSender)
{
    SmtpSink sink;
    const auto result = SmtpSender(config_for(sink.url())).send("", "ada@customer.example", compose(sample_draft()));

    EXPECT_EQ(result.outcome, Outcome::Sent) << result.detail;
    ASSERT_TRUE(sink.wait_for(1));
    EXPECT_EQ(sink.messages()[0].envelope_from, "");
}

TEST(SmtpSender, RelayDownIsATemporaryFailure)
{
    SmtpSink sink;
    sink.stop();

    const auto result = SmtpSender(config_for(sink.url()))
                            .send("bounces@desk.example", "ada@customer.example", compose(sample_draft()));

    EXPECT_EQ(result.outcome, Outcome::TemporaryFailure);
    EXPECT_EQ(result.smtp_code, 0);
    EXPECT_NE(result.detail.find("could not connect to the SMTP relay at " + sink.url()), std::string::npos)
        << result.detail;
    EXPECT_NE(result.detail.find("curl error 7"), std::string::npos) << result.detail;
}

TEST(SmtpSender, RelayComingBackIsSent)
{
    SmtpSink sink;
    const SmtpSender sender(config_for(sink.url()));
    const auto message = compose(sample_draft());
    sink.stop();
    ASSERT_EQ(sender.send("bounces@desk.example", "ada@customer.example", message).outcome, Outcome::TemporaryFailure);

    sink.restart();
    const auto result = sender.send("bounces@desk.example", "ada@customer.example", message);

    EXPECT_EQ(result.outcome, Outcome::Sent) << result.detail;
    ASSERT_TRUE(sink.wait_for(1));
    EXPECT_EQ(sink.messages()[0].raw, message);
}

TEST(SmtpSender, RelayThatNeverAnswersTimesOutAsATemporaryFailure)
{
    SilentListener silent;
    auto config = config_for("smtp://127.0.0.1:" + std::to_string(silent.port()));
    config.timeout = std::chrono::seconds(1);

    const auto result =
        SmtpSender(config).send("bounces@desk.example", "ada@customer.example", compose(sample_draft()));

    EXPECT_EQ(result.outcome, Outcome::TemporaryFailure);
    EXPECT_NE(result.detail.find("did not finish within 1 s"), std::string::npos) << result.detail;
    EXPECT_NE(result.detail.find("curl error 28"), std::string::npos) << result.detail;
}

TEST(SmtpSender, RejectedRecipientIsAPermanentFailure)
{
    SmtpSinkOptions options;
    options.fail_recipients = {"nobody@customer.example"};
    SmtpSink sink(options);

    const auto result = SmtpSender(config_for(sink.url()))
                            .send("bounces@desk.example", "nobody@customer.example", compose(sample_draft()));

    EXPECT_EQ(result.outcome, Outcome::PermanentFailure);
    EXPECT_EQ(result.smtp_code, 550);
    EXPECT_NE(result.detail.find("rejected the recipient <nobody@customer.example>"), std::string::npos)
        << result.detail;
    EXPECT_NE(result.detail.find("550 5.1.1"), std::string::npos) << result.detail;
    EXPECT_NE(result.detail.find("RCPT failed: 550"), std::string::npos) << result.detail;
    EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpSender, DeferredMessageIsATemporaryFailureThenSent)
{
    SmtpSinkOptions options;
    options.tempfail_first = 1;
    SmtpSink sink(options);
    const SmtpSender sender(config_for(sink.url()));
    const auto message = compose(sample_draft());

    const auto deferred = sender.send("bounces@desk.example", "ada@customer.example", message);
    EXPECT_EQ(deferred.outcome, Outcome::TemporaryFailure);
    EXPECT_EQ(deferred.smtp_code, 451);
    EXPECT_NE(deferred.detail.find("451 4.3.0"), std::string::npos) << deferred.detail;
    EXPECT_TRUE(sink.messages().empty());

    const auto retried = sender.send("bounces@desk.example", "ada@customer.example", message);
    EXPECT_EQ(retried.outcome, Outcome::Sent) << retried.detail;
    EXPECT_TRUE(sink.wait_for(1));
}

TEST(SmtpSender, AddressWithLineBreakIsRejectedBeforeConnecting)
{
    SmtpSink sink;
    const SmtpSender sender(config_for(sink.url()));
    const auto message = compose(sample_draft());

    const auto bad_recipient =
        sender.send("bounces@desk.example", "ada@customer.example>\r\nRCPT TO:<other@elsewhere.example", message);
    const auto bad_sender = sender.send("a@desk.example\r\nRSET", "ada@customer.example", message);
    const auto empty_recipient = sender.send("bounces@desk.example", "", message);

    for (const auto& result : {bad_recipient, bad_sender, empty_recipient}) {
        EXPECT_EQ(result.outcome, Outcome::PermanentFailure);
        EXPECT_EQ(result.smtp_code, 0);
        EXPECT_NE(result.detail.find("is not a valid mailbox"), std::string::npos) << result.detail;
    }
    EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpSender, UnsupportedUrlSchemeIsATemporaryFailureNamingTheProblem)
{
    const auto result = SmtpSender(config_for("http://user:secret@127.0.0.1:1/"))
                            .send("bounces@desk.example", "ada@customer.example", compose(sample_draft()));

    EXPECT_EQ(result.outcome, Outcome::TemporaryFailure);
    EXPECT_NE(result.detail.find("curl error 1"), std::string::npos) << result.detail;
    EXPECT_EQ(result.detail.find("secret"), std::string::npos) << "credentials must not reach the console";
}

}  // namespace
}  // namespace lifeline::notify::email
