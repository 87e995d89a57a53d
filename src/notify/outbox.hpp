// The durable outbox: every message we send is first a row here, written in the same transaction as the
// change that caused it, then handed to a sender by the outbox worker with retries. Pure values and policy.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "ticket/ticket.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::notify {

enum class OutboxState { Queued, Sending, Sent, Dead };
std::string_view to_string(OutboxState state);
OutboxState parse_outbox_state(std::string_view text);

// What a message is, for rate limits and the console: "acknowledgement", "reply".
inline constexpr std::string_view kAcknowledgement = "acknowledgement";
inline constexpr std::string_view kReply = "reply";
inline constexpr std::string_view kPage = "page";
// Status page subscribers: a public update, a confirmation request, and the admins' notice of a disabled webhook.
inline constexpr std::string_view kStatusUpdate = "status_update";
inline constexpr std::string_view kStatusConfirmation = "status_confirmation";
inline constexpr std::string_view kStatusSubscriberDisabled = "status_subscriber_disabled";

// How a message travels. Email goes to the SMTP relay; SMS and voice to the telephony provider; webhooks are POSTed.
inline constexpr std::string_view kEmail = "email";
inline constexpr std::string_view kSms = "sms";
inline constexpr std::string_view kVoice = "voice";
inline constexpr std::string_view kWebhook = "webhook";

struct OutboxMessage {
    std::int64_t id = 0;
    std::string kind;
    std::string channel = std::string(kEmail);
    ticket::TicketId ticket_id;
    std::int64_t page_id = 0;  // the page this message carries, if any
    std::string recipient;     // an email address, an E.164 phone number, or a webhook URL
    std::string recipient_name;
    std::string subject;
    std::string body;                     // text/plain, UTF-8; TwiML for voice; JSON for webhooks
    std::string message_id;               // fixed at enqueue time, without <>
    std::string in_reply_to;              // without <>
    std::vector<std::string> references;  // without <>, oldest first
    bool automatic = false;
    OutboxState state = OutboxState::Queued;
    int attempts = 0;
    core::UtcTime next_attempt_at;
    std::string last_error;
    std::string bounce;  // a delivery report recorded against this message
    core::UtcTime created_at;
    std::optional<core::UtcTime> sent_at;
    std::vector<std::string> headers;   // extra email header lines ("List-Unsubscribe: <…>")
    std::string signing_secret;         // webhooks: the HMAC-SHA256 key; empty: unsigned
    std::int64_t status_update_id = 0;  // the public status update this message tells of, if any
    std::int64_t subscriber_id = 0;     // the status page subscriber it goes to, if any
};

struct RetryPolicy {
    int max_attempts = 8;
    std::chrono::seconds base{30};
    std::chrono::seconds cap{3600};
};

// When to try again after `attempts` failed tries: base·2^(attempts−1), capped, scaled by a jitter factor in
// [0.8, 1.2) taken from `jitter01` in [0, 1) so that many failed messages do not retry in lockstep.
core::UtcTime next_attempt(const RetryPolicy& policy, int attempts, core::UtcTime now, double jitter01);

// "[LL-1042] Shop is down", keeping an existing tag and dropping stacked "Re:" prefixes.
std::string tagged_subject(std::string_view ref, std::string_view subject);

// Space-separated storage form of references.
std::string join_ids(const std::vector<std::string>& ids);
std::vector<std::string> split_ids(std::string_view text);

// Who we are on outbound mail.
struct MailIdentity {
    std::string from_address;  // "support@desk.example"; empty: outbound email is off
    std::string from_name;     // "Lifeline Support"
    std::string domain() const { return from_address.substr(from_address.find('@') + 1); }
    bool enabled() const { return !from_address.empty(); }
};

// A fresh Message-ID for mail from `identity`, without <>.
std::string new_message_id(const MailIdentity& identity);

}  // namespace lifeline::notify
