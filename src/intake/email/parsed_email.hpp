// An inbound email as Lifeline understands it, parsed with GMime: decoded headers, the text to show,
// attachments, and the signals that tell automatic mail and delivery reports apart from people.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::intake::email {

struct Address {
    std::string email;  // lower-cased addr-spec, e.g. "maria@harbourbakery.co.uk"
    std::string name;   // decoded display name, UTF-8; may be empty
};

struct Attachment {
    std::string filename;      // decoded, UTF-8, without directories; "attachment-N" (plus an extension for
                               // well-known types, e.g. "attachment-2.ics") when the part names none
    std::string content_type;  // "image/png"
    std::string data;          // decoded bytes; empty when `size` exceeded ParseLimits::max_attachment_bytes
    std::string sha256_hex;    // of data; the content key on disk; empty when the data was dropped
    bool is_inline = false;    // Content-Disposition: inline with a Content-ID (e.g. pasted images)
    std::size_t size = 0;      // decoded size in bytes, also when the data was dropped for being too large
};

// The machine-readable part of a multipart/report; report-type=delivery-status (RFC 3464).
struct DeliveryReport {
    std::string original_message_id;  // from the returned headers, without <>
    std::string recipient;            // Final-Recipient address, lower-cased
    std::string action;               // failed, delayed, delivered, relayed, expanded
    std::string status;               // e.g. "5.1.1"
    std::string diagnostic;           // Diagnostic-Code text
};

struct ParsedEmail {
    std::string message_id;               // without <>; empty when the message has none
    std::string in_reply_to;              // without <>
    std::vector<std::string> references;  // without <>, oldest first
    Address from;
    Address reply_to;  // empty email when absent
    std::vector<Address> to;
    std::vector<Address> cc;
    std::string subject;  // RFC 2047 decoded, UTF-8, unfolded
    std::optional<core::UtcTime> date;
    std::string text;            // the full body as UTF-8 text (text/plain, or HTML converted to text)
    std::string reply_text;      // `text` without quoted history and signature, for the thread view
    bool body_was_html = false;  // no text/plain part: `text` was converted from HTML
    std::vector<Attachment> attachments;
    std::string auto_submitted;  // lower-cased Auto-Submitted value; empty when absent
    std::string precedence;      // lower-cased Precedence value; empty when absent
    bool has_list_id = false;
    std::string x_loop;                    // X-Loop value, if any
    std::optional<DeliveryReport> report;  // set for delivery status notifications
    std::vector<std::string> problems;     // non-fatal issues met while parsing ("unknown charset 'x'…")
};

struct ParseLimits {
    std::size_t max_attachment_bytes = 25 * 1024 * 1024;  // larger attachments are dropped with a problem noted
    std::size_t max_header_bytes = 64 * 1024;             // a longer header line is truncated with a problem noted
};

// Calls g_mime_init once; safe from any thread. Call before parse_email (parse_email calls it too).
void init_gmime();

// Parses a raw RFC 5322 message. Tolerant: broken boundaries, unknown charsets, missing headers and
// truncation yield what can be read plus `problems`. Errors: InvalidArgument only when the input is not an
// email at all (empty, binary garbage without a header block).
core::Result<ParsedEmail> parse_email(std::string_view raw, const ParseLimits& limits = {});

// True for mail no human wrote: Auto-Submitted other than "no", Precedence bulk/list/junk, List-Id,
// senders like mailer-daemon@, postmaster@, no-reply@/noreply@, and delivery reports.
bool is_automatic(const ParsedEmail& email);

// The text without quoted history ("On … wrote:", "-----Original Message-----", "From: … Sent: …" blocks,
// lines starting with '>') and without a trailing "-- " signature. Returns the input when nothing is left.
std::string strip_quoted_reply(std::string_view text);

// Readable text from HTML: block elements become line breaks, entities decoded, scripts and styles dropped.
std::string html_to_text(std::string_view html);

}  // namespace lifeline::intake::email
