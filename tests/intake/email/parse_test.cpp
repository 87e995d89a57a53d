// parse_email, strip_quoted_reply, html_to_text and is_automatic against the hand-written corpus in fixtures/.
#include "intake/email/parsed_email.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace lifeline::intake::email {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = LIFELINE_EMAIL_FIXTURES;

std::string read_fixture(const std::string& name)
{
    std::ifstream in(kFixtures / name, std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing fixture " << name;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Parses a fixture that must parse; the test stops when it does not.
#define PARSE_FIXTURE(var, name, ...)                                                                                  \
    auto var##_result = parse_email(read_fixture(name) __VA_OPT__(, ) __VA_ARGS__);                                    \
    ASSERT_TRUE(var##_result.ok()) << name << ": " << var##_result.error().message();                                  \
    const ParsedEmail& var = *var##_result

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

bool any_problem_contains(const ParsedEmail& email, const std::string& needle)
{
    return std::any_of(email.problems.begin(), email.problems.end(),
                       [&](const std::string& problem) { return contains(problem, needle); });
}

std::string problems_of(const ParsedEmail& email)
{
    std::string out;
    for (const std::string& problem : email.problems)
        out += problem + "; ";
    return out;
}

std::string sha256_hex(const std::string& data)
{
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
}

core::UtcTime utc(int year, unsigned month, unsigned day, int hour, int minute, int second)
{
    using namespace std::chrono;
    return time_point_cast<milliseconds>(sys_days{std::chrono::year{year} / std::chrono::month{month} / day} +
                                         hours{hour} + minutes{minute} + seconds{second});
}

constexpr const char* kPdfSha256 = "0c57c5334ee551035603cc220f86b25a4ee98666e3753def892c357c73c5fdf6";
constexpr std::size_t kPdfSize = 218;
constexpr const char* kPngSha256 = "82a863b49326dda66ddebb1e9822598c95d60a07792cdc9c07b0f1e196f8ee49";
constexpr const char* kPng2Sha256 = "fcb09310fd611849858d7876cb81b1df51857563331922b6a3b83aa9e4831b90";
constexpr std::size_t kPngSize = 69;

// ------------------------------------------------------------------------------------------------------
// Replies and quoted history.

TEST(ParseEmail, GmailReplyStripsQuotedHistory)
{
    PARSE_FIXTURE(email, "gmail_reply.eml");
    EXPECT_EQ(email.subject, "Re: [LL-1042] Oven timer resets overnight");
    EXPECT_EQ(email.from.email, "maria.lopez@harbourbakery.co.uk");
    EXPECT_EQ(email.from.name, "Maria Lopez");
    ASSERT_EQ(email.to.size(), 1u);
    EXPECT_EQ(email.to[0].email, "support@lifeline.example");
    EXPECT_EQ(email.to[0].name, "Lifeline Support");
    ASSERT_EQ(email.cc.size(), 1u);
    EXPECT_EQ(email.cc[0].email, "tom@harbourbakery.co.uk");
    EXPECT_EQ(email.message_id, "CAGx8k2Z+9fQ1bLr0w=Tq5vN@mail.gmail.com");
    EXPECT_EQ(email.in_reply_to, "ticket-1042.1@lifeline.example");
    EXPECT_EQ(email.references, std::vector<std::string>{"ticket-1042.1@lifeline.example"});
    ASSERT_TRUE(email.date.has_value());
    EXPECT_EQ(*email.date, utc(2026, 11, 23, 10, 13, 51));
    EXPECT_FALSE(email.body_was_html);
    EXPECT_TRUE(contains(email.text, "the timer was back at 00:00 when we opened at 5am"));
    EXPECT_TRUE(contains(email.text, "Could you tell us whether the timer resets every night?"));
    EXPECT_TRUE(contains(email.reply_text, "Photo of the panel is on its way."));
    EXPECT_TRUE(contains(email.reply_text, "Maria"));
    EXPECT_FALSE(contains(email.reply_text, "wrote:"));
    EXPECT_FALSE(contains(email.reply_text, "Could you tell us"));
    EXPECT_TRUE(email.attachments.empty());
    EXPECT_FALSE(is_automatic(email));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, OutlookReplyStripsFromSentBlock)
{
    PARSE_FIXTURE(email, "outlook_reply.eml");
    EXPECT_EQ(email.subject, "RE: [LL-1043] Invoice 2026-118 shows the wrong VAT rate");
    EXPECT_EQ(email.from.name, "Weber, Jonas");
    EXPECT_EQ(email.from.email, "jonas.weber@kaffeehaus-weber.example");
    EXPECT_EQ(email.message_id, "AM6PR05MB61204C0E1F2A9B3C8D7E6F5A9C2D0@AM6PR05MB6120.eurprd05.prod.outlook.com");
    EXPECT_EQ(email.in_reply_to, "ticket-1043.2@lifeline.example");
    EXPECT_EQ(email.references,
              (std::vector<std::string>{"ticket-1043.1@lifeline.example", "ticket-1043.2@lifeline.example"}));
    EXPECT_FALSE(contains(email.text, "\r"));
    EXPECT_TRUE(contains(email.text, "We have corrected the invoice"));
    EXPECT_TRUE(contains(email.reply_text, "Can you check line 3 again?"));
    EXPECT_TRUE(contains(email.reply_text, "Kaffeehaus Weber"));
    EXPECT_FALSE(contains(email.reply_text, "____"));
    EXPECT_FALSE(contains(email.reply_text, "Sent: Monday"));
    EXPECT_FALSE(contains(email.reply_text, "We have corrected the invoice"));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, OutlookOriginalMessageSeparatorIsStripped)
{
    PARSE_FIXTURE(email, "outlook_original_message.eml");
    EXPECT_EQ(email.message_id, "000a01dc5f3b$8e2c1a50$aa844ef0$@greenleaf-florists.example");
    ASSERT_TRUE(email.date.has_value());
    EXPECT_EQ(*email.date, utc(2026, 11, 25, 8, 32, 44));  // +0530 converted to UTC
    EXPECT_EQ(email.reply_text, "Thanks, that fixed it. We are open Sundays 10-14 from next week.\n\nPriya");
    EXPECT_TRUE(contains(email.text, "-----Original Message-----"));
}

TEST(ParseEmail, AppleMailReplyUnflowsAndStripsQuote)
{
    PARSE_FIXTURE(email, "apple_mail_reply.eml");
    EXPECT_EQ(email.message_id, "6F1C2B3A-9D8E-4F70-8A1B-2C3D4E5F6A7B@okafor-design.example");
    // format=flowed; delsp=yes: the soft break joins the two lines.
    EXPECT_TRUE(contains(email.text, "I could log in straight away."));
    EXPECT_TRUE(contains(email.text, "> Hi Sam, we have sent you a fresh reset link. It is valid for 30 minutes."));
    EXPECT_EQ(email.reply_text,
              "That worked, thank you! The new link arrived within a minute and I could log in straight away.\n\nSam");
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, GermanReplyStripsSchriebAttribution)
{
    PARSE_FIXTURE(email, "german_reply.eml");
    EXPECT_EQ(email.from.name, "Jürgen Krämer");
    EXPECT_EQ(email.subject, "AW: Kassensystem druckt keine Belege mehr");
    EXPECT_TRUE(contains(email.reply_text, "vielen Dank für die schnelle Hilfe!"));
    EXPECT_TRUE(contains(email.reply_text, "Grüße\nJürgen"));
    EXPECT_FALSE(contains(email.reply_text, "schrieb"));
    EXPECT_FALSE(contains(email.reply_text, "Drucker einmal neu"));
}

TEST(ParseEmail, BottomPostedReplyKeepsTextAfterQuote)
{
    PARSE_FIXTURE(email, "bottom_posted_reply.eml");
    EXPECT_EQ(email.reply_text, "Yes, it loads fine again on all phones we tried.\n\nLinus");
}

TEST(ParseEmail, SignatureIsStrippedFromReplyText)
{
    PARSE_FIXTURE(email, "signature_block.eml");
    EXPECT_TRUE(contains(email.text, "Greenleaf Florists"));
    EXPECT_EQ(email.reply_text, "Please add an account for our new florist, Anjali.");
}

// ------------------------------------------------------------------------------------------------------
// Structure and bodies.

TEST(ParseEmail, MultipartAlternativePrefersPlainText)
{
    PARSE_FIXTURE(email, "multipart_alternative.eml");
    EXPECT_EQ(email.text, "PLAIN VERSION: Can I export the class schedule as CSV?");
    EXPECT_FALSE(email.body_was_html);
    EXPECT_TRUE(email.attachments.empty());
}

TEST(ParseEmail, HtmlOnlyIsConvertedToText)
{
    PARSE_FIXTURE(email, "html_only.eml");
    EXPECT_TRUE(email.body_was_html);
    EXPECT_FALSE(contains(email.text, "IGNORED TITLE"));
    EXPECT_FALSE(contains(email.text, "font-family"));
    EXPECT_FALSE(contains(email.text, "alert"));
    EXPECT_FALSE(contains(email.text, "comment that must vanish"));
    EXPECT_FALSE(contains(email.text, "<"));
    EXPECT_TRUE(contains(email.text, "Hello team,\n\nOur booking form"));
    EXPECT_TRUE(contains(email.text, "a time > 17:00 & add a note with \"quotes\" or it's apostrophes."));
    EXPECT_TRUE(contains(email.text, "- Browser: Firefox 133\n- Page: booking page "
                                     "(https://haddad-motors.example/book?step=2)"));
    EXPECT_TRUE(contains(email.text, "Café €12 € ’"));
    EXPECT_TRUE(contains(email.text, "Line one\nLine two\nLine three"));
    EXPECT_TRUE(contains(email.text, "Cell A Cell B"));
    EXPECT_TRUE(contains(email.text, "[image: Haddad logo]"));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, InlineImageInRelatedIsInline)
{
    PARSE_FIXTURE(email, "inline_image_related.eml");
    EXPECT_TRUE(email.body_was_html);
    EXPECT_TRUE(contains(email.text, "The error looks like this:"));
    ASSERT_EQ(email.attachments.size(), 1u);
    const Attachment& image = email.attachments[0];
    EXPECT_EQ(image.filename, "Screenshot 2026-12-01 at 10.58.12.png");
    EXPECT_EQ(image.content_type, "image/png");
    EXPECT_TRUE(image.is_inline);
    EXPECT_EQ(image.size, kPngSize);
    EXPECT_EQ(image.sha256_hex, kPngSha256);
}

TEST(ParseEmail, NestedMultipartFindsBodyAndAllImages)
{
    PARSE_FIXTURE(email, "nested_multipart.eml");
    EXPECT_FALSE(email.body_was_html);
    EXPECT_TRUE(contains(email.text, "The logo upload fails with \"file too large\"."));
    EXPECT_FALSE(contains(email.text, "<p>"));
    ASSERT_EQ(email.attachments.size(), 2u);
    // The image of the HTML rendering is kept even though the plain text was shown.
    EXPECT_EQ(email.attachments[0].filename, "attachment-1.png");
    EXPECT_TRUE(email.attachments[0].is_inline);
    EXPECT_EQ(email.attachments[0].sha256_hex, kPng2Sha256);
    EXPECT_EQ(email.attachments[1].filename, "logo.png");
    EXPECT_FALSE(email.attachments[1].is_inline);
    EXPECT_EQ(email.attachments[1].sha256_hex, kPngSha256);
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, AttachmentsKeepNamesSizesAndHashes)
{
    PARSE_FIXTURE(email, "attachments_pdf_png.eml");
    EXPECT_EQ(email.text, "Photo and report attached.");
    ASSERT_EQ(email.attachments.size(), 3u);
    EXPECT_EQ(email.attachments[0].filename, "service-report.pdf");
    EXPECT_EQ(email.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(email.attachments[0].size, kPdfSize);
    EXPECT_EQ(email.attachments[0].data.size(), kPdfSize);
    EXPECT_TRUE(email.attachments[0].data.starts_with("%PDF-1.4"));
    EXPECT_EQ(email.attachments[0].sha256_hex, kPdfSha256);
    EXPECT_EQ(email.attachments[1].filename, "oven-panel.png");
    EXPECT_EQ(email.attachments[1].content_type, "image/png");
    EXPECT_EQ(email.attachments[1].size, kPngSize);
    EXPECT_EQ(email.attachments[1].sha256_hex, kPngSha256);
    EXPECT_FALSE(email.attachments[1].is_inline);
    EXPECT_EQ(email.attachments[2].filename, "attachment-3");
    EXPECT_EQ(email.attachments[2].data, std::string("\x00\x01\x02\x03unnamed", 11));
    EXPECT_EQ(email.attachments[2].sha256_hex, sha256_hex(email.attachments[2].data));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, AttachmentOverLimitKeepsNameTypeAndSize)
{
    ParseLimits limits;
    limits.max_attachment_bytes = 100;  // the PDF (218 bytes) is over, the PNG (69) is not
    PARSE_FIXTURE(email, "attachments_pdf_png.eml", limits);
    ASSERT_EQ(email.attachments.size(), 3u);
    EXPECT_EQ(email.attachments[0].filename, "service-report.pdf");
    EXPECT_EQ(email.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(email.attachments[0].size, kPdfSize);
    EXPECT_TRUE(email.attachments[0].data.empty());
    EXPECT_TRUE(email.attachments[0].sha256_hex.empty());
    EXPECT_EQ(email.attachments[1].sha256_hex, kPngSha256);
    EXPECT_TRUE(any_problem_contains(email, "service-report.pdf")) << problems_of(email);
}

TEST(ParseEmail, Rfc2231AndRfc2047EncodedFilenamesAreDecoded)
{
    PARSE_FIXTURE(email, "rfc2231_filename.eml");
    ASSERT_EQ(email.attachments.size(), 2u);
    EXPECT_EQ(email.attachments[0].filename, "Rechnung März 2026.pdf");
    EXPECT_EQ(email.attachments[1].filename, "Grüße – Angebot.pdf");
    EXPECT_EQ(email.attachments[0].sha256_hex, kPdfSha256);
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, CalendarInviteKeepsInviteAsAttachment)
{
    PARSE_FIXTURE(email, "calendar_invite.eml");
    EXPECT_TRUE(contains(email.text, "Oven timer call\nMon 7 Dec 2026 10:00 - 10:30 (UTC)"));
    EXPECT_FALSE(contains(email.text, "BEGIN:VCALENDAR"));
    ASSERT_EQ(email.attachments.size(), 2u);
    EXPECT_EQ(email.attachments[0].content_type, "text/calendar");
    EXPECT_EQ(email.attachments[0].filename, "attachment-1.ics");
    EXPECT_TRUE(email.attachments[0].data.starts_with("BEGIN:VCALENDAR"));
    EXPECT_EQ(email.attachments[1].filename, "invite.ics");
    EXPECT_EQ(email.attachments[1].sha256_hex, email.attachments[0].sha256_hex);
    EXPECT_EQ(email.attachments[1].size, 420u);
}

TEST(ParseEmail, ForwardedMessageIsAttachedAsEml)
{
    PARSE_FIXTURE(email, "forwarded_attachment.eml");
    EXPECT_EQ(email.text, "See the vendor's message attached.");
    ASSERT_EQ(email.attachments.size(), 1u);
    EXPECT_EQ(email.attachments[0].filename, "vendor-error.eml");
    EXPECT_EQ(email.attachments[0].content_type, "message/rfc822");
    EXPECT_TRUE(contains(email.attachments[0].data, "Error E42 means the timer battery is empty."));
    EXPECT_EQ(email.attachments[0].size, email.attachments[0].data.size());
}

// ------------------------------------------------------------------------------------------------------
// Charsets and encoded headers.

TEST(ParseEmail, Latin1QuotedPrintableIsDecoded)
{
    PARSE_FIXTURE(email, "latin1_qp.eml");
    EXPECT_EQ(email.from.name, "François Lefèvre");
    EXPECT_EQ(email.subject, "Problème de facturation");
    EXPECT_TRUE(contains(email.text, "Crème brûlée, Grüße aus München, à bientôt."));
    // Byte 0x80 in "ISO-8859-1" mail is the euro sign of windows-1252, as every mail client reads it.
    EXPECT_TRUE(contains(email.text, "49,00 € au lieu de 39,00 €"));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, ShiftJisBase64BodyAndIso2022JpSubject)
{
    PARSE_FIXTURE(email, "shift_jis_base64.eml");
    EXPECT_EQ(email.subject, "配送状況について");
    EXPECT_EQ(email.from.name, "山田 太郎");
    EXPECT_TRUE(contains(email.text, "お世話になっております。\n注文番号 A-2048 の配送状況を教えてください。"));
    EXPECT_TRUE(contains(email.text, "①から③までの商品です。"));  // CP932 extensions
    EXPECT_TRUE(core::is_valid_utf8(email.text));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, Iso2022JpBodyIsDecoded)
{
    PARSE_FIXTURE(email, "iso2022jp.eml");
    EXPECT_EQ(email.subject, "請求書について");
    EXPECT_EQ(email.from.name, "山田");
    EXPECT_EQ(email.text, "山田です。\n請求書の件でご連絡しました。\nよろしくお願いいたします。");
}

TEST(ParseEmail, Windows1252BodyIsDecoded)
{
    PARSE_FIXTURE(email, "windows1252.eml");
    EXPECT_EQ(email.from.name, "Chris O'Neill");
    EXPECT_TRUE(contains(email.text, "“Could you send the quote again?” – it’s for the €250 service."));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, Utf8EightBitBodyAndHeaders)
{
    PARSE_FIXTURE(email, "utf8_8bit.eml");
    EXPECT_EQ(email.subject, "Café menu 🍰 not updating");
    EXPECT_EQ(email.from.name, "Zoë Ångström");
    EXPECT_TRUE(contains(email.text, "“Kanelbulle 25 kr” — it should be 30 kr. 🙂"));
    EXPECT_TRUE(contains(email.text, "Ελληνικά, русский, 中文"));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, Rfc2047EncodedSubjectAndNames)
{
    PARSE_FIXTURE(email, "rfc2047_headers.eml");
    EXPECT_EQ(email.subject, "Rechnung für März – dringend");
    EXPECT_EQ(email.from.name, "Élodée Müller");
    ASSERT_EQ(email.to.size(), 2u);
    EXPECT_EQ(email.to[0].name, "André");
    EXPECT_EQ(email.to[1].name, "Support Team");
    EXPECT_EQ(email.to[1].email, "support@lifeline.example");  // lower-cased
    ASSERT_EQ(email.cc.size(), 1u);
    EXPECT_EQ(email.cc[0].name, "Björn");
    EXPECT_EQ(email.reply_to.name, "Atelier Müller Billing");
    EXPECT_EQ(email.reply_to.email, "billing@muller-atelier.example");
}

// Regression: GMime 3.2.13 stops decoding a run of base64 encoded-words at the first '=' padding.
TEST(ParseEmail, AdjacentPaddedBase64WordsDecodeFully)
{
    PARSE_FIXTURE(email, "rfc2047_padded_words.eml");
    EXPECT_EQ(email.subject, "Hello world obär");  // the 'ä' is split across the last two words
    EXPECT_EQ(email.from.name, "Anna Köhler");
}

TEST(ParseEmail, UnknownCharsetFallsBackToWindows1252)
{
    PARSE_FIXTURE(email, "unknown_charset.eml");
    EXPECT_EQ(email.text, "Café au lait, naïve résumé.");
    EXPECT_TRUE(any_problem_contains(email, "unknown charset 'x-unknown'")) << problems_of(email);
}

TEST(ParseEmail, MissingCharsetWithEightBitTextIsAProblem)
{
    PARSE_FIXTURE(email, "no_charset_8bit.eml");
    EXPECT_EQ(email.text, "Señor Muñoz says olé.");
    EXPECT_TRUE(any_problem_contains(email, "no charset")) << problems_of(email);
}

// ------------------------------------------------------------------------------------------------------
// Headers and threading.

TEST(ParseEmail, ReferencesChainIsParsedOldestFirst)
{
    PARSE_FIXTURE(email, "thread_references.eml");
    EXPECT_EQ(email.in_reply_to, "ticket-1042.4@lifeline.example");
    EXPECT_EQ(email.references, (std::vector<std::string>{
                                    "ticket-1042.1@lifeline.example",
                                    "CAGx8k2Z+9fQ1bLr0w=Tq5vN@mail.gmail.com",
                                    "ticket-1042.2@lifeline.example",
                                    "CAGx8k2Z+thread3@mail.gmail.com",
                                    "ticket-1042.4@lifeline.example",
                                }));
}

TEST(ParseEmail, SubjectTagIsKept)
{
    PARSE_FIXTURE(email, "subject_tag.eml");
    EXPECT_EQ(email.subject, "Fwd: [LL-1042] Oven timer resets overnight");
    EXPECT_TRUE(contains(email.subject, "[LL-1042]"));
}

TEST(ParseEmail, VeryLongFoldedSubjectIsUnfolded)
{
    PARSE_FIXTURE(email, "very_long_subject.eml");
    std::string expected;
    for (int n = 1; n <= 20; ++n) {
        if (n > 1) expected += ' ';
        expected += "Bestellung Nr. " + std::to_string(n) + " für Filiale Süd";
    }
    EXPECT_EQ(email.subject, expected);
}

TEST(ParseEmail, HundredKilobyteHeaderIsTruncated)
{
    PARSE_FIXTURE(email, "long_header_line.eml");
    EXPECT_TRUE(email.subject.starts_with("Log dump 0123456789abcdef"));
    EXPECT_LE(email.subject.size(), ParseLimits{}.max_header_bytes);
    EXPECT_TRUE(any_problem_contains(email, "header 'Subject'")) << problems_of(email);
    EXPECT_EQ(email.text, "The subject above is 100 KB long.");
    EXPECT_EQ(email.message_id, "long-header-1@logs.example");
}

TEST(ParseEmail, MissingMessageIdLeavesItEmpty)
{
    PARSE_FIXTURE(email, "no_message_id.eml");
    EXPECT_TRUE(email.message_id.empty());
    EXPECT_EQ(email.subject, "Question without an id");
    EXPECT_TRUE(email.date.has_value());
}

TEST(ParseEmail, MissingDateLeavesItUnset)
{
    PARSE_FIXTURE(email, "no_date.eml");
    EXPECT_FALSE(email.date.has_value());
    EXPECT_EQ(email.message_id, "no-date-1@haddad-motors.example");
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, InvalidDateIsAProblem)
{
    PARSE_FIXTURE(email, "invalid_date.eml");
    EXPECT_FALSE(email.date.has_value());
    EXPECT_TRUE(any_problem_contains(email, "Date")) << problems_of(email);
}

TEST(ParseEmail, MboxFromLineIsSkipped)
{
    PARSE_FIXTURE(email, "mbox_from_line.eml");
    EXPECT_EQ(email.from.email, "lena@fischer-yoga.example");
    EXPECT_EQ(email.subject, "Delivered by a local pipe");
    EXPECT_EQ(email.text, "Body after an mbox separator line.");
}

// ------------------------------------------------------------------------------------------------------
// Automatic mail and delivery reports.

TEST(ParseEmail, DeliveryStatusNotificationFailed)
{
    PARSE_FIXTURE(email, "dsn_bounce.eml");
    EXPECT_EQ(email.from.email, "mailer-daemon@mail.lifeline.example");
    ASSERT_TRUE(email.report.has_value());
    EXPECT_EQ(email.report->original_message_id, "ticket-1043.3@lifeline.example");
    EXPECT_EQ(email.report->recipient, "jonas.weber@kaffeehaus-weber.example");
    EXPECT_EQ(email.report->action, "failed");
    EXPECT_EQ(email.report->status, "5.1.1");
    EXPECT_EQ(email.report->diagnostic, "550 5.1.1 <jonas.weber@kaffeehaus-weber.example>: Recipient address "
                                        "rejected: User unknown in virtual mailbox table");
    EXPECT_TRUE(contains(email.text, "your message could not\nbe delivered"));
    EXPECT_FALSE(contains(email.text, "Reporting-MTA"));
    EXPECT_TRUE(email.attachments.empty());
    EXPECT_TRUE(is_automatic(email));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, DeliveryStatusNotificationDelayed)
{
    PARSE_FIXTURE(email, "dsn_delayed.eml");
    ASSERT_TRUE(email.report.has_value());
    EXPECT_EQ(email.report->original_message_id, "ticket-1051.2@lifeline.example");
    EXPECT_EQ(email.report->recipient, "priya@greenleaf-florists.example");
    EXPECT_EQ(email.report->action, "delayed");
    EXPECT_EQ(email.report->status, "4.4.7");
    EXPECT_EQ(email.report->diagnostic, "421 4.4.7 Service not available, try again later");
    EXPECT_TRUE(is_automatic(email));
    EXPECT_TRUE(email.problems.empty()) << problems_of(email);
}

TEST(ParseEmail, OutOfOfficeIsAutomatic)
{
    PARSE_FIXTURE(email, "out_of_office.eml");
    EXPECT_EQ(email.auto_submitted, "auto-replied");
    EXPECT_FALSE(email.report.has_value());
    EXPECT_TRUE(is_automatic(email));
}

TEST(ParseEmail, BulkNewsletterIsAutomatic)
{
    PARSE_FIXTURE(email, "newsletter_bulk.eml");
    EXPECT_EQ(email.precedence, "bulk");
    EXPECT_TRUE(email.has_list_id);
    EXPECT_EQ(email.x_loop, "weekly@bakery-supplies.example");
    EXPECT_TRUE(email.body_was_html);
    EXPECT_TRUE(contains(email.text, "20% off this week only."));
    EXPECT_TRUE(is_automatic(email));
}

TEST(ParseEmail, MailerDaemonSenderIsAutomatic)
{
    PARSE_FIXTURE(email, "mailer_daemon_plain.eml");
    EXPECT_EQ(email.from.email, "mailer-daemon@legacy-mx.example");
    EXPECT_FALSE(email.report.has_value());
    EXPECT_TRUE(contains(email.text, "Sorry, no mailbox here by that name."));
    EXPECT_TRUE(is_automatic(email));
}

TEST(ParseEmail, NoReplySenderIsAutomatic)
{
    PARSE_FIXTURE(email, "noreply_sender.eml");
    EXPECT_EQ(email.from.email, "no-reply@payments.example");
    EXPECT_TRUE(is_automatic(email));
}

TEST(IsAutomatic, PersonalMailIsNot)
{
    ParsedEmail email;
    email.from.email = "maria.lopez@harbourbakery.co.uk";
    EXPECT_FALSE(is_automatic(email));
    email.auto_submitted = "no";
    EXPECT_FALSE(is_automatic(email));
    email.auto_submitted = "auto-generated";
    EXPECT_TRUE(is_automatic(email));
    email.auto_submitted.clear();
    email.precedence = "list";
    EXPECT_TRUE(is_automatic(email));
    email.precedence.clear();
    email.from.email = "postmaster@example.org";
    EXPECT_TRUE(is_automatic(email));
    email.from.email = "noreply-alerts@example.org";
    EXPECT_TRUE(is_automatic(email));
}

// ------------------------------------------------------------------------------------------------------
// Broken input.

TEST(ParseEmail, MissingClosingBoundaryIsReadBestEffort)
{
    PARSE_FIXTURE(email, "missing_closing_boundary.eml");
    EXPECT_EQ(email.text, "The attachment is the contract.");
    ASSERT_EQ(email.attachments.size(), 1u);
    EXPECT_EQ(email.attachments[0].filename, "contract.pdf");
    EXPECT_EQ(email.attachments[0].sha256_hex, kPdfSha256);
    EXPECT_FALSE(email.problems.empty());
}

TEST(ParseEmail, TruncatedBase64IsAProblem)
{
    PARSE_FIXTURE(email, "truncated_base64.eml");
    EXPECT_EQ(email.text, "Here is the image.");
    ASSERT_EQ(email.attachments.size(), 1u);
    EXPECT_EQ(email.attachments[0].filename, "cut.png");
    EXPECT_LT(email.attachments[0].size, kPngSize);
    EXPECT_TRUE(any_problem_contains(email, "cut.png")) << problems_of(email);
}

TEST(ParseEmail, GarbageIsInvalidArgument)
{
    const auto result = parse_email(read_fixture("garbage_binary.eml"));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), core::ErrorCode::InvalidArgument);
}

TEST(ParseEmail, EmptyInputIsInvalidArgument)
{
    for (const std::string& input : {read_fixture("empty.eml"), std::string("\r\n\r\n  \n")}) {
        const auto result = parse_email(input);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().code(), core::ErrorCode::InvalidArgument);
    }
}

std::vector<std::string> fixture_names()
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(kFixtures)) {
        if (entry.path().extension() == ".eml") names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

void expect_valid_utf8(const ParsedEmail& email, const std::string& name)
{
    EXPECT_TRUE(core::is_valid_utf8(email.subject)) << name;
    EXPECT_TRUE(core::is_valid_utf8(email.text)) << name;
    EXPECT_TRUE(core::is_valid_utf8(email.reply_text)) << name;
    EXPECT_TRUE(core::is_valid_utf8(email.from.name)) << name;
    EXPECT_TRUE(core::is_valid_utf8(email.message_id)) << name;
    for (const Address& address : email.to)
        EXPECT_TRUE(core::is_valid_utf8(address.name)) << name;
    for (const Attachment& attachment : email.attachments) {
        EXPECT_TRUE(core::is_valid_utf8(attachment.filename)) << name;
        EXPECT_FALSE(attachment.filename.empty()) << name;
        EXPECT_EQ(attachment.filename.find('/'), std::string::npos) << name;
    }
    for (const std::string& problem : email.problems)
        EXPECT_TRUE(core::is_valid_utf8(problem)) << name;
}

TEST(ParseEmail, EveryFixtureParsesToValidUtf8)
{
    const std::set<std::string> not_email{"empty.eml", "garbage_binary.eml"};
    const std::vector<std::string> names = fixture_names();
    EXPECT_GE(names.size(), 32u);
    for (const std::string& name : names) {
        const auto result = parse_email(read_fixture(name));
        if (not_email.contains(name)) {
            EXPECT_FALSE(result.ok()) << name;
            continue;
        }
        ASSERT_TRUE(result.ok()) << name << ": " << result.error().message();
        expect_valid_utf8(*result, name);
        EXPECT_FALSE(result->from.email.empty()) << name;
    }
}

TEST(ParseEmail, TruncatedAtAnyPointNeverCrashes)
{
    for (const std::string name : {"nested_multipart.eml", "dsn_bounce.eml", "rfc2231_filename.eml",
                                   "shift_jis_base64.eml", "html_only.eml", "calendar_invite.eml"}) {
        const std::string raw = read_fixture(name);
        for (std::size_t length = 0; length < raw.size(); length += 7) {
            const auto result = parse_email(std::string_view(raw).substr(0, length));
            if (result.ok()) expect_valid_utf8(*result, name + " cut at " + std::to_string(length));
        }
    }
}

TEST(ParseEmail, HeaderLimitIsConfigurable)
{
    ParseLimits limits;
    limits.max_header_bytes = 16;
    PARSE_FIXTURE(email, "gmail_reply.eml", limits);
    EXPECT_LE(email.subject.size(), 16u);
    EXPECT_TRUE(any_problem_contains(email, "header 'Subject'")) << problems_of(email);
}

// ------------------------------------------------------------------------------------------------------
// Large input.

// A message with one attachment of `size` deterministic bytes; returns the message and the attachment.
std::pair<std::string, std::string> message_with_attachment(std::size_t size)
{
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        data[i] = static_cast<char>((i * 31) ^ (i >> 9));
    std::string encoded(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(data.data()), size,
                      sodium_base64_VARIANT_ORIGINAL);
    encoded.pop_back();  // the terminating NUL
    std::string message =
        "From: Log Robot <robot@logs.example>\r\nTo: support@lifeline.example\r\nSubject: Big upload\r\n"
        "Message-ID: <big-1@logs.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n"
        "--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe dump is attached.\r\n"
        "--big\r\nContent-Type: application/octet-stream\r\n"
        "Content-Disposition: attachment; filename=\"dump.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    message.reserve(message.size() + encoded.size() + encoded.size() / 38 + 64);
    for (std::size_t i = 0; i < encoded.size(); i += 76) {
        message.append(encoded, i, 76);
        message += "\r\n";
    }
    message += "--big--\r\n";
    return {std::move(message), std::move(data)};
}

TEST(ParseEmail, FiftyMegabyteAttachmentOverLimitIsDropped)
{
    const std::size_t size = 50u * 1024 * 1024;
    const auto [message, data] = message_with_attachment(size);
    const auto result = parse_email(message);  // default limit: 25 MB
    ASSERT_TRUE(result.ok()) << result.error().message();
    EXPECT_EQ(result->text, "The dump is attached.");
    ASSERT_EQ(result->attachments.size(), 1u);
    const Attachment& attachment = result->attachments[0];
    EXPECT_EQ(attachment.filename, "dump.bin");
    EXPECT_EQ(attachment.content_type, "application/octet-stream");
    EXPECT_EQ(attachment.size, size);
    EXPECT_TRUE(attachment.data.empty());
    EXPECT_TRUE(attachment.sha256_hex.empty());
    EXPECT_TRUE(any_problem_contains(*result, "dump.bin")) << problems_of(*result);
}

TEST(ParseEmail, FiftyMegabyteAttachmentWithinRaisedLimitIsKept)
{
    const std::size_t size = 50u * 1024 * 1024;
    const auto [message, data] = message_with_attachment(size);
    ParseLimits limits;
    limits.max_attachment_bytes = 64u * 1024 * 1024;
    const auto result = parse_email(message, limits);
    ASSERT_TRUE(result.ok()) << result.error().message();
    ASSERT_EQ(result->attachments.size(), 1u);
    EXPECT_EQ(result->attachments[0].size, size);
    EXPECT_TRUE(result->attachments[0].data == data);
    EXPECT_EQ(result->attachments[0].sha256_hex, sha256_hex(data));
    EXPECT_TRUE(result->problems.empty()) << problems_of(*result);
}

// ------------------------------------------------------------------------------------------------------
// strip_quoted_reply and html_to_text on their own.

TEST(StripQuotedReply, ReturnsInputWhenEverythingIsQuoted)
{
    const std::string text = "> only a quote\n> nothing else";
    EXPECT_EQ(strip_quoted_reply(text), text);
    EXPECT_EQ(strip_quoted_reply(""), "");
}

TEST(StripQuotedReply, SentenceEndingInWroteIsNotAnAttribution)
{
    const std::string text = "On Monday my colleague wrote:\nthe printer is broken again.";
    EXPECT_EQ(strip_quoted_reply(text), text);
}

TEST(StripQuotedReply, GmailAttributionWithoutQuoteMarksCutsTheRest)
{
    EXPECT_EQ(strip_quoted_reply("Thanks!\r\n\r\nOn Mon, 23 Nov 2026 at 10:00, Maria <m@example.org> wrote:\r\n"
                                 "Earlier text without markers\r\n"),
              "Thanks!");
}

TEST(StripQuotedReply, InterleavedQuotesKeepTheAnswers)
{
    EXPECT_EQ(strip_quoted_reply("> Question one?\nAnswer one.\n> Question two?\nAnswer two."),
              "Answer one.\nAnswer two.");
}

TEST(HtmlToText, DropsScriptsStylesAndComments)
{
    EXPECT_EQ(html_to_text("<style>p{color:red}</style><SCRIPT type='x'>var a = '</p>';</SCRIPT>"
                           "<!-- hidden -->Visible"),
              "Visible");
}

TEST(HtmlToText, DecodesEntities)
{
    EXPECT_EQ(html_to_text("&amp; &lt; &gt; &quot; &#39; a&nbsp;b &#x1F600; &#233; &unknown; &amp"),
              "& < > \" ' a b 😀 é &unknown; &");
    EXPECT_EQ(html_to_text("&#0; &#xD800; &#99999999;"), "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST(HtmlToText, BlocksBreaksAndQuotes)
{
    EXPECT_EQ(html_to_text("<div>one</div><div>two<br>three</div><p>para</p>"
                           "<blockquote>quoted<br>more</blockquote>after"),
              "one\ntwo\nthree\n\npara\n\n> quoted\n> more\nafter");
    EXPECT_EQ(html_to_text("<pre>  keep\n    indent</pre>"), "  keep\n    indent");
    EXPECT_EQ(html_to_text("a   \n\t b"), "a b");
}

TEST(HtmlToText, MalformedMarkupDoesNotCrash)
{
    EXPECT_EQ(html_to_text("<p>unterminated <b attr=\"x>y\" <i"), "unterminated");
    EXPECT_EQ(html_to_text("a < b and 3<4"), "a < b and 3<4");
    EXPECT_EQ(html_to_text("<script>never closed"), "");
    EXPECT_TRUE(core::is_valid_utf8(html_to_text("bad \xFF\xFE bytes")));
}

}  // namespace
}  // namespace lifeline::intake::email
