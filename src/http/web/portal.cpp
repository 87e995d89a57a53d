// The customer portal: the organization's tickets, a new-ticket form whose confirmation shows the
// acknowledgement, and one ticket's public thread with a reply form. Tenancy is the service's job:
// these handlers never filter tickets by organization themselves.
#include "auth/secrets.hpp"
#include "core/text.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

namespace lifeline::http::web {

namespace {

using beast_http::status;

constexpr int kListSize = 100;

// Statuses as a customer would say them.
std::string_view customer_status(ticket::Status s)
{
    switch (s) {
    case ticket::Status::New: return "Received";
    case ticket::Status::Open: return "In progress";
    case ticket::Status::WaitingOnCustomer: return "Waiting for your reply";
    case ticket::Status::Resolved: return "Resolved";
    case ticket::Status::Closed: return "Closed";
    }
    return "";
}

void fill_customer_ticket(ctemplate::TemplateDictionary& d, const ticket::Ticket& t, core::UtcTime now)
{
    fill_ticket(d, t, now);
    d.SetValue("STATUS_LABEL", std::string(customer_status(t.status)));
    d.SetValue("UPDATED", describe_time(t.updated_at));
}

// What the conversation shows besides the ticket: the attachments that came with its emails.
struct Thread {
    const ticket::TicketView& view;
    Attachments attachments;
};

Thread thread_of(Services& s, const Context& ctx, const ticket::TicketView& view)
{
    return Thread{view, s.email.attachments(*ctx.actor, view.ticket.id)};
}

// The public thread (with each email's attachments) and the reply form: the part htmx replaces after a reply.
// Internal notes are never shown here, even to staff looking at the portal.
void fill_conversation(ctemplate::TemplateDictionary& d, const Thread& thread, const auth::Actor& actor,
                       const std::string& reply_text, const std::string& reply_error, const std::string& csrf)
{
    const auto& t = thread.view.ticket;
    d.SetValue("REF", t.ref());
    d.SetValue("CSRF", csrf);
    MessageRows rows;
    for (const auto& m : thread.view.messages) {
        if (m.visibility != ticket::Visibility::Public) continue;
        auto* row = d.AddSectionDictionary("MESSAGE");
        rows.emplace_back(m.id, row);
        bool mine = m.author_id == actor.user_id;
        bool customer = m.author_id == t.requester_id || (!actor.is_staff() && mine);
        row->SetValue("AUTHOR", mine ? std::string("You") : m.author_name);
        row->SetValue("KIND", customer ? "customer" : "agent");
        if (!customer) row->ShowSection("FROM_TEAM");
        row->SetValue("TIME", describe_time(m.created_at));
        row->SetValue("BODY", m.body);
        row->SetIntValue("ID", static_cast<long>(m.id));
    }
    fill_thread_attachments(d, thread.attachments, thread.view, rows, Audience::Anyone);
    if (t.status == ticket::Status::Closed) {
        d.ShowSection("CLOSED");
    } else {
        auto* f = d.AddSectionDictionary("CAN_REPLY");
        f->SetValue("REF", t.ref());
        f->SetValue("CSRF", csrf);
        f->SetValue("REPLY_TEXT", reply_text);
        if (!reply_error.empty()) f->SetValueAndShowSection("REPLY_ERROR", reply_error, "HAS_REPLY_ERROR");
    }
}

struct NewTicketState {
    ticket::NewTicket input;
    std::string error;
    core::Error fields = core::Error::invalid("");
    std::string idempotency_key;
};

Response new_ticket_page(const Context& ctx, const NewTicketState& state, status code)
{
    PageView page(ctx, "New ticket", "portal_new.tpl");
    page.set_current("new");
    auto& d = page.content();
    fill_ticket_form(d, state.input, state.error, state.fields);
    d.SetValue("IDEMPOTENCY_KEY", state.idempotency_key);
    if (ctx.actor->is_staff()) d.ShowSection("STAFF_HINT");
    return page.render(code);
}

boost::asio::awaitable<Response> list(Services& s, Context& ctx)
{
    ticket::ListFilter filter;
    filter.limit = kListSize;
    auto result = s.tickets.list(*ctx.actor, filter);
    if (!result) co_return error_page(ctx, result.error());
    PageView page(ctx, "Your tickets", "portal_list.tpl");
    page.set_current("portal");
    auto& d = page.content();
    fill_incident_banner(d, s, *ctx.actor);
    auto now = s.clock.now();
    for (const auto& t : result->tickets) {
        auto* row = d.AddSectionDictionary("TICKET");
        fill_customer_ticket(*row, t, now);
        bool open = t.status != ticket::Status::Resolved && t.status != ticket::Status::Closed;
        row->ShowSection(open ? "OPEN" : "DONE");
    }
    if (result->tickets.empty())
        d.ShowSection("EMPTY");
    else
        d.ShowSection("HAS_TICKETS");
    if (!ctx.actor->is_staff() && !result->tickets.empty() && !result->tickets.front().organization_name.empty())
        d.SetValueAndShowSection("ORGANIZATION", result->tickets.front().organization_name, "HAS_ORGANIZATION");
    co_return page.render(status::ok);
}

boost::asio::awaitable<Response> new_form(Services&, Context& ctx)
{
    NewTicketState state;
    state.idempotency_key = auth::random_token("web", 16);
    co_return new_ticket_page(ctx, state, status::ok);
}

boost::asio::awaitable<Response> create(Services& s, Context& ctx)
{
    NewTicketState state;
    auto form = Form::of(ctx);
    if (!form) {
        state.error = sentence(form.error());
        state.idempotency_key = auth::random_token("web", 16);
        co_return new_ticket_page(ctx, state, status_for(form.error().code()));
    }
    if (auto ok = check_form_csrf(ctx, *form); !ok) co_return error_page(ctx, ok.error());
    state.input.subject = form->get("subject");
    state.input.body = form->get("body");
    state.input.priority = form->get("priority");
    state.input.channel = ticket::Channel::Portal;
    state.idempotency_key = form->get("idempotency_key");
    if (state.idempotency_key.size() > 100) state.idempotency_key.clear();
    auto created = co_await s.tickets.create(*ctx.actor, state.input, state.idempotency_key);
    if (!created) {
        const auto& e = created.error();
        if (e.code() != core::ErrorCode::InvalidArgument && e.code() != core::ErrorCode::Conflict)
            co_return error_page(ctx, e);
        bool all_marked = !e.fields().empty();
        for (const auto& f : e.fields())
            if (f.field != "subject" && f.field != "body" && f.field != "priority") all_marked = false;
        if (e.code() == core::ErrorCode::Conflict)
            state.error = "This form was already used for another ticket. Check the details and send it again.";
        else
            state.error = all_marked ? std::string("Please correct the fields marked below.") : sentence(e);
        if (e.code() == core::ErrorCode::Conflict) state.idempotency_key = auth::random_token("web", 16);
        state.fields = e;
        co_return new_ticket_page(ctx, state, status_for(e.code()));
    }
    co_return redirect(ctx, "/portal/tickets/" + created->ticket.ref() + "?created=1");
}

Response ticket_page(const Context& ctx, core::UtcTime now, const Thread& thread, const std::string& reply_text,
                     const std::string& reply_error, status code)
{
    const auto& t = thread.view.ticket;
    PageView page(ctx, t.ref() + " " + t.subject, "portal_ticket.tpl");
    page.set_current("portal");
    auto& d = page.content();
    fill_customer_ticket(d, t, now);
    if (ctx.query_value("created") == "1") {
        auto* ack = d.AddSectionDictionary("CREATED");
        ack->SetValue("REF", t.ref());
        ack->SetValue("RESPONDER", t.assignee_name.empty() ? std::string("Our on-duty team") : t.assignee_name);
        ack->SetValue("RESPOND_BY", describe_time(t.first_response_due_at));
        auto left = t.first_response_due_at - now;
        ack->SetValue("RESPOND_WITHIN",
                      left.count() > 0 ? "within " + describe_distance(left) : std::string("as soon as possible"));
        ack->SetValue("ACKNOWLEDGEMENT", t.acknowledgement);
    } else if (!t.acknowledgement.empty()) {
        d.SetValueAndShowSection("ACKNOWLEDGEMENT", t.acknowledgement, "HAS_ACKNOWLEDGEMENT");
    }
    show_flash(d, ctx, {{"reply", "Your reply was added."}, {"status", "The ticket was updated."}});
    if (!t.first_responded_at && t.status != ticket::Status::Resolved && t.status != ticket::Status::Closed)
        d.ShowSection("AWAITING_FIRST_RESPONSE");
    bool open = t.status != ticket::Status::Resolved && t.status != ticket::Status::Closed;
    if (open)
        d.ShowSection("CAN_RESOLVE");
    else if (t.status == ticket::Status::Resolved)
        d.ShowSection("CAN_REOPEN");
    auto* conversation = d.AddIncludeDictionary("CONVERSATION");
    conversation->SetFilename("portal_conversation.tpl");
    fill_conversation(*conversation, thread, *ctx.actor, reply_text, reply_error, ctx.csrf_token);
    return page.render(code);
}

boost::asio::awaitable<Response> show(Services& s, Context& ctx)
{
    auto id = ticket_param(ctx);
    if (!id) co_return error_page(ctx, id.error());
    auto view = s.tickets.get(*ctx.actor, *id);
    if (!view) co_return error_page(ctx, view.error());
    co_return ticket_page(ctx, s.clock.now(), thread_of(s, ctx, *view), {}, {}, status::ok);
}

// A reply failed validation: the page (or, for htmx, the conversation) with the message and the text kept.
Response reply_failed(Services& s, const Context& ctx, ticket::TicketId id, const std::string& text,
                      const core::Error& error)
{
    auto view = s.tickets.get(*ctx.actor, id);
    if (!view) return error_page(ctx, view.error());
    auto code = status_for(error.code());
    if (is_htmx(ctx)) {
        ctemplate::TemplateDictionary d("conversation");
        fill_conversation(d, thread_of(s, ctx, *view), *ctx.actor, text, sentence(error, Detail::MessageOnly),
                          ctx.csrf_token);
        return html(ctx, code, expand("portal_conversation.tpl", d));
    }
    return ticket_page(ctx, s.clock.now(), thread_of(s, ctx, *view), text, sentence(error, Detail::MessageOnly), code);
}

boost::asio::awaitable<Response> reply(Services& s, Context& ctx)
{
    auto id = ticket_param(ctx);
    if (!id) co_return error_page(ctx, id.error());
    auto form = Form::of(ctx);
    if (!form) co_return reply_failed(s, ctx, *id, {}, form.error());
    if (auto ok = check_form_csrf(ctx, *form); !ok) co_return error_page(ctx, ok.error());
    auto text = form->get("body");
    auto message = co_await s.tickets.reply(*ctx.actor, *id, text);
    if (!message) {
        if (message.error().code() != core::ErrorCode::InvalidArgument) co_return error_page(ctx, message.error());
        co_return reply_failed(s, ctx, *id, text, message.error());
    }
    if (is_htmx(ctx)) {
        auto view = s.tickets.get(*ctx.actor, *id);
        if (!view) co_return error_page(ctx, view.error());
        ctemplate::TemplateDictionary d("conversation");
        fill_conversation(d, thread_of(s, ctx, *view), *ctx.actor, {}, {}, ctx.csrf_token);
        d.SetValueAndShowSection("FLASH", "Your reply was added.", "HAS_FLASH");
        co_return html(ctx, status::ok, expand("portal_conversation.tpl", d));
    }
    co_return redirect(ctx, "/portal/tickets/" + ticket::format_ref(*id) + "?done=reply");
}

boost::asio::awaitable<Response> change_status(Services& s, Context& ctx)
{
    auto id = ticket_param(ctx);
    if (!id) co_return error_page(ctx, id.error());
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto to = ticket::parse_status(form->get("status"));
    if (!to) co_return error_page(ctx, to.error());
    auto t = co_await s.tickets.set_status(*ctx.actor, *id, *to);
    if (!t) co_return error_page(ctx, t.error());
    co_return redirect(ctx, "/portal/tickets/" + t->ref() + "?done=status");
}

}  // namespace

void add_portal_routes(Router& router, Services& s)
{
    PageRoutes pages(router, s, Audience::Anyone);
    pages.get("/portal", list);
    pages.get("/portal/new", new_form);
    pages.post("/portal/tickets", create);
    pages.get("/portal/tickets/{ref}", show);
    pages.post("/portal/tickets/{ref}/replies", reply);
    pages.post("/portal/tickets/{ref}/status", change_status);
}

}  // namespace lifeline::http::web
