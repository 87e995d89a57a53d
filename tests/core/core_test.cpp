#include "core/clock.hpp"
#include "core/text.hpp"
#include "org/organization.hpp"
#include "ticket/ticket.hpp"

#include <gtest/gtest.h>

namespace lifeline::core {
namespace {

TEST(Rfc3339, FormatsUtcWithMillisecondsOnlyWhenPresent)
{
    auto t = from_unix_ms(1795410287000);
    EXPECT_EQ(format_rfc3339(t), "2026-11-23T05:04:47Z");
    EXPECT_EQ(format_rfc3339(t + std::chrono::milliseconds(5)), "2026-11-23T05:04:47.005Z");
}

TEST(Rfc3339, ParsesZuluOffsetsAndFractions)
{
    EXPECT_EQ(to_unix_ms(*parse_rfc3339("2026-11-23T05:04:47Z")), 1795410287000);
    EXPECT_EQ(to_unix_ms(*parse_rfc3339("2026-11-23T06:04:47+01:00")), 1795410287000);
    EXPECT_EQ(to_unix_ms(*parse_rfc3339("2026-11-22T23:34:47-05:30")), 1795410287000);
    EXPECT_EQ(to_unix_ms(*parse_rfc3339("2026-11-23T05:04:47.25Z")), 1795410287250);
}

TEST(Rfc3339, RejectsMalformed)
{
    for (const char* bad : {"", "2026-11-23", "2026-11-23T05:04:47", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                            "2026-11-23T25:00:00Z", "2026-11-23T05:04:47+0100", "2026-11-23T05:04:47Zjunk",
                            "2026-11-23T05:04:47.Z"})
        EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

TEST(Utf8, AcceptsValidAndRejectsBrokenSequences)
{
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("Café — 日本 — 😀"));
    EXPECT_FALSE(is_valid_utf8("\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));           // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));       // surrogate
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));           // truncated
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));   // above U+10FFFF
}

TEST(Email, PlausibleAddressesOnly)
{
    EXPECT_TRUE(looks_like_email("maria@harbourbakery.co.uk"));
    EXPECT_FALSE(looks_like_email("maria"));
    EXPECT_FALSE(looks_like_email("maria@localhost"));
    EXPECT_FALSE(looks_like_email("a b@c.d"));
    EXPECT_FALSE(looks_like_email("a@@c.d"));
    EXPECT_FALSE(looks_like_email("<a@c.d>"));
}

TEST(Organization, SlugAndDomainsAreNormalised)
{
    EXPECT_EQ(org::slugify("Harbour Bakery & Café"), "harbour-bakery-caf");
    org::Organization o;
    o.name = "  Northwind  ";
    o.email_domains = {" Northwind.Example ", "northwind.example", ""};
    auto v = o.validated();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->name, "Northwind");
    EXPECT_EQ(v->slug, "northwind");
    EXPECT_EQ(v->email_domains, std::vector<std::string>{"northwind.example"});
    org::Organization bad;
    bad.email_domains = {"not a domain"};
    auto e = bad.validated();
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().fields().size(), 3u);   // name, slug, the domain
}

TEST(NewTicket, ValidationCollectsEveryFieldError)
{
    ticket::NewTicket t;
    t.subject = "two\nlines";
    t.body = " ";
    t.priority = "P0";
    t.requester_email = "nope";
    auto v = ticket::validated(t);
    ASSERT_FALSE(v);
    std::vector<std::string> fields;
    for (const auto& f : v.error().fields()) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"subject", "body", "priority", "requester.email"}));
}

}  // namespace
}  // namespace lifeline::core
