// The status page's policy: the overall-status rule, component transitions from public updates, and the
// render-once document cache (ETags, Last-Modified, gzip).
#include "gunzip.hpp"
#include "http/public/document_cache.hpp"
#include "status/status.hpp"

#include <boost/beast/http/write.hpp>

#include <gtest/gtest.h>

#include <sstream>

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

// A request for serve_document, with these headers.
struct Get {
    explicit Get(std::initializer_list<std::pair<beast_http::field, std::string>> headers)
        : request(beast_http::verb::get, "/status", 11)
    {
        for (const auto& [name, value] : headers)
            request.set(name, value);
    }
    Request request;
    Context ctx{request, "/status", {}, {}, "127.0.0.1", "7", {}, {}};
};

std::shared_ptr<const CachedDocument> cached_page()
{
    DocumentCache cache;
    cache.install({{"status", {"text/html; charset=utf-8", std::string(3000, 'p')}}}, core::from_unix_ms(784111777000));
    return cache.find("status");
}

std::string wire(const Response& res)
{
    std::ostringstream out;
    out << res;
    return out.str();
}

TEST(ServeDocument, SharesTheCachedBytesInsteadOfCopyingThem)
{
    auto doc = cached_page();
    Get get({});
    auto res = serve_document(get.ctx, *doc);
    EXPECT_EQ(res.result(), beast_http::status::ok);
    EXPECT_TRUE(res.body().shared());
    EXPECT_EQ(res.body().view().data(), doc->identity.data());  // the very bytes of the document
    EXPECT_EQ(res[beast_http::field::content_length], "3000");
    EXPECT_EQ(res[beast_http::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(res[beast_http::field::etag], doc->etag);
    EXPECT_EQ(res["X-Request-Id"], "7");
    // Sharing keeps the document alive after the cache and every other holder let it go.
    const auto* bytes = doc->identity.data();
    doc.reset();
    EXPECT_EQ(res.body().view().data(), bytes);
    EXPECT_EQ(res.body().view(), std::string(3000, 'p'));
}

TEST(ServeDocument, GzipWhenAcceptedAndIdentityWhenRefusedByAZeroWeight)
{
    auto doc = cached_page();
    for (const auto* accept : {"gzip", "deflate, GZIP;q=0.5", "br, *", " x-gzip ; Q=1"}) {
        Get get({{beast_http::field::accept_encoding, accept}});
        auto res = serve_document(get.ctx, *doc);
        EXPECT_EQ(res[beast_http::field::content_encoding], "gzip") << accept;
        EXPECT_EQ(res.body().view().data(), doc->gzip.data()) << accept;
        EXPECT_EQ(res[beast_http::field::etag], doc->gzip_etag) << accept;
        EXPECT_EQ(res[beast_http::field::vary], "Accept-Encoding");
    }
    for (const auto* accept : {"gzip;q=0", "gzip; q=0.000", "deflate, br", "gzip;q=nonsense", ""}) {
        Get get({{beast_http::field::accept_encoding, accept}});
        auto res = serve_document(get.ctx, *doc);
        EXPECT_EQ(res[beast_http::field::content_encoding], "") << accept;
        EXPECT_EQ(res.body().view().data(), doc->identity.data()) << accept;
    }
}

TEST(ServeDocument, NotModifiedForEitherETagOrAnUnchangedDateWithNoBody)
{
    auto doc = cached_page();
    for (const auto& inm : {doc->etag, "W/" + doc->gzip_etag, "\"other\", " + doc->etag, std::string("*")}) {
        Get get({{beast_http::field::if_none_match, inm}});
        auto res = serve_document(get.ctx, *doc);
        EXPECT_EQ(res.result(), beast_http::status::not_modified) << inm;
        EXPECT_TRUE(res.body().empty());
        EXPECT_EQ(res[beast_http::field::etag], doc->etag);
        EXPECT_EQ(res[beast_http::field::content_type], "");
    }
    Get other({{beast_http::field::if_none_match, "\"other\""},
               {beast_http::field::if_modified_since, doc->last_modified_text}});
    EXPECT_EQ(serve_document(other.ctx, *doc).result(), beast_http::status::ok);  // If-None-Match wins over the date
    Get same_date({{beast_http::field::if_modified_since, doc->last_modified_text}});
    EXPECT_EQ(serve_document(same_date.ctx, *doc).result(), beast_http::status::not_modified);
    Get older({{beast_http::field::if_modified_since, http_date(doc->last_modified - 1)}});
    EXPECT_EQ(serve_document(older.ctx, *doc).result(), beast_http::status::ok);
}

TEST(ServeDocument, ADocumentNotHeldByASharedPointerIsCopied)
{
    auto doc = make_document("application/json", R"({"page":{}})", 784111777);
    Get get({});
    auto res = serve_document(get.ctx, doc);
    EXPECT_FALSE(res.body().shared());
    EXPECT_NE(res.body().view().data(), doc.identity.data());
    EXPECT_EQ(res.body().view(), doc.identity);
}

TEST(Body, SharedAndOwnedBytesGoOnTheWireAlikeAndClearLetsGo)
{
    auto bytes = std::make_shared<const std::string>("{\"a\":1}");
    Response shared{beast_http::status::ok, 11};
    shared.body().share(bytes);
    shared.prepare_payload();
    Response owned{beast_http::status::ok, 11};
    owned.body() = std::string("{\"a\":1}");
    owned.prepare_payload();
    EXPECT_EQ(wire(shared), wire(owned));
    EXPECT_EQ(wire(shared), "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    EXPECT_EQ(bytes.use_count(), 2);
    shared.body().clear();
    EXPECT_EQ(bytes.use_count(), 1);
    EXPECT_TRUE(shared.body().empty());
    shared.body().share(bytes);
    shared.body() = std::string("mine");  // owning again lets the shared bytes go
    EXPECT_EQ(bytes.use_count(), 1);
    EXPECT_EQ(shared.body().view(), "mine");
}

}  // namespace
}  // namespace lifeline::http
