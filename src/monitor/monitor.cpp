#include "monitor/monitor.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace lifeline::monitor {

namespace {

constexpr std::string_view kHttp = "http://";
constexpr std::string_view kHttps = "https://";

bool is_https(std::string_view url)
{
    return url.starts_with(kHttps);
}

// An http(s) URL with a host and no whitespace or control characters; libcurl judges the rest.
bool plausible_url(std::string_view url)
{
    std::string_view rest;
    if (url.starts_with(kHttp))
        rest = url.substr(kHttp.size());
    else if (url.starts_with(kHttps))
        rest = url.substr(kHttps.size());
    else
        return false;
    for (unsigned char c : url)
        if (c <= 0x20 || c == 0x7f) return false;
    auto host_end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, host_end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    return !authority.empty() && authority.front() != ':';
}

// A DNS name or an IP address literal (IPv6 without brackets).
bool plausible_host(std::string_view host)
{
    if (host.empty() || host.size() > 253) return false;
    for (unsigned char c : host)
        if (!std::isalnum(c) && c != '.' && c != '-' && c != ':' && c != '_') return false;
    return true;
}

int month_number(std::string_view name)
{
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (kMonths[i] == name) return i + 1;
    return 0;
}

std::string day_text(core::UtcTime t)
{
    return core::format_rfc3339(t).substr(0, 10);
}

}  // namespace

std::string_view to_string(Kind kind)
{
    switch (kind) {
    case Kind::Http: return "http";
    case Kind::Tcp: return "tcp";
    case Kind::Heartbeat: return "heartbeat";
    }
    return "http";
}

std::string_view to_string(State state)
{
    switch (state) {
    case State::Pending: return "pending";
    case State::Up: return "up";
    case State::Down: return "down";
    }
    return "pending";
}

std::string_view to_string(AlertAction action)
{
    switch (action) {
    case AlertAction::None: return "";
    case AlertAction::Trigger: return "trigger";
    case AlertAction::Resolve: return "resolve";
    }
    return "";
}

std::optional<Kind> parse_kind(std::string_view text)
{
    if (text == "http") return Kind::Http;
    if (text == "tcp") return Kind::Tcp;
    if (text == "heartbeat") return Kind::Heartbeat;
    return std::nullopt;
}

State parse_state(std::string_view text)
{
    if (text == "up") return State::Up;
    if (text == "down") return State::Down;
    return State::Pending;
}

AlertAction parse_alert_action(std::string_view text)
{
    if (text == "trigger") return AlertAction::Trigger;
    if (text == "resolve") return AlertAction::Resolve;
    return AlertAction::None;
}

Step step(Status current, int failures_before_alert, bool ok)
{
    Step out;
    if (ok) {
        out.status = {State::Up, 0};
        if (current.state == State::Down) out.alert = AlertAction::Resolve;
    } else {
        int failures = current.consecutive_failures + 1;
        out.status = {current.state, failures};
        if (failures >= std::max(1, failures_before_alert) && current.state != State::Down) {
            out.status.state = State::Down;
            out.alert = AlertAction::Trigger;
        }
    }
    out.state_changed = out.status.state != current.state;
    return out;
}

core::Result<Monitor> validated(const MonitorInput& in)
{
    std::vector<core::FieldError> errors;
    Monitor m;

    m.name = core::trim(in.name);
    if (m.name.empty() || m.name.size() > 200 || !core::is_valid_utf8(m.name))
        errors.push_back({"name", "is required (1-200 characters of UTF-8)"});

    auto kind = parse_kind(core::trim(in.kind));
    if (!kind) {
        errors.push_back({"kind", "must be http, tcp or heartbeat"});
    } else {
        m.kind = *kind;
    }
    if (in.service_id <= 0) errors.push_back({"service_id", "is required: the id of the service alerts go to"});
    m.service_id = in.service_id;

    auto bounded = [&](std::string_view field, std::int64_t value, std::int64_t low, std::int64_t high,
                       std::int64_t fallback) -> int {
        if (value == 0) return static_cast<int>(fallback);
        if (value < low || value > high) {
            errors.push_back(
                {std::string(field), "must be between " + std::to_string(low) + " and " + std::to_string(high)});
            return static_cast<int>(fallback);
        }
        return static_cast<int>(value);
    };
    m.interval_seconds =
        bounded("interval_seconds", in.interval_seconds, 1, kMaxIntervalSeconds, kDefaultIntervalSeconds);
    m.timeout_seconds = bounded("timeout_seconds", in.timeout_seconds, 1, kMaxTimeoutSeconds, kDefaultTimeoutSeconds);
    m.failures_before_alert = bounded("failures_before_alert", in.failures_before_alert, 1, kMaxFailuresBeforeAlert,
                                      kDefaultFailuresBeforeAlert);

    // Fields of another kind are refused rather than ignored.
    auto only_for = [&](std::string_view field, bool given, Kind owner) {
        if (given && kind && *kind != owner)
            errors.push_back({std::string(field), "applies to " + std::string(to_string(owner)) + " monitors only"});
    };
    only_for("url", !in.url.empty(), Kind::Http);
    only_for("expected_status", in.expected_status != 0, Kind::Http);
    only_for("keyword", !in.keyword.empty(), Kind::Http);
    only_for("max_latency_ms", in.max_latency_ms != 0, Kind::Http);
    only_for("cert_expiry_days", in.cert_expiry_days != 0, Kind::Http);
    only_for("host", !in.host.empty(), Kind::Tcp);
    only_for("port", in.port != 0, Kind::Tcp);
    only_for("grace_seconds", in.grace_seconds != 0, Kind::Heartbeat);
    if (kind && *kind == Kind::Heartbeat && in.timeout_seconds != 0)
        errors.push_back({"timeout_seconds", "applies to http and tcp monitors only"});

    if (kind == Kind::Http) {
        m.url = core::trim(in.url);
        if (m.url.empty() || m.url.size() > kMaxUrlBytes || !plausible_url(m.url))
            errors.push_back({"url", "is required: an http:// or https:// URL of at most 2048 bytes"});
        if (in.expected_status != 0 && (in.expected_status < 100 || in.expected_status > 599))
            errors.push_back({"expected_status", "must be an HTTP status from 100 to 599 (or 0 for any 2xx)"});
        m.expected_status = static_cast<int>(in.expected_status);
        if (in.keyword.size() > kMaxKeywordBytes || !core::is_valid_utf8(in.keyword))
            errors.push_back({"keyword", "must be at most 1024 bytes of UTF-8"});
        m.keyword = in.keyword;
        if (in.max_latency_ms < 0 || in.max_latency_ms > kMaxTimeoutSeconds * 1000)
            errors.push_back({"max_latency_ms", "must be between 0 (no threshold) and 120000"});
        m.max_latency_ms = static_cast<int>(std::max<std::int64_t>(0, in.max_latency_ms));
        if (in.cert_expiry_days < 0 || in.cert_expiry_days > 3650)
            errors.push_back({"cert_expiry_days", "must be between 0 (not checked) and 3650"});
        else if (in.cert_expiry_days > 0 && !is_https(m.url))
            errors.push_back({"cert_expiry_days", "needs an https:// URL"});
        m.cert_expiry_days = static_cast<int>(std::max<std::int64_t>(0, in.cert_expiry_days));
    } else if (kind == Kind::Tcp) {
        m.host = core::trim(in.host);
        if (!plausible_host(m.host)) errors.push_back({"host", "is required: a host name or IP address"});
        if (in.port < 1 || in.port > 65535) errors.push_back({"port", "is required: 1 to 65535"});
        m.port = static_cast<int>(in.port);
    } else if (kind == Kind::Heartbeat) {
        if (in.grace_seconds < 0 || in.grace_seconds > kMaxGraceSeconds)
            errors.push_back({"grace_seconds", "must be between 0 and 604800 (7 days)"});
        m.grace_seconds = static_cast<int>(std::max<std::int64_t>(0, in.grace_seconds));
        m.timeout_seconds = 0;
    }

    if (!errors.empty()) return core::Error::invalid("the monitor is not valid", std::move(errors));
    return m;
}

std::chrono::seconds beat_window(const Monitor& m)
{
    auto window = std::chrono::seconds(m.interval_seconds);
    if (m.kind == Kind::Heartbeat) window += std::chrono::seconds(m.grace_seconds);
    return window;
}

CheckResult missed_heartbeat(const Monitor& m)
{
    CheckResult r;
    r.detail = "no heartbeat by " + core::format_rfc3339(m.next_check_at) + " (interval " +
               std::to_string(m.interval_seconds) + " s, grace " + std::to_string(m.grace_seconds) + " s)";
    return r;
}

CheckResult judge_http(const Monitor& m, const HttpObservation& seen, core::UtcTime now)
{
    CheckResult r;
    if (!seen.transport_error.empty()) {
        r.detail = seen.transport_error;
        return r;
    }
    r.latency_ms = seen.latency_ms;
    auto status = "HTTP " + std::to_string(seen.status);
    bool status_ok =
        m.expected_status == 0 ? (seen.status >= 200 && seen.status <= 299) : seen.status == m.expected_status;
    if (!status_ok) {
        r.detail =
            status + ", expected " + (m.expected_status == 0 ? std::string("2xx") : std::to_string(m.expected_status));
        return r;
    }
    if (!m.keyword.empty() && !seen.keyword_found) {
        r.detail = status + " but the body does not contain \"" + m.keyword + "\"";
        return r;
    }
    if (m.max_latency_ms > 0 && seen.latency_ms > m.max_latency_ms) {
        r.detail = status + " in " + std::to_string(seen.latency_ms) + " ms, above the threshold of " +
                   std::to_string(m.max_latency_ms) + " ms";
        return r;
    }
    if (m.cert_expiry_days > 0) {
        if (!seen.certificate_expires_at) {
            r.detail = status + " but the TLS certificate's expiry date could not be read";
            return r;
        }
        auto left = std::chrono::floor<std::chrono::days>(*seen.certificate_expires_at - now);
        if (left < std::chrono::days(m.cert_expiry_days)) {
            r.detail = status + " but the TLS certificate expires on " + day_text(*seen.certificate_expires_at) + " (" +
                       std::to_string(left.count()) + " days left; the threshold is " +
                       std::to_string(m.cert_expiry_days) + ")";
            return r;
        }
    }
    r.ok = true;
    r.detail = status + " in " + std::to_string(seen.latency_ms) + " ms";
    if (seen.certificate_expires_at) r.detail += "; certificate valid until " + day_text(*seen.certificate_expires_at);
    return r;
}

std::optional<core::UtcTime> parse_certificate_time(std::string_view text)
{
    std::string copy = core::trim(text);
    int year = 0;
    unsigned day = 0, hour = 0, minute = 0, second = 0;
    char month_name[4] = {};
    int used = 0;
    unsigned month = 0;
    if (std::sscanf(copy.c_str(), "%3s %2u %2u:%2u:%2u %4d GMT%n", month_name, &day, &hour, &minute, &second, &year,
                    &used) == 6 &&
        used == static_cast<int>(copy.size())) {
        month = static_cast<unsigned>(month_number(month_name));
    } else if (used = 0, std::sscanf(copy.c_str(), "%4d-%2u-%2u %2u:%2u:%2u GMT%n", &year, &month, &day, &hour, &minute,
                                     &second, &used) == 6 &&
                             used == static_cast<int>(copy.size())) {
    } else {
        return std::nullopt;
    }
    std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    return std::chrono::sys_days{date} + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second);
}

std::optional<double> uptime_percent(std::int64_t checks, std::int64_t passed)
{
    if (checks <= 0) return std::nullopt;
    return 100.0 * static_cast<double>(std::clamp<std::int64_t>(passed, 0, checks)) / static_cast<double>(checks);
}

}  // namespace lifeline::monitor
