// The status page's public subscriber pages: the subscribe form, the confirmation page of an email subscription,
// and the unsubscribe page. No sign-in and no JavaScript. Forms are refused from other sites (same_origin, as the
// public support form). Confirming and unsubscribing are POSTs behind a button, so that a mail scanner following
// links changes nothing; the unsubscribe URL also takes RFC 8058's one-click POST straight from a mail client.
#include "core/text.hpp"
#include "http/public/status_documents.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/services.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace lifeline::http {

namespace {

using beast_http::status;
using beast_http::verb;
using web::PageView;
namespace st = lifeline::status;

struct SubscribeState {
    std::string channel = "email";
    std::string address;
    std::vector<std::int64_t> component_ids;
    std::string error;
    core::Error fields = core::Error::invalid("");
};

Response unavailable(const Context& ctx)
{
    return web::error_page(ctx, status::service_unavailable, "Subscriptions unavailable",
                           "Subscribing to the status page is not available right now.");
}

struct Choice {
    std::int64_t id = 0;
    std::string name;  // "Group: Component" for a grouped one
};

// The components a subscriber may choose, read from the rendered components.json rather than the store: the form
// is a public page that may be opened by everyone at once during an outage.
std::vector<Choice> choosable_components(const Services& s)
{
    std::vector<Choice> out;
    auto doc = s.status_documents ? s.status_documents->cache().find("components.json") : nullptr;
    if (!doc) return out;
    boost::system::error_code ec;
    auto parsed = boost::json::parse(doc->identity, ec);
    if (ec || !parsed.is_object() || !parsed.as_object().contains("components")) return out;
    const auto& all = parsed.as_object().at("components");
    if (!all.is_array()) return out;
    auto text = [](const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : std::string(); };
    auto is_group = [](const boost::json::value& v) {
        const auto* group = v.is_object() ? v.as_object().if_contains("group") : nullptr;
        return group && group->is_bool() && group->as_bool();
    };
    std::map<std::string, std::string> groups;
    for (const auto& v : all.as_array())
        if (is_group(v)) groups[text(v.at("id"))] = text(v.at("name"));
    for (const auto& v : all.as_array()) {
        if (!v.is_object() || is_group(v) || !v.as_object().contains("group_id")) continue;
        auto id = core::parse_integer(text(v.at("id")));
        if (!id) continue;
        auto group = groups.find(text(v.at("group_id")));
        auto name = text(v.at("name"));
        out.push_back({*id, group == groups.end() ? name : group->second + ": " + name});
    }
    return out;
}

// The ticked "component" checkboxes of a posted form.
std::vector<std::int64_t> component_ids_of(const web::Form& form)
{
    std::vector<std::int64_t> out;
    for (const auto& [name, value] : form.fields())
        if (name == "component")
            if (auto id = core::parse_integer(value)) out.push_back(*id);
    return out;
}

Response subscribe_page(Services& s, const Context& ctx, const SubscribeState& state, status code)
{
    PageView page(ctx, "Get status updates", "status_subscribe.tpl");
    auto& d = page.content();
    if (!state.error.empty()) d.SetValueAndShowSection("ERROR", state.error, "HAS_ERROR");
    for (auto [value, label] : {std::pair{"email", "Email"}, {"sms", "Text message (SMS)"}, {"webhook", "Webhook"}}) {
        auto* o = d.AddSectionDictionary("CHANNEL_OPTION");
        o->SetValue("VALUE", value);
        o->SetValue("LABEL", label);
        if (state.channel == value) o->ShowSection("CHECKED");
    }
    d.SetValue("ADDRESS", state.address);
    web::show_field_error(d, state.fields, "address", "The address", "ADDRESS_ERROR");
    web::show_field_error(d, state.fields, "channel", "The choice", "CHANNEL_ERROR");
    web::show_field_error(d, state.fields, "components", "The component", "COMPONENTS_ERROR");
    for (const auto& c : choosable_components(s)) {
        auto* o = d.AddSectionDictionary("COMPONENT_OPTION");
        o->SetIntValue("ID", static_cast<long>(c.id));
        o->SetValue("NAME", c.name);
        if (std::find(state.component_ids.begin(), state.component_ids.end(), c.id) != state.component_ids.end())
            o->ShowSection("CHECKED");
    }
    return page.render(code);
}

struct Notice {
    std::string heading;
    std::string message;
    std::string action;  // a form with one button posting here, when set
    std::string button;
};

Response notice_page(const Context& ctx, const Notice& n, status code = status::ok)
{
    PageView page(ctx, n.heading, "status_notice.tpl");
    auto& d = page.content();
    d.SetValue("HEADING", n.heading);
    d.SetValue("MESSAGE", n.message);
    if (!n.action.empty()) {
        d.SetValue("ACTION", n.action);
        d.SetValue("BUTTON", n.button);
        d.ShowSection("HAS_ACTION");
    }
    return page.render(code);
}

boost::asio::awaitable<Response> submit(Services& s, Context& ctx)
{
    if (!s.subscribers) co_return unavailable(ctx);
    if (!web::same_origin(ctx))
        co_return web::error_page(ctx, core::Error::denied("the subscribe form must be submitted from this site"));
    SubscribeState state;
    auto form = web::Form::of(ctx);
    if (!form) {
        state.error = web::sentence(form.error());
        co_return subscribe_page(s, ctx, state, status_for(form.error().code()));
    }
    state.channel = form->get("channel");
    state.address = form->get("address");
    state.component_ids = component_ids_of(*form);
    auto channel = st::parse_subscriber_channel(state.channel);
    if (!channel) {
        state.error = "Choose email, text message or webhook.";
        state.channel = "email";
        co_return subscribe_page(s, ctx, state, status::bad_request);
    }
    st::SubscribeRequest request{*channel, state.address, state.component_ids, ctx.client_address};
    auto done = co_await s.subscribers->subscribe(std::move(request));
    if (!done) {
        const auto& e = done.error();
        state.error = e.fields().empty() ? web::sentence(e) : std::string("Please correct the fields marked below.");
        state.fields = e;
        co_return subscribe_page(s, ctx, state, status_for(e.code()));
    }
    Notice n;
    switch (*channel) {
    case st::SubscriberChannel::Email:
        n = {"Check your inbox",
             "We sent a confirmation link to " + done->subscriber.address +
                 ". Updates start once you open it and confirm; the link works for 48 hours.",
             "", ""};
        break;
    case st::SubscriberChannel::Sms:
        n = {"Subscribed",
             "Text messages about incidents go to " + done->subscriber.address +
                 " from now on. Each carries a link to stop them.",
             "", ""};
        break;
    case st::SubscriberChannel::Webhook: {
        PageView page(ctx, "Webhook subscribed", "status_notice.tpl");
        auto& d = page.content();
        d.SetValue("HEADING", "Webhook subscribed");
        d.SetValue("MESSAGE", "Incident updates are POSTed as JSON to " + done->subscriber.address + " from now on.");
        d.SetValueAndShowSection("SECRET", done->signing_secret, "HAS_SECRET");
        d.SetValue("UNSUBSCRIBE_URL", s.subscribers->settings().page.unsubscribe_url(done->subscriber.token));
        co_return page.render(status::created);
    }
    }
    co_return notice_page(ctx, n, status::created);
}

boost::asio::awaitable<Response> show_confirm(Services& s, Context& ctx)
{
    if (!s.subscribers) co_return unavailable(ctx);
    const auto& token = ctx.params.at("token");
    auto pending = s.subscribers->pending(token);
    if (!pending) co_return web::error_page(ctx, pending.error());
    co_return notice_page(ctx, {"Confirm your subscription",
                                "Press the button to receive status updates at " + pending->address + ".",
                                "/status/confirm/" + token, "Confirm"});
}

boost::asio::awaitable<Response> post_confirm(Services& s, Context& ctx)
{
    if (!s.subscribers) co_return unavailable(ctx);
    if (!web::same_origin(ctx))
        co_return web::error_page(ctx, core::Error::denied("the confirmation must be submitted from this site"));
    auto confirmed = co_await s.subscribers->confirm(ctx.params.at("token"));
    if (!confirmed) co_return web::error_page(ctx, confirmed.error());
    co_return notice_page(
        ctx,
        {"Subscription confirmed",
         "Status updates go to " + confirmed->address + " from now on. Each message has a link to stop them.", "", ""});
}

// The unsubscribe page, which also lets the subscriber change the components they hear about (`saved`: after a
// change, says so).
Response manage_page(Services& s, const Context& ctx, const st::Subscriber& subscriber, const std::string& token,
                     bool saved)
{
    PageView page(ctx, "Your status updates", "status_notice.tpl");
    auto& d = page.content();
    d.SetValue("HEADING", saved ? "Choice saved" : "Stop status updates");
    d.SetValue("MESSAGE", (saved ? "Saved. " : "") + std::string("Press Unsubscribe and ") + subscriber.address +
                              " gets no more status updates.");
    d.SetValue("ACTION", "/status/unsubscribe/" + token);
    d.SetValue("BUTTON", "Unsubscribe");
    d.ShowSection("HAS_ACTION");
    d.SetValue("MANAGE_ACTION", "/status/manage/" + token);
    d.ShowSection("HAS_MANAGE");
    for (const auto& c : choosable_components(s)) {
        auto* o = d.AddSectionDictionary("COMPONENT_OPTION");
        o->SetIntValue("ID", static_cast<long>(c.id));
        o->SetValue("NAME", c.name);
        if (!subscriber.all_components && std::find(subscriber.component_ids.begin(), subscriber.component_ids.end(),
                                                    c.id) != subscriber.component_ids.end())
            o->ShowSection("CHECKED");
    }
    return page.render(status::ok);
}

boost::asio::awaitable<Response> show_unsubscribe(Services& s, Context& ctx)
{
    if (!s.subscribers) co_return unavailable(ctx);
    const auto& token = ctx.params.at("token");
    auto subscriber = s.subscribers->by_token(token);
    if (!subscriber)
        co_return notice_page(ctx, {"Not subscribed",
                                    "This subscription does not exist (any more): nothing more "
                                    "will be sent to it.",
                                    "", ""});
    co_return manage_page(s, ctx, *subscriber, token, false);
}

boost::asio::awaitable<Response> post_manage(Services& s, Context& ctx)
{
    if (!s.subscribers) co_return unavailable(ctx);
    if (!web::same_origin(ctx))
        co_return web::error_page(ctx, core::Error::denied("the form must be submitted from this site"));
    auto form = web::Form::of(ctx);
    if (!form) co_return web::error_page(ctx, form.error());
    auto ids = component_ids_of(*form);
    const auto& token = ctx.params.at("token");
    auto changed = co_await s.subscribers->choose_components(token, std::move(ids));
    if (!changed) co_return web::error_page(ctx, changed.error());
    co_return manage_page(s, ctx, *changed, token, true);
}

// One POST unsubscribes: from the button above, or from a mail client's RFC 8058 one-click request (a POST with
// "List-Unsubscribe=One-Click" and no Origin). Answers 200 also when it was gone already, so that retried
// one-click requests are not reported as failures.
boost::asio::awaitable<Response> post_unsubscribe(Services& s, Context& ctx)
{
    if (!s.subscribers) co_return unavailable(ctx);
    if (!web::same_origin(ctx))
        co_return web::error_page(ctx, core::Error::denied("the unsubscribe form must be submitted from this site"));
    auto done = co_await s.subscribers->unsubscribe(ctx.params.at("token"));
    if (!done && done.error().code() != core::ErrorCode::NotFound) co_return web::error_page(ctx, done.error());
    co_return notice_page(ctx, {"Unsubscribed", "You will get no more status updates from us.", "", ""});
}

// The admins' console page: each public update's delivery progress and every subscriber.
boost::asio::awaitable<Response> console_page(Services& s, Context& ctx)
{
    if (!ctx.actor->is_admin()) co_return web::admins_only(ctx, "see status page subscribers");
    if (!s.subscribers) co_return unavailable(ctx);
    PageView page(ctx, "Status page subscribers", "console_subscribers.tpl");
    auto& d = page.content();
    auto progress = s.subscribers->progress(*ctx.actor);
    auto subscribers = s.subscribers->list(*ctx.actor);
    if (!progress || !subscribers) {
        d.SetValueAndShowSection("ERROR", web::sentence(progress ? subscribers.error() : progress.error()),
                                 "HAS_ERROR");
        co_return page.render(status::ok);
    }
    d.ShowSection(progress->empty() ? "NO_DELIVERIES" : "HAS_DELIVERIES");
    for (const auto& p : *progress) {
        auto* row = d.AddSectionDictionary("DELIVERY");
        row->SetValue("CREATED_AT", web::describe_time(p.fanout.created_at));
        row->SetValue("INCIDENT", p.incident_name);
        row->SetValue("RECIPIENTS", std::to_string(p.fanout.email_count) + " email, " +
                                        std::to_string(p.fanout.sms_count) + " SMS, " +
                                        std::to_string(p.fanout.webhook_count) + " webhook");
        if (!p.fanout.expanded_at) row->ShowSection("EXPANDING");
        row->SetIntValue("QUEUED", static_cast<long>(p.queued));
        row->SetIntValue("SENT", static_cast<long>(p.sent));
        row->SetIntValue("FAILED", static_cast<long>(p.failed));
    }
    d.ShowSection(subscribers->empty() ? "NO_SUBSCRIBERS" : "HAS_SUBSCRIBERS");
    for (const auto& sub : *subscribers) {
        auto* row = d.AddSectionDictionary("SUBSCRIBER");
        row->SetValue("CHANNEL", std::string(st::to_string(sub.channel)));
        row->SetValue("ADDRESS", sub.address);
        row->SetValue("STATE", std::string(st::to_string(sub.state)));
        if (!sub.disabled_reason.empty()) row->SetValueAndShowSection("REASON", sub.disabled_reason, "HAS_REASON");
        std::string components = sub.all_components ? "all" : "";
        for (auto id : sub.component_ids)
            components += (components.empty() ? "#" : ", #") + std::to_string(id);
        row->SetValue("COMPONENTS", components);
        row->SetValue("CREATED_AT", web::describe_time(sub.created_at));
    }
    co_return page.render(status::ok);
}

}  // namespace

void add_subscriber_pages(Router& router, Services& s)
{
    web::PageRoutes console(router, s, web::Audience::Staff);
    console.get("/console/status/subscribers", console_page);
    router.add(verb::get, "/status/subscribe", [&s](Context& ctx) -> boost::asio::awaitable<Response> {
        if (!s.subscribers) co_return unavailable(ctx);
        co_return subscribe_page(s, ctx, SubscribeState{}, status::ok);
    });
    router.add(verb::post, "/status/subscribe", [&s](Context& ctx) { return submit(s, ctx); });
    router.add(verb::get, "/status/confirm/{token}", [&s](Context& ctx) { return show_confirm(s, ctx); });
    router.add(verb::post, "/status/confirm/{token}", [&s](Context& ctx) { return post_confirm(s, ctx); });
    router.add(verb::get, "/status/unsubscribe/{token}", [&s](Context& ctx) { return show_unsubscribe(s, ctx); });
    router.add(verb::post, "/status/unsubscribe/{token}", [&s](Context& ctx) { return post_unsubscribe(s, ctx); });
    router.add(verb::post, "/status/manage/{token}", [&s](Context& ctx) { return post_manage(s, ctx); });
}

}  // namespace lifeline::http
