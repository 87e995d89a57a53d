// Inbound alert events: the wire formats monitoring tools already send, parsed and validated into one value type.
//
// This layer is pure: no I/O, no clock, no storage. Each parser takes the raw request body and returns either a
// normalised AlertEvent (or several) or an InvalidArgument error whose fields list every problem found, in the
// form PagerDuty reports them ("'payload.source' is missing"). Oversized bodies are InvalidArgument too (not
// LimitExceeded, which our HTTP map answers with 429 and senders would retry forever).
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::alert {

// The largest body any parser accepts: PagerDuty's documented 512 KB Events API v2 payload limit. This bounds
// custom_details too; a 1 MB custom_details object is refused.
inline constexpr std::size_t kMaxEventBodyBytes = 512 * 1024;
// Alertmanager sends a whole group in one request, so its limit is larger.
inline constexpr std::size_t kMaxAlertmanagerBodyBytes = 4 * 1024 * 1024;
// Our integration keys are opaque strings of 1..64 bytes (PagerDuty's own are 32 characters; both fit).
inline constexpr std::size_t kMaxRoutingKeyBytes = 64;
// PagerDuty: "The maximum permitted length of this property is 255 characters."
inline constexpr std::size_t kMaxDedupKeyCharacters = 255;
// PagerDuty: "The maximum permitted length of this property is 1024 characters."
inline constexpr std::size_t kMaxSummaryCharacters = 1024;

struct Link {
    std::string href;  // http:// or https:// URL
    std::string text;  // optional
};

struct Image {
    std::string src;   // https:// URL (PagerDuty accepts HTTPS images only)
    std::string href;  // optional http(s) URL the image links to
    std::string alt;   // optional
};

// One inbound event, whatever format it arrived in.
struct AlertEvent {
    enum class Action { Trigger, Acknowledge, Resolve };
    enum class Severity { Critical, Error, Warning, Info };

    Action action = Action::Trigger;
    std::string routing_key;  // the integration key; empty from parse_generic (the caller knows it from the URL)
    // Correlates triggers with later acknowledges and resolves; at most 255 characters. Always set for
    // Acknowledge and Resolve. May be empty for Trigger: the caller must then assign a fresh unique key
    // (PagerDuty uses a UUID), so that each keyless trigger opens a new alert.
    std::string dedup_key;
    std::string summary;  // 1..1024 characters on Trigger; empty on Acknowledge/Resolve from Events v2
    std::string source;   // non-empty on Trigger
    Severity severity = Severity::Warning;
    std::optional<core::UtcTime> timestamp;  // when the sender says the event happened, if it said
    std::string component, group, class_name;
    std::string custom_details_json;  // serialised JSON value, or empty when the sender sent none
    std::vector<Link> links;
    std::vector<Image> images;
    std::string client, client_url;
};

std::string_view to_string(AlertEvent::Action action);      // "trigger", "acknowledge", "resolve"
std::string_view to_string(AlertEvent::Severity severity);  // "critical", "error", "warning", "info"
// Exact, case-sensitive wire names as above. Errors: InvalidArgument.
core::Result<AlertEvent::Action> parse_action(std::string_view text);
core::Result<AlertEvent::Severity> parse_severity(std::string_view text);

// ISO 8601 date-time as monitoring tools send it: RFC 3339 ("2015-07-17T08:42:58.315Z", "+00:00") and the
// basic-format offsets PagerDuty's own examples use ("2015-07-17T08:42:58.315+0000", "+00"). nullopt when malformed.
std::optional<core::UtcTime> parse_iso8601(std::string_view text);

// PagerDuty Events API v2 (POST /v2/enqueue). Rules, from PagerDuty's documentation:
// - the body is UTF-8 JSON of at most kMaxEventBodyBytes holding one object; unknown fields are ignored;
// - routing_key: required string, 1..64 bytes, opaque;
// - event_action: required, exactly "trigger", "acknowledge" or "resolve";
// - dedup_key: optional string of at most 255 characters; required (non-empty) for acknowledge and resolve;
//   on trigger an absent or empty key is left empty for the caller to assign;
// - payload: required object on trigger with summary (1..1024 characters after trimming; longer summaries are
//   refused, as documented, not truncated), source (non-empty), severity (critical|error|warning|info),
//   and optional timestamp (parse_iso8601), component, group, class and custom_details (any JSON value);
// - images[]: objects with a required https:// src and optional href (http/https) and alt;
// - links[]: objects with a required http(s) href and optional text;
// - client and client_url (http/https) optional.
// For acknowledge and resolve only routing_key, event_action and dedup_key are read; the rest is ignored.
// Errors: InvalidArgument with one FieldError per problem (render with events_v2_error_body).
core::Result<AlertEvent> parse_events_v2(std::string_view body);

// PagerDuty's 400 body: {"status":"invalid event","message":"Event object is invalid","errors":["..."]}, one
// line per field error ("'payload.source' is missing"), or the error's message when it names no field.
std::string events_v2_error_body(const core::Error& error);

// PagerDuty's 202 body: {"status":"success","message":"Event processed","dedup_key":"..."}.
std::string events_v2_success_body(std::string_view dedup_key);

// Prometheus Alertmanager webhook, payload version "4" (any other version is refused). Each entry of alerts[]
// becomes one event for integration_key (1..64 bytes):
// - status "firing" → Trigger, "resolved" → Resolve (anything else is an error);
// - dedup_key: the alert's fingerprint; when missing, the same FNV-1a-64 hash of the sorted labels Prometheus
//   uses for fingerprints (16 lower-case hex digits), so both paths give the same key for the same labels;
// - summary: annotations.summary, else annotations.description, else "<alertname> on <instance>" (or just
//   whichever of the two exists, or "Alertmanager alert"), trimmed and truncated to 1024 characters ("…");
// - severity from labels.severity, case-insensitive: critical|page|fatal|emergency|high|major|p1|sev1 → Critical,
//   warning|warn|minor|low → Warning, info|informational|none → Info; error, missing or anything else → Error
//   (pages, like Alertmanager's own PagerDuty receiver, whose default severity is "error");
// - source: labels.instance, else labels.job, else "alertmanager";
// - component = labels.service, group = labels.job, class_name = labels.alertname;
// - timestamp: startsAt when firing, endsAt when resolved (Go's zero time "0001-01-01T00:00:00Z" means none);
// - custom_details_json: {"labels":{…},"annotations":{…},"groupKey":"…"};
// - links: generatorURL (text "Generator") when non-empty; client "Alertmanager", client_url externalURL.
// An empty alerts[] yields an empty vector. Errors: InvalidArgument listing every problem.
core::Result<std::vector<AlertEvent>> parse_alertmanager(std::string_view body, std::string_view integration_key);

// Lifeline's own generic JSON webhook, for tools that can template a JSON body but speak neither format above:
//   {"action":"trigger|acknowledge|resolve",   optional, default "trigger"
//    "key":"disk-full/db1",                     dedup key, ≤255 characters; required for acknowledge/resolve
//    "title":"Disk full on db1",                summary; required on trigger, 1..1024 characters
//    "severity":"critical|error|warning|info",  optional, default "warning"
//    "source":"db1.example.com",                optional, default "webhook"
//    "timestamp":"2026-11-23T05:04:47Z",        optional, parse_iso8601
//    "details":{…},                             optional, any JSON value → custom_details_json
//    "link":"https://…"}                        optional http(s) URL → links[0]
// Unknown fields are ignored; the body limit is kMaxEventBodyBytes. routing_key is left empty: the caller
// fills it from the integration the request was addressed to. Errors: InvalidArgument listing every problem.
core::Result<AlertEvent> parse_generic(std::string_view body);

}  // namespace lifeline::alert
