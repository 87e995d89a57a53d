// Status page subscribers: who hears about public updates (by email with double opt-in, SMS, or a signed webhook),
// for which components, and the messages they get. Pure values and policy; no I/O.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "status/maintenance.hpp"
#include "status/status.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::status {

enum class SubscriberChannel { Email, Sms, Webhook };
std::string_view to_string(SubscriberChannel channel);  // "email", "sms", "webhook"
std::optional<SubscriberChannel> parse_subscriber_channel(std::string_view text);

// Pending: an email address waiting for its confirmation. Disabled: a webhook that kept failing.
enum class SubscriberState { Pending, Active, Disabled };
std::string_view to_string(SubscriberState state);
SubscriberState parse_subscriber_state(std::string_view text);

struct Subscriber {
    std::int64_t id = 0;
    SubscriberChannel channel = SubscriberChannel::Email;
    std::string address;  // normalised: lower-case email, E.164 number, or http(s) URL
    bool all_components = true;
    std::vector<std::int64_t> component_ids;  // when not all_components
    SubscriberState state = SubscriberState::Pending;
    std::string token;         // manage and unsubscribe; in every message
    std::string confirm_hash;  // the hash of the one-time confirmation token (email), empty once confirmed
    std::optional<core::UtcTime> confirm_expires_at;
    std::string signing_secret;  // webhooks
    std::string disabled_reason;
    core::UtcTime created_at{};
    std::optional<core::UtcTime> confirmed_at;

    // Whether an update about `components` reaches this subscriber (when active).
    bool wants(const std::vector<std::int64_t>& components) const;
};

// Normalises `address` for `channel`: an email address is trimmed and lower-cased and must look like one; a phone
// number loses spaces, dashes, dots and brackets and must be E.164 ("+" then 8-15 digits, not starting with 0); a
// webhook URL must be http:// or https:// with a host, at most 2000 characters, without spaces or control
// characters. Errors: InvalidArgument with field "address" and a message a person can act on.
core::Result<std::string> normalise_address(SubscriberChannel channel, std::string_view address);

// Flood limits on subscribing: per address (confirmation messages to one inbox) and per client address.
struct SubscribeLimits {
    int per_address = 3;
    int per_client = 20;
    std::chrono::seconds window{3600};
    std::chrono::seconds confirm_within{48 * 3600};  // a confirmation link expires after this
};

// How fast one update's fan-out hands messages of each channel to the outbox worker.
struct ChannelRates {
    int email_per_second = 2000;
    int sms_per_second = 10;
    int webhook_per_second = 50;
    int per_second(SubscriberChannel channel) const;
};

// When the `index`-th message (from 0) of `channel` of a fan-out that started at `start` is due.
core::UtcTime paced(const ChannelRates& rates, SubscriberChannel channel, std::int64_t index, core::UtcTime start);

// What the messages are built from.
struct PageIdentity {
    std::string name;        // "Acme Status"
    std::string public_url;  // "https://status.example", no trailing slash
    std::string unsubscribe_url(std::string_view token) const
    {
        return public_url + "/status/unsubscribe/" + std::string(token);
    }
    std::string confirm_url(std::string_view token) const
    {
        return public_url + "/status/confirm/" + std::string(token);
    }
    std::string incident_url(std::int64_t id) const { return public_url + "/status/incidents/" + std::to_string(id); }
    std::string maintenance_url(std::int64_t id) const
    {
        return public_url + "/status/maintenances/" + std::to_string(id);
    }
};

// One message for one subscriber about one update.
struct UpdateMessage {
    std::string subject;               // email
    std::string body;                  // text for email and SMS; JSON for webhooks
    std::vector<std::string> headers;  // extra email header lines ("List-Unsubscribe: <…>")
};

// The message about `update` of `incident` for `subscriber`: email carries List-Unsubscribe (RFC 2369) with
// List-Unsubscribe-Post (RFC 8058) and the unsubscribe link in the body; SMS is short with the link; webhooks get
// a JSON body shaped like Statuspage's webhook (meta, page, incident with its incident_updates, component_update
// omitted).
UpdateMessage update_message(const PageIdentity& page, const Subscriber& subscriber, const PublicIncident& incident,
                             const PublicUpdate& update);

// The same for an update of a scheduled maintenance: its window, status and what to expect.
UpdateMessage maintenance_message(const PageIdentity& page, const Subscriber& subscriber,
                                  const Maintenance& maintenance, const MaintenanceUpdate& update);

// The confirmation email for a pending email subscription, with its one-time link.
UpdateMessage confirmation_message(const PageIdentity& page, std::string_view confirm_token,
                                   std::string_view unsubscribe_token);

}  // namespace lifeline::status
