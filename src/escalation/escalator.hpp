// The escalation engine's steps, each run inside the caller's unit of work so that what it decides (pages, outbox
// messages, the next timer) commits together with what caused it, or not at all. Used by alert intake (a triggered
// alert), ticket intake (an emergency ticket), the timer worker (due steps) and acknowledgements.
#pragma once

#include "escalation/escalation.hpp"
#include "notify/outbox.hpp"
#include "storage/database.hpp"

#include <atomic>
#include <functional>
#include <string>

namespace lifeline::escalation {

struct PagingSettings {
    std::string desk_name = "Lifeline";
    std::string public_url;  // "https://desk.example", without a trailing slash: where acknowledgement links point
    bool sms = false;        // a telephony provider is configured for SMS and voice
    std::string twilio_auth_token;  // checks X-Twilio-Signature on SMS replies
    notify::MailIdentity mail;      // email pages need outbound mail
};

// What to escalate.
struct Trigger {
    std::int64_t policy_id = 0;
    std::int64_t alert_id = 0;
    std::int64_t ticket_id = 0;
    std::string summary;
    std::string severity;
};

// What a unit of work left for others to do once it commits.
struct Effects {
    int messages = 0;  // outbox messages queued
    int steps = 0;     // timers run
};

class Escalator {
public:
    // `wake` tells the outbox worker that a page is due now. It is called inside the unit of work; the worker claims
    // messages through the same single writer, so it sees them right after the commit.
    explicit Escalator(PagingSettings settings, std::function<void()> wake = {})
        : settings_(std::move(settings)), wake_(std::move(wake))
    {
    }

    const PagingSettings& settings() const { return settings_; }
    // Once the listener's address is known, when no public URL is configured. Before any page is sent.
    void set_public_url(std::string url) { settings_.public_url = std::move(url); }

    // Starts the policy and pages its first level at `now`. Returns the escalation, or 0 when the policy no longer
    // exists or the subject already has an open escalation.
    std::int64_t start(storage::Transaction& tx, const Trigger& trigger, core::UtcTime now, Effects& fx);

    // Runs up to `limit` timers due at `now`, each exactly once (the run and its "done" mark share the commit).
    void run_due(storage::Transaction& tx, core::UtcTime now, int limit, Effects& fx);

    // Stops paging: the escalation is acknowledged by `user_id` (0: by the alert's source) via "sms", "link",
    // "console", "api" or "source", and its alert (if still triggered) is acknowledged too. Errors: NotFound,
    // Conflict when it is no longer open (the message says who acknowledged it, or that it was resolved).
    core::Status acknowledge(storage::Transaction& tx, std::int64_t escalation_id, std::int64_t user_id,
                             std::string_view via, core::UtcTime now);

    // The alert was resolved (or acknowledged) elsewhere: ends (or acknowledges) its open escalation, if any.
    void alert_resolved(storage::Transaction& tx, std::int64_t alert_id, core::UtcTime now);
    void alert_acknowledged(storage::Transaction& tx, std::int64_t alert_id, std::int64_t user_id, std::string_view via,
                            core::UtcTime now);
    // The ticket was resolved or closed: ends its open escalation, if any.
    void ticket_closed(storage::Transaction& tx, std::int64_t ticket_id, core::UtcTime now);

    // Sends one message to one person now, outside any escalation (a reminder): on each of their notification rules
    // without a delay whose channel is configured, or by email to their account address. Returns the messages
    // queued (0: they could not be reached).
    int notify_person(storage::Transaction& tx, std::int64_t user_id, const std::string& subject,
                      const std::string& text, core::UtcTime now);

    std::uint64_t pages_count() const { return pages_.load(); }

private:
    void page_level(storage::Transaction& tx, Escalation& e, const Policy& policy, core::UtcTime now, Effects& fx);
    // Sends one notification of a page over one contact method, with its own acknowledgement link.
    void notify(storage::Transaction& tx, const Escalation& e, const Page& page, const ContactMethod& method,
                core::UtcTime now, Effects& fx);
    void advance(storage::Transaction& tx, Escalation& e, core::UtcTime now, Effects& fx);
    void log(storage::Transaction& tx, const Escalation& e, std::string kind, std::string text, core::UtcTime now);
    bool channel_ready(Channel channel) const;

    PagingSettings settings_;
    std::function<void()> wake_;
    std::atomic<std::uint64_t> pages_{0};
};

}  // namespace lifeline::escalation
