// The agent console: the queue of open tickets by first-response deadline, and one ticket with its
// thread, timeline and the forms to reply, note, assign and change status. Staff only.
#include "core/text.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

#include <array>

namespace lifeline::http::web {

namespace {

using beast_http::status;

constexpr int kQueueSize = 200;

// What a failed form post sends back to the page: which form, the message, and what was typed.
struct Feedback {
    std::string form;  // "reply", "note", "assign", "status"; empty: nothing failed
    std::string error;
    std::string value;
};

// What the ticket page needs besides the ticket: the time for "due in 12 min", the team for the
// assignment select, the attachments shown in the thread and the outbound mail of the Email panel.
struct PageContext {
    core::UtcTime now;
    core::Result<std::vector<auth::User>> staff;
    Attachments attachments;
    Deliveries deliveries;
};

PageContext page_context(Services& s, const Context& ctx, ticket::TicketId id)
{
    return PageContext{s.clock.now(), s.auth.staff(*ctx.actor), s.email.attachments(*ctx.actor, id),
                       s.outbox.for_ticket(*ctx.actor, id)};
}

// The thread (with each email's attachments) and the reply and note forms: the part htmx replaces after a post.
void fill_conversation(ctemplate::TemplateDictionary& d, const ticket::TicketView& view, const Feedback& feedback,
                       const std::string& csrf, const Attachments& attachments)
{
    const auto& t = view.ticket;
    d.SetValue("REF", t.ref());
    d.SetValue("CSRF", csrf);
    d.SetValue("REQUESTER_NAME", t.requester_name);
    MessageRows rows;
    for (const auto& m : view.messages) {
        auto* row = d.AddSectionDictionary("MESSAGE");
        rows.emplace_back(m.id, row);
        row->SetValue("AUTHOR", m.author_name.empty() ? std::string("Unknown") : m.author_name);
        row->SetValue("TIME", describe_time(m.created_at));
        row->SetValue("BODY", m.body);
        row->SetIntValue("ID", static_cast<long>(m.id));
        if (m.visibility == ticket::Visibility::Internal) {
            row->SetValue("KIND", "internal");
            row->ShowSection("INTERNAL");
        } else if (m.author_id == t.requester_id) {
            row->SetValue("KIND", "customer");
            row->ShowSection("CUSTOMER");
        } else {
            row->SetValue("KIND", "agent");
            row->ShowSection("AGENT");
        }
    }
    fill_thread_attachments(d, attachments, view, rows, Audience::Staff);
    if (feedback.form == "reply") {
        d.SetValueAndShowSection("REPLY_ERROR", feedback.error, "HAS_REPLY_ERROR");
        d.SetValue("REPLY_TEXT", feedback.value);
    } else if (feedback.form == "note") {
        d.SetValueAndShowSection("NOTE_ERROR", feedback.error, "HAS_NOTE_ERROR");
        d.SetValue("NOTE_TEXT", feedback.value);
        d.ShowSection("NOTE_OPEN");
    }
}

// The assignment select: "Unassigned", then each member of staff by name, valued by email. Selected: what
// a failed post asked for, else the current assignee.
void fill_assignees(ctemplate::TemplateDictionary& d, const ticket::Ticket& t, const Feedback& feedback,
                    const core::Result<std::vector<auth::User>>& staff)
{
    bool retry = feedback.form == "assign";
    auto wanted = core::ascii_lower(feedback.value);
    add_option(d, "ASSIGNEE_OPTION", "", "Unassigned", retry ? wanted.empty() : !t.assignee_id);
    if (!staff) {
        d.SetValueAndShowSection("STAFF_ERROR", sentence(staff.error()), "HAS_STAFF_ERROR");
        return;
    }
    for (const auto& u : *staff)
        add_option(d, "ASSIGNEE_OPTION", u.email, u.name + " (" + u.email + ")",
                   retry ? u.email == wanted : u.id == t.assignee_id);
}

// The sidebar: assign and status forms, and the timeline.
void fill_side(ctemplate::TemplateDictionary& d, const ticket::TicketView& view, const Feedback& feedback,
               const std::string& csrf, const core::Result<std::vector<auth::User>>& staff)
{
    const auto& t = view.ticket;
    d.SetValue("REF", t.ref());
    d.SetValue("CSRF", csrf);
    d.SetValue("ASSIGNEE", t.assignee_name.empty() ? std::string("nobody") : t.assignee_name);
    for (const auto& e : view.timeline) {
        auto* row = d.AddSectionDictionary("EVENT");
        row->SetValue("WHO", e.actor_name.empty() ? std::string("System") : e.actor_name);
        row->SetValue("DETAIL", e.detail);
        row->SetValue("KIND", e.kind);
        row->SetValue("TIME", describe_time(e.created_at));
    }
    fill_assignees(d, t, feedback, staff);
    if (feedback.form == "assign") d.SetValueAndShowSection("ASSIGN_ERROR", feedback.error, "HAS_ASSIGN_ERROR");
    if (feedback.form == "status") d.SetValueAndShowSection("STATUS_ERROR", feedback.error, "HAS_STATUS_ERROR");
    static constexpr std::array kStatuses = {ticket::Status::New, ticket::Status::Open,
                                             ticket::Status::WaitingOnCustomer, ticket::Status::Resolved,
                                             ticket::Status::Closed};
    for (auto st : kStatuses)
        add_option(d, "STATUS_OPTION", ticket::to_string(st), status_label(st), st == t.status);
}

Response ticket_page(const Context& ctx, const PageContext& pc, const ticket::TicketView& view,
                     const Feedback& feedback, status code)
{
    const auto& t = view.ticket;
    PageView page(ctx, t.ref() + " " + t.subject, "console_ticket.tpl");
    page.set_current("console");
    auto& d = page.content();
    d.SetValue("REF", t.ref());
    d.SetValue("REQUESTER_NAME", t.requester_name);
    d.SetValue("ACKNOWLEDGEMENT", t.acknowledgement);
    auto* head = d.AddIncludeDictionary("HEAD");
    head->SetFilename("console_ticket_head.tpl");
    fill_ticket(*head, t, pc.now);
    auto* conversation = d.AddIncludeDictionary("CONVERSATION");
    conversation->SetFilename("console_conversation.tpl");
    fill_conversation(*conversation, view, feedback, ctx.csrf_token, pc.attachments);
    auto* email = d.AddIncludeDictionary("EMAIL");
    email->SetFilename("console_email.tpl");
    fill_email_panel(*email, pc.deliveries, t.ref(), ctx.csrf_token);
    auto* side = d.AddIncludeDictionary("SIDE");
    side->SetFilename("console_ticket_side.tpl");
    fill_side(*side, view, feedback, ctx.csrf_token, pc.staff);
    if (auto sent = ctx.query_value("done")) {
        if (*sent == "reply")
            d.SetValueAndShowSection("FLASH", "Your reply was sent to " + t.requester_name + ".", "HAS_FLASH");
        else if (*sent == "note")
            d.SetValueAndShowSection("FLASH", "Your internal note was added.", "HAS_FLASH");
        else if (*sent == "assign")
            d.SetValueAndShowSection("FLASH", "The assignee was updated.", "HAS_FLASH");
        else if (*sent == "status")
            d.SetValueAndShowSection("FLASH", "The status was updated.", "HAS_FLASH");
        else if (*sent == "retry")
            d.SetValueAndShowSection("FLASH", "The email was queued to be sent again.", "HAS_FLASH");
    }
    return page.render(code);
}

// For htmx: the conversation, plus the header, the Email panel and the sidebar swapped out of band (a reply
// changes the status, the first-response time, the outbound mail and the timeline).
Response conversation_fragment(const Context& ctx, const PageContext& pc, const ticket::TicketView& view,
                               const Feedback& feedback, std::string flash, status code)
{
    ctemplate::TemplateDictionary conversation("conversation");
    fill_conversation(conversation, view, feedback, ctx.csrf_token, pc.attachments);
    if (!flash.empty()) conversation.SetValueAndShowSection("FLASH", flash, "HAS_FLASH");
    auto body = expand("console_conversation.tpl", conversation);
    ctemplate::TemplateDictionary head("head");
    fill_ticket(head, view.ticket, pc.now);
    head.ShowSection("OOB");
    body += expand("console_ticket_head.tpl", head);
    ctemplate::TemplateDictionary email("email");
    fill_email_panel(email, pc.deliveries, view.ticket.ref(), ctx.csrf_token);
    email.ShowSection("OOB");
    body += expand("console_email.tpl", email);
    ctemplate::TemplateDictionary side("side");
    fill_side(side, view, {}, ctx.csrf_token, pc.staff);
    side.ShowSection("OOB");
    body += expand("console_ticket_side.tpl", side);
    return html(ctx, code, std::move(body));
}

boost::asio::awaitable<Response> queue(Services& s, Context& ctx)
{
    ticket::ListFilter filter;
    filter.open_only = true;
    filter.order = ticket::ListFilter::Order::Deadline;
    filter.limit = kQueueSize;
    std::string notice;
    auto priority = ctx.query_value("priority").value_or("");
    if (!priority.empty()) {
        if (auto p = plan::parse_priority(priority))
            filter.priority = *p;
        else
            notice = "Unknown priority '" + priority + "'; showing every priority.";
    }
    auto assignee = core::ascii_lower(core::trim(ctx.query_value("assignee").value_or("")));
    if (assignee == "me")
        filter.assignee_email = ctx.actor->email;
    else if (!assignee.empty())
        filter.assignee_email = assignee;

    auto page_result = s.tickets.list(*ctx.actor, filter);
    PageView page(ctx, "Queue", "console_queue.tpl");
    page.set_current("console");
    auto& d = page.content();
    add_option(d, "PRIORITY_OPTION", "", "Any priority", priority.empty() || !filter.priority);
    for (auto p : {plan::Priority::P1, plan::Priority::P2, plan::Priority::P3, plan::Priority::P4})
        add_option(d, "PRIORITY_OPTION", plan::to_string(p),
                   std::string(plan::to_string(p)) + " — " + std::string(priority_word(p)), filter.priority == p);
    add_option(d, "ASSIGNEE_OPTION", "", "Anyone", assignee.empty());
    add_option(d, "ASSIGNEE_OPTION", "me", "Assigned to me", assignee == "me");
    add_option(d, "ASSIGNEE_OPTION", "none", "Unassigned", assignee == "none");
    if (!assignee.empty() && assignee != "me" && assignee != "none")
        add_option(d, "ASSIGNEE_OPTION", assignee, assignee, true);
    if (!priority.empty() || !assignee.empty()) d.ShowSection("FILTERED");

    if (!page_result) {
        d.SetValueAndShowSection("NOTICE", sentence(page_result.error()), "HAS_NOTICE");
        d.ShowSection("EMPTY");
        co_return page.render(status_for(page_result.error().code()));
    }
    if (!notice.empty()) d.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    fill_dead_letter_notice(d, s, *ctx.actor);
    auto at = s.clock.now();
    int overdue = 0;
    for (const auto& t : page_result->tickets) {
        auto* row = d.AddSectionDictionary("TICKET");
        fill_ticket(*row, t, at);
        if (!t.first_responded_at && t.first_response_due_at < at) ++overdue;
    }
    auto count = page_result->tickets.size();
    if (count == 0)
        d.ShowSection("EMPTY");
    else
        d.ShowSection("HAS_TICKETS");
    d.SetValue("COUNT", std::to_string(count) + (count == 1 ? " open ticket" : " open tickets"));
    if (overdue > 0) d.SetValueAndShowSection("OVERDUE_COUNT", std::to_string(overdue) + " overdue", "HAS_OVERDUE");
    co_return page.render(status::ok);
}

boost::asio::awaitable<Response> show(Services& s, Context& ctx)
{
    auto id = ticket_param(ctx);
    if (!id) co_return error_page(ctx, id.error());
    auto view = s.tickets.get(*ctx.actor, *id);
    if (!view) co_return error_page(ctx, view.error());
    co_return ticket_page(ctx, page_context(s, ctx, view->ticket.id), *view, {}, status::ok);
}

// A form failed validation: the whole page again (or only the conversation for htmx), with the
// message beside the form and what the user typed still in it.
Response with_feedback(Services& s, const Context& ctx, ticket::TicketId id, Feedback feedback, status code)
{
    auto view = s.tickets.get(*ctx.actor, id);
    if (!view) return error_page(ctx, view.error());
    if (is_htmx(ctx) && (feedback.form == "reply" || feedback.form == "note"))
        return conversation_fragment(ctx, page_context(s, ctx, view->ticket.id), *view, feedback, {}, code);
    return ticket_page(ctx, page_context(s, ctx, view->ticket.id), *view, feedback, code);
}

enum class Action { Reply, Note, Assign, Status };

std::string_view name_of(Action a)
{
    switch (a) {
    case Action::Reply: return "reply";
    case Action::Note: return "note";
    case Action::Assign: return "assign";
    case Action::Status: return "status";
    }
    return "";
}

// One handler for the four forms: CSRF → one service call → 303 back to the ticket (or, for htmx
// replies and notes, the fresh conversation).
boost::asio::awaitable<Response> post(Services& s, Context& ctx, Action action)
{
    auto id = ticket_param(ctx);
    if (!id) co_return error_page(ctx, id.error());
    Feedback feedback{std::string(name_of(action)), {}, {}};
    auto form = Form::of(ctx);
    if (!form) {
        feedback.error = sentence(form.error());
        co_return with_feedback(s, ctx, *id, std::move(feedback), status_for(form.error().code()));
    }
    if (auto ok = check_form_csrf(ctx, *form); !ok) co_return error_page(ctx, ok.error());

    // Each branch awaits on its own: GCC 12 miscompiles co_await inside a conditional expression.
    std::optional<core::Error> failed;
    if (action == Action::Reply) {
        feedback.value = form->get("body");
        auto m = co_await s.tickets.reply(*ctx.actor, *id, feedback.value);
        if (!m) failed.emplace(m.error());
    } else if (action == Action::Note) {
        feedback.value = form->get("body");
        auto m = co_await s.tickets.note(*ctx.actor, *id, feedback.value);
        if (!m) failed.emplace(m.error());
    } else if (action == Action::Assign) {
        feedback.value = core::trim(form->get("assignee"));
        auto t = co_await s.tickets.assign(*ctx.actor, *id, core::ascii_lower(feedback.value));
        if (!t) failed.emplace(t.error());
    } else if (auto to = ticket::parse_status(form->get("status")); !to) {
        failed.emplace(to.error());
    } else {
        auto t = co_await s.tickets.set_status(*ctx.actor, *id, *to);
        if (!t) failed.emplace(t.error());
    }
    if (failed) {
        if (failed->code() != core::ErrorCode::InvalidArgument && failed->code() != core::ErrorCode::Conflict)
            co_return error_page(ctx, *failed);
        bool one_field = action == Action::Reply || action == Action::Note;
        feedback.error = sentence(*failed, one_field ? Detail::MessageOnly : Detail::WithFields);
        co_return with_feedback(s, ctx, *id, std::move(feedback), status_for(failed->code()));
    }
    if (is_htmx(ctx) && (action == Action::Reply || action == Action::Note)) {
        auto view = s.tickets.get(*ctx.actor, *id);
        if (!view) co_return error_page(ctx, view.error());
        std::string flash = "Your internal note was added.";
        if (action == Action::Reply) flash = "Your reply was sent to " + view->ticket.requester_name + ".";
        co_return conversation_fragment(ctx, page_context(s, ctx, view->ticket.id), *view, {}, std::move(flash),
                                        status::ok);
    }
    co_return redirect(ctx, "/console/tickets/" + ticket::format_ref(*id) + "?done=" + std::string(name_of(action)));
}

}  // namespace

void add_console_routes(Router& router, Services& s)
{
    PageRoutes pages(router, s, Audience::Staff);
    pages.get("/console", queue);
    pages.get("/console/tickets/{ref}", show);
    auto form = [&](std::string path, Action action) {
        pages.post("/console/tickets/{ref}/" + path,
                   [action](Services& s, Context& ctx) { return post(s, ctx, action); });
    };
    form("replies", Action::Reply);
    form("notes", Action::Note);
    form("assignment", Action::Assign);
    form("status", Action::Status);
}

}  // namespace lifeline::http::web
