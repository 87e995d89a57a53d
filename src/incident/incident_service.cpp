#include "incident/incident_service.hpp"

#include "core/text.hpp"
#include "storage/async.hpp"

#include <algorithm>
#include <map>

namespace lifeline::incident {

namespace {

core::Status staff_only(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff run incidents");
    return core::Ok{};
}

core::Error no_incident(std::int64_t id)
{
    return core::Error::not_found("no incident " + std::to_string(id));
}

core::Status check_title(const std::string& title)
{
    if (title.empty() || title.size() > 300 || !core::is_valid_utf8(title))
        return core::Error::invalid("the incident is not valid",
                                    {{"title", "is required (1-300 characters of UTF-8)"}});
    return core::Ok{};
}

// The staff member `id`, or InvalidArgument naming `field`.
core::Result<auth::User> staff(storage::Transaction& tx, std::int64_t id, std::string field)
{
    auto u = tx.auth().find_user(auth::UserId{id});
    if (!u || !u->is_staff())
        return core::Error::invalid("the request is not valid", {{std::move(field), "names no agent or admin"}});
    return *u;
}

// Applies the proposal, or an override with its justification.
core::Status apply_severity(Incident& i, std::optional<Severity> chosen, const std::string& justification)
{
    auto proposal = propose_severity(i.impact);
    i.proposed_severity = proposal.severity;
    i.severity_reason = proposal.reason;
    if (chosen && *chosen != proposal.severity) {
        if (core::trim(justification).empty())
            return core::Error::invalid(
                "the severity differs from the proposal",
                {{"severity_justification", "is required to override " + std::string(to_string(proposal.severity)) +
                                                " (" + proposal.reason + ")"}});
        i.severity = *chosen;
        i.severity_override_reason = core::trim(justification);
    } else {
        i.severity = proposal.severity;
        i.severity_override_reason.clear();
    }
    return core::Ok{};
}

auth::Actor actor_of(const Incident& i)
{
    return auth::Actor{auth::UserId{i.commander_id}, auth::Role::Agent, {}, i.commander_name, i.commander_email};
}

}  // namespace

void IncidentService::notify_changed(std::int64_t id)
{
    if (changed_) changed_(id);
}

core::Result<Incident> IncidentService::load(storage::Transaction& tx, std::int64_t id)
{
    auto i = tx.incidents().find(id);
    if (!i) return no_incident(id);
    return std::move(*i);
}

void IncidentService::log(storage::Transaction& tx, const Incident& i, Channel channel, std::string kind,
                          std::int64_t author, std::string body, core::UtcTime now)
{
    Update u;
    u.incident_id = i.id;
    u.channel = channel;
    u.kind = std::move(kind);
    u.author_id = author;
    u.body = std::move(body);
    u.status = i.status;
    u.at = now;
    tx.incidents().insert_update(u);
}

void IncidentService::tell_requesters(storage::Transaction& tx, const Incident& i, const std::string& body,
                                      core::UtcTime now)
{
    auto as = actor_of(i);
    for (const auto& t : tx.incidents().tickets(i.id)) {
        ticket::Message m;
        (void)tickets_.reply_in(tx, as, ticket::TicketId{t.ticket_id}, body, now, m);
    }
}

boost::asio::awaitable<core::Result<Incident>> IncidentService::declare(const auth::Actor& actor, DeclareInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    in.title = core::trim(in.title);
    if (auto s = check_title(in.title); !s) co_return s.error();
    if (auto s = check_impact(in.impact); !s) co_return s.error();
    auto now = clock_.now();
    Incident out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        Incident i;
        i.title = in.title;
        i.impact = in.impact;
        for (const auto& slug : in.organization_slugs) {
            auto org = tx.orgs().find_by_slug(slug);
            if (!org)
                return core::Error::invalid("the incident is not valid",
                                            {{"impact.organizations", "no organization '" + slug + "'"}});
            i.impact.organization_ids.push_back(org->id.value);
        }
        // Tickets declared from also tell us whom it affects.
        std::vector<ticket::Ticket> linked;
        for (auto tid : in.ticket_ids) {
            auto t = tx.tickets().find(ticket::TicketId{tid}, auth::Scope::of(actor));
            if (!t)
                return core::Error::invalid("the incident is not valid",
                                            {{"ticket_ids", "no ticket " + std::to_string(tid)}});
            if (t->organization_id) i.impact.organization_ids.push_back(t->organization_id.value);
            linked.push_back(std::move(*t));
        }
        for (auto aid : in.alert_ids)
            if (!tx.alerts().find(aid))
                return core::Error::invalid("the incident is not valid",
                                            {{"alert_ids", "no alert " + std::to_string(aid)}});
        std::sort(i.impact.organization_ids.begin(), i.impact.organization_ids.end());
        i.impact.organization_ids.erase(std::unique(i.impact.organization_ids.begin(), i.impact.organization_ids.end()),
                                        i.impact.organization_ids.end());
        if (auto s = apply_severity(i, in.severity, in.severity_justification); !s) return s;
        for (auto& k : in.keywords)
            if (auto w = core::ascii_lower(core::trim(k)); !w.empty()) i.keywords.push_back(w);
        i.commander_id = actor.user_id.value;
        i.declared_by = actor.user_id.value;
        i.declared_at = now;
        i.updated_at = now;
        i.next_update_at = now + kFirstUpdateWithin;
        i.next_update_reason = "the first briefing is due within 30 minutes of declaring";
        i.id = tx.incidents().insert(i);
        i = *tx.incidents().find(i.id);
        log(tx, i, Channel::System, "declared", actor.user_id.value,
            actor.name + " declared the incident and is the commander; " + std::string(to_string(i.severity)) + " (" +
                i.severity_reason + ")" +
                (i.severity_override_reason.empty() ? "" : "; overridden: " + i.severity_override_reason),
            now);
        for (const auto& t : linked) {
            tx.incidents().link_ticket(i.id, t.id.value, actor.user_id.value, now);
            ticket::Message m;
            (void)tickets_.reply_in(tx, actor_of(i), t.id, known_issue_answer(i), now, m);
        }
        for (auto aid : in.alert_ids)
            tx.incidents().link_alert(i.id, aid, now);
        out = i;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(out.id);
    co_return out;
}

core::Result<std::vector<Incident>> IncidentService::list(const auth::Actor& actor, bool open_only)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<Incident> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.incidents().list(open_only, 200);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<Record> IncidentService::get(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    Record r;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        r.incident = std::move(*i);
        auto& store = tx.incidents();
        r.updates = store.updates(id);
        r.steps = store.steps(id);
        r.action_items = store.action_items(id);
        r.tickets = store.tickets(id);
        r.alerts = store.alerts(id);
        r.comments = store.comments(id);
        for (auto org : r.incident.impact.organization_ids)
            if (auto o = tx.orgs().find(org::OrganizationId{org})) r.organization_names.push_back(o->name);
        return core::Ok{};
    });
    if (!status) return status.error();
    return r;
}

namespace {

// A customer may see an incident when it affects their organization or is linked to a ticket they can see.
bool visible_to(storage::Transaction& tx, const auth::Actor& actor, const Incident& i)
{
    if (actor.organization_id && std::find(i.impact.organization_ids.begin(), i.impact.organization_ids.end(),
                                           actor.organization_id.value) != i.impact.organization_ids.end())
        return true;
    auto scope = auth::Scope::of(actor);
    for (const auto& t : tx.incidents().tickets(i.id))
        if (tx.tickets().find(ticket::TicketId{t.ticket_id}, scope)) return true;
    return false;
}

PublicView public_parts(storage::Transaction& tx, Incident i)
{
    PublicView v;
    for (auto& u : tx.incidents().updates(i.id))
        if (u.channel == Channel::Business) v.briefings.push_back(std::move(u));
    // Customers see who leads and when they hear next; not the internal assessment.
    i.severity_override_reason.clear();
    i.impact = Impact{};
    i.keywords.clear();
    v.incident = std::move(i);
    return v;
}

}  // namespace

core::Result<std::vector<PublicView>> IncidentService::public_incidents(const auth::Actor& actor, bool open_only)
{
    std::vector<PublicView> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (auto& i : tx.incidents().list(open_only, 50))
            if (actor.is_staff() || visible_to(tx, actor, i)) out.push_back(public_parts(tx, std::move(i)));
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<PublicView> IncidentService::public_view(const auth::Actor& actor, std::int64_t id)
{
    std::optional<PublicView> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto i = tx.incidents().find(id);
        if (!i || (!actor.is_staff() && !visible_to(tx, actor, *i))) return no_incident(id);
        out = public_parts(tx, std::move(*i));
        return core::Ok{};
    });
    if (!status) return status.error();
    return std::move(*out);
}

boost::asio::awaitable<core::Result<Update>> IncidentService::post_update(const auth::Actor& actor, std::int64_t id,
                                                                          UpdateInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    Update u;
    u.incident_id = id;
    u.channel = in.channel;
    u.kind = in.channel == Channel::Business ? "briefing" : "note";
    u.author_id = actor.user_id.value;
    u.author_name = actor.name;
    u.body = core::trim(in.body);
    u.next_update_at = in.next_update_at;
    u.next_update_reason = core::trim(in.next_update_reason);
    u.at = now;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        if (!i->open()) return core::Error::conflict("the incident is resolved; reopen it to post updates");
        if (auto s = check_update(u, false, now); !s) return s;
        u.status = i->status;
        if (!i->acknowledged_at) i->acknowledged_at = now;
        if (u.channel == Channel::Business) {
            i->next_update_at = u.next_update_at;
            i->next_update_reason = u.next_update_reason;
            i->reminded_at.reset();
            i->escalated_at.reset();
        }
        i->updated_at = now;
        tx.incidents().update(*i);
        u.id = tx.incidents().insert_update(u);
        if (u.channel == Channel::Business) tell_requesters(tx, *i, briefing_for_customers(*i, u), now);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return u;
}

boost::asio::awaitable<core::Result<Update>> IncidentService::still_working(const auth::Actor& actor, std::int64_t id)
{
    UpdateInput in;
    in.channel = Channel::Business;
    in.body = "We are still working on it. There is no news yet; we will tell you as soon as there is.";
    in.next_update_at = clock_.now() + kFirstUpdateWithin;
    in.next_update_reason = "our regular half-hourly update while the cause is being worked on";
    co_return co_await post_update(actor, id, std::move(in));
}

boost::asio::awaitable<core::Result<Incident>> IncidentService::assess(const auth::Actor& actor, std::int64_t id,
                                                                       Impact impact, std::optional<Severity> severity,
                                                                       std::string justification)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    if (auto s = check_impact(impact); !s) co_return s.error();
    auto now = clock_.now();
    Incident out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto before = i->severity;
        i->impact = impact;
        if (auto s = apply_severity(*i, severity, justification); !s) return s;
        i->updated_at = now;
        tx.incidents().update(*i);
        auto text = actor.name + " assessed the impact: " + std::string(to_string(i->severity)) + " (" +
                    i->severity_reason + ")";
        if (!i->severity_override_reason.empty()) text += "; overridden: " + i->severity_override_reason;
        if (before != i->severity) text += "; was " + std::string(to_string(before));
        log(tx, *i, Channel::System, "severity", actor.user_id.value, text, now);
        out = *i;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return out;
}

boost::asio::awaitable<core::Result<Incident>> IncidentService::handover(const auth::Actor& actor, std::int64_t id,
                                                                         std::int64_t user_id, std::string note)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    Incident out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto to = staff(tx, user_id, "user_id");
        if (!to) return to.error();
        if (i->commander_id == user_id) return core::Error::conflict(to->name + " is already the commander");
        auto from = i->commander_name;
        i->commander_id = user_id;
        i->updated_at = now;
        tx.incidents().update(*i);
        auto text = from + " handed command to " + to->name;
        if (!core::trim(note).empty()) text += ": " + core::trim(note);
        log(tx, *i, Channel::System, "handover", actor.user_id.value, text, now);
        out = *tx.incidents().find(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return out;
}

boost::asio::awaitable<core::Result<Incident>> IncidentService::set_role(const auth::Actor& actor, std::int64_t id,
                                                                         std::string role, std::int64_t user_id)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    if (role == "commander")
        co_return core::Error::conflict("an incident has exactly one commander: hand over instead");
    if (role != "communications" && role != "technical")
        co_return core::Error::invalid("the role is not valid", {{"role", "is communications or technical"}});
    auto now = clock_.now();
    Incident out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        std::string name = "nobody";
        if (user_id) {
            auto u = staff(tx, user_id, "user_id");
            if (!u) return u.error();
            name = u->name;
        }
        (role == "communications" ? i->communications_lead_id : i->technical_lead_id) = user_id;
        i->updated_at = now;
        tx.incidents().update(*i);
        log(tx, *i, Channel::System, "role", actor.user_id.value,
            std::string(role == "communications" ? "Communications" : "Technical") + " lead: " + name, now);
        out = *tx.incidents().find(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return out;
}

boost::asio::awaitable<core::Result<Incident>> IncidentService::set_status(const auth::Actor& actor, std::int64_t id,
                                                                           Status to, std::string note)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    note = core::trim(note);
    Incident out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        if (i->status == to) return core::Error::conflict("the incident is already " + std::string(to_string(to)));
        if (i->status == Status::Resolved && to != Status::Investigating)
            return core::Error::conflict("a resolved incident can only be reopened (investigating)");
        auto from = i->status;
        i->status = to;
        if (to == Status::Identified && !i->identified_at) i->identified_at = now;
        if ((to == Status::Monitoring || to == Status::Resolved) && !i->mitigated_at) i->mitigated_at = now;
        if (to == Status::Resolved) {
            i->resolved_at = now;
            i->next_update_at.reset();
            i->next_update_reason.clear();
        } else if (from == Status::Resolved) {
            i->resolved_at.reset();
            i->next_update_at = now + kFirstUpdateWithin;
            i->next_update_reason = "reopened: the first briefing is due within 30 minutes";
        }
        if (!i->acknowledged_at) i->acknowledged_at = now;
        i->updated_at = now;
        tx.incidents().update(*i);
        auto text = actor.name + ": " + std::string(to_string(from)) + " → " + std::string(to_string(to));
        if (!note.empty()) text += ". " + note;
        log(tx, *i, Channel::System, "status", actor.user_id.value, text, now);
        if (to == Status::Resolved) {
            Update u;
            u.incident_id = id;
            u.channel = Channel::Business;
            u.kind = "resolved";
            u.author_id = actor.user_id.value;
            u.body = note.empty() ? std::string("The problem is fixed and everything is working again.") : note;
            u.status = to;
            u.at = now;
            tx.incidents().insert_update(u);
            tell_requesters(tx, *i, resolution_notice(*i, u), now);
        }
        out = *tx.incidents().find(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return out;
}

boost::asio::awaitable<core::Result<LinkedTicket>> IncidentService::link_ticket(const auth::Actor& actor,
                                                                                std::int64_t id, std::int64_t ticket_id)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    LinkedTicket out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto t = tx.tickets().find(ticket::TicketId{ticket_id}, auth::Scope::of(actor));
        if (!t) return core::Error::not_found("no ticket " + std::to_string(ticket_id));
        if (!tx.incidents().link_ticket(id, ticket_id, actor.user_id.value, now))
            return core::Error::conflict(t->ref() + " is already linked to this incident");
        if (t->organization_id && std::find(i->impact.organization_ids.begin(), i->impact.organization_ids.end(),
                                            t->organization_id.value) == i->impact.organization_ids.end()) {
            i->impact.organization_ids.push_back(t->organization_id.value);
            i->updated_at = now;
            tx.incidents().update(*i);
        }
        log(tx, *i, Channel::System, "link", actor.user_id.value,
            actor.name + " linked " + t->ref() + " (" + t->subject + "); its requester got the known-issue answer",
            now);
        ticket::Message m;
        if (auto s = tickets_.reply_in(tx, actor_of(*i), t->id, known_issue_answer(*i), now, m); !s) return s;
        for (const auto& l : tx.incidents().tickets(id))
            if (l.ticket_id == ticket_id) out = l;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return out;
}

boost::asio::awaitable<core::Status> IncidentService::link_alert(const auth::Actor& actor, std::int64_t id,
                                                                 std::int64_t alert_id)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto a = tx.alerts().find(alert_id);
        if (!a) return core::Error::not_found("no alert " + std::to_string(alert_id));
        if (!tx.incidents().link_alert(id, alert_id, now))
            return core::Error::conflict("the alert is already linked to this incident");
        log(tx, *i, Channel::Technical, "alert", actor.user_id.value,
            "Alert linked: " + a->service_name + ": " + a->summary + " (" + std::string(alert::to_string(a->severity)) +
                ")",
            now);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return core::Ok{};
}

core::Result<std::vector<LinkedTicket>> IncidentService::suggestions(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<LinkedTicket> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto words = i->keywords;
        for (const auto& c : i->impact.components)
            words.push_back(core::ascii_lower(c));
        out = tx.incidents().candidate_tickets(id, i->impact.organization_ids, words,
                                               i->declared_at - std::chrono::hours(24), 20);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<Step>> IncidentService::add_step(const auth::Actor& actor, std::int64_t id,
                                                                     StepInput in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    std::vector<core::FieldError> errors;
    in.title = core::trim(in.title);
    if (in.title.empty() || in.title.size() > 300 || !core::is_valid_utf8(in.title))
        errors.push_back({"title", "is required (1-300 characters of UTF-8)"});
    if (!in.deadline_at)
        errors.push_back({"deadline_at", "is required: a theory gets a written deadline, not \"10 more minutes\""});
    else if (*in.deadline_at <= now || *in.deadline_at - now > kMaxStepDeadline)
        errors.push_back({"deadline_at", "is in the future, within 24 hours"});
    if (!errors.empty()) co_return core::Error::invalid("the diagnostic step is not valid", std::move(errors));
    Step step;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        if (!i->open()) return core::Error::conflict("the incident is resolved");
        auto owner = staff(tx, in.owner_id ? in.owner_id : actor.user_id.value, "owner_id");
        if (!owner) return owner.error();
        step.incident_id = id;
        step.title = in.title;
        step.owner_id = owner->id.value;
        step.owner_name = owner->name;
        step.deadline_at = *in.deadline_at;
        step.created_at = now;
        step.id = tx.incidents().insert_step(step);
        log(tx, *i, Channel::Technical, "step", actor.user_id.value,
            "Diagnostic step: " + step.title + " — " + owner->name + ", deadline " + format_time(step.deadline_at),
            now);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return step;
}

boost::asio::awaitable<core::Result<Step>> IncidentService::record_step(const auth::Actor& actor, std::int64_t id,
                                                                        std::int64_t step_id, StepOutcome in)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    in.note = core::trim(in.note);
    Step out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto step = tx.incidents().find_step(step_id);
        if (!step || step->incident_id != id) return core::Error::not_found("no step " + std::to_string(step_id));
        if (step->state != StepState::Open) return core::Error::conflict("the step already has its outcome");
        std::string text;
        if (in.outcome == "extend") {
            std::vector<core::FieldError> errors;
            if (in.note.empty()) errors.push_back({"note", "is required: say why it needs longer"});
            if (!in.new_deadline || *in.new_deadline <= now || *in.new_deadline - now > kMaxStepDeadline)
                errors.push_back({"new_deadline", "is in the future, within 24 hours"});
            if (!errors.empty()) return core::Error::invalid("the extension is not valid", std::move(errors));
            ++step->extensions;
            text = "Extended (" + std::to_string(step->extensions) + "×) " + step->title + " to " +
                   format_time(*in.new_deadline) + ": " + in.note;
            step->deadline_at = *in.new_deadline;
            step->overdue_alerted_at.reset();
        } else if (in.outcome == "confirmed" || in.outcome == "ruled_out") {
            step->state = in.outcome == "confirmed" ? StepState::Confirmed : StepState::RuledOut;
            step->outcome = in.note;
            step->closed_at = now;
            text = std::string(in.outcome == "confirmed" ? "Confirmed: " : "Ruled out: ") + step->title +
                   (in.note.empty() ? "" : " — " + in.note);
        } else {
            return core::Error::invalid("the outcome is not valid", {{"outcome", "is confirmed, ruled_out or extend"}});
        }
        tx.incidents().update_step(*step);
        log(tx, *i, Channel::Technical, "step", actor.user_id.value, actor.name + ": " + text, now);
        out = *step;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return out;
}

core::Result<std::string> IncidentService::debrief(const auth::Actor& actor, std::int64_t id)
{
    auto record = get(actor, id);
    if (!record) return record.error();
    return debrief_markdown(*record);
}

boost::asio::awaitable<core::Result<ActionItem>> IncidentService::add_action_item(const auth::Actor& actor,
                                                                                  std::int64_t id, std::string title,
                                                                                  std::int64_t owner_id,
                                                                                  std::optional<core::UtcTime> due_at)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    title = core::trim(title);
    std::vector<core::FieldError> errors;
    if (title.empty() || title.size() > 300 || !core::is_valid_utf8(title))
        errors.push_back({"title", "is required (1-300 characters of UTF-8)"});
    if (!due_at) errors.push_back({"due_at", "is required"});
    if (!errors.empty()) co_return core::Error::invalid("the action item is not valid", std::move(errors));
    ActionItem item;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = load(tx, id);
        if (!i) return i.error();
        auto owner = staff(tx, owner_id, "owner_id");
        if (!owner) return owner.error();
        item = ActionItem{0, id, title, owner->id.value, owner->name, *due_at, std::nullopt, now};
        item.id = tx.incidents().insert_action_item(item);
        log(tx, *i, Channel::System, "action_item", actor.user_id.value,
            "Action item: " + title + " — " + owner->name + ", due " + format_time(*due_at), now);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return item;
}

boost::asio::awaitable<core::Status> IncidentService::set_action_item_done(const auth::Actor& actor, std::int64_t id,
                                                                           std::int64_t item_id, bool done)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto items = tx.incidents().action_items(id);
        auto it = std::find_if(items.begin(), items.end(), [&](const auto& a) { return a.id == item_id; });
        if (it == items.end()) return core::Error::not_found("no action item " + std::to_string(item_id));
        tx.incidents().set_action_item_done(item_id, done ? std::optional<core::UtcTime>(now) : std::nullopt);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return core::Ok{};
}

boost::asio::awaitable<core::Result<DebriefComment>> IncidentService::add_comment(const auth::Actor& actor,
                                                                                  std::int64_t id, std::string body)
{
    body = core::trim(body);
    if (body.empty() || body.size() > 10000 || !core::is_valid_utf8(body))
        co_return core::Error::invalid("the comment is not valid",
                                       {{"body", "is required (at most 10000 characters)"}});
    auto now = clock_.now();
    DebriefComment c;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto i = tx.incidents().find(id);
        if (!i || (!actor.is_staff() && !visible_to(tx, actor, *i))) return no_incident(id);
        if (i->open()) return core::Error::conflict("the debrief opens once the incident is resolved");
        c = DebriefComment{0, id, actor.user_id.value, actor.name, "", body, now};
        if (actor.organization_id)
            if (auto o = tx.orgs().find(actor.organization_id)) c.organization_name = o->name;
        c.id = tx.incidents().insert_comment(c);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    notify_changed(id);
    co_return c;
}

core::Result<std::vector<SeverityMetrics>> IncidentService::metrics(const auth::Actor& actor)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<Incident> all;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        all = tx.incidents().list(false, 10000);
        return core::Ok{};
    });
    if (!status) return status.error();
    std::vector<SeverityMetrics> out;
    for (auto sev : {Severity::Sev1, Severity::Sev2, Severity::Sev3, Severity::Sev4}) {
        SeverityMetrics m;
        m.severity = sev;
        std::map<int, std::pair<std::chrono::milliseconds, int>> sums;  // 0 ack, 1 mitigate, 2 resolve
        for (const auto& i : all) {
            if (i.severity != sev) continue;
            ++m.incidents;
            auto d = durations(i);
            int k = 0;
            for (const auto& v : {d.acknowledge, d.mitigate, d.resolve}) {
                if (v) {
                    sums[k].first += *v;
                    ++sums[k].second;
                }
                ++k;
            }
        }
        auto mean = [&](int k) -> std::optional<std::chrono::milliseconds> {
            if (!sums.contains(k) || sums[k].second == 0) return std::nullopt;
            return sums[k].first / sums[k].second;
        };
        m.mean_acknowledge = mean(0);
        m.mean_mitigate = mean(1);
        m.mean_resolve = mean(2);
        out.push_back(m);
    }
    return out;
}

core::Result<int> IncidentService::run_due_blocking()
{
    auto now = clock_.now();
    // A read first, so that a quiet desk queues no write every tick.
    bool due = false;
    auto peek = db_.read([&](storage::Transaction& tx) -> core::Status {
        due =
            !tx.incidents().overdue_updates(now, kEscalateAfter).empty() || !tx.incidents().overdue_steps(now).empty();
        return core::Ok{};
    });
    if (!peek) return peek.error();
    if (!due) return 0;
    int done = 0;
    std::vector<std::int64_t> changed;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        done = 0;
        changed.clear();
        auto& store = tx.incidents();
        for (auto& i : store.overdue_updates(now, kEscalateAfter)) {
            auto late = now - *i.next_update_at;
            auto subject = "Incident " + std::to_string(i.id) + ": update overdue";
            if (!i.reminded_at) {
                escalator_.notify_person(tx, i.commander_id, subject,
                                         "The next update on \"" + i.title + "\" was due at " +
                                             format_time(*i.next_update_at) +
                                             ". Post a briefing, or one click: still working on it.",
                                         now);
                i.reminded_at = now;
                log(tx, i, Channel::System, "reminder", 0,
                    "The next update was due at " + format_time(*i.next_update_at) + "; reminded " + i.commander_name,
                    now);
            } else if (!i.escalated_at && late >= kEscalateAfter) {
                std::int64_t policy = 0;
                for (auto org : i.impact.organization_ids)
                    if (!policy) policy = tx.escalations().policy_of_organization(org);
                if (!policy)
                    if (auto p = tx.escalations().default_policy()) policy = p->id;
                escalation::Effects fx;
                auto started =
                    policy
                        ? escalator_.start(
                              tx,
                              escalation::Trigger{
                                  policy, 0, 0,
                                  subject + " by " +
                                      std::to_string(std::chrono::duration_cast<std::chrono::minutes>(late).count()) +
                                      " min (" + i.title + "; commander " + i.commander_name + ")",
                                  "critical"},
                              now, fx)
                        : 0;
                i.escalated_at = now;
                log(tx, i, Channel::System, "escalated", 0,
                    started ? "Still no update " + std::to_string(kEscalateAfter.count()) +
                                  " min after it was due; paged through the escalation policy"
                            : "Still no update, and no escalation policy to page",
                    now);
            } else {
                continue;
            }
            i.updated_at = now;
            store.update(i);
            changed.push_back(i.id);
            ++done;
        }
        for (auto& step : store.overdue_steps(now)) {
            auto i = store.find(step.incident_id);
            if (!i) continue;
            escalator_.notify_person(tx, i->commander_id,
                                     "Incident " + std::to_string(i->id) + ": diagnostic step overdue",
                                     "\"" + step.title + "\" (" + step.owner_name + ") was due at " +
                                         format_time(step.deadline_at) + " and has no outcome.",
                                     now);
            step.overdue_alerted_at = now;
            store.update_step(step);
            log(tx, *i, Channel::Technical, "step_overdue", 0,
                "Overdue: " + step.title + " (" + step.owner_name + ") was due at " + format_time(step.deadline_at) +
                    "; " + i->commander_name + " was alerted",
                now);
            changed.push_back(i->id);
            ++done;
        }
        return core::Ok{};
    });
    if (!status) return status.error();
    for (auto id : changed)
        notify_changed(id);
    return done;
}

}  // namespace lifeline::incident
