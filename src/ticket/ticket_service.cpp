#include "ticket/ticket_service.hpp"

#include "auth/secrets.hpp"
#include "core/text.hpp"
#include "storage/async.hpp"

#include <algorithm>

namespace lifeline::ticket {

namespace {

constexpr int kMaxPage = 200;
constexpr std::string_view kAckTemplateName = "acknowledgement";

std::string request_fingerprint(const ValidNewTicket& in)
{
    std::string all;
    for (const auto* part : {&in.subject, &in.body, &in.requester_email, &in.requester_name, &in.organization}) {
        all += std::to_string(part->size());
        all += ':';
        all += *part;
    }
    all += plan::to_string(in.priority);
    return auth::token_hash(all);
}

TimelineEvent event(TicketId id, const auth::Actor& actor, std::string kind, std::string detail, core::UtcTime now)
{
    TimelineEvent e;
    e.ticket_id = id;
    e.actor_id = actor.user_id;
    e.kind = std::move(kind);
    e.detail = std::move(detail);
    e.created_at = now;
    return e;
}

// The responder named in the acknowledgement: the assignee, with their phone when the plan covers emergencies.
Responder responder_for(storage::Transaction& tx, auth::UserId assignee, const plan::SupportPlan& plan)
{
    Responder r;
    if (assignee) {
        if (auto u = tx.auth().find_user(assignee)) {
            r.name = u->name;
            r.email = u->email;
            if (plan.after_hours_emergency) r.phone = u->phone;
        }
    }
    if (plan.after_hours_emergency && !plan.emergency_phone.empty()) r.phone = plan.emergency_phone;
    return r;
}

core::Error ticket_not_found(TicketId id)
{
    return core::Error::not_found("no ticket " + format_ref(id));
}

}  // namespace

core::Error TicketService::denied_unless_hidden(const auth::Actor& actor, TicketId id, std::string message)
{
    bool visible = false;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        visible = tx.tickets().find(id, auth::Scope::of(actor)).has_value();
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!visible) return ticket_not_found(id);
    return core::Error::denied(std::move(message));
}

core::Status TicketService::create_in(storage::Transaction& tx, const auth::Actor& actor, const ValidNewTicket& in,
                                      const std::string& idempotency_key, const std::string& request_hash,
                                      const EmailThread& thread, core::UtcTime now, Created& out)
{
    auto& tickets = tx.tickets();
    if (!idempotency_key.empty()) {
        if (auto seen = tickets.find_idempotent(actor.user_id, idempotency_key)) {
            if (seen->request_hash != request_hash)
                return core::Error::conflict("this Idempotency-Key was used for a different request");
            auto t = tickets.find(seen->ticket_id, auth::Scope::everything());
            if (!t) return core::Error::internal("the ticket of an idempotent request is missing");
            out.ticket = std::move(*t);
            out.replayed = true;
            return core::Ok{};
        }
    }

    // Requester and organization.
    std::optional<org::Organization> organization;
    auth::User requester;
    if (!actor.is_staff()) {
        auto self = tx.auth().find_user(actor.user_id);
        if (!self) return core::Error::unauthenticated("your account no longer exists");
        requester = std::move(*self);
        if (requester.organization_id) organization = tx.orgs().find(requester.organization_id);
    } else {
        if (!in.organization.empty()) {
            organization = tx.orgs().find_by_slug(in.organization);
            if (!organization)
                return core::Error::invalid("the ticket is not valid",
                                            {{"organization", "no organization '" + in.organization + "'"}});
        }
        if (auto existing = tx.auth().find_user_by_email(in.requester_email)) {
            requester = std::move(*existing);
            if (!organization && requester.organization_id) organization = tx.orgs().find(requester.organization_id);
        } else {
            if (!organization) {
                auto domain = in.requester_email.substr(in.requester_email.find('@') + 1);
                organization = tx.orgs().find_by_email_domain(domain);
            }
            auth::User contact;
            contact.email = in.requester_email;
            contact.name = in.requester_name;
            contact.role = auth::Role::Contact;
            if (organization) contact.organization_id = organization->id;
            auto valid = contact.validated();
            if (!valid) return valid.error();
            auto id = tx.auth().insert_user(*valid, now);
            if (!id) return id.error();
            requester = std::move(valid).value();
            requester.id = *id;
        }
    }

    std::optional<plan::SupportPlan> own_plan;
    if (organization && organization->plan_id) own_plan = tx.plans().find(organization->plan_id);
    const plan::SupportPlan& support_plan = own_plan ? *own_plan : fallback_plan();
    auto deadline = plan::first_response_deadline(support_plan, in.priority, now);

    Ticket t;
    t.subject = in.subject;
    t.priority = in.priority;
    t.status = Status::New;
    t.channel = in.channel;
    t.requester_id = requester.id;
    t.organization_id = organization ? organization->id : org::OrganizationId{};
    t.assignee_id = organization ? organization->primary_agent_id : auth::UserId{};
    t.created_at = now;
    t.updated_at = now;
    t.first_response_due_at = deadline.due;
    t.id = tickets.insert(t);

    Message m;
    m.ticket_id = t.id;
    m.author_id = requester.id;
    m.visibility = Visibility::Public;
    m.body = in.body;
    m.created_at = now;
    out.first_message_id = tickets.insert_message(m);

    auto responder = responder_for(tx, t.assignee_id, support_plan);
    auto body = tickets.find_template(kAckTemplateName);
    t.acknowledgement = render_acknowledgement(body ? *body : default_acknowledgement_template(), t, requester.name,
                                               support_plan, deadline, responder);
    tickets.set_acknowledgement(t.id, t.acknowledgement);

    auth::Actor as_requester{requester.id, requester.role, requester.organization_id, requester.name, requester.email};
    // Staff act in their own name; contacts and the public form in the requester's.
    const auth::Actor& creator = actor.is_staff() && actor.user_id ? actor : as_requester;
    tickets.insert_event(event(t.id, creator, "created",
                               "Opened via " + std::string(to_string(in.channel)) + " as " +
                                   std::string(plan::to_string(in.priority)) + " for " + requester.email,
                               now));
    if (t.assignee_id)
        tickets.insert_event(
            event(t.id, creator, "assigned", "Assigned to " + responder.name + " (primary responder)", now));
    tickets.insert_event(event(
        t.id, creator, "acknowledged",
        "Acknowledged to " + requester.email + "; first response due " + core::format_rfc3339(deadline.due), now));
    if (!idempotency_key.empty()) tickets.insert_idempotent(actor.user_id, idempotency_key, request_hash, t.id, now);
    if (escalator_ && in.priority == plan::Priority::P1 && support_plan.after_hours_emergency) {
        auto policy = organization ? tx.escalations().policy_of_organization(organization->id.value) : 0;
        if (!policy)
            if (auto fallback = tx.escalations().default_policy()) policy = fallback->id;
        escalation::Effects fx;
        if (policy)
            escalator_->start(tx,
                              escalation::Trigger{policy, 0, t.id.value,
                                                  "Emergency ticket " + t.ref() + " from " +
                                                      (organization ? organization->name : requester.email) + ": " +
                                                      t.subject,
                                                  "P1"},
                              now, fx);
    }
    bool by_email = thread.acknowledge || in.channel == Channel::Portal;
    if (by_email && mail_.enabled())
        queue_email(tx, t, notify::kAcknowledgement, t.acknowledgement, true, thread.in_reply_to, thread.references,
                    now);

    // Answer from what was just written rather than reading it back: the writer's time is the intake bottleneck.
    t.requester_name = requester.name;
    t.requester_email = requester.email;
    if (organization) t.organization_name = organization->name;
    t.assignee_name = responder.name;
    out.ticket = std::move(t);
    out.acknowledgement = Acknowledgement{out.ticket.acknowledgement, responder, deadline.due, deadline.coverage,
                                          deadline.starts_after_hours};
    return core::Ok{};
}

boost::asio::awaitable<core::Result<Created>> TicketService::create(const auth::Actor& actor, NewTicket input,
                                                                    std::string idempotency_key)
{
    if (!actor.is_staff()) {
        input.requester_email = actor.email;
        if (input.requester_name.empty()) input.requester_name = actor.name;
        input.organization.clear();
    }
    auto valid = validated(input);
    if (!valid) co_return valid.error();
    if (idempotency_key.size() > 200)
        co_return core::Error::invalid("the Idempotency-Key header is too long",
                                       {{"Idempotency-Key", "at most 200 characters"}});
    auto hash = request_fingerprint(*valid);
    auto now = clock_.now();
    Created out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) {
        return create_in(tx, actor, *valid, idempotency_key, hash, EmailThread{}, now, out);
    });
    if (!status) co_return status.error();
    if (out.replayed) {
        // Rebuild the acknowledgement from what was stored the first time.
        out.acknowledgement.text = out.ticket.acknowledgement;
        out.acknowledgement.respond_by = out.ticket.first_response_due_at;
        out.acknowledgement.responder.name = out.ticket.assignee_name;
    } else {
        created_.fetch_add(1, std::memory_order_relaxed);
    }
    co_return out;
}

boost::asio::awaitable<core::Result<Created>> TicketService::create_public(NewTicket input)
{
    // The form acts for the person it names, never for an organization it picks: only the email domain places
    // the requester in an organization.
    input.organization.clear();
    input.channel = Channel::Portal;
    auth::Actor form{auth::UserId{}, auth::Role::Agent, {}, "Public support form", ""};
    co_return co_await create(form, std::move(input), "");
}

core::Result<std::string> TicketService::acknowledgement_template(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see message templates");
    std::optional<std::string> body;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        body = tx.tickets().find_template(kAckTemplateName);
        return core::Ok{};
    });
    if (!status) return status.error();
    return body ? *body : std::string(default_acknowledgement_template());
}

boost::asio::awaitable<core::Status> TicketService::set_acknowledgement_template(const auth::Actor& actor,
                                                                                 std::string body)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins edit message templates");
    if (!core::is_valid_utf8(body))
        co_return core::Error::invalid("the template is not valid UTF-8", {{"body", "must be valid UTF-8"}});
    if (core::trim(body).empty()) body = std::string(default_acknowledgement_template());
    if (auto ok = check_acknowledgement_template(body); !ok) co_return ok.error();
    auto now = clock_.now();
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        tx.tickets().put_template(kAckTemplateName, body, now);
        return core::Ok{};
    });
}

core::Result<TicketView> TicketService::get(const auth::Actor& actor, TicketId id)
{
    std::optional<TicketView> view;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto t = tx.tickets().find(id, auth::Scope::of(actor));
        if (!t) return ticket_not_found(id);
        TicketView v;
        v.ticket = std::move(*t);
        v.messages = tx.tickets().messages(id, actor.is_staff() ? IncludeInternal::Yes : IncludeInternal::No);
        if (actor.is_staff()) v.timeline = tx.tickets().timeline(id);
        view = std::move(v);
        return core::Ok{};
    });
    if (!status) return status.error();
    return std::move(*view);
}

core::Result<Page> TicketService::list(const auth::Actor& actor, ListFilter filter)
{
    if (filter.limit <= 0 || filter.limit > kMaxPage)
        return core::Error::invalid("the page size is out of range", {{"limit", "must be between 1 and 200"}});
    Page page;
    auto want = filter.limit;
    filter.limit = want + 1;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        if (filter.organization_slug) {
            auto o = tx.orgs().find_by_slug(*filter.organization_slug);
            if (!o)
                return core::Error::invalid("no such organization",
                                            {{"organization", "no organization '" + *filter.organization_slug + "'"}});
            filter.organization_id = o->id;
        }
        if (filter.assignee_email) {
            if (*filter.assignee_email == "none") {
                filter.assignee_id = auth::UserId{};
            } else {
                auto u = tx.auth().find_user_by_email(*filter.assignee_email);
                if (!u || !u->is_staff())
                    return core::Error::invalid("no such agent",
                                                {{"assignee", "no agent '" + *filter.assignee_email + "'"}});
                filter.assignee_id = u->id;
            }
        }
        page.tickets = tx.tickets().list(filter, auth::Scope::of(actor));
        return core::Ok{};
    });
    if (!status) return status.error();
    if (static_cast<int>(page.tickets.size()) > want) {
        page.tickets.resize(want);
        if (filter.order == ListFilter::Order::Newest) page.next_cursor = page.tickets.back().id.value;
    }
    return page;
}

core::Status TicketService::reply_in(storage::Transaction& tx, const auth::Actor& actor, TicketId id,
                                     const std::string& body, core::UtcTime now, Message& m)
{
    auto& tickets = tx.tickets();
    auto t = tickets.find(id, auth::Scope::of(actor));
    if (!t) return ticket_not_found(id);
    m.ticket_id = id;
    m.author_id = actor.user_id;
    m.author_name = actor.name;
    m.visibility = Visibility::Public;
    m.body = body;
    m.created_at = now;
    m.id = tickets.insert_message(m);
    if (actor.is_staff()) {
        tickets.mark_first_response(id, now);
        if (t->status == Status::New) tickets.update_status(id, Status::Open, now);
        tickets.insert_event(event(id, actor, "replied", actor.name + " replied to the customer", now));
        if (mail_.enabled()) queue_email(tx, *t, notify::kReply, body, false, {}, {}, now);
    } else {
        if (t->status == Status::WaitingOnCustomer || t->status == Status::Resolved)
            tickets.update_status(id, Status::Open, now);
        tickets.insert_event(event(id, actor, "replied", actor.name + " replied", now));
    }
    tickets.touch(id, now);
    return core::Ok{};
}

boost::asio::awaitable<core::Result<Message>> TicketService::reply(const auth::Actor& actor, TicketId id,
                                                                   std::string body)
{
    auto text = validated_body(body);
    if (!text) co_return text.error();
    auto now = clock_.now();
    Message m;
    auto status = co_await storage::write(
        db_, [&](storage::Transaction& tx) -> core::Status { return reply_in(tx, actor, id, *text, now, m); });
    if (!status) co_return status.error();
    co_return m;
}

core::Status TicketService::open_in(storage::Transaction& tx, const auth::Actor& actor, const NewTicket& input,
                                    const EmailThread& thread, core::UtcTime now, Created& out)
{
    auto valid = validated(input);
    if (!valid) return valid.error();
    auto status = create_in(tx, actor, *valid, "", "", thread, now, out);
    if (status) created_.fetch_add(1, std::memory_order_relaxed);
    return status;
}

void TicketService::queue_email(storage::Transaction& tx, const Ticket& ticket, std::string_view kind,
                                const std::string& body, bool automatic, const std::string& in_reply_to,
                                std::vector<std::string> references, core::UtcTime now)
{
    auto requester = tx.auth().find_user(ticket.requester_id);
    if (!requester || requester->email.empty()) return;
    // Thread under everything already in the ticket's mail (the customer's messages and ours).
    auto thread = tx.emails().thread_ids(ticket.id);
    for (auto& id : thread)
        if (std::find(references.begin(), references.end(), id) == references.end()) references.push_back(id);
    constexpr std::size_t kMaxReferences = 20;
    if (references.size() > kMaxReferences) references.erase(references.begin(), references.end() - kMaxReferences);
    notify::OutboxMessage m;
    m.kind = std::string(kind);
    m.ticket_id = ticket.id;
    m.recipient = requester->email;
    m.recipient_name = requester->name;
    m.subject = notify::tagged_subject(ticket.ref(), ticket.subject);
    m.body = body;
    m.message_id = notify::new_message_id(mail_);
    m.in_reply_to = !in_reply_to.empty() ? in_reply_to : (references.empty() ? std::string() : references.back());
    m.references = std::move(references);
    m.automatic = automatic;
    m.next_attempt_at = now;
    m.created_at = now;
    tx.outbox().enqueue(m);
    tx.tickets().insert_event(event(ticket.id, auth::Actor{}, "email_queued",
                                    std::string(kind == notify::kAcknowledgement ? "Acknowledgement" : "Reply") +
                                        " queued by email to " + requester->email,
                                    now));
}

boost::asio::awaitable<core::Result<Message>> TicketService::note(const auth::Actor& actor, TicketId id,
                                                                  std::string body)
{
    if (!actor.is_staff()) co_return denied_unless_hidden(actor, id, "only staff add internal notes");
    auto text = validated_body(body);
    if (!text) co_return text.error();
    auto now = clock_.now();
    Message m;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto& tickets = tx.tickets();
        if (!tickets.find(id, auth::Scope::of(actor))) return ticket_not_found(id);
        m.ticket_id = id;
        m.author_id = actor.user_id;
        m.author_name = actor.name;
        m.visibility = Visibility::Internal;
        m.body = *text;
        m.created_at = now;
        m.id = tickets.insert_message(m);
        tickets.insert_event(event(id, actor, "noted", actor.name + " added an internal note", now));
        tickets.touch(id, now);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return m;
}

boost::asio::awaitable<core::Result<Ticket>> TicketService::assign(const auth::Actor& actor, TicketId id,
                                                                   std::string assignee_email)
{
    if (!actor.is_staff()) co_return denied_unless_hidden(actor, id, "only staff assign tickets");
    auto now = clock_.now();
    Ticket out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto& tickets = tx.tickets();
        auto t = tickets.find(id, auth::Scope::of(actor));
        if (!t) return ticket_not_found(id);
        auth::UserId assignee;
        std::string detail = "Unassigned";
        if (!assignee_email.empty()) {
            auto user = tx.auth().find_user_by_email(assignee_email);
            if (!user || !user->is_staff())
                return core::Error::invalid("no such agent",
                                            {{"assignee", "'" + assignee_email + "' is not a staff member"}});
            assignee = user->id;
            detail = "Assigned to " + user->name;
        }
        if (t->assignee_id == assignee) {
            out = std::move(*t);
            return core::Ok{};
        }
        tickets.update_assignee(id, assignee, now);
        tickets.insert_event(event(id, actor, "assigned", detail, now));
        out = *tickets.find(id, auth::Scope::everything());
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

boost::asio::awaitable<core::Result<Ticket>> TicketService::set_status(const auth::Actor& actor, TicketId id, Status to)
{
    if (!actor.is_staff() && to != Status::Resolved && to != Status::Open)
        co_return denied_unless_hidden(actor, id, "customers may only resolve or reopen a ticket");
    auto now = clock_.now();
    Ticket out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto& tickets = tx.tickets();
        auto t = tickets.find(id, auth::Scope::of(actor));
        if (!t) return ticket_not_found(id);
        if (t->status == Status::Closed && !actor.is_staff())
            return core::Error::conflict("the ticket is closed; open a new one");
        if (t->status != to) {
            tickets.update_status(id, to, now);
            if (escalator_ && (to == Status::Resolved || to == Status::Closed))
                escalator_->ticket_closed(tx, id.value, now);
            tickets.insert_event(
                event(id, actor, "status_changed",
                      "Status " + std::string(to_string(t->status)) + " → " + std::string(to_string(to)), now));
        }
        out = *tickets.find(id, auth::Scope::everything());
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

}  // namespace lifeline::ticket
