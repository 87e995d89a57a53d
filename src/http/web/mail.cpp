// The email channel on the pages: attachments under the thread messages they came with and their downloads
// (console and portal; which ones a person may fetch is the service's decision), the delivery state of each
// outbound message on a console ticket, and the dead letters with their Retry buttons.
#include "core/text.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

namespace lifeline::http::web {

namespace {

using beast_http::status;

// "512 bytes", "12 KB", "3.4 MB".
std::string describe_size(std::int64_t bytes)
{
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    char buffer[32];
    if (bytes < 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%lld KB", static_cast<long long>((bytes + 1023) / 1024));
    else
        std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buffer;
}

// "3 emails", "1 email"; the store lists at most 200 dead letters.
std::string count_emails(std::size_t n)
{
    if (n >= 200) return "200 or more emails";
    return std::to_string(n) + (n == 1 ? " email" : " emails");
}

void fill_attachment_list(ctemplate::TemplateDictionary& d, std::string_view label,
                          const std::vector<const intake::email::AttachmentRecord*>& list, Audience audience)
{
    d.SetFilename("attachments.tpl");
    d.SetValue("LABEL", std::string(label));
    std::string base = audience == Audience::Staff ? "/console/attachments/" : "/portal/attachments/";
    for (const auto* a : list) {
        auto* row = d.AddSectionDictionary("ATTACHMENT");
        row->SetIntValue("ID", static_cast<long>(a->id));
        row->SetValue("FILENAME", a->filename.empty() ? std::string("(unnamed)") : a->filename);
        row->SetValue("TYPE", a->content_type.empty() ? std::string("application/octet-stream") : a->content_type);
        row->SetValue("SIZE", describe_size(a->size));
        row->SetValue("HREF", base + std::to_string(a->id));
        row->ShowSection(a->stored ? "STORED" : "NOT_STORED");
    }
}

std::string_view state_label(notify::OutboxState state)
{
    switch (state) {
    case notify::OutboxState::Queued: return "Queued";
    case notify::OutboxState::Sending: return "Sending";
    case notify::OutboxState::Sent: return "Sent";
    case notify::OutboxState::Dead: return "Dead — not delivered";
    }
    return "";
}

std::string kind_label(std::string_view kind)
{
    if (kind == notify::kAcknowledgement) return "Acknowledgement";
    if (kind == notify::kReply) return "Reply";
    std::string out(kind.empty() ? std::string_view("Email") : kind);
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string describe_attempts(int n)
{
    if (n == 0) return "Not tried yet";
    return std::to_string(n) + (n == 1 ? " attempt" : " attempts");
}

std::string describe_when(const notify::OutboxMessage& m)
{
    if (m.sent_at) return "Sent " + describe_time(*m.sent_at);
    if (m.state == notify::OutboxState::Queued && m.attempts > 0) return "Next try " + describe_time(m.next_attempt_at);
    return "Queued " + describe_time(m.created_at);
}

// The delivery list (console_deliveries.tpl) into the include `d`. `return_to`: the ticket a Retry goes back
// to (empty: the outbox page, where each row links its ticket).
void fill_deliveries(ctemplate::TemplateDictionary& d, const std::vector<notify::OutboxMessage>& list,
                     const std::string& csrf, const std::string& return_to)
{
    d.SetFilename("console_deliveries.tpl");
    for (const auto& m : list) {
        auto* row = d.AddSectionDictionary("DELIVERY");
        row->SetIntValue("ID", static_cast<long>(m.id));
        row->SetValue("STATE", std::string(notify::to_string(m.state)));
        row->SetValue("STATE_LABEL", std::string(state_label(m.state)));
        row->SetValue("KIND", kind_label(m.kind));
        row->SetValue("RECIPIENT",
                      m.recipient_name.empty() ? m.recipient : m.recipient_name + " <" + m.recipient + ">");
        if (!m.subject.empty()) row->SetValueAndShowSection("SUBJECT", m.subject, "HAS_SUBJECT");
        row->SetValue("ATTEMPTS", describe_attempts(m.attempts));
        row->SetValue("WHEN", describe_when(m));
        if (!m.bounce.empty()) row->SetValueAndShowSection("BOUNCE", m.bounce, "HAS_BOUNCE");
        if (!m.last_error.empty()) row->SetValueAndShowSection("ERROR", m.last_error, "HAS_ERROR");
        if (return_to.empty() && m.ticket_id)
            row->SetValueAndShowSection("TICKET", ticket::format_ref(m.ticket_id), "HAS_TICKET");
        if (m.state == notify::OutboxState::Dead) {
            auto* retry = row->AddSectionDictionary("DEAD");
            retry->SetValue("CSRF", csrf);
            retry->SetValue("RETURN_TO", return_to);
        }
    }
}

boost::asio::awaitable<Response> download(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such attachment"));
    auto found = s.email.attachment(*ctx.actor, *id);
    if (!found) co_return error_page(ctx, found.error());
    co_return attachment_download(ctx, found->first.filename, std::move(found->second));
}

boost::asio::awaitable<Response> outbox(Services& s, Context& ctx)
{
    auto dead = s.outbox.dead_letters(*ctx.actor);
    if (!dead) co_return error_page(ctx, dead.error());
    PageView page(ctx, "Undelivered email", "console_outbox.tpl");
    page.set_current("outbox");
    auto& d = page.content();
    if (ctx.query_value("done") == "retry")
        d.SetValueAndShowSection("FLASH", "The email was queued to be sent again.", "HAS_FLASH");
    if (dead->empty()) {
        d.ShowSection("EMPTY");
    } else {
        auto* list = d.AddSectionDictionary("HAS_DEAD");
        list->SetValue("COUNT", count_emails(dead->size()) + " not delivered");
        fill_deliveries(*list->AddIncludeDictionary("DELIVERIES"), *dead, ctx.csrf_token, {});
    }
    co_return page.render(status::ok);
}

// Retry: CSRF → OutboxService::retry → 303 to the ticket named by `return_to` (a ticket ref, nothing else),
// else to the outbox page.
boost::asio::awaitable<Response> retry(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such message"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto done = co_await s.outbox.retry(*ctx.actor, *id);
    if (!done) co_return error_page(ctx, done.error());
    if (auto back = ticket::parse_ref(form->get("return_to")))
        co_return redirect(ctx, "/console/tickets/" + ticket::format_ref(*back) + "?done=retry#email");
    co_return redirect(ctx, "/console/outbox?done=retry");
}

// Mail from unknown senders kept for review (unknown_senders = "hold").
boost::asio::awaitable<Response> held(Services& s, Context& ctx)
{
    auto list = s.email.held(*ctx.actor);
    if (!list) co_return error_page(ctx, list.error());
    PageView page(ctx, "Held mail", "console_held.tpl");
    page.set_current("held");
    auto& d = page.content();
    if (auto done = ctx.query_value("done")) {
        if (auto ref = ctx.query_value("ticket"); *done == "released" && ref && ticket::parse_ref(*ref))
            d.SetValueAndShowSection("FLASH", "The message was taken in as " + *ref + ".", "HAS_FLASH");
        else if (*done == "discarded")
            d.SetValueAndShowSection("FLASH", "The message was discarded.", "HAS_FLASH");
    }
    if (list->empty()) d.ShowSection("EMPTY");
    for (const auto& h : *list) {
        auto* row = d.AddSectionDictionary("HELD");
        row->SetIntValue("ID", static_cast<long>(h.id));
        row->SetValue("FROM", h.from_address);
        row->SetValue("SUBJECT", h.subject.empty() ? std::string("(no subject)") : h.subject);
        row->SetValue("REASON", h.reason);
        row->SetValue("WHEN", describe_time(h.created_at));
        row->SetValue("CSRF", ctx.csrf_token);
    }
    co_return page.render(status::ok);
}

enum class HeldAction { Release, Discard };

// Release or discard: CSRF → one service call → 303 back to the list with what happened.
boost::asio::awaitable<Response> decide_held(Services& s, Context& ctx, HeldAction action)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such held message"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (action == HeldAction::Discard) {
        auto done = co_await s.email.discard(*ctx.actor, *id);
        if (!done) co_return error_page(ctx, done.error());
        co_return redirect(ctx, "/console/held?done=discarded");
    }
    auto outcome = co_await s.email.release(*ctx.actor, *id);
    if (!outcome) co_return error_page(ctx, outcome.error());
    co_return redirect(ctx, "/console/held?done=released&ticket=" + outcome->ticket_ref);
}

}  // namespace

void fill_thread_attachments(ctemplate::TemplateDictionary& d, const Attachments& attachments,
                             const ticket::TicketView& view, const MessageRows& rows, Audience audience)
{
    if (!attachments) {
        d.SetValueAndShowSection("ATTACHMENTS_ERROR", sentence(attachments.error()), "HAS_ATTACHMENTS_ERROR");
        return;
    }
    auto opening = view.messages.empty() ? 0 : view.messages.front().id;
    std::vector<const intake::email::AttachmentRecord*> rest;
    std::vector<std::vector<const intake::email::AttachmentRecord*>> under(rows.size());
    for (const auto& a : *attachments) {
        auto message = a.thread_message_id ? a.thread_message_id : opening;
        auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == message; });
        if (row == rows.end())
            rest.push_back(&a);
        else
            under[static_cast<std::size_t>(row - rows.begin())].push_back(&a);
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!under[i].empty())
            fill_attachment_list(*rows[i].second->AddIncludeDictionary("ATTACHMENTS"), "Attachments", under[i],
                                 audience);
    if (!rest.empty())
        fill_attachment_list(
            *d.AddSectionDictionary("HAS_OTHER_ATTACHMENTS")->AddIncludeDictionary("OTHER_ATTACHMENTS"),
            "Other attachments", rest, audience);
}

void fill_email_panel(ctemplate::TemplateDictionary& d, const Deliveries& deliveries, const std::string& ref,
                      const std::string& csrf)
{
    auto* list = d.AddIncludeDictionary("DELIVERIES");
    if (!deliveries) {
        d.SetValueAndShowSection("ERROR", sentence(deliveries.error()), "HAS_ERROR");
        list->SetFilename("console_deliveries.tpl");
        return;
    }
    if (deliveries->empty()) d.ShowSection("EMPTY");
    auto dead = std::count_if(deliveries->begin(), deliveries->end(),
                              [](const auto& m) { return m.state == notify::OutboxState::Dead; });
    if (dead > 0) d.SetValueAndShowSection("DEAD_COUNT", count_emails(static_cast<std::size_t>(dead)), "HAS_DEAD");
    fill_deliveries(*list, *deliveries, csrf, ref);
}

// Dead letters for the queue's notice: one read on the staff's landing page, not on every page.
void fill_dead_letter_notice(ctemplate::TemplateDictionary& d, Services& s, const auth::Actor& actor)
{
    auto dead = s.outbox.dead_letters(actor);
    if (dead && !dead->empty())
        d.SetValueAndShowSection("DEAD_LETTERS", count_emails(dead->size()), "HAS_DEAD_LETTERS");
}

void add_mail_routes(Router& router, Services& s)
{
    PageRoutes staff(router, s, Audience::Staff);
    PageRoutes anyone(router, s, Audience::Anyone);
    staff.get("/console/attachments/{id}", download);
    anyone.get("/portal/attachments/{id}", download);
    staff.get("/console/outbox", outbox);
    staff.post("/console/outbox/{id}/retry", retry);
    staff.get("/console/held", held);
    staff.post("/console/held/{id}/release",
               [](Services& s, Context& ctx) { return decide_held(s, ctx, HeldAction::Release); });
    staff.post("/console/held/{id}/discard",
               [](Services& s, Context& ctx) { return decide_held(s, ctx, HeldAction::Discard); });
}

}  // namespace lifeline::http::web
