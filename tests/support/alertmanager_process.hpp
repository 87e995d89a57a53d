// Test support: the real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by scripts/setup) in a
// child process, with a fresh directory for its config and storage, one webhook receiver, and test-sized timings.
#pragma once

#include "support/child_process.hpp"
#include "support/server_process.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lifeline::testing {

struct AlertmanagerOptions {
    std::string webhook_url;  // the single receiver's webhook_configs url; send_resolved is true
    std::vector<std::string> group_by{"alertname"};
    std::string group_wait = "1s";       // first notification for a new group
    std::string group_interval = "1s";   // later notifications for a changed group (and resolves)
    std::string repeat_interval = "1h";  // an unchanged group is not sent again within a test
};

// Runs `prometheus-alertmanager --config.file=DIR/alertmanager.yml --storage.path=DIR/data
// --web.listen-address=127.0.0.1:PORT --cluster.listen-address=` (clustering off) until stop() or destruction.
// The binary is the env var LIFELINE_ALERTMANAGER if set, else /usr/bin/prometheus-alertmanager. PORT is a free
// loopback port (bound and released; another is tried if Alertmanager cannot listen on it). Its stdout and stderr
// (logfmt) go to DIR/alertmanager.log. A ChildProcess, so a crashed test leaves nothing listening. Not thread-safe.
class AlertmanagerProcess {
public:
    // Writes the config, starts Alertmanager and waits (up to 30 s) for GET /-/ready to answer 200.
    // Throws std::runtime_error (with the log) if it cannot start.
    explicit AlertmanagerProcess(AlertmanagerOptions options);
    explicit AlertmanagerProcess(std::string webhook_url) : AlertmanagerProcess(AlertmanagerOptions{webhook_url}) {}

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& directory() const { return directory_.path(); }
    // True while the child has not exited (checked without reaping it).
    bool running() const { return child_.running(); }

    // POST /api/v2/alerts with `json`, a JSON array of {labels, annotations, startsAt, endsAt, generatorURL}.
    // Alertmanager answers 200 with an empty body, or 400 with a JSON string naming the problem.
    HttpResponse post_alerts(const std::string& json) const;
    // Any request to Alertmanager's HTTP API, e.g. get("/api/v2/alerts").
    HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {}) const;
    HttpResponse get(const std::string& target) const { return request("GET", target); }
    // The value of one series from GET /metrics, written exactly as exposed, e.g.
    // `alertmanager_notifications_total{integration="webhook"}`; nullopt when it is not there.
    std::optional<double> metric(const std::string& series) const;
    // Everything Alertmanager has logged so far.
    std::string log() const;

    // SIGTERM and wait (SIGKILL after 5 s).
    void stop() { child_.stop(); }

private:
    void write_config() const;
    bool start_on(int port);  // false if Alertmanager exited before it was ready (e.g. the port was taken)

    AlertmanagerOptions options_;
    TempDir directory_{"lifeline-alertmanager"};
    ChildProcess child_{"AlertmanagerProcess"};
    int port_ = 0;
};

// A timestamp as Alertmanager's API takes it in startsAt/endsAt: RFC 3339 in UTC with milliseconds,
// "2026-11-23T10:00:00.123Z".
std::string alertmanager_time(std::chrono::system_clock::time_point at);

}  // namespace lifeline::testing
