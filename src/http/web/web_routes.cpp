// Pages: sign-in, the agent console and the customer portal.
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/services.hpp"

namespace lifeline::http {

void add_web_routes(Router& router, Services&)
{
    router.add(beast_http::verb::get, "/", [](Context& ctx) -> boost::asio::awaitable<Response> {
        co_return redirect(ctx, "/login");
    });
}

}  // namespace lifeline::http
