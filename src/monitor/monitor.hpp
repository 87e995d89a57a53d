// Monitors the server runs itself: HTTP(S) and TCP probes on an interval, and heartbeats that an outside job sends.
//
// This layer is pure: values, validation and the policy of what one check result does to a monitor's state. No I/O,
// no clock, no storage. The probes live in monitor/check.hpp; the loop that runs them in engine/monitor_worker.hpp.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::monitor {

enum class Kind { Http, Tcp, Heartbeat };
// Pending: created or moved to another service, no verdict yet. Down: failed failures_before_alert checks in a row
// (an alert is open for it). Up: the last check passed, or it failed fewer times in a row than the threshold.
enum class State { Pending, Up, Down };
// What a state change asks of the monitor's alert: nothing, open (trigger) it, or resolve it.
enum class AlertAction { None, Trigger, Resolve };

std::string_view to_string(Kind kind);           // "http", "tcp", "heartbeat"
std::string_view to_string(State state);         // "pending", "up", "down"
std::string_view to_string(AlertAction action);  // "", "trigger", "resolve" (the stored form)
std::optional<Kind> parse_kind(std::string_view text);
State parse_state(std::string_view text);               // unknown text reads as Pending
AlertAction parse_alert_action(std::string_view text);  // unknown text reads as None

// Bounds, checked by validated().
inline constexpr int kMaxIntervalSeconds = 24 * 60 * 60;
inline constexpr int kMaxTimeoutSeconds = 120;
inline constexpr int kMaxFailuresBeforeAlert = 100;
inline constexpr int kMaxGraceSeconds = 7 * 24 * 60 * 60;
inline constexpr std::size_t kMaxUrlBytes = 2048;
inline constexpr std::size_t kMaxKeywordBytes = 1024;
// Defaults for fields sent as 0 or left out.
inline constexpr int kDefaultIntervalSeconds = 60;
inline constexpr int kDefaultTimeoutSeconds = 10;
inline constexpr int kDefaultFailuresBeforeAlert = 1;

// The consecutive-failure state machine, persisted with the monitor.
struct Status {
    State state = State::Pending;
    int consecutive_failures = 0;
};

// What one check result does: the new status, and what to do about the alert.
struct Step {
    Status status;
    AlertAction alert = AlertAction::None;
    bool state_changed = false;
};

// Applies one check result. A pass clears the failure count; from Down it goes Up and resolves the alert, from
// Pending it goes Up quietly. A failure counts; at `failures_before_alert` consecutive failures a monitor that is
// not already Down goes Down and triggers the alert. A monitor stays Up (or Pending) below the threshold.
Step step(Status current, int failures_before_alert, bool ok);

// One stored check result: the state history behind uptime figures.
struct CheckRecord {
    core::UtcTime at;
    bool ok = false;
    std::optional<int> latency_ms;  // none for heartbeats and checks that never connected
    std::string detail;             // "HTTP 200 in 35 ms", "connection refused", "no heartbeat since …"
};

// What a probe found; `at` is stamped by the caller.
struct CheckResult {
    bool ok = false;
    std::optional<int> latency_ms;
    std::string detail;
};

struct Monitor {
    std::int64_t id = 0;
    std::string name;
    Kind kind = Kind::Http;
    std::int64_t service_id = 0;
    std::string service_name;     // read from the service; not part of the definition
    std::string integration_key;  // the service's key, which alerts are raised through; never shown
    int interval_seconds = kDefaultIntervalSeconds;
    int timeout_seconds = kDefaultTimeoutSeconds;
    int failures_before_alert = kDefaultFailuresBeforeAlert;

    // Http.
    std::string url;           // http:// or https://
    int expected_status = 0;   // 0: any 2xx
    std::string keyword;       // must appear in the body (first 1 MiB) when non-empty
    int max_latency_ms = 0;    // 0: no threshold
    int cert_expiry_days = 0;  // https only; fail when the certificate expires in fewer days. 0: not checked

    // Tcp.
    std::string host;
    int port = 0;

    // Heartbeat.
    int grace_seconds = 0;
    std::string token_hash;  // BLAKE2b of the secret token, which is shown once at creation

    // State, owned by the checks.
    Status status;
    std::optional<core::UtcTime> state_changed_at;
    std::optional<core::UtcTime> last_check_at;
    std::string last_detail;
    // When the next check is due; for a heartbeat, the deadline for the next beat (last beat + interval + grace).
    core::UtcTime next_check_at{};
    AlertAction pending_alert = AlertAction::None;  // decided but not yet handed to the alert service
    core::UtcTime created_at{};
    core::UtcTime updated_at{};
};

// What admins send to create or replace a monitor. Zero numbers mean "the default".
struct MonitorInput {
    std::string name;
    std::string kind;  // "http", "tcp" or "heartbeat"
    std::int64_t service_id = 0;
    std::int64_t interval_seconds = 0;
    std::int64_t timeout_seconds = 0;
    std::int64_t failures_before_alert = 0;
    std::string url;
    std::int64_t expected_status = 0;
    std::string keyword;
    std::int64_t max_latency_ms = 0;
    std::int64_t cert_expiry_days = 0;
    std::string host;
    std::int64_t port = 0;
    std::int64_t grace_seconds = 0;
};

// Trims, applies defaults and checks every field, collecting every problem. The definition fields of the result
// are set; id, service name, token, state and times are left for the caller. Errors: InvalidArgument with one
// FieldError per problem (fields that belong to another kind are refused, so a typo in "kind" is not silent).
core::Result<Monitor> validated(const MonitorInput& input);

// The delay from one check to the next for this monitor's kind: the interval, or for a heartbeat interval + grace
// after a beat.
std::chrono::seconds beat_window(const Monitor& m);

// The failed check the worker records when a heartbeat's deadline (next_check_at) passed without a beat.
CheckResult missed_heartbeat(const Monitor& m);

// --- HTTP verdicts, kept pure so they are testable without a network. ---

// What an HTTP(S) probe saw.
struct HttpObservation {
    std::string transport_error;  // non-empty when no HTTP response arrived (DNS, refused, timeout, TLS…)
    int status = 0;
    bool keyword_found = false;
    int latency_ms = 0;
    std::optional<core::UtcTime> certificate_expires_at;  // the server certificate's notAfter, for https
};

// Judges an observation against the monitor's expectations, in order: transport, status, keyword, latency,
// certificate expiry. The detail names the first failed expectation, or summarises a pass.
CheckResult judge_http(const Monitor& m, const HttpObservation& seen, core::UtcTime now);

// Parses the "Expire date" libcurl reports for a certificate (OpenSSL's form, "Nov 23 12:00:00 2027 GMT";
// also "2027-11-23 12:00:00 GMT" from other TLS back-ends). nullopt when malformed.
std::optional<core::UtcTime> parse_certificate_time(std::string_view text);

// Uptime over a window: the share of checks that passed, in percent; nullopt when there were none.
std::optional<double> uptime_percent(std::int64_t checks, std::int64_t passed);

}  // namespace lifeline::monitor
