// The route table: paths without parameters are found through a map, and the answer is always the one the ordered
// walk over every pattern gives (first route added wins; HEAD is answered by GET; 405 when only the method differs).
#include "http/router.hpp"

#include <gtest/gtest.h>

namespace lifeline::http {
namespace {

using beast_http::verb;

Handler nothing()
{
    return [](Context&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

std::string pattern_of(const Match& m)
{
    return m.route ? m.route->pattern : (m.path_exists ? "405" : "404");
}

TEST(Router, LiteralPathsFindTheirRouteAndHeadIsAnsweredByGet)
{
    Router r;
    r.add(verb::get, "/api/v2/summary.json", nothing());
    r.add(verb::get, "/status", nothing());
    r.add(verb::post, "/status", nothing());
    r.add(verb::get, "/", nothing());
    EXPECT_EQ(pattern_of(r.match(verb::get, "/api/v2/summary.json")), "/api/v2/summary.json");
    EXPECT_EQ(r.match(verb::post, "/status").route->method, verb::post);
    EXPECT_EQ(r.match(verb::head, "/status").route->method, verb::get);
    EXPECT_EQ(pattern_of(r.match(verb::delete_, "/status")), "405");
    EXPECT_EQ(pattern_of(r.match(verb::get, "/statuses")), "404");
    EXPECT_EQ(pattern_of(r.match(verb::get, "/")), "/");
    // Not the literal spelling, but the same segments: found by the walk, as before.
    EXPECT_EQ(pattern_of(r.match(verb::get, "//status")), "/status");
    EXPECT_EQ(pattern_of(r.match(verb::get, "/status/")), "404");
}

TEST(Router, AnEarlierParameterRouteStillWinsOverALaterLiteralOne)
{
    Router r;
    r.add(verb::get, "/tickets/{id}", nothing());
    r.add(verb::get, "/tickets/new", nothing());
    r.add(verb::get, "/people/new", nothing());
    r.add(verb::get, "/people/{id}", nothing());
    r.add(verb::post, "/things/{id}", nothing());
    r.add(verb::get, "/things/new", nothing());
    auto ticket = r.match(verb::get, "/tickets/new");
    EXPECT_EQ(pattern_of(ticket), "/tickets/{id}");
    EXPECT_EQ(ticket.params.at("id"), "new");
    EXPECT_EQ(pattern_of(r.match(verb::get, "/people/new")), "/people/new");
    EXPECT_EQ(pattern_of(r.match(verb::get, "/people/7")), "/people/{id}");
    // The literal route does not take the method, so the parameter route added later answers it.
    EXPECT_EQ(pattern_of(r.match(verb::post, "/things/new")), "/things/{id}");
    EXPECT_EQ(pattern_of(r.match(verb::delete_, "/things/new")), "405");
}

TEST(Router, ATrailingSlashRouteAlsoAnswersThePathWithoutIt)
{
    Router r;
    r.add(verb::get, "/a", nothing());
    r.add(verb::post, "/a/", nothing());
    EXPECT_EQ(pattern_of(r.match(verb::get, "/a")), "/a");
    EXPECT_EQ(pattern_of(r.match(verb::post, "/a")), "/a/");
    EXPECT_EQ(pattern_of(r.match(verb::post, "/a/")), "/a/");
    EXPECT_EQ(pattern_of(r.match(verb::get, "/a/")), "405");
}

}  // namespace
}  // namespace lifeline::http
