// Outbound email: composing RFC 5322 messages with GMime and handing them to an SMTP relay with libcurl.
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lifeline::notify::email {

// One email to compose. All text is UTF-8; headers are encoded (RFC 2047) as needed by compose().
struct Draft {
    std::string from_address;  // "support@desk.example"
    std::string from_name;     // "Lifeline Support"
    std::string to_address;
    std::string to_name;
    std::string subject;                  // e.g. "[LL-1042] Shop is down"
    std::string text;                     // text/plain body
    std::string message_id;               // without <>; compose() uses it verbatim
    std::string in_reply_to;              // without <>; empty: none
    std::vector<std::string> references;  // without <>, oldest first
    bool automatic = false;               // adds "Auto-Submitted: auto-replied" and "X-Auto-Response-Suppress: All"
    std::string loop_marker;              // value for "X-Loop" (our desk address) so our own mail is recognised
    // More header fields, "Name: value" ("List-Unsubscribe: <https://…>"); a line without a valid field name is
    // dropped, and the value is put on one line like every other header.
    std::vector<std::string> extra_headers;
};

// The message as bytes, CRLF line endings, ready for SMTP DATA. Uses GMime (quoted-printable for non-ASCII text).
// Headers: From, To, Subject, Date (now, from core::SystemClock), Message-ID, In-Reply-To and References when
// set, MIME-Version, Content-Type text/plain; charset=utf-8, Content-Transfer-Encoding (7bit for short ASCII
// lines, quoted-printable otherwise), Auto-Submitted and X-Auto-Response-Suppress when automatic, X-Loop when
// set. CR and LF inside header fields are replaced by spaces (no header injection); the body's line endings are
// normalised. Never fails; thread-safe.
std::string compose(const Draft& draft);

// A Message-ID for mail we send: "<32 hex random>.<unix-ms>@<domain>" without the angle brackets. The random
// part comes from libsodium. An empty domain becomes "lifeline.invalid". Thread-safe.
std::string new_message_id(std::string_view domain);

struct SmtpConfig {
    std::string url;       // smtp://host:port or smtps://host:port
    std::string username;  // empty: no AUTH
    std::string password;
    bool starttls = false;             // require STARTTLS on smtp://
    bool verify_peer = true;           // TLS certificate checks
    std::chrono::seconds timeout{30};  // connect and whole hand-off; zero or negative: 30 s
};

// What happened to one hand-off. Temporary failures (connection refused, timeouts, 4xx, TLS or configuration
// trouble, a 5xx greeting/EHLO/STARTTLS) are retried by the outbox; permanent ones (5xx to AUTH, MAIL FROM,
// RCPT TO or DATA, and addresses send() refuses) go straight to dead letter.
struct SendResult {
    enum class Outcome { Sent, TemporaryFailure, PermanentFailure } outcome = Outcome::TemporaryFailure;
    int smtp_code = 0;   // last SMTP reply code when known
    std::string detail;  // a clear sentence for the console ("relay refused connection: …")
};

class SmtpSender {
public:
    explicit SmtpSender(SmtpConfig config) : config_(std::move(config)) {}
    // Sends `message` (from compose()) from `envelope_from` (empty: the null sender "<>") to `recipient` with
    // one libcurl easy transfer. Blocking for up to config.timeout: call on a worker thread, never an I/O thread.
    // Never throws for SMTP or network trouble; the outcome and a sentence for the console are in the result.
    // An address containing CR, LF, NUL, '<' or '>' (or an empty recipient) is a PermanentFailure with
    // smtp_code 0 and nothing is sent. Thread-safe: concurrent calls use separate connections.
    SendResult send(const std::string& envelope_from, const std::string& recipient, const std::string& message) const;

private:
    SmtpConfig config_;
};

}  // namespace lifeline::notify::email
