// The probes: one HTTP(S) request or one TCP connect per call, through libcurl's easy interface.
//
// Each call blocks its thread for at most the monitor's timeout (DNS, connect, TLS and transfer together), or
// until `cancelled` turns true, which is polled at least once a second. Run them on the worker's pool, never on an
// I/O thread. Proxies from the environment are not used: a monitor checks the address it names.
#pragma once

#include "core/clock.hpp"
#include "monitor/monitor.hpp"

#include <atomic>

namespace lifeline::monitor {

// At most this much of a body is read; the keyword is looked for in it.
inline constexpr std::size_t kMaxProbeBodyBytes = 1024 * 1024;

// GET the monitor's URL (following up to 5 redirects over http/https, verifying TLS), and report the status,
// whether the keyword is in the body, the total time and the certificate's notAfter.
HttpObservation observe_http(const Monitor& m, const std::atomic<bool>& cancelled);

// Opens (and closes) a TCP connection to host:port.
CheckResult check_tcp(const Monitor& m, const std::atomic<bool>& cancelled);

// Runs the probe for an HTTP or TCP monitor and judges it at clock.now(). A heartbeat has no probe: this returns
// missed_heartbeat(m).
CheckResult run_check(const Monitor& m, const core::Clock& clock, const std::atomic<bool>& cancelled);

}  // namespace lifeline::monitor
