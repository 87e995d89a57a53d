// JSON API v1 for the status page's subscribers (admins): list, add, remove, and the delivery progress of each
// public update that notified them.
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;
namespace st = lifeline::status;

namespace {

js::object subscriber_json(const st::Subscriber& s)
{
    js::array components(s.component_ids.begin(), s.component_ids.end());
    return {{"id", s.id},
            {"channel", st::to_string(s.channel)},
            {"address", s.address},
            {"state", st::to_string(s.state)},
            {"all_components", s.all_components},
            {"component_ids", std::move(components)},
            {"disabled_reason", s.disabled_reason},
            {"created_at", core::format_rfc3339(s.created_at)},
            {"confirmed_at", time_or_null(s.confirmed_at)}};
}

js::object progress_json(const st::FanoutProgress& p)
{
    const auto& f = p.fanout;
    return {{"update_id", f.update_id},
            {"incident_id", f.incident_id},
            {"incident_name", p.incident_name},
            {"created_at", core::format_rfc3339(f.created_at)},
            {"expanded", f.expanded_at.has_value()},
            {"recipients", js::object{{"email", f.email_count}, {"sms", f.sms_count}, {"webhook", f.webhook_count}}},
            {"queued", p.queued},
            {"sent", p.sent},
            {"failed", p.failed}};
}

core::Result<st::SubscribeRequest> parse_subscribe(const Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) return body.error();
    std::vector<core::FieldError> errors;
    const auto& o = *body;
    st::SubscribeRequest in;
    auto channel = string_field(o, "channel", errors);
    if (auto c = st::parse_subscriber_channel(channel))
        in.channel = *c;
    else if (errors.empty())
        errors.push_back({"channel", "must be one of email, sms, webhook"});
    in.address = string_field(o, "address", errors);
    if (auto it = o.find("component_ids"); it != o.end() && !it->value().is_null()) {
        if (!it->value().is_array()) {
            errors.push_back({"component_ids", "must be an array of integers"});
        } else {
            for (const auto& v : it->value().as_array()) {
                if (!v.is_int64()) {
                    errors.push_back({"component_ids", "must be an array of integers"});
                    break;
                }
                in.component_ids.push_back(v.as_int64());
            }
        }
    }
    if (!errors.empty()) return core::Error::invalid("the request is not valid", std::move(errors));
    return in;
}

Response unavailable(const Context& ctx)
{
    return problem(ctx, core::Error::unavailable("status page subscriptions are not running"));
}

}  // namespace

void add_subscriber_routes(Router& router, Services& s)
{
    router.add(verb::get, "/api/v1/status/subscribers",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.subscribers) co_return unavailable(ctx);
                   auto all = s.subscribers->list(*ctx.actor);
                   if (!all) co_return problem(ctx, all.error());
                   js::array data;
                   for (const auto& sub : *all)
                       data.push_back(subscriber_json(sub));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    // Adds a subscriber as the public form does (an email address still has to confirm), so that the same checks
    // and limits apply; answers the webhook signing secret this once.
    router.add(verb::post, "/api/v1/status/subscribers",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.subscribers) co_return unavailable(ctx);
                   if (!ctx.actor->is_admin())
                       co_return problem(ctx, core::Error::denied("only admins add status page subscribers"));
                   auto in = parse_subscribe(ctx);
                   if (!in) co_return problem(ctx, in.error());
                   in->client = ctx.client_address;
                   auto done = co_await s.subscribers->subscribe(std::move(*in));
                   if (!done) co_return problem(ctx, done.error());
                   auto o = subscriber_json(done->subscriber);
                   if (!done->signing_secret.empty()) o["signing_secret"] = done->signing_secret;
                   co_return json(ctx, status::created, o);
               }));
    router.add(verb::delete_, "/api/v1/status/subscribers/{id}",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.subscribers) co_return unavailable(ctx);
                   auto id = int_param(ctx, "id");
                   if (!id) co_return problem(ctx, core::Error::not_found("no such subscriber"));
                   auto done = co_await s.subscribers->remove(*ctx.actor, *id);
                   if (!done) co_return problem(ctx, done.error());
                   co_return text(ctx, status::no_content, "", "text/plain");
               }));
    router.add(verb::get, "/api/v1/status/deliveries",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   if (!s.subscribers) co_return unavailable(ctx);
                   auto all = s.subscribers->progress(*ctx.actor);
                   if (!all) co_return problem(ctx, all.error());
                   js::array data;
                   for (const auto& p : *all)
                       data.push_back(progress_json(p));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
}

}  // namespace lifeline::http::api
