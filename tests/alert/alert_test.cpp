#include "alert/alert.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace lifeline::alert {
namespace {

namespace json = boost::json;
using Action = AlertEvent::Action;
using Severity = AlertEvent::Severity;

constexpr const char* kRoutingKey = "R0123456789abcdef0123456789abcde";  // 32 characters, like PagerDuty's

// PagerDuty's documented trigger example (wire-formats.md §2.2).
std::string trigger_example()
{
    return R"({
  "routing_key": "R0123456789abcdef0123456789abcde",
  "event_action": "trigger",
  "dedup_key": "srv01/HTTP",
  "payload": {
    "summary": "Example alert on host1",
    "source": "host1.example.com",
    "severity": "critical",
    "timestamp": "2015-07-17T08:42:58.315+0000",
    "component": "postgres", "group": "prod-datapipe", "class": "deploy",
    "custom_details": { "ping time": "1500ms", "load avg": 0.75 }
  },
  "images": [{ "src": "https://chart.example.com/cpu.png", "href": "https://example.com/", "alt": "CPU chart" }],
  "links":  [{ "href": "https://git.example.com/repo", "text": "Repository" }],
  "client": "Sample Monitoring Service", "client_url": "https://monitoring.example.com"
})";
}

// A trigger example with one payload member replaced (or removed when value is empty).
std::string trigger_with_payload(std::string_view key, std::string value)
{
    auto root = json::parse(trigger_example()).as_object();
    auto& payload = root["payload"].as_object();
    if (value.empty())
        payload.erase(key);
    else
        payload[key] = json::parse(value);
    return json::serialize(root);
}

std::string trigger_with(std::string_view key, std::string value)
{
    auto root = json::parse(trigger_example()).as_object();
    if (value.empty())
        root.erase(key);
    else
        root[key] = json::parse(value);
    return json::serialize(root);
}

// The rendered PagerDuty error lines of a failed parse.
std::vector<std::string> error_lines(const core::Error& error)
{
    auto body = json::parse(events_v2_error_body(error)).as_object();
    std::vector<std::string> lines;
    for (const auto& line : body.at("errors").as_array())
        lines.emplace_back(line.as_string());
    return lines;
}

bool has_line(const core::Error& error, std::string_view line)
{
    auto lines = error_lines(error);
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// ---- Events API v2 ----

TEST(EventsV2, TriggerExampleParsesEveryField)
{
    auto event = parse_events_v2(trigger_example());
    ASSERT_TRUE(event.ok()) << events_v2_error_body(event.error());
    EXPECT_EQ(event->action, Action::Trigger);
    EXPECT_EQ(event->routing_key, kRoutingKey);
    EXPECT_EQ(event->dedup_key, "srv01/HTTP");
    EXPECT_EQ(event->summary, "Example alert on host1");
    EXPECT_EQ(event->source, "host1.example.com");
    EXPECT_EQ(event->severity, Severity::Critical);
    ASSERT_TRUE(event->timestamp.has_value());
    EXPECT_EQ(core::format_rfc3339(*event->timestamp), "2015-07-17T08:42:58.315Z");
    EXPECT_EQ(event->component, "postgres");
    EXPECT_EQ(event->group, "prod-datapipe");
    EXPECT_EQ(event->class_name, "deploy");
    EXPECT_EQ(json::parse(event->custom_details_json), json::parse(R"({"ping time":"1500ms","load avg":0.75})"));
    ASSERT_EQ(event->images.size(), 1u);
    EXPECT_EQ(event->images[0].src, "https://chart.example.com/cpu.png");
    EXPECT_EQ(event->images[0].alt, "CPU chart");
    ASSERT_EQ(event->links.size(), 1u);
    EXPECT_EQ(event->links[0].href, "https://git.example.com/repo");
    EXPECT_EQ(event->links[0].text, "Repository");
    EXPECT_EQ(event->client, "Sample Monitoring Service");
    EXPECT_EQ(event->client_url, "https://monitoring.example.com");
}

TEST(EventsV2, AcknowledgeAndResolveNeedOnlyKeyActionAndDedupKey)
{
    for (auto [name, action] : {std::pair{"acknowledge", Action::Acknowledge}, std::pair{"resolve", Action::Resolve}}) {
        auto event = parse_events_v2(std::string(R"({"routing_key":")") + kRoutingKey +
                                     R"(","dedup_key":"srv01/HTTP","event_action":")" + name + R"("})");
        ASSERT_TRUE(event.ok()) << events_v2_error_body(event.error());
        EXPECT_EQ(event->action, action);
        EXPECT_EQ(event->dedup_key, "srv01/HTTP");
        EXPECT_TRUE(event->summary.empty());
    }
}

TEST(EventsV2, AcknowledgeIgnoresAMalformedPayload)
{
    auto event = parse_events_v2(std::string(R"({"routing_key":")") + kRoutingKey +
                                 R"(","dedup_key":"k","event_action":"resolve","payload":{"severity":"bogus"}})");
    EXPECT_TRUE(event.ok());
}

TEST(EventsV2, TriggerWithoutDedupKeyLeavesItEmptyForTheCaller)
{
    auto event = parse_events_v2(trigger_with("dedup_key", ""));
    ASSERT_TRUE(event.ok());
    EXPECT_TRUE(event->dedup_key.empty());
}

TEST(EventsV2, UnknownFieldsAreIgnored)
{
    auto event = parse_events_v2(trigger_with("future_field", R"({"nested":[1,2,3]})"));
    EXPECT_TRUE(event.ok());
}

TEST(EventsV2, MinimalTriggerHasNoOptionalParts)
{
    auto event =
        parse_events_v2(std::string(R"({"routing_key":")") + kRoutingKey +
                        R"(","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info"}})");
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->severity, Severity::Info);
    EXPECT_FALSE(event->timestamp.has_value());
    EXPECT_TRUE(event->custom_details_json.empty());
    EXPECT_TRUE(event->links.empty());
    EXPECT_TRUE(event->images.empty());
}

TEST(EventsV2, OurOwnIntegrationKeysAreOpaqueUpTo64Characters)
{
    EXPECT_TRUE(parse_events_v2(trigger_with("routing_key", "\"" + std::string(64, 'k') + "\"")).ok());
    EXPECT_TRUE(parse_events_v2(trigger_with("routing_key", R"("ll_int_7f3a")")).ok());
    auto long_key = parse_events_v2(trigger_with("routing_key", "\"" + std::string(65, 'k') + "\""));
    ASSERT_FALSE(long_key.ok());
    EXPECT_TRUE(has_line(long_key.error(), "'routing_key' must be at most 64 characters"));
}

TEST(EventsV2, MissingRoutingKeyIsInvalid)
{
    auto event = parse_events_v2(trigger_with("routing_key", ""));
    ASSERT_FALSE(event.ok());
    EXPECT_EQ(event.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_TRUE(has_line(event.error(), "'routing_key' is missing"));
    EXPECT_FALSE(parse_events_v2(trigger_with("routing_key", R"("")")).ok());
    EXPECT_FALSE(parse_events_v2(trigger_with("routing_key", "42")).ok());
}

TEST(EventsV2, UnknownEventActionIsInvalid)
{
    for (const char* action : {R"("escalate")", R"("TRIGGER")"}) {
        auto event = parse_events_v2(trigger_with("event_action", action));
        ASSERT_FALSE(event.ok()) << action;
        EXPECT_TRUE(has_line(event.error(), "'event_action' must be one of trigger, acknowledge, resolve"));
    }
    auto number = parse_events_v2(trigger_with("event_action", "1"));
    ASSERT_FALSE(number.ok());
    EXPECT_TRUE(has_line(number.error(), "'event_action' must be a string"));
    auto missing = parse_events_v2(trigger_with("event_action", ""));
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(has_line(missing.error(), "'event_action' is missing"));
}

TEST(EventsV2, TriggerWithoutPayloadIsInvalid)
{
    auto event = parse_events_v2(trigger_with("payload", ""));
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "'payload' is missing"));
    EXPECT_FALSE(parse_events_v2(trigger_with("payload", R"("text")")).ok());
}

TEST(EventsV2, MissingPayloadFieldsAreAllReported)
{
    auto event = parse_events_v2(std::string(R"({"routing_key":")") + kRoutingKey +
                                 R"(","event_action":"trigger","payload":{}})");
    ASSERT_FALSE(event.ok());
    EXPECT_EQ(error_lines(event.error()),
              (std::vector<std::string>{"'payload.summary' is missing", "'payload.source' is missing",
                                        "'payload.severity' is missing"}));
}

TEST(EventsV2, BadSeverityIsInvalid)
{
    for (const char* severity : {R"("fatal")", R"("Critical")", R"("")", "3"}) {
        auto event = parse_events_v2(trigger_with_payload("severity", severity));
        ASSERT_FALSE(event.ok()) << severity;
        EXPECT_TRUE(has_line(event.error(), "'payload.severity' must be one of critical, error, warning, info"));
    }
}

TEST(EventsV2, SummaryOf1024CharactersIsAcceptedAndLongerIsRefused)
{
    // 1024 two-byte characters: the limit counts characters, not bytes.
    std::string at_limit;
    for (int i = 0; i < 1024; ++i)
        at_limit += "\xc3\xa9";
    auto ok = parse_events_v2(trigger_with_payload("summary", "\"" + at_limit + "\""));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->summary, at_limit);
    auto too_long = parse_events_v2(trigger_with_payload("summary", "\"" + std::string(1025, 'x') + "\""));
    ASSERT_FALSE(too_long.ok());
    EXPECT_TRUE(has_line(too_long.error(), "'payload.summary' must be at most 1024 characters"));
}

TEST(EventsV2, AcknowledgeWithoutDedupKeyIsInvalid)
{
    auto event =
        parse_events_v2(std::string(R"({"routing_key":")") + kRoutingKey + R"(","event_action":"acknowledge"})");
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "'dedup_key' is required for acknowledge"));
    auto resolve = parse_events_v2(std::string(R"({"routing_key":")") + kRoutingKey +
                                   R"(","event_action":"resolve","dedup_key":""})");
    ASSERT_FALSE(resolve.ok());
    EXPECT_TRUE(has_line(resolve.error(), "'dedup_key' is required for resolve"));
}

TEST(EventsV2, DedupKeyLongerThan255CharactersIsInvalid)
{
    EXPECT_TRUE(parse_events_v2(trigger_with("dedup_key", "\"" + std::string(255, 'd') + "\"")).ok());
    auto event = parse_events_v2(trigger_with("dedup_key", "\"" + std::string(256, 'd') + "\""));
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "'dedup_key' must be at most 255 characters"));
}

TEST(EventsV2, NonHttpsImageIsInvalid)
{
    auto event = parse_events_v2(trigger_with("images", R"([{"src":"http://chart.example.com/cpu.png"}])"));
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "'images[0].src' must be an https URL"));
    auto missing_src = parse_events_v2(trigger_with("images", R"([{"alt":"chart"}])"));
    ASSERT_FALSE(missing_src.ok());
    EXPECT_TRUE(has_line(missing_src.error(), "'images[0].src' is missing"));
}

TEST(EventsV2, LinksMustBeHttpUrls)
{
    auto event = parse_events_v2(trigger_with("links", R"x([{"href":"javascript:alert(1)"}])x"));
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "'links[0].href' must be an http(s) URL"));
    EXPECT_FALSE(parse_events_v2(trigger_with("links", R"({"href":"https://x.example"})")).ok());
}

TEST(EventsV2, MalformedJsonIsInvalid)
{
    for (const char* body : {"", "{", R"({"routing_key":)", "[1,2]", "\"trigger\"", "{} trailing"}) {
        auto event = parse_events_v2(body);
        ASSERT_FALSE(event.ok()) << body;
        EXPECT_EQ(event.error().code(), core::ErrorCode::InvalidArgument);
    }
}

TEST(EventsV2, InvalidUtf8IsRefusedBeforeParsing)
{
    auto body = trigger_with_payload("summary", R"("placeholder")");
    body.replace(body.find("placeholder"), 11, "bad \xc3\x28 byte");
    auto event = parse_events_v2(body);
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "the body is not valid UTF-8"));
}

TEST(EventsV2, CustomDetailsUpToTheBodyLimitAreAcceptedAndAMegabyteIsNot)
{
    auto fits = parse_events_v2(trigger_with_payload("custom_details", "\"" + std::string(400 * 1024, 'x') + "\""));
    ASSERT_TRUE(fits.ok());
    EXPECT_EQ(fits->custom_details_json.size(), 400u * 1024 + 2);
    auto huge = parse_events_v2(trigger_with_payload("custom_details", "\"" + std::string(1024 * 1024, 'x') + "\""));
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_EQ(error_lines(huge.error()).size(), 1u);
    EXPECT_NE(error_lines(huge.error())[0].find("the limit is 524288"), std::string::npos);
}

TEST(EventsV2, CustomDetailsMayBeAnyJsonValue)
{
    auto text = parse_events_v2(trigger_with_payload("custom_details", R"("plain text details")"));
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(text->custom_details_json, R"("plain text details")");
}

TEST(EventsV2, TimestampFormats)
{
    auto at = [](std::string stamp) -> std::string {
        auto event = parse_events_v2(trigger_with_payload("timestamp", "\"" + stamp + "\""));
        if (!event.ok()) return "invalid";
        return core::format_rfc3339(*event->timestamp);
    };
    EXPECT_EQ(at("2015-07-17T08:42:58.315+0000"), "2015-07-17T08:42:58.315Z");
    EXPECT_EQ(at("2015-07-17T10:42:58.315+0200"), "2015-07-17T08:42:58.315Z");
    EXPECT_EQ(at("2015-07-17T08:42:58Z"), "2015-07-17T08:42:58Z");
    EXPECT_EQ(at("2015-07-17T03:42:58-05:00"), "2015-07-17T08:42:58Z");
    EXPECT_EQ(at("2015-07-17T09:42:58+01"), "2015-07-17T08:42:58Z");
    EXPECT_EQ(at("2015-07-17T08:42:58.123456789Z"), "2015-07-17T08:42:58.123Z");
    EXPECT_EQ(at("2015-07-17"), "invalid");
    EXPECT_EQ(at("2015-07-17T08:42:58"), "invalid");
    EXPECT_EQ(at("yesterday"), "invalid");
    EXPECT_EQ(at("2015-07-17T08:42:58+00000"), "invalid");
}

TEST(EventsV2, ErrorBodyHasPagerDutysShape)
{
    auto event =
        parse_events_v2(std::string(R"({"event_action":"trigger","payload":{"summary":"s","severity":"info"}})"));
    ASSERT_FALSE(event.ok());
    auto body = json::parse(events_v2_error_body(event.error()));
    EXPECT_EQ(body, json::parse(R"({"status":"invalid event","message":"Event object is invalid",
        "errors":["'routing_key' is missing","'payload.source' is missing"]})"));
}

TEST(EventsV2, SuccessBodyHasPagerDutysShape)
{
    EXPECT_EQ(json::parse(events_v2_success_body("srv01/HTTP")),
              json::parse(R"({"status":"success","message":"Event processed","dedup_key":"srv01/HTTP"})"));
    // Keys with quotes are escaped, not spliced.
    EXPECT_EQ(json::parse(events_v2_success_body("a\"b")).at("dedup_key"), "a\"b");
}

// ---- Alertmanager ----

std::string alertmanager_group()
{
    return R"({
  "version": "4",
  "groupKey": "{}/{severity=\"critical\"}:{alertname=\"ProbeFailure\"}",
  "truncatedAlerts": 0,
  "status": "firing",
  "receiver": "lifeline",
  "groupLabels": { "alertname": "ProbeFailure" },
  "commonLabels": { "alertname": "ProbeFailure", "severity": "critical" },
  "commonAnnotations": { },
  "externalURL": "http://prometheus.example.org:9093",
  "notification_reason": "first notification",
  "routeLabels": { },
  "alerts": [
    {
      "status": "firing",
      "labels": { "alertname": "ProbeFailure", "severity": "critical", "instance": "https://example.com",
                  "job": "blackbox", "service": "website" },
      "annotations": { "summary": "Probe of https://example.com failed", "description": "HTTP 503 for 5m" },
      "startsAt": "2023-02-06T13:08:45.828Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0",
      "fingerprint": "1a30ba71cca2921f"
    },
    {
      "status": "resolved",
      "labels": { "alertname": "ProbeFailure", "severity": "page", "instance": "https://api.example.com" },
      "annotations": { "description": "API probe failing" },
      "startsAt": "2023-02-06T12:00:00.000Z",
      "endsAt": "2023-02-06T13:10:00.123456789Z",
      "generatorURL": "",
      "fingerprint": "5b2c0d3e4f607182"
    }
  ]
})";
}

TEST(Alertmanager, FiringAndResolvedGroupBecomesTriggerAndResolve)
{
    auto events = parse_alertmanager(alertmanager_group(), "int-key-1");
    ASSERT_TRUE(events.ok()) << events_v2_error_body(events.error());
    ASSERT_EQ(events->size(), 2u);
    const auto& firing = (*events)[0];
    EXPECT_EQ(firing.action, Action::Trigger);
    EXPECT_EQ(firing.routing_key, "int-key-1");
    EXPECT_EQ(firing.dedup_key, "1a30ba71cca2921f");
    EXPECT_EQ(firing.summary, "Probe of https://example.com failed");
    EXPECT_EQ(firing.severity, Severity::Critical);
    EXPECT_EQ(firing.source, "https://example.com");
    EXPECT_EQ(firing.component, "website");
    EXPECT_EQ(firing.group, "blackbox");
    EXPECT_EQ(firing.class_name, "ProbeFailure");
    EXPECT_EQ(core::format_rfc3339(*firing.timestamp), "2023-02-06T13:08:45.828Z");
    ASSERT_EQ(firing.links.size(), 1u);
    EXPECT_EQ(firing.links[0].href, "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0");
    EXPECT_EQ(firing.client, "Alertmanager");
    EXPECT_EQ(firing.client_url, "http://prometheus.example.org:9093");
    auto details = json::parse(firing.custom_details_json).as_object();
    EXPECT_EQ(details.at("labels").at("job"), "blackbox");
    EXPECT_EQ(details.at("annotations").at("description"), "HTTP 503 for 5m");
    EXPECT_EQ(details.at("groupKey"), "{}/{severity=\"critical\"}:{alertname=\"ProbeFailure\"}");

    const auto& resolved = (*events)[1];
    EXPECT_EQ(resolved.action, Action::Resolve);
    EXPECT_EQ(resolved.dedup_key, "5b2c0d3e4f607182");
    EXPECT_EQ(resolved.summary, "API probe failing");
    EXPECT_EQ(resolved.severity, Severity::Critical);  // "page"
    EXPECT_EQ(core::format_rfc3339(*resolved.timestamp), "2023-02-06T13:10:00.123Z");
    EXPECT_TRUE(resolved.links.empty());
}

std::string single_alert(std::string alert_json)
{
    return R"({"version":"4","groupKey":"g","status":"firing","receiver":"r","externalURL":"http://am:9093","alerts":[)" +
           alert_json + "]}";
}

TEST(Alertmanager, MissingFingerprintFallsBackToPrometheusLabelHash)
{
    auto events = parse_alertmanager(
        single_alert(R"({"status":"firing","labels":{"severity":"critical","instance":"https://example.com",
                         "alertname":"ProbeFailure"},"annotations":{}})"),
        "k");
    ASSERT_TRUE(events.ok());
    // FNV-1a 64 over sorted name 0xff value 0xff, as Prometheus's labelSetToFingerprint computes it.
    EXPECT_EQ((*events)[0].dedup_key, "748a1503a102ac03");
    auto empty = parse_alertmanager(single_alert(R"({"status":"firing"})"), "k");
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ((*empty)[0].dedup_key, "cbf29ce484222325");  // the FNV offset basis: Prometheus's empty label set
}

TEST(Alertmanager, SummaryFallsBackToAlertnameAndInstance)
{
    auto events = parse_alertmanager(
        single_alert(R"({"status":"firing","labels":{"alertname":"HighLoad","instance":"db1:9100"}})"), "k");
    ASSERT_TRUE(events.ok());
    EXPECT_EQ((*events)[0].summary, "HighLoad on db1:9100");
    EXPECT_EQ((*events)[0].severity, Severity::Error);  // no severity label: routed to us, so it pages
    EXPECT_EQ((*events)[0].source, "db1:9100");
    auto bare = parse_alertmanager(single_alert(R"({"status":"firing","labels":{"job":"node"}})"), "k");
    ASSERT_TRUE(bare.ok());
    EXPECT_EQ((*bare)[0].summary, "Alertmanager alert");
    EXPECT_EQ((*bare)[0].source, "node");
}

TEST(Alertmanager, SeverityLabelMapping)
{
    auto severity = [](std::string label) {
        auto events = parse_alertmanager(
            single_alert(R"({"status":"firing","labels":{"alertname":"A","severity":")" + label + R"("}})"), "k");
        return (*events)[0].severity;
    };
    EXPECT_EQ(severity("critical"), Severity::Critical);
    EXPECT_EQ(severity("PAGE"), Severity::Critical);
    EXPECT_EQ(severity("error"), Severity::Error);
    EXPECT_EQ(severity("warning"), Severity::Warning);
    EXPECT_EQ(severity("info"), Severity::Info);
    EXPECT_EQ(severity("none"), Severity::Info);
    EXPECT_EQ(severity("high"), Severity::Critical);
    EXPECT_EQ(severity("warn"), Severity::Warning);
    EXPECT_EQ(severity("low"), Severity::Warning);
    EXPECT_EQ(severity("sev2"), Severity::Error);
}

TEST(Alertmanager, LongAnnotationSummaryIsTruncatedTo1024Characters)
{
    auto events = parse_alertmanager(
        single_alert(R"({"status":"firing","annotations":{"summary":")" + std::string(5000, 's') + R"("}})"), "k");
    ASSERT_TRUE(events.ok());
    EXPECT_EQ((*events)[0].summary, std::string(1023, 's') + "\u2026");
}

TEST(Alertmanager, WrongVersionIsRefused)
{
    auto body = alertmanager_group();
    body.replace(body.find("\"4\""), 3, "\"3\"");
    auto events = parse_alertmanager(body, "k");
    ASSERT_FALSE(events.ok());
    EXPECT_TRUE(has_line(events.error(), "'version' must be \"4\" (got \"3\")"));
    auto numeric = parse_alertmanager(R"({"version":4,"alerts":[]})", "k");
    ASSERT_FALSE(numeric.ok());
    auto missing = parse_alertmanager(R"({"alerts":[]})", "k");
    ASSERT_FALSE(missing.ok());
}

TEST(Alertmanager, BadAlertStatusAndLabelTypesAreReported)
{
    auto events = parse_alertmanager(
        single_alert(R"({"status":"pending","labels":{"alertname":7}},{"status":"firing","startsAt":"not a time"})"),
        "k");
    ASSERT_FALSE(events.ok());
    EXPECT_TRUE(has_line(events.error(), "'alerts[0].status' must be firing or resolved"));
    EXPECT_TRUE(has_line(events.error(), "'alerts[0].labels.alertname' must be a string"));
    EXPECT_TRUE(has_line(events.error(), "'alerts[1].startsAt' must be an RFC 3339 date-time"));
}

TEST(Alertmanager, EmptyAlertsAndMissingIntegrationKey)
{
    auto none = parse_alertmanager(R"({"version":"4","alerts":[]})", "k");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    EXPECT_FALSE(parse_alertmanager(R"({"version":"4"})", "k").ok());
    EXPECT_FALSE(parse_alertmanager(alertmanager_group(), "").ok());
    EXPECT_FALSE(parse_alertmanager("not json", "k").ok());
}

// ---- Generic webhook ----

TEST(Generic, TriggerWithEveryField)
{
    auto event = parse_generic(R"({"action":"trigger","key":"disk/db1","title":"  Disk full on db1 ",
        "severity":"error","source":"db1.example.com","timestamp":"2026-11-23T05:04:47Z",
        "details":{"free":"0%"},"link":"https://grafana.example.com/d/disk"})");
    ASSERT_TRUE(event.ok()) << events_v2_error_body(event.error());
    EXPECT_EQ(event->action, Action::Trigger);
    EXPECT_TRUE(event->routing_key.empty());
    EXPECT_EQ(event->dedup_key, "disk/db1");
    EXPECT_EQ(event->summary, "Disk full on db1");
    EXPECT_EQ(event->severity, Severity::Error);
    EXPECT_EQ(event->source, "db1.example.com");
    EXPECT_EQ(core::format_rfc3339(*event->timestamp), "2026-11-23T05:04:47Z");
    EXPECT_EQ(event->custom_details_json, R"({"free":"0%"})");
    ASSERT_EQ(event->links.size(), 1u);
    EXPECT_EQ(event->links[0].href, "https://grafana.example.com/d/disk");
}

TEST(Generic, DefaultsToTriggerWarningFromWebhook)
{
    auto event = parse_generic(R"({"title":"Something happened"})");
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->action, Action::Trigger);
    EXPECT_EQ(event->severity, Severity::Warning);
    EXPECT_EQ(event->source, "webhook");
    EXPECT_TRUE(event->dedup_key.empty());
}

TEST(Generic, ResolveNeedsKeyButNoTitle)
{
    auto event = parse_generic(R"({"action":"resolve","key":"disk/db1"})");
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->action, Action::Resolve);
    auto keyless = parse_generic(R"({"action":"acknowledge"})");
    ASSERT_FALSE(keyless.ok());
    EXPECT_TRUE(has_line(keyless.error(), "'key' is required for acknowledge"));
}

TEST(Generic, BadInputIsReportedTogether)
{
    auto event = parse_generic(R"({"action":"explode","severity":"urgent","link":"ftp://x","title":5})");
    ASSERT_FALSE(event.ok());
    EXPECT_TRUE(has_line(event.error(), "'action' must be one of trigger, acknowledge, resolve"));
    EXPECT_TRUE(has_line(event.error(), "'severity' must be one of critical, error, warning, info"));
    EXPECT_TRUE(has_line(event.error(), "'link' must be an http(s) URL"));
    EXPECT_TRUE(has_line(event.error(), "'title' must be a string"));
    auto missing_title = parse_generic(R"({"action":"trigger"})");
    ASSERT_FALSE(missing_title.ok());
    EXPECT_TRUE(has_line(missing_title.error(), "'title' is missing"));
}

TEST(Generic, OversizedDetailsAreRefused)
{
    auto event = parse_generic(R"({"title":"t","details":")" + std::string(1024 * 1024, 'd') + R"("})");
    ASSERT_FALSE(event.ok());
    EXPECT_EQ(event.error().code(), core::ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace lifeline::alert
