// The status page's policy: the overall-status rule, component transitions from public updates, and the
// render-once document cache (ETags, Last-Modified, gzip).
#include "gunzip.hpp"
#include "http/public/document_cache.hpp"
#include "status/status.hpp"

#include <gtest/gtest.h>

namespace lifeline::status {
namespace {

Component component(std::int64_t id, ComponentStatus s, bool group = false)
{
    Component c;
    c.id = id;
    c.name = "C" + std::to_string(id);
    c.status = s;
    c.is_group = group;
    return c;
}

using CS = ComponentStatus;

TEST(OverallStatus, AllOperationalWithoutIncidents)
{
    auto o = overall_status({component(1, CS::Operational), component(2, CS::Operational)}, {});
    EXPECT_EQ(o.indicator, Impact::None);
    EXPECT_EQ(o.description, "All Systems Operational");
}

TEST(OverallStatus, WorstComponentDecides)
{
    EXPECT_EQ(overall_status({component(1, CS::DegradedPerformance)}, {}).description, "Minor Service Outage");
    EXPECT_EQ(overall_status({component(1, CS::DegradedPerformance)}, {}).indicator, Impact::Minor);
    auto partial = overall_status({component(1, CS::DegradedPerformance), component(2, CS::PartialOutage)}, {});
    EXPECT_EQ(partial.indicator, Impact::Major);
    EXPECT_EQ(partial.description, "Partial System Outage");
    auto major = overall_status({component(1, CS::MajorOutage), component(2, CS::PartialOutage)}, {});
    EXPECT_EQ(major.indicator, Impact::Critical);
    EXPECT_EQ(major.description, "Major System Outage");
}

TEST(OverallStatus, MaintenanceAloneIsNotAnOutage)
{
    auto o = overall_status({component(1, CS::UnderMaintenance), component(2, CS::Operational)}, {});
    EXPECT_EQ(o.indicator, Impact::None);
    EXPECT_EQ(o.description, "Service Under Maintenance");
    EXPECT_EQ(overall_status({component(1, CS::UnderMaintenance), component(2, CS::DegradedPerformance)}, {}).indicator,
              Impact::Minor);
}

TEST(OverallStatus, UnresolvedIncidentImpactCountsEvenWhenComponentsAreFine)
{
    auto o = overall_status({component(1, CS::Operational)}, {Impact::Minor, Impact::Critical});
    EXPECT_EQ(o.indicator, Impact::Critical);
    EXPECT_EQ(o.description, "Major System Outage");
    EXPECT_EQ(overall_status({component(1, CS::PartialOutage)}, {Impact::None}).indicator, Impact::Major);
}

TEST(OverallStatus, GroupsDoNotCountThemselves)
{
    auto o = overall_status({component(1, CS::MajorOutage, true), component(2, CS::Operational)}, {});
    EXPECT_EQ(o.indicator, Impact::None);
    EXPECT_EQ(group_status({component(2, CS::Operational), component(3, CS::PartialOutage)}), CS::PartialOutage);
    EXPECT_EQ(group_status({}), CS::Operational);
}

std::map<std::int64_t, Component> page()
{
    std::map<std::int64_t, Component> m;
    for (auto c : {component(1, CS::Operational), component(2, CS::PartialOutage), component(3, CS::MajorOutage),
                   component(9, CS::Operational, true)})
        m.emplace(c.id, c);
    return m;
}

TEST(Transitions, RecordOldAndNewStatusOfChangedComponentsOnly)
{
    auto t =
        transitions(page(), {}, {{1, CS::DegradedPerformance}, {2, CS::PartialOutage}}, IncidentStatus::Investigating);
    ASSERT_TRUE(t);
    ASSERT_EQ(t->size(), 1u);
    EXPECT_EQ((*t)[0].component_id, 1);
    EXPECT_EQ((*t)[0].name, "C1");
    EXPECT_EQ((*t)[0].old_status, CS::Operational);
    EXPECT_EQ((*t)[0].new_status, CS::DegradedPerformance);
}

TEST(Transitions, ResolvingSetsTheIncidentsComponentsBackToOperational)
{
    auto t = transitions(page(), {2, 3}, {}, IncidentStatus::Resolved);
    ASSERT_TRUE(t);
    ASSERT_EQ(t->size(), 2u);
    for (const auto& a : *t)
        EXPECT_EQ(a.new_status, CS::Operational);
    EXPECT_EQ((*t)[1].old_status, CS::MajorOutage);
    // An explicit status in the resolving update wins; a monitoring update leaves the others alone.
    auto explicit_one = transitions(page(), {2, 3}, {{3, CS::DegradedPerformance}}, IncidentStatus::Resolved);
    ASSERT_TRUE(explicit_one);
    ASSERT_EQ(explicit_one->size(), 2u);
    EXPECT_EQ((*explicit_one)[0].new_status, CS::DegradedPerformance);
    auto monitoring = transitions(page(), {2, 3}, {}, IncidentStatus::Monitoring);
    ASSERT_TRUE(monitoring);
    EXPECT_TRUE(monitoring->empty());
}

TEST(Transitions, UnknownComponentsGroupsAndDuplicatesAreRefused)
{
    EXPECT_FALSE(transitions(page(), {}, {{42, CS::MajorOutage}}, IncidentStatus::Identified));
    EXPECT_FALSE(transitions(page(), {}, {{9, CS::MajorOutage}}, IncidentStatus::Identified));
    auto twice = transitions(page(), {}, {{1, CS::MajorOutage}, {1, CS::Operational}}, IncidentStatus::Identified);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().fields().at(0).field, "components");
}

TEST(Updates, BodyIsRequiredAndNextUpdateMustBeAheadUnlessResolved)
{
    auto now = core::from_unix_ms(1'800'000'000'000);
    PublicUpdate u;
    u.body = "   ";
    EXPECT_FALSE(check_update(u, now));
    u.body = "  Looking into it  ";
    u.next_update_at = now - std::chrono::minutes(1);
    EXPECT_FALSE(check_update(u, now));
    u.next_update_at = now + std::chrono::minutes(30);
    EXPECT_TRUE(check_update(u, now));
    EXPECT_EQ(u.body, "Looking into it");
    u.status = IncidentStatus::Resolved;
    EXPECT_FALSE(check_update(u, now));
}

TEST(Enums, RoundTripStatuspageWords)
{
    for (auto w : {"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"})
        EXPECT_EQ(to_string(*parse_component_status(w)), w);
    for (auto w : {"investigating", "identified", "monitoring", "resolved", "postmortem"})
        EXPECT_EQ(to_string(*parse_incident_status(w)), w);
    for (auto w : {"none", "minor", "major", "critical"})
        EXPECT_EQ(to_string(*parse_impact(w)), w);
    EXPECT_FALSE(parse_component_status("down"));
}

}  // namespace
}  // namespace lifeline::status

namespace lifeline::http {
namespace {

TEST(DocumentCache, UnchangedBytesKeepTheirETagAndChangesWithinASecondMoveLastModified)
{
    DocumentCache cache;
    auto t0 = core::from_unix_ms(1'800'000'000'000);
    cache.install({{"a.json", {"application/json", R"({"v":1})"}}}, t0);
    auto first = cache.find("a.json");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->last_modified, 1'800'000'000);
    cache.install({{"a.json", {"application/json", R"({"v":1})"}}}, t0 + std::chrono::seconds(5));
    EXPECT_EQ(cache.find("a.json"), first);  // the very same document
    cache.install({{"a.json", {"application/json", R"({"v":2})"}}}, t0 + std::chrono::milliseconds(5300));
    auto second = cache.find("a.json");
    EXPECT_NE(second->etag, first->etag);
    EXPECT_EQ(second->last_modified, 1'800'000'005);
    cache.install({{"a.json", {"application/json", R"({"v":3})"}}}, t0 + std::chrono::milliseconds(5600));
    EXPECT_EQ(cache.find("a.json")->last_modified, 1'800'000'006);  // same second: one later, so IMS sees it
    EXPECT_FALSE(cache.find("b.json"));
}

TEST(DocumentCache, GzipDecodesToTheIdentityBytesAndDatesRoundTrip)
{
    std::string body(5000, 'x');
    auto d = make_document("application/json", body, 784111777);
    EXPECT_LT(d.gzip.size(), body.size());
    EXPECT_EQ(lifeline::testing::gunzip(d.gzip), body);
    EXPECT_EQ(d.last_modified_text, "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_FALSE(parse_http_date("yesterday"));
    EXPECT_EQ(d.etag.front(), '"');
    EXPECT_NE(d.etag, d.gzip_etag);
}

}  // namespace
}  // namespace lifeline::http
