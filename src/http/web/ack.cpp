// The one-time acknowledgement link in a page: GET shows what the page is about and a button; only the POST
// acknowledges, so that link previews and mail scanners that fetch the link do not acknowledge for the person.
// The secret token in the URL is the credential (and, being unguessable, also what a CSRF token would be).
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

namespace lifeline::http::web {

namespace {

using beast_http::status;
using beast_http::verb;

std::string_view state_words(escalation::State state)
{
    switch (state) {
    case escalation::State::Active: return "Paging: waiting for someone to acknowledge";
    case escalation::State::Acknowledged: return "Acknowledged";
    case escalation::State::Resolved: return "Resolved";
    case escalation::State::Exhausted: return "Nobody acknowledged; paging stopped";
    }
    return "";
}

Response link_page(const Context& ctx, const escalation::LinkView& view, std::string_view heading,
                   std::string_view note, bool can_ack)
{
    const auto& e = view.escalation;
    PageView page(ctx, std::string(heading), "ack.tpl");
    auto& d = page.content();
    d.SetValue("HEADING", std::string(heading));
    d.SetValue("SUMMARY", e.summary);
    d.SetValue("SEVERITY", e.severity);
    d.SetValue("PERSON", view.page.user_name);
    d.SetValue("PAGED_AT", describe_time(view.page.created_at));
    d.SetValue("POLICY", e.policy_name);
    d.SetValue("STATE", std::string(state_words(e.state)));
    if (can_ack) {
        d.ShowSection("CAN_ACK");
        d.SetValue("ACTION", ctx.path);
    }
    if (!note.empty()) d.AddSectionDictionary("NOTE")->SetValue("TEXT", std::string(note));
    return page.render(status::ok);
}

std::string who_acknowledged(const escalation::Escalation& e)
{
    auto who = e.acknowledged_by ? e.acknowledged_by_name : std::string("the alert's source");
    auto text = "Acknowledged by " + who + " via " + e.acknowledged_via;
    if (e.acknowledged_at) text += ", " + describe_time(*e.acknowledged_at);
    return text + ".";
}

boost::asio::awaitable<Response> show(Services& s, Context& ctx)
{
    auto view = s.escalations.peek_link(ctx.params.at("token"));
    if (!view) co_return error_page(ctx, view.error());
    const auto& e = view->escalation;
    if (view->used) co_return link_page(ctx, *view, "This link was already used", who_acknowledged(e), false);
    if (e.state == escalation::State::Acknowledged)
        co_return link_page(ctx, *view, "Already acknowledged", who_acknowledged(e), false);
    if (e.state == escalation::State::Resolved)
        co_return link_page(ctx, *view, "Already resolved", "Nothing is being paged any more.", false);
    co_return link_page(ctx, *view, "You are being paged", "", true);
}

boost::asio::awaitable<Response> acknowledge(Services& s, Context& ctx)
{
    if (!same_origin(ctx)) co_return error_page(ctx, core::Error::denied("acknowledge from the page this link opens"));
    auto done = co_await s.escalations.acknowledge_link(ctx.params.at("token"));
    if (!done) {
        auto view = s.escalations.peek_link(ctx.params.at("token"));
        if (!view || done.error().code() != core::ErrorCode::Conflict) co_return error_page(ctx, done.error());
        co_return link_page(ctx, *view, "Not acknowledged", done.error().message(), false);
    }
    co_return link_page(ctx, *done, "Acknowledged: it is yours", "Paging has stopped. Thank you.", false);
}

}  // namespace

void add_ack_routes(Router& router, Services& s)
{
    router.add(verb::get, "/ack/{token}", [&s](Context& ctx) { return show(s, ctx); });
    router.add(verb::post, "/ack/{token}", [&s](Context& ctx) { return acknowledge(s, ctx); });
}

}  // namespace lifeline::http::web
