// JSON API v1 for the email channel: raw messages in (the mailgate's endpoint), delivery state out,
// attachments, and the dead-letter queue.
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;

namespace {

js::object delivery_json(const notify::OutboxMessage& m)
{
    return {{"id", m.id},
            {"kind", m.kind},
            {"ticket", m.ticket_id ? js::value(ticket::format_ref(m.ticket_id)) : js::value(nullptr)},
            {"recipient", m.recipient},
            {"subject", m.subject},
            {"message_id", m.message_id},
            {"state", notify::to_string(m.state)},
            {"attempts", m.attempts},
            {"next_attempt_at", core::format_rfc3339(m.next_attempt_at)},
            {"last_error", m.last_error},
            {"bounce", m.bounce},
            {"created_at", core::format_rfc3339(m.created_at)},
            {"sent_at", time_or_null(m.sent_at)}};
}

js::object attachment_json(const intake::email::AttachmentRecord& a)
{
    return {{"id", a.id},
            {"filename", a.filename},
            {"content_type", a.content_type},
            {"size", a.size},
            {"sha256", a.sha256},
            {"stored", a.stored},
            {"download", "/api/v1/attachments/" + std::to_string(a.id)}};
}

boost::asio::awaitable<Response> intake_email(Services& s, Context& ctx)
{
    if (!ctx.actor->is_staff()) co_return problem(ctx, core::Error::denied("mail intake needs a staff token"));
    if (ctx.request.body().empty())
        co_return problem(ctx, core::Error::invalid("the body must be one RFC 5322 message"));
    auto outcome = co_await s.email.accept(ctx.request.body());
    if (!outcome) co_return problem(ctx, outcome.error());
    js::object out{{"outcome", intake::email::to_string(outcome->kind)}, {"detail", outcome->detail}};
    out["ticket"] = outcome->ticket_ref.empty() ? js::value(nullptr) : js::value(outcome->ticket_ref);
    co_return json(ctx, status::accepted, out);
}

boost::asio::awaitable<Response> ticket_emails(Services& s, Context& ctx)
{
    auto id = ticket_id_param(ctx);
    if (!id) co_return problem(ctx, id.error());
    auto list = s.outbox.for_ticket(*ctx.actor, *id);
    if (!list) co_return problem(ctx, list.error());
    js::array data;
    for (const auto& m : *list)
        data.push_back(delivery_json(m));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> ticket_attachments(Services& s, Context& ctx)
{
    auto id = ticket_id_param(ctx);
    if (!id) co_return problem(ctx, id.error());
    auto list = s.email.attachments(*ctx.actor, *id);
    if (!list) co_return problem(ctx, list.error());
    js::array data;
    for (const auto& a : *list)
        data.push_back(attachment_json(a));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> download_attachment(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such attachment"));
    auto found = s.email.attachment(*ctx.actor, *id);
    if (!found) co_return problem(ctx, found.error());
    co_return attachment_download(ctx, found->first.filename, std::move(found->second));
}

boost::asio::awaitable<Response> dead_letters(Services& s, Context& ctx)
{
    auto list = s.outbox.dead_letters(*ctx.actor);
    if (!list) co_return problem(ctx, list.error());
    js::array data;
    for (const auto& m : *list)
        data.push_back(delivery_json(m));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> retry_message(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such message"));
    auto retried = co_await s.outbox.retry(*ctx.actor, *id);
    if (!retried) co_return problem(ctx, retried.error());
    co_return json(ctx, status::accepted, js::object{{"id", *id}, {"state", "queued"}});
}

boost::asio::awaitable<Response> held_mail(Services& s, Context& ctx)
{
    auto list = s.email.held(*ctx.actor);
    if (!list) co_return problem(ctx, list.error());
    js::array data;
    for (const auto& h : *list)
        data.push_back(js::object{{"id", h.id},
                                  {"from", h.from_address},
                                  {"subject", h.subject},
                                  {"reason", h.reason},
                                  {"received_at", core::format_rfc3339(h.created_at)}});
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> release_held(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such held message"));
    auto outcome = co_await s.email.release(*ctx.actor, *id);
    if (!outcome) co_return problem(ctx, outcome.error());
    js::object out{{"outcome", intake::email::to_string(outcome->kind)}, {"detail", outcome->detail}};
    out["ticket"] = outcome->ticket_ref.empty() ? js::value(nullptr) : js::value(outcome->ticket_ref);
    co_return json(ctx, status::ok, out);
}

boost::asio::awaitable<Response> discard_held(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such held message"));
    auto done = co_await s.email.discard(*ctx.actor, *id);
    if (!done) co_return problem(ctx, done.error());
    co_return json(ctx, status::ok, js::object{{"id", *id}, {"discarded", true}});
}

}  // namespace

void add_mail_routes(Router& router, Services& s)
{
    router.add(verb::post, "/api/v1/intake/email",
               authenticated(s, [&s](Context& ctx) { return intake_email(s, ctx); }), s.max_email_bytes);
    router.add(verb::get, "/api/v1/tickets/{ref}/emails",
               authenticated(s, [&s](Context& ctx) { return ticket_emails(s, ctx); }));
    router.add(verb::get, "/api/v1/tickets/{ref}/attachments",
               authenticated(s, [&s](Context& ctx) { return ticket_attachments(s, ctx); }));
    router.add(verb::get, "/api/v1/attachments/{id}",
               authenticated(s, [&s](Context& ctx) { return download_attachment(s, ctx); }));
    router.add(verb::get, "/api/v1/held-emails", authenticated(s, [&s](Context& ctx) { return held_mail(s, ctx); }));
    router.add(verb::post, "/api/v1/held-emails/{id}/release",
               authenticated(s, [&s](Context& ctx) { return release_held(s, ctx); }));
    router.add(verb::delete_, "/api/v1/held-emails/{id}",
               authenticated(s, [&s](Context& ctx) { return discard_held(s, ctx); }));
    router.add(verb::get, "/api/v1/outbox/dead", authenticated(s, [&s](Context& ctx) { return dead_letters(s, ctx); }));
    router.add(verb::post, "/api/v1/outbox/{id}/retry",
               authenticated(s, [&s](Context& ctx) { return retry_message(s, ctx); }));
}

}  // namespace lifeline::http::api
