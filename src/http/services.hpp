// What the HTTP edge may call: services only, never stores.
#pragma once

#include "alert/alert_service.hpp"
#include "auth/auth_service.hpp"
#include "core/hub.hpp"
#include "escalation/escalation_service.hpp"
#include "http/metrics.hpp"
#include "incident/incident_service.hpp"
#include "intake/email/email_intake.hpp"
#include "monitor/monitor_service.hpp"
#include "notify/outbox_service.hpp"
#include "org/org_service.hpp"
#include "schedule/schedule_service.hpp"
#include "status/maintenance_service.hpp"
#include "status/status_service.hpp"
#include "status/subscriber_service.hpp"
#include "ticket/ticket_service.hpp"

#include <functional>

namespace lifeline::http {

class StatusDocuments;

struct Services {
    auth::AuthService& auth;
    ticket::TicketService& tickets;
    org::OrgService& orgs;
    intake::email::EmailIntakeService& email;
    notify::OutboxService& outbox;
    alert::AlertService& alerts;
    schedule::ScheduleService& schedules;
    escalation::EscalationService& escalations;
    incident::IncidentService& incidents;
    monitor::MonitorService& monitors;
    Metrics& metrics;
    const core::Clock& clock;                     // for what pages say about time ("due in 12 min")
    std::function<bool()> ready;                  // true once the store is open and the listener accepts
    std::uint64_t max_email_bytes = 50 << 20;     // body limit of the raw-email intake endpoint
    core::Hub* hub = nullptr;                     // live pages (server-sent events); null: pages do not update live
    status::StatusService* status = nullptr;      // the status page's admin API; null: it answers 503
    StatusDocuments* status_documents = nullptr;  // the public /api/v2 documents; null: they answer 503
    status::MaintenanceService* maintenances = nullptr;  // scheduled maintenance's admin API; null: it answers 503
    status::SubscriberService* subscribers = nullptr;    // status page subscribers; null: their pages answer 503
};

class Router;

// Registers /healthz, /metrics and the JSON API v1 (with /api/v1/openapi.json).
void add_api_routes(Router& router, Services& services);
// Registers the sign-in pages, the agent console and the customer portal, and static assets.
void add_web_routes(Router& router, Services& services);
// Registers the public Statuspage-compatible documents under /api/v2/ (no authentication).
void add_public_status_routes(Router& router, Services& services);
// Registers the public subscribe, confirm and unsubscribe pages of the status page (no authentication).
void add_subscriber_pages(Router& router, Services& services);

}  // namespace lifeline::http
