// The one storage interface the services see: units of work over the domain stores.
// Implementations: storage/sqlite (embedded default). No SQL or backend header leaks from here.
#pragma once

#include "alert/alert_store.hpp"
#include "auth/auth_store.hpp"
#include "core/result.hpp"
#include "escalation/escalation_store.hpp"
#include "incident/incident_store.hpp"
#include "intake/email/email_store.hpp"
#include "monitor/monitor_store.hpp"
#include "notify/outbox_store.hpp"
#include "org/org_store.hpp"
#include "plan/plan_store.hpp"
#include "schedule/schedule_store.hpp"
#include "status/maintenance_store.hpp"
#include "status/status_store.hpp"
#include "status/subscriber_store.hpp"
#include "ticket/ticket_store.hpp"

#include <functional>
#include <future>
#include <stdexcept>

namespace lifeline::storage {

// The domain stores bound to one transaction. Valid only inside the work function it is passed to.
class Transaction {
public:
    virtual ~Transaction() = default;
    virtual org::OrgStore& orgs() = 0;
    virtual plan::PlanStore& plans() = 0;
    virtual auth::AuthStore& auth() = 0;
    virtual ticket::TicketStore& tickets() = 0;
    virtual notify::OutboxStore& outbox() = 0;
    virtual intake::email::EmailStore& emails() = 0;
    virtual alert::AlertStore& alerts() = 0;
    virtual schedule::ScheduleStore& schedules() = 0;
    virtual escalation::EscalationStore& escalations() = 0;
    virtual incident::IncidentStore& incidents() = 0;
    virtual monitor::MonitorStore& monitors() = 0;
    virtual status::StatusStore& status() = 0;
    virtual status::MaintenanceStore& maintenances() = 0;
    virtual status::SubscriberStore& subscribers() = 0;
};

// Thrown by store implementations when the backend fails (I/O error, disk full, corruption).
// The unit-of-work boundary catches it, rolls the work back and reports Error::unavailable.
class BackendFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Database {
public:
    // A unit of work. Returning an error rolls back everything it wrote.
    using Work = std::function<core::Status(Transaction&)>;
    using Done = std::function<void(core::Status)>;

    virtual ~Database() = default;

    // Queues `work` for the writer. Many queued works share one commit (group commit), each in its own
    // savepoint so one failing work does not undo the others. `done` is called on the writer thread
    // after the commit is durable on disk, or with the work's error, or Unavailable if the commit failed.
    virtual void submit_write(Work work, Done done) = 0;

    // Runs `work` on a consistent read snapshot on the calling thread. Writes inside it are an error.
    virtual core::Status read(const Work& work) = 0;

    // Writes queued but not yet committed, for /metrics.
    virtual std::size_t write_queue_depth() const = 0;

    // Blocks until `work` is durably committed. For the CLI and tests, never on an I/O thread.
    core::Status write_blocking(Work work)
    {
        std::promise<core::Status> promise;
        auto future = promise.get_future();
        submit_write(std::move(work), [&promise](core::Status status) { promise.set_value(std::move(status)); });
        return future.get();
    }
};

}  // namespace lifeline::storage
