// One open desk: the store and the services over it, in construction order.
#pragma once

#include "alert/alert_service.hpp"
#include "app/config.hpp"
#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "core/hub.hpp"
#include "engine/monitor_worker.hpp"
#include "engine/outbox_worker.hpp"
#include "engine/timer_worker.hpp"
#include "escalation/escalation_service.hpp"
#include "http/public/status_documents.hpp"
#include "incident/incident_service.hpp"
#include "intake/email/email_intake.hpp"
#include "monitor/monitor_service.hpp"
#include "notify/outbox_service.hpp"
#include "org/org_service.hpp"
#include "schedule/schedule_service.hpp"
#include "status/maintenance_service.hpp"
#include "status/status_service.hpp"
#include "status/subscriber_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "ticket/ticket_service.hpp"

#include <boost/asio/thread_pool.hpp>

#include <memory>

namespace lifeline::app {

// Who we are on outbound mail; disabled unless a relay and a From address are configured.
notify::MailIdentity mail_identity(const Config& config);
intake::email::IntakeSettings intake_settings(const Config& config);
escalation::PagingSettings paging_settings(const Config& config);
notify::TwilioConfig twilio_config(const Config& config);
// The status page's subscriber settings; the public URL is set by serve once the listener is bound.
status::SubscriberSettings subscriber_settings(const Config& config);

struct Desk {
    Desk(std::unique_ptr<storage::sqlite::SqliteDatabase> database, const Config& config)
        : db(std::move(database)), hashing(2), workers(2), auth(*db, clock, hashing),
          escalator(paging_settings(config),
                    [this] {
                        if (outbox_worker) outbox_worker->wake();
                    }),
          tickets(*db, clock, mail_identity(config), &escalator), orgs(*db),
          email(*db, clock, tickets, workers, intake_settings(config)), outbox(*db, clock,
                                                                               [this] {
                                                                                   if (outbox_worker)
                                                                                       outbox_worker->wake();
                                                                               }),
          alerts(*db, clock, escalator), schedules(*db, clock), escalations(*db, clock, escalator),
          incidents(*db, clock, tickets, escalator,
                    [this](std::int64_t id) {
                        hub.publish("incident:" + std::to_string(id), "changed", std::to_string(id));
                    }),
          monitors(*db, clock, alerts,
                   [this] {
                       if (monitor_worker) monitor_worker->wake();
                   }),
          subscribers(*db, clock, subscriber_settings(config),
                      [this] {
                          if (outbox_worker) outbox_worker->wake();
                      }),
          status(*db, clock, [this] {
              // Render the public documents again right after the commit: visible at once, not on the next poll.
              if (status_documents) (void)status_documents->rebuild();
          })
    {
        // A monitor going down or coming back moves the components that follow it, in the same commit.
        monitors.follow_state({&status::StatusService::follow_monitor_state, [this] { status.public_changed(); }});
    }
    ~Desk()
    {
        if (monitor_worker) monitor_worker->stop();
        if (timer_worker) timer_worker->stop();
        if (outbox_worker) outbox_worker->stop();
        hashing.join();
        workers.join();
    }

    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    core::SystemClock clock;
    // Live pages (server-sent events). Ids start from the clock so that they keep growing across restarts.
    core::Hub hub{core::HubLimits{}, static_cast<std::uint64_t>(core::to_unix_ms(clock.now())) * 1000};
    boost::asio::thread_pool hashing;  // argon2id
    boost::asio::thread_pool workers;  // MIME parsing
    auth::AuthService auth;
    escalation::Escalator escalator;
    ticket::TicketService tickets;
    org::OrgService orgs;
    intake::email::EmailIntakeService email;
    notify::OutboxService outbox;
    alert::AlertService alerts;
    schedule::ScheduleService schedules;
    escalation::EscalationService escalations;
    incident::IncidentService incidents;
    monitor::MonitorService monitors;
    status::SubscriberService subscribers;
    status::StatusService status;
    status::MaintenanceService maintenances{*db, clock, status};
    std::unique_ptr<engine::OutboxWorker> outbox_worker;      // started by serve
    std::unique_ptr<engine::TimerWorker> timer_worker;        // started by serve
    std::unique_ptr<engine::MonitorWorker> monitor_worker;    // started by serve
    std::unique_ptr<http::StatusDocuments> status_documents;  // the public /api/v2 documents; built by serve
};

enum class MustExist { Yes, No };

// Opens the store in config.data_dir (creating the folder and database unless MustExist::Yes).
// On failure prints one line to stderr and returns the sysexits code in `exit_code`.
std::unique_ptr<Desk> open_desk(const Config& config, MustExist must_exist, int& exit_code);

// Seeds realistic demo data: plans, organizations, agents, contacts and tickets in several states.
// Returns the sign-ins to print. Blocking.
std::vector<std::string> seed_demo(Desk& desk);

}  // namespace lifeline::app
