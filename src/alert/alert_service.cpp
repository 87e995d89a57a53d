#include "alert/alert_service.hpp"

#include "core/text.hpp"
#include "storage/async.hpp"

#include <sodium.h>

namespace lifeline::alert {

namespace {

std::string random_hex(std::size_t bytes)
{
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
    hex.pop_back();
    return hex;
}

bool pages(AlertEvent::Severity severity)
{
    return severity == AlertEvent::Severity::Critical || severity == AlertEvent::Severity::Error;
}

Ingested apply(storage::Transaction& tx, escalation::Escalator& escalator, const Service& service, AlertEvent& event,
               core::UtcTime now, escalation::Effects& fx)
{
    using Effect = Ingested::Effect;
    auto& store = tx.alerts();
    if (event.action == AlertEvent::Action::Trigger) {
        if (event.dedup_key.empty()) event.dedup_key = random_hex(16);
        if (auto open = store.add_event(service.id, event.dedup_key, now))
            return {Effect::Deduplicated, event.dedup_key, *open};
        Alert a;
        a.service_id = service.id;
        a.dedup_key = event.dedup_key;
        a.status = AlertStatus::Triggered;
        a.summary = event.summary;
        a.source = event.source;
        a.severity = event.severity;
        a.component = event.component;
        a.group = event.group;
        a.class_name = event.class_name;
        a.details_json = event.custom_details_json;
        a.created_at = now;
        a.updated_at = now;
        a.flapping = store.count_opened_since(service.id, event.dedup_key, now - AlertService::kFlapWindow) + 1 >=
                     AlertService::kFlapThreshold;
        a.id = store.insert(a);
        if (service.escalation_policy_id && pages(a.severity) && !a.flapping)
            escalator.start(tx,
                            escalation::Trigger{service.escalation_policy_id, a.id, 0, service.name + ": " + a.summary,
                                                std::string(to_string(a.severity))},
                            now, fx);
        return {Effect::Opened, event.dedup_key, a.id};
    }
    auto open = store.find_open(service.id, event.dedup_key);
    if (!open) return {Effect::Ignored, event.dedup_key, 0};
    if (event.action == AlertEvent::Action::Resolve) {
        store.set_status(open->id, AlertStatus::Resolved, now);
        escalator.alert_resolved(tx, open->id, now);
        return {Effect::Resolved, event.dedup_key, open->id};
    }
    if (open->status == AlertStatus::Triggered) store.set_status(open->id, AlertStatus::Acknowledged, now);
    escalator.alert_acknowledged(tx, open->id, 0, "source", now);
    return {Effect::Acknowledged, event.dedup_key, open->id};
}

}  // namespace

std::string_view to_string(AlertStatus status)
{
    switch (status) {
    case AlertStatus::Triggered: return "triggered";
    case AlertStatus::Acknowledged: return "acknowledged";
    case AlertStatus::Resolved: return "resolved";
    }
    return "triggered";
}

AlertStatus parse_alert_status(std::string_view text)
{
    if (text == "acknowledged") return AlertStatus::Acknowledged;
    if (text == "resolved") return AlertStatus::Resolved;
    return AlertStatus::Triggered;
}

std::string_view to_string(Ingested::Effect effect)
{
    switch (effect) {
    case Ingested::Effect::Opened: return "opened";
    case Ingested::Effect::Deduplicated: return "deduplicated";
    case Ingested::Effect::Acknowledged: return "acknowledged";
    case Ingested::Effect::Resolved: return "resolved";
    case Ingested::Effect::Ignored: return "ignored";
    }
    return "ignored";
}

boost::asio::awaitable<core::Result<Service>> AlertService::create_service(const auth::Actor& actor, std::string name,
                                                                           std::int64_t escalation_policy_id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins create services");
    name = core::trim(name);
    if (name.empty() || name.size() > 200 || !core::is_valid_utf8(name))
        co_return core::Error::invalid("the service is not valid",
                                       {{"name", "is required (1-200 characters of UTF-8)"}});
    Service service{0, name, random_hex(16), clock_.now(), escalation_policy_id};
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (escalation_policy_id && !tx.escalations().find_policy(escalation_policy_id))
            return core::Error::invalid("the service is not valid",
                                        {{"escalation_policy_id", "names no escalation policy"}});
        auto id = tx.alerts().insert_service(service);
        if (!id) return id.error();
        service.id = *id;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return service;
}

core::Result<std::vector<Service>> AlertService::services(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see services");
    std::vector<Service> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.alerts().services();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<std::vector<Ingested>>> AlertService::ingest(std::vector<AlertEvent> events,
                                                                                 std::string integration_key)
{
    std::vector<Ingested> out;
    auto now = clock_.now();
    escalation::Effects fx;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        out.clear();
        fx = {};
        auto& store = tx.alerts();
        std::optional<Service> service;
        for (auto& event : events) {
            const auto& key = integration_key.empty() ? event.routing_key : integration_key;
            if (!service || service->integration_key != key) service = store.find_service_by_key(key);
            if (!service) return core::Error::not_found("no service has the integration key '" + key + "'");
            out.push_back(apply(tx, escalator_, *service, event, now, fx));
        }
        return core::Ok{};
    });
    if (!status) co_return status.error();
    events_.fetch_add(events.size(), std::memory_order_relaxed);
    co_return out;
}

core::Result<std::vector<Alert>> AlertService::list(const auth::Actor& actor, bool open_only)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see alerts");
    std::vector<Alert> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.alerts().list(open_only, 200);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<Alert>> AlertService::set_status(const auth::Actor& actor, std::int64_t id,
                                                                     AlertStatus to, std::string via)
{
    if (!actor.is_staff()) co_return core::Error::denied("only staff acknowledge or resolve alerts");
    auto now = clock_.now();
    Alert out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto a = tx.alerts().find(id);
        if (!a) return core::Error::not_found("no alert " + std::to_string(id));
        if (a->status == AlertStatus::Resolved) return core::Error::conflict("the alert is already resolved");
        if (a->status != to) tx.alerts().set_status(id, to, now);
        if (to == AlertStatus::Resolved) escalator_.alert_resolved(tx, id, now);
        if (to == AlertStatus::Acknowledged) escalator_.alert_acknowledged(tx, id, actor.user_id.value, via, now);
        out = *tx.alerts().find(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

}  // namespace lifeline::alert
