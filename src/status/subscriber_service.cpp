#include "status/subscriber_service.hpp"

#include "auth/secrets.hpp"
#include "storage/async.hpp"

#include <algorithm>
#include <functional>

namespace lifeline::status {

namespace {

core::Status admin_only(const auth::Actor& actor)
{
    if (!actor.is_admin()) return core::Error::denied("only admins see and remove status page subscribers");
    return core::Ok{};
}

core::Error limited()
{
    return {core::ErrorCode::LimitExceeded, "too many subscription requests; please try again in an hour"};
}

// Checks that each named component exists and is not a group. Errors: InvalidArgument ("components").
core::Status check_components(storage::Transaction& tx, const std::vector<std::int64_t>& ids)
{
    for (auto id : ids) {
        auto c = tx.status().find_component(id);
        if (!c || c->is_group)
            return core::Error::invalid("the subscription is not valid",
                                        {{"components", "no component " + std::to_string(id)}});
    }
    return core::Ok{};
}

// Whether `s` is a pending subscription whose confirmation link still works at `now`.
bool confirmable(const std::optional<Subscriber>& s, core::UtcTime now)
{
    return s && s->state == SubscriberState::Pending && s->confirm_expires_at && *s->confirm_expires_at >= now;
}

core::Error link_gone()
{
    return core::Error::not_found("this confirmation link is unknown, used or expired; please subscribe again");
}

notify::OutboxMessage email_to(const notify::MailIdentity& identity, std::string recipient, std::string_view kind,
                               UpdateMessage content, core::UtcTime now)
{
    notify::OutboxMessage m;
    m.kind = std::string(kind);
    m.channel = std::string(notify::kEmail);
    m.recipient = std::move(recipient);
    m.subject = std::move(content.subject);
    m.body = std::move(content.body);
    m.headers = std::move(content.headers);
    // RFC 3834: machine-made, but not a reply (Draft::automatic would say "auto-replied").
    m.headers.push_back("Auto-Submitted: auto-generated");
    m.message_id = notify::new_message_id(identity);
    m.next_attempt_at = now;
    m.created_at = now;
    return m;
}

}  // namespace

boost::asio::awaitable<core::Result<Subscribed>> SubscriberService::subscribe(SubscribeRequest request)
{
    if ((request.channel == SubscriberChannel::Email && !settings_.identity.enabled()) ||
        (request.channel == SubscriberChannel::Sms && !settings_.sms_enabled))
        co_return core::Error::invalid(
            "the subscription is not valid",
            {{"channel", "updates by " +
                             std::string(request.channel == SubscriberChannel::Email ? "email" : "text message") +
                             " are not available here; choose another way"}});
    auto address = normalise_address(request.channel, request.address);
    if (!address) co_return address.error();
    std::sort(request.component_ids.begin(), request.component_ids.end());
    request.component_ids.erase(std::unique(request.component_ids.begin(), request.component_ids.end()),
                                request.component_ids.end());
    const auto now = clock_.now();
    Subscribed out;
    out.subscriber.channel = request.channel;
    out.subscriber.address = *address;
    out.subscriber.all_components = request.component_ids.empty();
    out.subscriber.component_ids = request.component_ids;
    bool over_limit = false;
    bool mailed = false;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (auto s = check_components(tx, request.component_ids); !s) return s;
        // The attempt is counted even when refused: the commit must keep it, so the refusal is reported afterwards.
        auto counts = tx.subscribers().record_attempt(request.client, *address, now, now - settings_.limits.window);
        if (counts.client > settings_.limits.per_client || counts.address > settings_.limits.per_address) {
            over_limit = true;
            return core::Ok{};
        }
        auto existing = tx.subscribers().find_by_address(request.channel, *address);
        if (existing && request.channel != SubscriberChannel::Email)
            return core::Error::conflict(
                "this " + std::string(request.channel == SubscriberChannel::Sms ? "phone number" : "webhook URL") +
                " is already subscribed; use the link in its messages to unsubscribe");
        if (existing && existing->state != SubscriberState::Pending) return core::Ok{};
        auto& s = out.subscriber;
        if (existing) {
            // A pending address asks again: a fresh link (the old one stops working) and the new choice.
            s = *existing;
            s.all_components = request.component_ids.empty();
            s.component_ids = request.component_ids;
        } else {
            s.token = auth::random_token("", 18);
            s.created_at = now;
            if (request.channel == SubscriberChannel::Webhook) {
                s.signing_secret = auth::random_token("whsec_", 32);
                out.signing_secret = s.signing_secret;
            }
            s.state = request.channel == SubscriberChannel::Email ? SubscriberState::Pending : SubscriberState::Active;
            if (s.state == SubscriberState::Active) s.confirmed_at = now;
        }
        std::string confirm_token;
        if (request.channel == SubscriberChannel::Email) {
            confirm_token = auth::random_token("", 24);
            s.confirm_hash = auth::token_hash(confirm_token);
            s.confirm_expires_at = now + settings_.limits.confirm_within;
        }
        if (existing) {
            tx.subscribers().update(s);
        } else {
            auto id = tx.subscribers().insert(s);
            if (!id) return id.error();
            s.id = *id;
        }
        if (request.channel == SubscriberChannel::Email) {
            tx.outbox().enqueue(email_to(settings_.identity, s.address, notify::kStatusConfirmation,
                                         confirmation_message(settings_.page, confirm_token, s.token), now));
            mailed = true;
        }
        return core::Ok{};
    });
    if (!status) co_return status.error();
    if (over_limit) co_return limited();
    if (mailed && wake_) wake_();
    // Nothing about a known email address goes back to the anonymous caller.
    if (request.channel == SubscriberChannel::Email) {
        out.subscriber.id = 0;
        out.subscriber.token.clear();
        out.subscriber.confirm_hash.clear();
    }
    co_return out;
}

core::Result<Subscriber> SubscriberService::pending(std::string_view confirm_token)
{
    std::optional<Subscriber> out;
    const auto now = clock_.now();
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.subscribers().find_by_confirm_hash(auth::token_hash(confirm_token));
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!confirmable(out, now)) return link_gone();
    return std::move(*out);
}

boost::asio::awaitable<core::Result<Subscriber>> SubscriberService::confirm(std::string confirm_token)
{
    const auto now = clock_.now();
    Subscriber out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto s = tx.subscribers().find_by_confirm_hash(auth::token_hash(confirm_token));
        if (!confirmable(s, now)) return link_gone();
        s->state = SubscriberState::Active;
        s->confirm_hash.clear();
        s->confirm_expires_at.reset();
        s->confirmed_at = now;
        tx.subscribers().update(*s);
        out = *s;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

core::Result<Subscriber> SubscriberService::by_token(std::string_view token)
{
    std::optional<Subscriber> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.subscribers().find_by_token(token);
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!out) return core::Error::not_found("this subscription does not exist (any more)");
    return std::move(*out);
}

boost::asio::awaitable<core::Status> SubscriberService::unsubscribe(std::string token)
{
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto s = tx.subscribers().find_by_token(token);
        if (!s) return core::Error::not_found("this subscription does not exist (any more)");
        tx.subscribers().remove(s->id);
        return core::Ok{};
    });
}

boost::asio::awaitable<core::Result<Subscriber>>
SubscriberService::choose_components(std::string token, std::vector<std::int64_t> component_ids)
{
    std::sort(component_ids.begin(), component_ids.end());
    component_ids.erase(std::unique(component_ids.begin(), component_ids.end()), component_ids.end());
    Subscriber out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto s = tx.subscribers().find_by_token(token);
        if (!s) return core::Error::not_found("this subscription does not exist (any more)");
        if (auto checked = check_components(tx, component_ids); !checked) return checked;
        s->all_components = component_ids.empty();
        s->component_ids = component_ids;
        tx.subscribers().update(*s);
        out = *s;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

core::Result<std::vector<Subscriber>> SubscriberService::list(const auth::Actor& actor)
{
    if (auto s = admin_only(actor); !s) return s.error();
    std::vector<Subscriber> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.subscribers().list(1000);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Status> SubscriberService::remove(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = admin_only(actor); !s) co_return s.error();
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!tx.subscribers().remove(id)) return core::Error::not_found("no subscriber " + std::to_string(id));
        return core::Ok{};
    });
}

core::Result<std::vector<FanoutProgress>> SubscriberService::progress(const auth::Actor& actor)
{
    if (auto s = admin_only(actor); !s) return s.error();
    std::vector<FanoutProgress> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.subscribers().progress(50);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<int> SubscriberService::expand_due_blocking()
{
    const auto now = clock_.now();
    int written = 0;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        auto pending = tx.subscribers().pending_fanouts(1);
        if (pending.empty()) return core::Ok{};
        auto& f = pending.front();
        // What the messages say: an incident's update, or a scheduled maintenance's. Gone: nothing to send.
        std::function<UpdateMessage(const Subscriber&)> compose;
        if (f.maintenance) {
            auto m = tx.maintenances().find_maintenance(f.incident_id);
            std::optional<MaintenanceUpdate> update;
            if (m)
                for (auto& u : tx.maintenances().maintenance_updates(f.incident_id))
                    if (u.id == f.update_id) update = std::move(u);
            if (m && update)
                compose = [this, m = std::move(*m), u = std::move(*update)](const Subscriber& s) {
                    return maintenance_message(settings_.page, s, m, u);
                };
        } else {
            auto incident = tx.status().find_incident(f.incident_id);
            std::optional<PublicUpdate> update;
            if (incident)
                for (auto& u : tx.status().updates(f.incident_id))
                    if (u.id == f.update_id) update = std::move(u);
            if (incident && update)
                compose = [this, i = std::move(*incident), u = std::move(*update)](const Subscriber& s) {
                    return update_message(settings_.page, s, i, u);
                };
        }
        if (!compose) {
            f.expanded_at = now;
            tx.subscribers().update_fanout(f);
            return core::Ok{};
        }
        auto subscribers = tx.subscribers().active_for(f.component_ids, f.next_subscriber_id, settings_.batch);
        for (const auto& s : subscribers) {
            auto content = compose(s);
            auto& count = s.channel == SubscriberChannel::Email ? f.email_count
                          : s.channel == SubscriberChannel::Sms ? f.sms_count
                                                                : f.webhook_count;
            notify::OutboxMessage m;
            if (s.channel == SubscriberChannel::Email) {
                m = email_to(settings_.identity, s.address, notify::kStatusUpdate, std::move(content), now);
            } else {
                m.kind = std::string(notify::kStatusUpdate);
                m.channel = std::string(s.channel == SubscriberChannel::Sms ? notify::kSms : notify::kWebhook);
                m.recipient = s.address;
                m.body = std::move(content.body);
                m.signing_secret = s.signing_secret;
                m.message_id = notify::new_message_id(settings_.identity);
                m.created_at = now;
            }
            m.next_attempt_at = std::max(now, paced(settings_.rates, s.channel, count++, f.created_at));
            if (!f.maintenance) m.status_update_id = f.update_id;
            m.subscriber_id = s.id;
            tx.outbox().enqueue(m);
            f.next_subscriber_id = s.id + 1;
            ++written;
        }
        if (static_cast<int>(subscribers.size()) < settings_.batch) f.expanded_at = now;
        tx.subscribers().update_fanout(f);
        return core::Ok{};
    });
    if (!status) return status.error();
    if (written > 0 && wake_) wake_();
    return written;
}

namespace {

// One fan-out row, unless the update asked not to notify.
void record(storage::Transaction& tx, bool maintenance, std::int64_t subject_id,
            const std::vector<std::int64_t>& components, std::int64_t update_id, core::UtcTime at, bool deliver)
{
    if (!deliver) return;
    Fanout f;
    f.maintenance = maintenance;
    f.update_id = update_id;
    f.incident_id = subject_id;
    f.component_ids = components;
    f.created_at = at;
    tx.subscribers().insert_fanout(f);
}

}  // namespace

void record_fanout(storage::Transaction& tx, const PublicIncident& incident, const PublicUpdate& update)
{
    record(tx, false, incident.id, incident.component_ids, update.id, update.created_at, update.deliver_notifications);
}

void record_fanout(storage::Transaction& tx, const Maintenance& maintenance, const MaintenanceUpdate& update)
{
    record(tx, true, maintenance.id, maintenance.component_ids, update.id, update.created_at,
           update.deliver_notifications);
}

void on_message_dead(storage::Transaction& tx, const notify::OutboxMessage& message, std::string_view error,
                     const notify::MailIdentity& identity, core::UtcTime now)
{
    if (message.subscriber_id == 0 || message.channel != notify::kWebhook) return;
    auto s = tx.subscribers().find(message.subscriber_id);
    if (!s || s->state == SubscriberState::Disabled) return;
    s->state = SubscriberState::Disabled;
    s->disabled_reason = std::string(error);
    tx.subscribers().update(*s);
    if (!identity.enabled()) return;
    for (const auto& user : tx.auth().list_staff()) {
        if (user.role != auth::Role::Admin || user.email.empty()) continue;
        UpdateMessage notice;
        notice.subject = "Status page webhook disabled: " + s->address;
        notice.body = "The status page stopped sending updates to the webhook subscriber " + s->address +
                      " (subscriber " + std::to_string(s->id) + ") because its deliveries kept failing:\n\n" +
                      std::string(error) +
                      "\n\nThe subscription stays in the list as disabled; remove it, or ask its owner to subscribe "
                      "again once the endpoint works.\n";
        tx.outbox().enqueue(email_to(identity, user.email, notify::kStatusSubscriberDisabled, notice, now));
    }
}

}  // namespace lifeline::status
