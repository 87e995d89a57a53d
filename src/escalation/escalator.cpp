#include "escalation/escalator.hpp"

#include "auth/secrets.hpp"
#include "core/clock.hpp"
#include "notify/provider/twilio.hpp"
#include "schedule/schedule.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace lifeline::escalation {

namespace {

std::string channel_words(Channel channel)
{
    switch (channel) {
    case Channel::Sms: return "SMS";
    case Channel::Voice: return "voice call";
    case Channel::Email: return "email";
    case Channel::Webhook: return "webhook";
    }
    return "SMS";
}

std::string duration_words(std::chrono::seconds d)
{
    auto s = d.count();
    if (s % 3600 == 0) return std::to_string(s / 3600) + " h";
    if (s % 60 == 0) return std::to_string(s / 60) + " min";
    return std::to_string(s) + " s";
}

std::string level_words(Step step, const Policy& policy)
{
    auto text = "Level " + std::to_string(step.level + 1);
    if (policy.repeat > 0)
        text += " (round " + std::to_string(step.loop + 1) + " of " + std::to_string(policy.repeat + 1) + ")";
    return text;
}

std::string user_name(storage::Transaction& tx, std::int64_t user_id)
{
    if (!user_id) return "the alert's source";
    auto u = tx.auth().find_user(auth::UserId{user_id});
    return u ? u->name : "user " + std::to_string(user_id);
}

struct Person {
    std::int64_t id = 0;
    std::string name;
    std::string email;
    std::string why;  // "on call in Primary"
};

}  // namespace

bool Escalator::channel_ready(Channel channel) const
{
    switch (channel) {
    case Channel::Sms:
    case Channel::Voice: return settings_.sms;
    case Channel::Email: return settings_.mail.enabled();
    case Channel::Webhook: return true;
    }
    return false;
}

void Escalator::log(storage::Transaction& tx, const Escalation& e, std::string kind, std::string text,
                    core::UtcTime now)
{
    if (e.ticket_id) {
        ticket::TimelineEvent t;
        t.ticket_id = ticket::TicketId{e.ticket_id};
        t.actor_name = "Escalation";
        t.kind = "escalation";
        t.detail = text;
        t.created_at = now;
        tx.tickets().insert_event(t);
    }
    tx.escalations().insert_event(Event{e.id, std::move(kind), std::move(text), now});
}

std::int64_t Escalator::start(storage::Transaction& tx, const Trigger& trigger, core::UtcTime now, Effects& fx)
{
    auto& store = tx.escalations();
    if (trigger.alert_id && store.find_open_for_alert(trigger.alert_id)) return 0;
    if (trigger.ticket_id && store.find_open_for_ticket(trigger.ticket_id)) return 0;
    auto policy = store.find_policy(trigger.policy_id);
    if (!policy) return 0;
    Escalation e;
    e.policy_id = policy->id;
    e.policy_name = policy->name;
    e.alert_id = trigger.alert_id;
    e.ticket_id = trigger.ticket_id;
    e.summary = trigger.summary;
    e.severity = trigger.severity;
    e.started_at = now;
    e.updated_at = now;
    e.id = store.insert(e);
    log(tx, e, "started", "Escalation started with policy '" + policy->name + "'", now);
    page_level(tx, e, *policy, now, fx);
    return e.id;
}

void Escalator::page_level(storage::Transaction& tx, Escalation& e, const Policy& policy, core::UtcTime now,
                           Effects& fx)
{
    auto& store = tx.escalations();
    const auto& level = policy.levels[static_cast<std::size_t>(e.step.level)];
    auto where = level_words(e.step, policy);

    std::vector<Person> people;
    auto add = [&people](Person p) {
        if (std::none_of(people.begin(), people.end(), [&](const Person& q) { return q.id == p.id; }))
            people.push_back(std::move(p));
    };
    for (const auto& target : level.targets) {
        if (target.kind == Target::Kind::User) {
            auto u = tx.auth().find_user(auth::UserId{target.id});
            if (!u || !u->is_staff()) {
                log(tx, e, "unreachable", where + ": user " + std::to_string(target.id) + " is no longer staff", now);
                continue;
            }
            add({u->id.value, u->name, u->email, "named in the policy"});
            continue;
        }
        auto s = tx.schedules().find(target.id);
        if (!s) {
            log(tx, e, "unreachable", where + ": schedule " + std::to_string(target.id) + " no longer exists", now);
            continue;
        }
        auto on_call = schedule::on_call_at(*s, now);
        if (on_call.empty()) log(tx, e, "unreachable", where + ": nobody is on call in '" + s->name + "' now", now);
        for (const auto& oc : on_call) {
            auto u = tx.auth().find_user(auth::UserId{oc.person.user_id});
            if (u) add({u->id.value, u->name, u->email, "on call in " + s->name});
        }
    }

    int paged = 0;
    for (const auto& person : people) {
        Page page;
        page.escalation_id = e.id;
        page.user_id = person.id;
        page.user_name = person.name;
        page.step = e.step;
        page.created_at = now;
        page.id = store.insert_page(page);
        pages_.fetch_add(1, std::memory_order_relaxed);

        std::string how, unusable;
        auto rules = store.rules(person.id);
        for (const auto& rule : rules) {
            auto method = store.find_contact_method(rule.contact_method_id);
            if (!method) continue;
            if (!channel_ready(method->channel)) {
                unusable += (unusable.empty() ? "" : ", ") + channel_words(method->channel);
                continue;
            }
            if (!how.empty()) how += ", ";
            if (rule.delay.count() == 0) {
                notify(tx, e, page, *method, now, fx);
                how += channel_words(method->channel) + " now";
            } else {
                store.insert_job(Job{0, std::string(kNotifyJob), page.id, rule.id, now + rule.delay}, now);
                how += channel_words(method->channel) + " in " + duration_words(rule.delay);
            }
        }
        if (!unusable.empty())
            log(tx, e, "unreachable",
                where + ": cannot page " + person.name + " by " + unusable + ": no provider is configured for it", now);
        if (how.empty() && channel_ready(Channel::Email)) {
            notify(tx, e, page, ContactMethod{0, person.id, Channel::Email, person.email, "account email", now}, now,
                   fx);
            how = "email to their account address";
        }
        if (how.empty()) {
            log(tx, e, "unreachable",
                where + ": " + person.name + " cannot be paged: no notification rule with a configured channel", now);
            continue;
        }
        ++paged;
        log(tx, e, "paged", where + ": paged " + person.name + " (" + person.why + "): " + how, now);
    }

    if (paged == 0) {
        log(tx, e, "skipped", where + ": nobody could be paged; moving on at once", now);
        advance(tx, e, now, fx);
        return;
    }
    store.insert_job(Job{0, std::string(kStepJob), e.id, encode_step(e.step), now + level.timeout}, now);
}

void Escalator::notify(storage::Transaction& tx, const Escalation& e, const Page& page, const ContactMethod& method,
                       core::UtcTime now, Effects& fx)
{
    if (!channel_ready(method.channel)) {
        log(tx, e, "unreachable",
            "Cannot page " + page.user_name + " by " + channel_words(method.channel) +
                ": no provider is configured for it",
            now);
        return;
    }
    auto token = auth::random_token("ack", 24);
    tx.escalations().insert_ack_link(page.id, auth::token_hash(token), now);
    auto ack_url = settings_.public_url + "/ack/" + token;
    auto text = page_text(e, settings_.desk_name, ack_url);

    notify::OutboxMessage m;
    m.kind = std::string(notify::kPage);
    m.channel = std::string(to_string(method.channel));
    m.ticket_id = ticket::TicketId{e.ticket_id};
    m.page_id = page.id;
    m.recipient = method.address;
    m.recipient_name = page.user_name;
    m.subject = text.subject;
    m.automatic = true;
    m.next_attempt_at = now;
    m.created_at = now;
    switch (method.channel) {
    case Channel::Sms: m.body = text.sms; break;
    case Channel::Voice:
        m.body = notify::twiml_gather(text.speech, settings_.public_url + "/api/v1/integrations/twilio/voice/" + token);
        break;
    case Channel::Email: m.body = text.email; break;
    case Channel::Webhook:
        m.body =
            boost::json::serialize(boost::json::object{{"event", "page"},
                                                       {"escalation",
                                                        {{"id", e.id},
                                                         {"state", to_string(e.state)},
                                                         {"summary", e.summary},
                                                         {"severity", e.severity},
                                                         {"policy", e.policy_name},
                                                         {"alert_id", e.alert_id},
                                                         {"ticket_id", e.ticket_id},
                                                         {"level", e.step.level + 1}}},
                                                       {"person", {{"id", page.user_id}, {"name", page.user_name}}},
                                                       {"acknowledge_url", ack_url},
                                                       {"sent_at", core::format_rfc3339(now)}});
        break;
    }
    m.message_id = method.channel == Channel::Email ? notify::new_message_id(settings_.mail)
                                                    : "page." + auth::random_token("", 12);
    tx.outbox().enqueue(m);
    ++fx.messages;
    if (wake_) wake_();
}

void Escalator::advance(storage::Transaction& tx, Escalation& e, core::UtcTime now, Effects& fx)
{
    auto& store = tx.escalations();
    auto policy = store.find_policy(e.policy_id);
    auto next = policy ? next_step(*policy, e.step) : std::nullopt;
    if (!next) {
        store.set_state(e.id, State::Exhausted, now);
        e.state = State::Exhausted;
        log(tx, e, "exhausted",
            "Nobody acknowledged after every level" +
                std::string(policy && policy->repeat > 0 ? " and " + std::to_string(policy->repeat + 1) + " rounds"
                                                         : "") +
                "; paging stopped and the escalation stays open until someone acknowledges",
            now);
        return;
    }
    e.step = *next;
    store.set_step(e.id, e.step, now);
    page_level(tx, e, *policy, now, fx);
}

void Escalator::run_due(storage::Transaction& tx, core::UtcTime now, int limit, Effects& fx)
{
    auto& store = tx.escalations();
    for (const auto& job : store.due_jobs(now, limit)) {
        store.finish_job(job.id, now);
        ++fx.steps;
        if (job.kind == kStepJob) {
            auto e = store.find(job.subject_id);
            if (!e || e->state != State::Active || encode_step(e->step) != job.arg) continue;
            auto policy = store.find_policy(e->policy_id);
            auto timeout = policy && e->step.level < static_cast<int>(policy->levels.size())
                               ? policy->levels[static_cast<std::size_t>(e->step.level)].timeout
                               : std::chrono::seconds(0);
            log(tx, *e, "timeout",
                "Level " + std::to_string(e->step.level + 1) + " did not acknowledge within " + duration_words(timeout),
                now);
            advance(tx, *e, now, fx);
        } else if (job.kind == kNotifyJob) {
            auto page = store.find_page(job.subject_id);
            if (!page) continue;
            auto e = store.find(page->escalation_id);
            auto rule = store.find_rule(job.arg);
            if (!e || !e->open() || !rule) continue;
            auto method = store.find_contact_method(rule->contact_method_id);
            if (!method) continue;
            notify(tx, *e, *page, *method, now, fx);
            log(tx, *e, "notified",
                "Still unacknowledged: paged " + page->user_name + " again by " + channel_words(method->channel), now);
        }
    }
}

core::Status Escalator::acknowledge(storage::Transaction& tx, std::int64_t escalation_id, std::int64_t user_id,
                                    std::string_view via, core::UtcTime now)
{
    auto& store = tx.escalations();
    auto e = store.find(escalation_id);
    if (!e) return core::Error::not_found("no escalation " + std::to_string(escalation_id));
    if (e->state == State::Acknowledged)
        return core::Error::conflict(
            "already acknowledged by " +
            (e->acknowledged_by ? e->acknowledged_by_name : std::string("the alert's source")) + " at " +
            core::format_rfc3339(e->acknowledged_at.value_or(e->updated_at)));
    if (e->state == State::Resolved) return core::Error::conflict("already resolved; nothing is being paged");
    store.set_acknowledged(e->id, user_id, via, now);
    store.cancel_jobs(e->id, now);
    log(tx, *e, "acknowledged",
        "Acknowledged by " + user_name(tx, user_id) + " via " + std::string(via) + "; paging stopped", now);
    if (e->alert_id) {
        auto a = tx.alerts().find(e->alert_id);
        if (a && a->status == alert::AlertStatus::Triggered)
            tx.alerts().set_status(e->alert_id, alert::AlertStatus::Acknowledged, now);
    }
    return core::Ok{};
}

void Escalator::alert_acknowledged(storage::Transaction& tx, std::int64_t alert_id, std::int64_t user_id,
                                   std::string_view via, core::UtcTime now)
{
    if (auto e = tx.escalations().find_open_for_alert(alert_id)) (void)acknowledge(tx, e->id, user_id, via, now);
}

void Escalator::alert_resolved(storage::Transaction& tx, std::int64_t alert_id, core::UtcTime now)
{
    auto e = tx.escalations().latest_for_alert(alert_id);
    if (!e || e->state == State::Resolved) return;
    tx.escalations().set_state(e->id, State::Resolved, now);
    tx.escalations().cancel_jobs(e->id, now);
    log(tx, *e, "resolved", "The alert was resolved; paging stopped", now);
}

void Escalator::ticket_closed(storage::Transaction& tx, std::int64_t ticket_id, core::UtcTime now)
{
    auto e = tx.escalations().find_open_for_ticket(ticket_id);
    if (!e) return;
    tx.escalations().set_state(e->id, State::Resolved, now);
    tx.escalations().cancel_jobs(e->id, now);
    log(tx, *e, "resolved", "The ticket was resolved; paging stopped", now);
}

int Escalator::notify_person(storage::Transaction& tx, std::int64_t user_id, const std::string& subject,
                             const std::string& text, core::UtcTime now)
{
    auto u = tx.auth().find_user(auth::UserId{user_id});
    if (!u) return 0;
    std::vector<ContactMethod> methods;
    for (const auto& rule : tx.escalations().rules(user_id))
        if (rule.delay.count() == 0)
            if (auto m = tx.escalations().find_contact_method(rule.contact_method_id); m && channel_ready(m->channel))
                methods.push_back(*m);
    if (methods.empty() && channel_ready(Channel::Email))
        methods.push_back(ContactMethod{0, user_id, Channel::Email, u->email, "account email", now});
    for (const auto& method : methods) {
        notify::OutboxMessage m;
        m.kind = "reminder";
        m.channel = std::string(to_string(method.channel));
        m.recipient = method.address;
        m.recipient_name = u->name;
        m.subject = subject;
        m.automatic = true;
        m.next_attempt_at = now;
        m.created_at = now;
        switch (method.channel) {
        case Channel::Sms: m.body = subject + ": " + text; break;
        case Channel::Voice: m.body = notify::twiml_say(subject + ". " + text); break;
        case Channel::Email: m.body = text; break;
        case Channel::Webhook:
            m.body = boost::json::serialize(boost::json::object{
                {"event", "reminder"}, {"subject", subject}, {"text", text}, {"sent_at", core::format_rfc3339(now)}});
            break;
        }
        m.message_id = method.channel == Channel::Email ? notify::new_message_id(settings_.mail)
                                                        : "reminder." + auth::random_token("", 12);
        tx.outbox().enqueue(m);
        if (wake_) wake_();
    }
    return static_cast<int>(methods.size());
}

}  // namespace lifeline::escalation
