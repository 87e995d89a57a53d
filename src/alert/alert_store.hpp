// Services (what alerts are about, each with an integration key) and alerts (one open alert per dedup key).
// Storage interface; implementations live in storage/<backend>/.
#pragma once

#include "alert/alert.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::alert {

struct Service {
    std::int64_t id = 0;
    std::string name;
    std::string integration_key;  // the Events v2 routing_key and the Alertmanager URL's key
    core::UtcTime created_at;
    std::int64_t escalation_policy_id = 0;  // who is paged for its alerts; 0: nobody
};

enum class AlertStatus { Triggered, Acknowledged, Resolved };
std::string_view to_string(AlertStatus status);
AlertStatus parse_alert_status(std::string_view text);

struct Alert {
    std::int64_t id = 0;
    std::int64_t service_id = 0;
    std::string service_name;
    std::string dedup_key;
    AlertStatus status = AlertStatus::Triggered;
    std::string summary;
    std::string source;
    AlertEvent::Severity severity = AlertEvent::Severity::Warning;
    std::string component, group, class_name;
    std::string details_json;
    std::int64_t event_count = 1;  // triggers folded into this alert by deduplication
    bool flapping = false;         // re-opened too often lately: recorded without paging again
    core::UtcTime created_at;
    core::UtcTime updated_at;
    std::optional<core::UtcTime> resolved_at;
};

class AlertStore {
public:
    virtual ~AlertStore() = default;
    // Errors: Conflict when the name is taken.
    virtual core::Result<std::int64_t> insert_service(const Service& service) = 0;
    virtual std::optional<Service> find_service_by_key(std::string_view integration_key) = 0;
    virtual std::vector<Service> services() = 0;
    virtual std::optional<Service> find_service(std::int64_t id) = 0;
    // The unresolved alert of a service with this dedup key, if any.
    virtual std::optional<Alert> find_open(std::int64_t service_id, std::string_view dedup_key) = 0;
    virtual std::optional<Alert> find(std::int64_t id) = 0;
    virtual std::int64_t insert(const Alert& alert) = 0;
    // Folds one more trigger into the open alert of this service and key, in one statement; its id, or nullopt
    // when none is open.
    virtual std::optional<std::int64_t> add_event(std::int64_t service_id, std::string_view dedup_key,
                                                  core::UtcTime now) = 0;
    virtual void set_status(std::int64_t id, AlertStatus status, core::UtcTime now) = 0;
    // Alerts opened for this key since `since`, resolved ones included (flapping detection).
    virtual std::int64_t count_opened_since(std::int64_t service_id, std::string_view dedup_key,
                                            core::UtcTime since) = 0;
    // Newest first; `open_only` leaves out resolved alerts.
    virtual std::vector<Alert> list(bool open_only, int limit) = 0;
};

}  // namespace lifeline::alert
