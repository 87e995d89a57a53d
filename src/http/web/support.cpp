// The public support form: no sign-in. The ticket is opened for whoever the email names
// (TicketService::create_public), and the page shows the acknowledgement straight away, since the
// sender has no session to follow the ticket in the portal with.
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

namespace lifeline::http::web {

namespace {

using beast_http::status;
using beast_http::verb;

struct SupportState {
    ticket::NewTicket input;
    std::string error;
    core::Error fields = core::Error::invalid("");
};

Response support_page(const Context& ctx, const SupportState& state, status code)
{
    PageView page(ctx, "Contact support", "support.tpl");
    page.set_current("support");
    auto& d = page.content();
    d.SetValue("NAME", state.input.requester_name);
    d.SetValue("EMAIL", state.input.requester_email);
    fill_ticket_form(d, state.input, state.error, state.fields);
    show_field_error(d, state.fields, "requester.name", "Your name", "NAME_ERROR");
    show_field_error(d, state.fields, "requester.email", "The email address", "EMAIL_ERROR");
    return page.render(code);
}

boost::asio::awaitable<Response> show(Services&, Context& ctx)
{
    co_return support_page(ctx, SupportState{}, status::ok);
}

boost::asio::awaitable<Response> submit(Services& s, Context& ctx)
{
    if (!same_origin(ctx))
        co_return error_page(ctx, core::Error::denied("the support form must be submitted from this site"));
    SupportState state;
    auto form = Form::of(ctx);
    if (!form) {
        state.error = sentence(form.error());
        co_return support_page(ctx, state, status_for(form.error().code()));
    }
    state.input.requester_name = form->get("name");
    state.input.requester_email = form->get("email");
    state.input.subject = form->get("subject");
    state.input.body = form->get("body");
    state.input.priority = form->get("priority");
    auto created = co_await s.tickets.create_public(state.input);
    if (!created) {
        const auto& e = created.error();
        if (e.code() != core::ErrorCode::InvalidArgument) co_return error_page(ctx, e);
        state.error = e.fields().empty() ? sentence(e) : std::string("Please correct the fields marked below.");
        state.fields = e;
        co_return support_page(ctx, state, status_for(e.code()));
    }
    const auto& ack = created->acknowledgement;
    PageView page(ctx, "Request received", "support_done.tpl");
    auto& d = page.content();
    d.SetValue("REF", created->ticket.ref());
    d.SetValue("RESPONDER", ack.responder.name.empty() ? std::string("Our on-duty team") : ack.responder.name);
    d.SetValue("RESPOND_BY", describe_time(ack.respond_by));
    auto left = ack.respond_by - s.clock.now();
    d.SetValue("RESPOND_WITHIN",
               left.count() > 0 ? "within " + describe_distance(left) : std::string("as soon as possible"));
    if (!ack.responder.phone.empty()) d.SetValueAndShowSection("PHONE", ack.responder.phone, "HAS_PHONE");
    d.SetValue("ACKNOWLEDGEMENT", ack.text);
    co_return page.render(status::ok);
}

}  // namespace

void add_support_routes(Router& router, Services& s)
{
    router.add(verb::get, "/support", [&s](Context& ctx) { return show(s, ctx); });
    router.add(verb::post, "/support", [&s](Context& ctx) { return submit(s, ctx); });
}

}  // namespace lifeline::http::web
