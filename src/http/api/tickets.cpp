// JSON API v1 for tickets: parse → one service call → render. Errors go through problem().
#include "core/text.hpp"
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

#include <algorithm>

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;

namespace {

js::object ticket_json(const ticket::Ticket& t)
{
    js::object o{
        {"id", t.id.value},
        {"ref", t.ref()},
        {"subject", t.subject},
        {"priority", plan::to_string(t.priority)},
        {"status", ticket::to_string(t.status)},
        {"channel", ticket::to_string(t.channel)},
        {"requester", user_ref(t.requester_id, t.requester_name, t.requester_email)},
        {"assignee", user_ref(t.assignee_id, t.assignee_name)},
        {"created_at", core::format_rfc3339(t.created_at)},
        {"updated_at", core::format_rfc3339(t.updated_at)},
        {"first_response_due_at", core::format_rfc3339(t.first_response_due_at)},
        {"first_responded_at", time_or_null(t.first_responded_at)},
    };
    if (t.organization_id)
        o["organization"] = js::object{{"id", t.organization_id.value}, {"name", t.organization_name}};
    else
        o["organization"] = nullptr;
    return o;
}

js::object message_json(const ticket::Message& m)
{
    return {{"id", m.id},
            {"author", user_ref(m.author_id, m.author_name)},
            {"visibility", ticket::to_string(m.visibility)},
            {"body", m.body},
            {"created_at", core::format_rfc3339(m.created_at)}};
}

js::object event_json(const ticket::TimelineEvent& e)
{
    return {{"id", e.id},
            {"actor", user_ref(e.actor_id, e.actor_name)},
            {"kind", e.kind},
            {"detail", e.detail},
            {"created_at", core::format_rfc3339(e.created_at)}};
}

js::object acknowledgement_json(const ticket::Acknowledgement& a)
{
    js::value responder = nullptr;
    if (!a.responder.name.empty()) {
        js::object r{{"name", a.responder.name}};
        if (!a.responder.phone.empty()) r["emergency_phone"] = a.responder.phone;
        responder = std::move(r);
    }
    return {{"text", a.text},
            {"responder", std::move(responder)},
            {"respond_by", core::format_rfc3339(a.respond_by)},
            {"coverage", a.coverage == plan::Coverage::RoundTheClock ? "round_the_clock" : "business_hours"}};
}

boost::asio::awaitable<Response> create_ticket(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    ticket::NewTicket input;
    input.subject = string_field(*body, "subject", errors);
    input.body = string_field(*body, "body", errors);
    input.priority = string_field(*body, "priority", errors);
    if (input.priority.empty() && !body->contains("priority")) input.priority = "P3";
    input.organization = string_field(*body, "organization", errors);
    input.channel = ticket::Channel::Api;
    if (auto it = body->find("requester"); it != body->end() && !it->value().is_null()) {
        if (!it->value().is_object()) {
            errors.push_back({"requester", "must be an object with email and name"});
        } else {
            input.requester_email = string_field(it->value().as_object(), "email", errors, "requester.");
            input.requester_name = string_field(it->value().as_object(), "name", errors, "requester.");
        }
    }
    if (!errors.empty()) {
        // Report the type errors together with every other problem in the request, not one at a time.
        if (auto checked = ticket::validated(input); !checked)
            for (const auto& f : checked.error().fields())
                if (std::none_of(errors.begin(), errors.end(), [&](const auto& e) { return e.field == f.field; }))
                    errors.push_back(f);
        co_return problem(ctx, core::Error::invalid("the ticket is not valid", std::move(errors)));
    }
    auto created = co_await s.tickets.create(*ctx.actor, std::move(input), ctx.header("Idempotency-Key"));
    if (!created) co_return problem(ctx, created.error());
    auto out = ticket_json(created->ticket);
    out["acknowledgement"] = acknowledgement_json(created->acknowledgement);
    auto res = json(ctx, status::created, out);
    res.set(beast_http::field::location, "/api/v1/tickets/" + created->ticket.ref());
    if (created->replayed) res.set("Idempotent-Replayed", "true");
    co_return res;
}

boost::asio::awaitable<Response> list_tickets(Services& s, Context& ctx)
{
    ticket::ListFilter filter;
    std::vector<core::FieldError> errors;
    if (auto v = ctx.query_value("status")) {
        if (*v == "open_any") {
            filter.open_only = true;
        } else if (auto st = ticket::parse_status(*v)) {
            filter.status = *st;
        } else {
            errors.push_back({"status", "must be one of new, open, waiting_on_customer, resolved, closed, open_any"});
        }
    }
    if (auto v = ctx.query_value("priority")) {
        if (auto p = plan::parse_priority(*v))
            filter.priority = *p;
        else
            errors.push_back({"priority", "must be one of P1, P2, P3, P4"});
    }
    if (auto v = ctx.query_value("organization")) filter.organization_slug = *v;
    if (auto v = ctx.query_value("assignee")) filter.assignee_email = core::ascii_lower(*v);
    if (auto v = ctx.query_value("order")) {
        if (*v == "deadline")
            filter.order = ticket::ListFilter::Order::Deadline;
        else if (*v != "newest")
            errors.push_back({"order", "must be newest or deadline"});
    }
    auto number = [&](std::string_view name, auto& target) {
        auto v = ctx.query_value(name);
        if (!v) return;
        auto n = core::parse_integer(*v);
        if (!n || *n <= 0)
            errors.push_back({std::string(name), "must be a positive integer"});
        else
            target = static_cast<std::decay_t<decltype(target)>>(*n);
    };
    number("limit", filter.limit);
    std::int64_t cursor = 0;
    number("cursor", cursor);
    if (cursor) filter.after_id = cursor;
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the query is not valid", std::move(errors)));
    auto page = s.tickets.list(*ctx.actor, filter);
    if (!page) co_return problem(ctx, page.error());
    js::array data;
    for (const auto& t : page->tickets)
        data.push_back(ticket_json(t));
    js::object out{{"data", std::move(data)}};
    out["next_cursor"] = page->next_cursor ? js::value(std::to_string(*page->next_cursor)) : js::value(nullptr);
    co_return json(ctx, status::ok, out);
}

boost::asio::awaitable<Response> get_ticket(Services& s, Context& ctx)
{
    auto id = ticket_id_param(ctx);
    if (!id) co_return problem(ctx, id.error());
    auto view = s.tickets.get(*ctx.actor, *id);
    if (!view) co_return problem(ctx, view.error());
    auto out = ticket_json(view->ticket);
    js::array messages;
    for (const auto& m : view->messages)
        messages.push_back(message_json(m));
    out["messages"] = std::move(messages);
    if (ctx.actor->is_staff()) {
        js::array timeline;
        for (const auto& e : view->timeline)
            timeline.push_back(event_json(e));
        out["timeline"] = std::move(timeline);
        out["acknowledgement_text"] = view->ticket.acknowledgement;
    }
    co_return json(ctx, status::ok, out);
}

enum class MessageKind { Reply, Note };

boost::asio::awaitable<Response> add_message(Services& s, Context& ctx, MessageKind kind)
{
    auto id = ticket_id_param(ctx);
    if (!id) co_return problem(ctx, id.error());
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auto text = string_field(*body, "body", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the message is not valid", std::move(errors)));
    // GCC 12 miscompiles co_await inside a conditional expression (a double destruction), so branch instead.
    std::optional<core::Result<ticket::Message>> message;
    if (kind == MessageKind::Reply) {
        message.emplace(co_await s.tickets.reply(*ctx.actor, *id, text));
    } else {
        message.emplace(co_await s.tickets.note(*ctx.actor, *id, text));
    }
    if (!*message) co_return problem(ctx, message->error());
    co_return json(ctx, status::created, message_json(message->value()));
}

boost::asio::awaitable<Response> assign_ticket(Services& s, Context& ctx)
{
    auto id = ticket_id_param(ctx);
    if (!id) co_return problem(ctx, id.error());
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    if (!body->contains("assignee"))
        errors.push_back({"assignee", "is required (an agent's email, or null to unassign)"});
    auto email = string_field(*body, "assignee", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the assignment is not valid", std::move(errors)));
    auto t = co_await s.tickets.assign(*ctx.actor, *id, core::ascii_lower(core::trim(email)));
    if (!t) co_return problem(ctx, t.error());
    co_return json(ctx, status::ok, ticket_json(*t));
}

boost::asio::awaitable<Response> change_status(Services& s, Context& ctx)
{
    auto id = ticket_id_param(ctx);
    if (!id) co_return problem(ctx, id.error());
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auto text = string_field(*body, "status", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the status is not valid", std::move(errors)));
    auto to = ticket::parse_status(text);
    if (!to) co_return problem(ctx, to.error());
    auto t = co_await s.tickets.set_status(*ctx.actor, *id, *to);
    if (!t) co_return problem(ctx, t.error());
    co_return json(ctx, status::ok, ticket_json(*t));
}

boost::asio::awaitable<Response> get_template(Services& s, Context& ctx)
{
    auto body = s.tickets.acknowledgement_template(*ctx.actor);
    if (!body) co_return problem(ctx, body.error());
    co_return json(ctx, status::ok, js::object{{"name", "acknowledgement"}, {"body", *body}});
}

boost::asio::awaitable<Response> put_template(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    if (!body->contains("body")) errors.push_back({"body", "is required (an empty string restores the default)"});
    auto text = string_field(*body, "body", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the template is not valid", std::move(errors)));
    auto saved = co_await s.tickets.set_acknowledgement_template(*ctx.actor, text);
    if (!saved) co_return problem(ctx, saved.error());
    co_return co_await get_template(s, ctx);
}

}  // namespace

void add_ticket_routes(Router& router, Services& s)
{
    router.add(verb::post, "/api/v1/tickets", authenticated(s, [&s](Context& ctx) { return create_ticket(s, ctx); }));
    router.add(verb::get, "/api/v1/tickets", authenticated(s, [&s](Context& ctx) { return list_tickets(s, ctx); }));
    router.add(verb::get, "/api/v1/tickets/{ref}", authenticated(s, [&s](Context& ctx) { return get_ticket(s, ctx); }));
    router.add(verb::post, "/api/v1/tickets/{ref}/replies",
               authenticated(s, [&s](Context& ctx) { return add_message(s, ctx, MessageKind::Reply); }));
    router.add(verb::post, "/api/v1/tickets/{ref}/notes",
               authenticated(s, [&s](Context& ctx) { return add_message(s, ctx, MessageKind::Note); }));
    router.add(verb::post, "/api/v1/tickets/{ref}/assignment",
               authenticated(s, [&s](Context& ctx) { return assign_ticket(s, ctx); }));
    router.add(verb::post, "/api/v1/tickets/{ref}/status",
               authenticated(s, [&s](Context& ctx) { return change_status(s, ctx); }));
    router.add(verb::get, "/api/v1/templates/acknowledgement",
               authenticated(s, [&s](Context& ctx) { return get_template(s, ctx); }));
    router.add(verb::put, "/api/v1/templates/acknowledgement",
               authenticated(s, [&s](Context& ctx) { return put_template(s, ctx); }));
}

}  // namespace lifeline::http::api
