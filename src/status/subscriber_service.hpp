// Status page subscriber use-cases. Anyone may subscribe (email needs a confirmation through a one-time link; SMS
// and webhooks start at once), and anyone holding a subscriber's token may unsubscribe. Admins list and remove
// subscribers and watch each update's delivery. Public updates that notify are recorded as a fan-out in the
// update's own transaction (record_fanout) and expanded into outbox rows in batches in the background
// (expand_due_blocking), each channel paced by its rate.
#pragma once

#include "auth/user.hpp"
#include "notify/outbox.hpp"
#include "status/subscriber_store.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>

namespace lifeline::status {

struct SubscriberSettings {
    PageIdentity page;
    notify::MailIdentity identity;  // who sends the email; email subscriptions need it enabled
    bool sms_enabled = false;       // an SMS provider is configured; SMS subscriptions need it
    SubscribeLimits limits;
    ChannelRates rates;
    int batch = 2000;  // outbox rows written per expansion commit
};

struct SubscribeRequest {
    SubscriberChannel channel = SubscriberChannel::Email;
    std::string address;
    std::vector<std::int64_t> component_ids;  // empty: all components
    std::string client;                       // the client's network address, for the flood limit
};

struct Subscribed {
    Subscriber subscriber;       // for a known email address: the request as given, id 0 (nothing is revealed)
    std::string signing_secret;  // webhooks: the HMAC key, shown this once
};

class SubscriberService {
public:
    // `wake` tells the outbox worker that messages are due (may be empty).
    SubscriberService(storage::Database& db, const core::Clock& clock, SubscriberSettings settings,
                      std::function<void()> wake = {})
        : db_(db), clock_(clock), settings_(std::move(settings)), wake_(std::move(wake))
    {
    }

    const SubscriberSettings& settings() const { return settings_; }
    // The public URL is known only once the listener is bound.
    void set_public_url(std::string url) { settings_.page.public_url = std::move(url); }

    // Anyone. Email: a pending subscription and a confirmation email (for an address already subscribed, nothing
    // changes and the answer is the same, so the form reveals no subscriber). SMS and webhooks: active at once.
    // Errors: InvalidArgument ("address", "components"; "channel" when this desk cannot send on it), LimitExceeded (too
    // many requests from the client or for the address in the window), Conflict (the number or URL is already
    // subscribed).
    boost::asio::awaitable<core::Result<Subscribed>> subscribe(SubscribeRequest request);
    // Anyone with the confirmation token: the pending subscription it confirms. Errors: NotFound (unknown,
    // used or expired).
    core::Result<Subscriber> pending(std::string_view confirm_token);
    boost::asio::awaitable<core::Result<Subscriber>> confirm(std::string confirm_token);
    // Anyone with the subscriber's token. Errors: NotFound.
    core::Result<Subscriber> by_token(std::string_view token);
    boost::asio::awaitable<core::Status> unsubscribe(std::string token);
    // Anyone with the subscriber's token: the components to hear about (empty: all). Errors: NotFound,
    // InvalidArgument ("components").
    boost::asio::awaitable<core::Result<Subscriber>> choose_components(std::string token,
                                                                       std::vector<std::int64_t> component_ids);

    // Admins. Errors: PermissionDenied (and NotFound for remove).
    core::Result<std::vector<Subscriber>> list(const auth::Actor& actor);
    boost::asio::awaitable<core::Status> remove(const auth::Actor& actor, std::int64_t id);
    core::Result<std::vector<FanoutProgress>> progress(const auth::Actor& actor);

    // Background: writes the outbox rows of the oldest pending fan-out, up to settings().batch, in one commit.
    // Returns how many rows it wrote. Blocking: call from a worker thread.
    core::Result<int> expand_due_blocking();

private:
    storage::Database& db_;
    const core::Clock& clock_;
    SubscriberSettings settings_;
    std::function<void()> wake_;
};

// Inside the transaction that writes `update`: records its fan-out when it asks to notify subscribers.
void record_fanout(storage::Transaction& tx, const PublicIncident& incident, const PublicUpdate& update);
// The same for an update of a scheduled maintenance (scheduled, started, completed, cancelled): its subscribers are
// those of the components it affects.
void record_fanout(storage::Transaction& tx, const Maintenance& maintenance, const MaintenanceUpdate& update);

// Inside the outbox worker's transaction that gave up on `message`: a status webhook that keeps failing disables its
// subscription and tells every admin by email (from `identity`, when outbound email is on).
void on_message_dead(storage::Transaction& tx, const notify::OutboxMessage& message, std::string_view error,
                     const notify::MailIdentity& identity, core::UtcTime now);

}  // namespace lifeline::status
