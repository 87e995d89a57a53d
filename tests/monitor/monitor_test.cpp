// The monitor domain without I/O: the consecutive-failure state machine, validation, HTTP verdicts and certificate
// dates.
#include "monitor/monitor.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace lifeline::monitor {
namespace {

core::UtcTime at(const char* rfc3339)
{
    return *core::parse_rfc3339(rfc3339);
}

bool has_field(const core::Error& e, const std::string& field)
{
    return std::any_of(e.fields().begin(), e.fields().end(),
                       [&](const core::FieldError& f) { return f.field == field; });
}

MonitorInput http_input()
{
    MonitorInput in;
    in.name = "Shop";
    in.kind = "http";
    in.service_id = 1;
    in.url = "https://shop.example/health";
    return in;
}

TEST(MonitorStateMachine, AlertsOnlyAfterNConsecutiveFailures)
{
    Status s{State::Up, 0};
    auto one = step(s, 3, false);
    EXPECT_EQ(one.status.state, State::Up);
    EXPECT_EQ(one.status.consecutive_failures, 1);
    EXPECT_EQ(one.alert, AlertAction::None);
    auto two = step(one.status, 3, false);
    EXPECT_EQ(two.alert, AlertAction::None);
    auto three = step(two.status, 3, false);
    EXPECT_EQ(three.status.state, State::Down);
    EXPECT_EQ(three.alert, AlertAction::Trigger);
    EXPECT_TRUE(three.state_changed);
    // Staying down does not trigger again.
    auto four = step(three.status, 3, false);
    EXPECT_EQ(four.status.state, State::Down);
    EXPECT_EQ(four.status.consecutive_failures, 4);
    EXPECT_EQ(four.alert, AlertAction::None);
    EXPECT_FALSE(four.state_changed);
}

TEST(MonitorStateMachine, APassInBetweenResetsTheCount)
{
    auto s = step(Status{State::Up, 0}, 2, false).status;
    s = step(s, 2, true).status;
    EXPECT_EQ(s.consecutive_failures, 0);
    auto again = step(s, 2, false);
    EXPECT_EQ(again.status.state, State::Up);
    EXPECT_EQ(again.alert, AlertAction::None);
}

TEST(MonitorStateMachine, RecoveryFromDownResolvesAndFromPendingIsQuiet)
{
    auto up = step(Status{State::Down, 5}, 1, true);
    EXPECT_EQ(up.status.state, State::Up);
    EXPECT_EQ(up.status.consecutive_failures, 0);
    EXPECT_EQ(up.alert, AlertAction::Resolve);
    auto first = step(Status{State::Pending, 0}, 1, true);
    EXPECT_EQ(first.status.state, State::Up);
    EXPECT_EQ(first.alert, AlertAction::None);
    EXPECT_TRUE(first.state_changed);
    auto failing_first = step(Status{State::Pending, 0}, 1, false);
    EXPECT_EQ(failing_first.status.state, State::Down);
    EXPECT_EQ(failing_first.alert, AlertAction::Trigger);
}

TEST(MonitorValidation, CollectsEveryFieldError)
{
    MonitorInput in;
    in.name = "  ";
    in.kind = "ping";
    in.interval_seconds = -5;
    in.failures_before_alert = 1000;
    auto m = validated(in);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code(), core::ErrorCode::InvalidArgument);
    for (const char* field : {"name", "kind", "service_id", "interval_seconds", "failures_before_alert"})
        EXPECT_TRUE(has_field(m.error(), field)) << field;
}

TEST(MonitorValidation, AppliesDefaultsAndTrims)
{
    auto in = http_input();
    in.name = "  Shop  ";
    in.url = " https://shop.example/health ";
    auto m = validated(in);
    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->name, "Shop");
    EXPECT_EQ(m->url, "https://shop.example/health");
    EXPECT_EQ(m->interval_seconds, kDefaultIntervalSeconds);
    EXPECT_EQ(m->timeout_seconds, kDefaultTimeoutSeconds);
    EXPECT_EQ(m->failures_before_alert, kDefaultFailuresBeforeAlert);
    EXPECT_EQ(m->expected_status, 0);
}

TEST(MonitorValidation, HttpFieldsAreChecked)
{
    auto in = http_input();
    in.url = "ftp://shop.example/";
    in.expected_status = 42;
    in.max_latency_ms = -1;
    in.cert_expiry_days = 5000;
    auto m = validated(in);
    ASSERT_FALSE(m);
    for (const char* field : {"url", "expected_status", "max_latency_ms", "cert_expiry_days"})
        EXPECT_TRUE(has_field(m.error(), field)) << field;

    auto plain = http_input();
    plain.url = "http://shop.example/";
    plain.cert_expiry_days = 14;
    auto refused = validated(plain);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "cert_expiry_days"));

    for (const char* bad : {"https://", "http:///path", "https://exa mple.com/", "shop.example"}) {
        auto u = http_input();
        u.url = bad;
        EXPECT_FALSE(validated(u)) << bad;
    }
}

TEST(MonitorValidation, FieldsOfAnotherKindAreRefused)
{
    MonitorInput in;
    in.name = "DB port";
    in.kind = "tcp";
    in.service_id = 1;
    in.host = "db.internal";
    in.port = 5432;
    in.url = "https://oops.example/";
    in.grace_seconds = 30;
    auto m = validated(in);
    ASSERT_FALSE(m);
    EXPECT_TRUE(has_field(m.error(), "url"));
    EXPECT_TRUE(has_field(m.error(), "grace_seconds"));
    EXPECT_FALSE(has_field(m.error(), "host"));
}

TEST(MonitorValidation, TcpAndHeartbeatFields)
{
    MonitorInput tcp;
    tcp.name = "DB";
    tcp.kind = "tcp";
    tcp.service_id = 1;
    tcp.host = "db internal";
    tcp.port = 70000;
    auto bad = validated(tcp);
    ASSERT_FALSE(bad);
    EXPECT_TRUE(has_field(bad.error(), "host"));
    EXPECT_TRUE(has_field(bad.error(), "port"));
    tcp.host = "2001:db8::1";
    tcp.port = 5432;
    EXPECT_TRUE(validated(tcp));

    MonitorInput hb;
    hb.name = "Nightly backup";
    hb.kind = "heartbeat";
    hb.service_id = 1;
    hb.interval_seconds = 86400;
    hb.grace_seconds = 3600;
    auto ok = validated(hb);
    ASSERT_TRUE(ok);
    EXPECT_EQ(beat_window(*ok), std::chrono::seconds(86400 + 3600));
    hb.timeout_seconds = 5;
    hb.grace_seconds = -1;
    auto refused = validated(hb);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "timeout_seconds"));
    EXPECT_TRUE(has_field(refused.error(), "grace_seconds"));
}

TEST(HttpVerdict, JudgesTransportStatusKeywordLatencyAndCertificateInOrder)
{
    auto m = *validated(http_input());
    auto now = at("2026-11-23T12:00:00Z");
    HttpObservation seen;
    seen.status = 200;
    seen.latency_ms = 35;
    seen.certificate_expires_at = at("2027-11-23T12:00:00Z");
    auto pass = judge_http(m, seen, now);
    EXPECT_TRUE(pass.ok);
    EXPECT_EQ(pass.detail, "HTTP 200 in 35 ms; certificate valid until 2027-11-23");
    EXPECT_EQ(pass.latency_ms, 35);

    auto refused = seen;
    refused.transport_error = "cannot connect (Connection refused)";
    EXPECT_FALSE(judge_http(m, refused, now).ok);
    EXPECT_FALSE(judge_http(m, refused, now).latency_ms);

    auto error = seen;
    error.status = 503;
    EXPECT_EQ(judge_http(m, error, now).detail, "HTTP 503, expected 2xx");
    m.expected_status = 503;
    EXPECT_TRUE(judge_http(m, error, now).ok);
    m.expected_status = 0;

    m.keyword = "all systems go";
    EXPECT_FALSE(judge_http(m, seen, now).ok);
    seen.keyword_found = true;
    EXPECT_TRUE(judge_http(m, seen, now).ok);

    m.max_latency_ms = 30;
    auto slow = judge_http(m, seen, now);
    EXPECT_FALSE(slow.ok);
    EXPECT_NE(slow.detail.find("above the threshold of 30 ms"), std::string::npos) << slow.detail;
    m.max_latency_ms = 0;

    m.cert_expiry_days = 14;
    seen.certificate_expires_at = at("2026-12-01T00:00:00Z");
    auto expiring = judge_http(m, seen, now);
    EXPECT_FALSE(expiring.ok);
    EXPECT_NE(expiring.detail.find("expires on 2026-12-01 (7 days left"), std::string::npos) << expiring.detail;
    seen.certificate_expires_at.reset();
    EXPECT_FALSE(judge_http(m, seen, now).ok);
}

TEST(CertificateTime, ParsesOpenSslAndIsoForms)
{
    EXPECT_EQ(parse_certificate_time("Nov 23 12:00:00 2027 GMT"), at("2027-11-23T12:00:00Z"));
    EXPECT_EQ(parse_certificate_time(" Mar  1 00:00:05 2030 GMT"), at("2030-03-01T00:00:05Z"));
    EXPECT_EQ(parse_certificate_time("2027-11-23 12:00:00 GMT"), at("2027-11-23T12:00:00Z"));
    EXPECT_FALSE(parse_certificate_time("Foo 23 12:00:00 2027 GMT"));
    EXPECT_FALSE(parse_certificate_time("Feb 30 12:00:00 2027 GMT"));
    EXPECT_FALSE(parse_certificate_time("Nov 23 12:00:00 2027 GMT trailing"));
    EXPECT_FALSE(parse_certificate_time(""));
}

TEST(Uptime, IsTheShareOfPassedChecks)
{
    EXPECT_FALSE(uptime_percent(0, 0));
    EXPECT_DOUBLE_EQ(*uptime_percent(4, 3), 75.0);
    EXPECT_DOUBLE_EQ(*uptime_percent(10, 10), 100.0);
}

}  // namespace
}  // namespace lifeline::monitor
