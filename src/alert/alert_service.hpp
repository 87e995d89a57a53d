// Alert use-cases: services with integration keys, and events folded into alerts (one open alert per
// service and dedup key; acknowledge and resolve by key from the source, or by id from people).
#pragma once

#include "alert/alert.hpp"
#include "alert/alert_store.hpp"
#include "auth/user.hpp"
#include "escalation/escalator.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <vector>

namespace lifeline::alert {

// What one event did.
struct Ingested {
    enum class Effect { Opened, Deduplicated, Acknowledged, Resolved, Ignored } effect = Effect::Ignored;
    std::string dedup_key;
    std::int64_t alert_id = 0;  // 0 when an acknowledge/resolve matched no open alert
};
std::string_view to_string(Ingested::Effect effect);

class AlertService {
public:
    // `escalator` pages for triggered alerts of services with a policy.
    AlertService(storage::Database& db, const core::Clock& clock, escalation::Escalator& escalator)
        : db_(db), clock_(clock), escalator_(escalator)
    {
    }

    // Admins only. The integration key is 32 random hex characters. `escalation_policy_id` (0: none) pages for its
    // critical and error alerts. Errors: PermissionDenied, InvalidArgument (also an unknown policy), Conflict (name
    // taken), Unavailable.
    boost::asio::awaitable<core::Result<Service>> create_service(const auth::Actor& actor, std::string name,
                                                                 std::int64_t escalation_policy_id = 0);
    core::Result<std::vector<Service>> services(const auth::Actor& actor);

    // Applies events from one sender in one unit of work, in order. A trigger that opens an alert on a service with
    // a policy starts paging when its severity is critical or error (warning and info are recorded without waking
    // anyone), unless the key is flapping: opened kFlapThreshold times within kFlapWindow. `integration_key` overrides
    // each event's routing_key when non-empty (Alertmanager and the generic webhook carry it in the URL). A trigger
    // without a dedup key gets a fresh one. Errors: NotFound for an unknown key (nothing applied), Unavailable.
    boost::asio::awaitable<core::Result<std::vector<Ingested>>> ingest(std::vector<AlertEvent> events,
                                                                       std::string integration_key = {});

    // Staff only. Errors: PermissionDenied, Unavailable.
    core::Result<std::vector<Alert>> list(const auth::Actor& actor, bool open_only);
    // Staff only; acknowledging stops its paging, as does resolving. `via` is "api" or "console". Errors:
    // PermissionDenied, NotFound, Conflict (already resolved), Unavailable.
    boost::asio::awaitable<core::Result<Alert>> set_status(const auth::Actor& actor, std::int64_t id,
                                                           AlertStatus status, std::string via = "api");

    std::uint64_t events_count() const { return events_.load(); }

    static constexpr int kFlapThreshold = 4;
    static constexpr std::chrono::minutes kFlapWindow{30};

private:
    storage::Database& db_;
    const core::Clock& clock_;
    escalation::Escalator& escalator_;
    std::atomic<std::uint64_t> events_{0};
};

}  // namespace lifeline::alert
