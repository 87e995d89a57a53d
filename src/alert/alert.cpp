#include "alert/alert.hpp"

#include "core/text.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace lifeline::alert {

namespace json = boost::json;

namespace {

using Action = AlertEvent::Action;
using Severity = AlertEvent::Severity;

// Collects every problem with an input, in PagerDuty's "'field' message" style.
class Problems {
public:
    void add(std::string field, std::string message) { list_.push_back({std::move(field), std::move(message)}); }
    bool empty() const { return list_.empty(); }
    core::Error error(std::string message) && { return core::Error::invalid(std::move(message), std::move(list_)); }

private:
    std::vector<core::FieldError> list_;
};

constexpr std::string_view kInvalidEvent = "Event object is invalid";

// Unicode code points in well-formed UTF-8.
std::size_t characters(std::string_view s)
{
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The first `limit` code points of s, with "…" in place of the last one when it had to cut.
std::string truncated(std::string s, std::size_t limit)
{
    if (characters(s) <= limit) return s;
    std::size_t kept = 0;
    std::size_t at = 0;
    for (; at < s.size(); ++at) {
        if ((static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) continue;
        if (kept == limit - 1) break;
        ++kept;
    }
    s.resize(at);
    return s + "\u2026";
}

bool is_http_url(std::string_view s)
{
    auto lower = core::ascii_lower(s.substr(0, 8));
    return (lower.starts_with("https://") && s.size() > 8) || (lower.starts_with("http://") && s.size() > 7);
}

bool is_https_url(std::string_view s)
{
    return core::ascii_lower(s.substr(0, 8)) == "https://" && s.size() > 8;
}

// Parses a body into a JSON object, or explains why not. Invalid UTF-8 is refused before parsing.
core::Result<json::object> parse_object(std::string_view body, std::size_t limit, std::string_view message)
{
    auto refuse = [&](std::string line) { return core::Error::invalid(std::string(message), {{"", std::move(line)}}); };
    if (body.size() > limit)
        return refuse("the body is " + std::to_string(body.size()) + " bytes; the limit is " + std::to_string(limit));
    if (!core::is_valid_utf8(body)) return refuse("the body is not valid UTF-8");
    json::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec) return refuse("the body is not valid JSON: " + ec.message());
    if (!value.is_object()) return refuse("the body must be a JSON object");
    return std::move(value.as_object());
}

// A member that is present and not null, or nullptr.
const json::value* member(const json::object& object, std::string_view key)
{
    const json::value* v = object.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

std::string join_path(std::string_view prefix, std::string_view key)
{
    return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

// An optional string member: nullopt when absent or null; a problem when of another type.
std::optional<std::string> optional_string(const json::object& object, std::string_view key, std::string_view prefix,
                                           Problems& problems)
{
    const json::value* v = member(object, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        problems.add(join_path(prefix, key), "must be a string");
        return std::nullopt;
    }
    return std::string(v->get_string());
}

// A required string member, trimmed; a problem when missing, empty or of another type.
std::string required_string(const json::object& object, std::string_view key, std::string_view prefix,
                            Problems& problems)
{
    const json::value* v = member(object, key);
    if (!v) {
        problems.add(join_path(prefix, key), "is missing");
        return {};
    }
    if (!v->is_string()) {
        problems.add(join_path(prefix, key), "must be a string");
        return {};
    }
    auto text = core::trim(v->get_string());
    if (text.empty()) problems.add(join_path(prefix, key), "must not be empty");
    return text;
}

void check_routing_key(std::string_view key, std::string_view field, Problems& problems)
{
    if (key.empty())
        problems.add(std::string(field), "must not be empty");
    else if (key.size() > kMaxRoutingKeyBytes)
        problems.add(std::string(field), "must be at most 64 characters");
}

void check_summary(std::string_view summary, std::string_view field, Problems& problems)
{
    if (characters(summary) > kMaxSummaryCharacters)
        problems.add(std::string(field), "must be at most 1024 characters");
}

// dedup_key-like member: optional, ≤255 characters, required for acknowledge and resolve.
std::string dedup_key(const json::object& object, std::string_view key, std::optional<Action> action,
                      Problems& problems)
{
    auto value = optional_string(object, key, "", problems).value_or("");
    if (characters(value) > kMaxDedupKeyCharacters)
        problems.add(std::string(key), "must be at most 255 characters");
    else if (value.empty() && action && *action != Action::Trigger)
        problems.add(std::string(key), "is required for " + std::string(to_string(*action)));
    return value;
}

std::optional<Action> action_member(const json::object& object, std::string_view key, std::optional<Action> fallback,
                                    Problems& problems)
{
    auto text = optional_string(object, key, "", problems);
    if (!text) {
        if (!fallback && !member(object, key)) problems.add(std::string(key), "is missing");
        return fallback;
    }
    auto action = parse_action(*text);
    if (!action) {
        problems.add(std::string(key), "must be one of trigger, acknowledge, resolve");
        return std::nullopt;
    }
    return *action;
}

std::optional<core::UtcTime> timestamp_member(const json::object& object, std::string_view key, std::string_view prefix,
                                              Problems& problems)
{
    auto text = optional_string(object, key, prefix, problems);
    if (!text) return std::nullopt;
    auto t = parse_iso8601(*text);
    if (!t) problems.add(join_path(prefix, key), "must be an ISO 8601 date-time");
    return t;
}

std::string serialised(const json::value* v)
{
    return v ? json::serialize(*v) : std::string();
}

void read_links(const json::value& value, AlertEvent& event, Problems& problems)
{
    if (!value.is_array()) {
        problems.add("links", "must be an array");
        return;
    }
    const auto& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        auto prefix = "links[" + std::to_string(i) + "]";
        if (!array[i].is_object()) {
            problems.add(prefix, "must be an object");
            continue;
        }
        const auto& object = array[i].get_object();
        Link link;
        link.href = required_string(object, "href", prefix, problems);
        if (!link.href.empty() && !is_http_url(link.href)) problems.add(prefix + ".href", "must be an http(s) URL");
        link.text = core::trim(optional_string(object, "text", prefix, problems).value_or(""));
        event.links.push_back(std::move(link));
    }
}

void read_images(const json::value& value, AlertEvent& event, Problems& problems)
{
    if (!value.is_array()) {
        problems.add("images", "must be an array");
        return;
    }
    const auto& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        auto prefix = "images[" + std::to_string(i) + "]";
        if (!array[i].is_object()) {
            problems.add(prefix, "must be an object");
            continue;
        }
        const auto& object = array[i].get_object();
        Image image;
        image.src = required_string(object, "src", prefix, problems);
        if (!image.src.empty() && !is_https_url(image.src)) problems.add(prefix + ".src", "must be an https URL");
        image.href = core::trim(optional_string(object, "href", prefix, problems).value_or(""));
        if (!image.href.empty() && !is_http_url(image.href)) problems.add(prefix + ".href", "must be an http(s) URL");
        image.alt = core::trim(optional_string(object, "alt", prefix, problems).value_or(""));
        event.images.push_back(std::move(image));
    }
}

// Prometheus's label-set fingerprint (common/model labelSetToFingerprint): FNV-1a 64 over the sorted label
// names and values, each followed by the byte 0xff, printed as 16 hex digits.
std::string labels_fingerprint(const std::vector<std::pair<std::string, std::string>>& sorted_labels)
{
    std::uint64_t hash = 14695981039346656037ULL;
    auto add = [&](std::string_view bytes) {
        for (unsigned char c : bytes) {
            hash ^= c;
            hash *= 1099511628211ULL;
        }
    };
    for (const auto& [name, value] : sorted_labels) {
        add(name);
        add("\xff");
        add(value);
        add("\xff");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, hash >>= 4)
        out[static_cast<std::size_t>(i)] = kHex[hash & 0xF];
    return out;
}

// A label or annotation map: an object of strings, sorted by name.
std::vector<std::pair<std::string, std::string>> string_map(const json::object& object, std::string_view key,
                                                            std::string_view prefix, Problems& problems)
{
    std::vector<std::pair<std::string, std::string>> out;
    const json::value* v = member(object, key);
    if (!v) return out;
    if (!v->is_object()) {
        problems.add(join_path(prefix, key), "must be an object");
        return out;
    }
    for (const auto& entry : v->get_object()) {
        if (!entry.value().is_string()) {
            problems.add(join_path(prefix, key) + "." + std::string(entry.key()), "must be a string");
            continue;
        }
        out.emplace_back(std::string(entry.key()), std::string(entry.value().get_string()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string lookup(const std::vector<std::pair<std::string, std::string>>& map, std::string_view name)
{
    for (const auto& [key, value] : map)
        if (key == name) return core::trim(value);
    return {};
}

Severity alertmanager_severity(std::string_view label)
{
    auto s = core::ascii_lower(core::trim(label));
    if (s == "critical" || s == "page" || s == "fatal" || s == "emergency" || s == "high" || s == "major" ||
        s == "p1" || s == "sev1")
        return Severity::Critical;
    if (s == "warning" || s == "warn" || s == "minor" || s == "low") return Severity::Warning;
    if (s == "info" || s == "informational" || s == "none") return Severity::Info;
    // "error", a missing label and labels we do not know: an alert someone routed to us is worth a page, as with
    // Alertmanager's own PagerDuty receiver, whose default severity is "error".
    return Severity::Error;
}

json::object to_json(const std::vector<std::pair<std::string, std::string>>& map)
{
    json::object out;
    for (const auto& [key, value] : map)
        out[key] = value;
    return out;
}

}  // namespace

std::string_view to_string(AlertEvent::Action action)
{
    switch (action) {
    case Action::Trigger: return "trigger";
    case Action::Acknowledge: return "acknowledge";
    case Action::Resolve: return "resolve";
    }
    return "trigger";
}

std::string_view to_string(AlertEvent::Severity severity)
{
    switch (severity) {
    case Severity::Critical: return "critical";
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
    }
    return "warning";
}

core::Result<AlertEvent::Action> parse_action(std::string_view text)
{
    for (auto a : {Action::Trigger, Action::Acknowledge, Action::Resolve})
        if (to_string(a) == text) return a;
    return core::Error::invalid("unknown event action '" + std::string(text) + "'",
                                {{"event_action", "must be one of trigger, acknowledge, resolve"}});
}

core::Result<AlertEvent::Severity> parse_severity(std::string_view text)
{
    for (auto s : {Severity::Critical, Severity::Error, Severity::Warning, Severity::Info})
        if (to_string(s) == text) return s;
    return core::Error::invalid("unknown severity '" + std::string(text) + "'",
                                {{"severity", "must be one of critical, error, warning, info"}});
}

std::optional<core::UtcTime> parse_iso8601(std::string_view text)
{
    if (auto t = core::parse_rfc3339(text)) return t;
    auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    auto sign = [](char c) { return c == '+' || c == '-'; };
    std::size_t n = text.size();
    // ±HHMM → ±HH:MM
    if (n > 5 && sign(text[n - 5]) && digits(text.substr(n - 4)))
        return core::parse_rfc3339(std::string(text.substr(0, n - 2)) + ":" + std::string(text.substr(n - 2)));
    // ±HH → ±HH:00
    if (n > 3 && sign(text[n - 3]) && digits(text.substr(n - 2)) && n > 19)
        return core::parse_rfc3339(std::string(text) + ":00");
    return std::nullopt;
}

core::Result<AlertEvent> parse_events_v2(std::string_view body)
{
    auto parsed = parse_object(body, kMaxEventBodyBytes, std::string(kInvalidEvent));
    if (!parsed) return parsed.error();
    const json::object& root = *parsed;
    Problems problems;
    AlertEvent event;

    if (auto key = optional_string(root, "routing_key", "", problems))
        check_routing_key(event.routing_key = *key, "routing_key", problems);
    else if (!member(root, "routing_key"))
        problems.add("routing_key", "is missing");

    auto action = action_member(root, "event_action", std::nullopt, problems);
    if (action) event.action = *action;
    event.dedup_key = dedup_key(root, "dedup_key", action, problems);

    if (action == Action::Trigger) {
        const json::value* payload = member(root, "payload");
        if (!payload) {
            problems.add("payload", "is missing");
        } else if (!payload->is_object()) {
            problems.add("payload", "must be an object");
        } else {
            const auto& p = payload->get_object();
            event.summary = required_string(p, "summary", "payload", problems);
            check_summary(event.summary, "payload.summary", problems);
            event.source = required_string(p, "source", "payload", problems);
            if (const json::value* severity = member(p, "severity")) {
                auto parsed_severity =
                    severity->is_string() ? parse_severity(severity->get_string()) : parse_severity("");
                if (parsed_severity)
                    event.severity = *parsed_severity;
                else
                    problems.add("payload.severity", "must be one of critical, error, warning, info");
            } else {
                problems.add("payload.severity", "is missing");
            }
            event.timestamp = timestamp_member(p, "timestamp", "payload", problems);
            event.component = core::trim(optional_string(p, "component", "payload", problems).value_or(""));
            event.group = core::trim(optional_string(p, "group", "payload", problems).value_or(""));
            event.class_name = core::trim(optional_string(p, "class", "payload", problems).value_or(""));
            event.custom_details_json = serialised(member(p, "custom_details"));
        }
        if (const json::value* links = member(root, "links")) read_links(*links, event, problems);
        if (const json::value* images = member(root, "images")) read_images(*images, event, problems);
        event.client = core::trim(optional_string(root, "client", "", problems).value_or(""));
        event.client_url = core::trim(optional_string(root, "client_url", "", problems).value_or(""));
        if (!event.client_url.empty() && !is_http_url(event.client_url))
            problems.add("client_url", "must be an http(s) URL");
    }
    if (!problems.empty()) return std::move(problems).error(std::string(kInvalidEvent));
    return event;
}

std::string events_v2_error_body(const core::Error& error)
{
    json::array errors;
    for (const auto& field : error.fields())
        errors.emplace_back(field.field.empty() ? field.message : "'" + field.field + "' " + field.message);
    if (errors.empty()) errors.emplace_back(error.message());
    json::object body;
    body["status"] = "invalid event";
    body["message"] = kInvalidEvent;
    body["errors"] = std::move(errors);
    return json::serialize(body);
}

std::string events_v2_success_body(std::string_view dedup_key)
{
    json::object body;
    body["status"] = "success";
    body["message"] = "Event processed";
    body["dedup_key"] = dedup_key;
    return json::serialize(body);
}

core::Result<std::vector<AlertEvent>> parse_alertmanager(std::string_view body, std::string_view integration_key)
{
    constexpr std::string_view kInvalid = "Alertmanager notification is invalid";
    auto parsed = parse_object(body, kMaxAlertmanagerBodyBytes, kInvalid);
    if (!parsed) return parsed.error();
    const json::object& root = *parsed;
    Problems problems;
    check_routing_key(integration_key, "integration_key", problems);

    const json::value* version = member(root, "version");
    if (!version) {
        problems.add("version", "is missing (only Alertmanager webhook payload version \"4\" is supported)");
    } else if (!version->is_string() || version->get_string() != "4") {
        problems.add("version", "must be \"4\" (got " + json::serialize(*version) + ")");
    }
    if (!problems.empty()) return std::move(problems).error(std::string(kInvalid));

    auto group_key = optional_string(root, "groupKey", "", problems).value_or("");
    auto external_url = core::trim(optional_string(root, "externalURL", "", problems).value_or(""));
    if (!external_url.empty() && !is_http_url(external_url)) problems.add("externalURL", "must be an http(s) URL");
    std::vector<AlertEvent> events;
    const json::value* alerts = member(root, "alerts");
    if (!alerts) {
        problems.add("alerts", "is missing");
    } else if (!alerts->is_array()) {
        problems.add("alerts", "must be an array");
    } else {
        const auto& array = alerts->get_array();
        for (std::size_t i = 0; i < array.size(); ++i) {
            auto prefix = "alerts[" + std::to_string(i) + "]";
            if (!array[i].is_object()) {
                problems.add(prefix, "must be an object");
                continue;
            }
            const auto& alert = array[i].get_object();
            AlertEvent event;
            event.routing_key = std::string(integration_key);
            auto status = required_string(alert, "status", prefix, problems);
            bool firing = status == "firing";
            if (firing)
                event.action = Action::Trigger;
            else if (status == "resolved")
                event.action = Action::Resolve;
            else if (!status.empty())
                problems.add(prefix + ".status", "must be firing or resolved");

            auto labels = string_map(alert, "labels", prefix, problems);
            auto annotations = string_map(alert, "annotations", prefix, problems);

            event.dedup_key = core::trim(optional_string(alert, "fingerprint", prefix, problems).value_or(""));
            if (event.dedup_key.empty()) event.dedup_key = labels_fingerprint(labels);
            if (characters(event.dedup_key) > kMaxDedupKeyCharacters)
                problems.add(prefix + ".fingerprint", "must be at most 255 characters");

            auto alertname = lookup(labels, "alertname");
            auto instance = lookup(labels, "instance");
            auto job = lookup(labels, "job");
            event.summary = lookup(annotations, "summary");
            if (event.summary.empty()) event.summary = lookup(annotations, "description");
            if (event.summary.empty()) {
                if (!alertname.empty() && !instance.empty())
                    event.summary = alertname + " on " + instance;
                else if (!alertname.empty() || !instance.empty())
                    event.summary = alertname + instance;
                else
                    event.summary = "Alertmanager alert";
            }
            event.summary = truncated(std::move(event.summary), kMaxSummaryCharacters);
            event.severity = alertmanager_severity(lookup(labels, "severity"));
            event.source = !instance.empty() ? instance : !job.empty() ? job : "alertmanager";
            event.component = lookup(labels, "service");
            event.group = job;
            event.class_name = alertname;

            auto when_key = firing ? "startsAt" : "endsAt";
            auto when = optional_string(alert, when_key, prefix, problems);
            if (when && !when->starts_with("0001-01-01T")) {
                event.timestamp = parse_iso8601(*when);
                if (!event.timestamp) problems.add(prefix + "." + when_key, "must be an RFC 3339 date-time");
            }

            json::object details;
            details["labels"] = to_json(labels);
            details["annotations"] = to_json(annotations);
            details["groupKey"] = group_key;
            event.custom_details_json = json::serialize(details);

            auto generator = core::trim(optional_string(alert, "generatorURL", prefix, problems).value_or(""));
            if (!generator.empty()) {
                if (is_http_url(generator))
                    event.links.push_back({generator, "Generator"});
                else
                    problems.add(prefix + ".generatorURL", "must be an http(s) URL");
            }
            event.client = "Alertmanager";
            event.client_url = external_url;
            events.push_back(std::move(event));
        }
    }
    if (!problems.empty()) return std::move(problems).error(std::string(kInvalid));
    return events;
}

core::Result<AlertEvent> parse_generic(std::string_view body)
{
    constexpr std::string_view kInvalid = "Webhook event is invalid";
    auto parsed = parse_object(body, kMaxEventBodyBytes, kInvalid);
    if (!parsed) return parsed.error();
    const json::object& root = *parsed;
    Problems problems;
    AlertEvent event;

    auto action = action_member(root, "action", Action::Trigger, problems);
    if (action) event.action = *action;
    event.dedup_key = dedup_key(root, "key", action, problems);

    if (action == Action::Trigger) {
        event.summary = required_string(root, "title", "", problems);
        check_summary(event.summary, "title", problems);
    } else {
        event.summary = core::trim(optional_string(root, "title", "", problems).value_or(""));
        check_summary(event.summary, "title", problems);
    }
    if (auto severity = optional_string(root, "severity", "", problems)) {
        if (auto parsed_severity = parse_severity(core::trim(*severity)))
            event.severity = *parsed_severity;
        else
            problems.add("severity", "must be one of critical, error, warning, info");
    }
    event.source = core::trim(optional_string(root, "source", "", problems).value_or(""));
    if (event.source.empty()) event.source = "webhook";
    event.timestamp = timestamp_member(root, "timestamp", "", problems);
    event.custom_details_json = serialised(member(root, "details"));
    auto link = core::trim(optional_string(root, "link", "", problems).value_or(""));
    if (!link.empty()) {
        if (is_http_url(link))
            event.links.push_back({link, ""});
        else
            problems.add("link", "must be an http(s) URL");
    }
    if (!problems.empty()) return std::move(problems).error(std::string(kInvalid));
    return event;
}

}  // namespace lifeline::alert
