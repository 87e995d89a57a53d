#include "escalation/escalation_service.hpp"

#include "auth/secrets.hpp"
#include "core/text.hpp"
#include "storage/async.hpp"

namespace lifeline::escalation {

namespace {

core::Error no_policy(std::int64_t id)
{
    return core::Error::not_found("no escalation policy " + std::to_string(id));
}

core::Status staff_only(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see escalations");
    return core::Ok{};
}

}  // namespace

Policy EscalationService::named(storage::Transaction& tx, Policy p)
{
    for (auto& level : p.levels)
        for (auto& t : level.targets) {
            if (t.kind == Target::Kind::User) {
                auto u = tx.auth().find_user(auth::UserId{t.id});
                t.name = u ? u->name : "(removed user)";
            } else {
                auto s = tx.schedules().find(t.id);
                t.name = s ? s->name : "(removed schedule)";
            }
        }
    return p;
}

core::Status EscalationService::resolve_levels(storage::Transaction& tx, const PolicyInput& input, Policy& out)
{
    std::vector<core::FieldError> errors;
    out.levels.clear();
    for (std::size_t i = 0; i < input.levels.size(); ++i) {
        const auto& in = input.levels[i];
        Level level;
        level.timeout = std::chrono::seconds(in.timeout_seconds);
        for (std::size_t j = 0; j < in.targets.size(); ++j) {
            const auto& t = in.targets[j];
            auto at = "levels[" + std::to_string(i) + "].targets[" + std::to_string(j) + "]";
            if (t.type == "user") {
                std::optional<auth::User> u;
                if (!t.email.empty())
                    u = tx.auth().find_user_by_email(core::ascii_lower(core::trim(t.email)));
                else
                    u = tx.auth().find_user(auth::UserId{t.id});
                if (!u || !u->is_staff()) {
                    errors.push_back({at, "names no agent or admin"});
                    continue;
                }
                level.targets.push_back({Target::Kind::User, u->id.value, u->name});
            } else if (t.type == "schedule") {
                auto s = tx.schedules().find(t.id);
                if (!s) {
                    errors.push_back({at, "names no schedule"});
                    continue;
                }
                level.targets.push_back({Target::Kind::Schedule, s->id, s->name});
            } else {
                errors.push_back({at + ".type", "is \"user\" or \"schedule\""});
            }
        }
        out.levels.push_back(std::move(level));
    }
    auto valid = out.validated();
    if (!valid) {
        auto fields = valid.error().fields();
        fields.insert(fields.end(), errors.begin(), errors.end());
        return core::Error::invalid("the escalation policy is not valid", std::move(fields));
    }
    if (!errors.empty()) return core::Error::invalid("the escalation policy is not valid", std::move(errors));
    out = std::move(valid).value();
    return core::Ok{};
}

boost::asio::awaitable<core::Result<Policy>> EscalationService::create_policy(const auth::Actor& actor,
                                                                              PolicyInput input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins edit escalation policies");
    auto now = clock_.now();
    Policy p;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        p = Policy{};
        p.name = input.name;
        p.description = input.description;
        p.repeat = input.repeat;
        p.is_default = input.is_default;
        p.created_at = now;
        p.updated_at = now;
        if (auto s = resolve_levels(tx, input, p); !s) return s;
        auto id = tx.escalations().insert_policy(p);
        if (!id) return id.error();
        p.id = *id;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return p;
}

boost::asio::awaitable<core::Result<Policy>> EscalationService::update_policy(const auth::Actor& actor, std::int64_t id,
                                                                              PolicyInput input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins edit escalation policies");
    auto now = clock_.now();
    Policy p;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto existing = tx.escalations().find_policy(id);
        if (!existing) return no_policy(id);
        p = *existing;
        p.name = input.name;
        p.description = input.description;
        p.repeat = input.repeat;
        p.is_default = input.is_default;
        p.updated_at = now;
        if (auto s = resolve_levels(tx, input, p); !s) return s;
        return tx.escalations().update_policy(p);
    });
    if (!status) co_return status.error();
    co_return p;
}

boost::asio::awaitable<core::Status> EscalationService::delete_policy(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins edit escalation policies");
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!tx.escalations().find_policy(id)) return no_policy(id);
        if (tx.escalations().policy_in_use(id))
            return core::Error::conflict(
                "the policy is used by a service, an organization or an escalation; map them to another first");
        tx.escalations().delete_policy(id);
        return core::Ok{};
    });
}

core::Result<std::vector<Policy>> EscalationService::policies(const auth::Actor& actor)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<Policy> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (auto& p : tx.escalations().policies())
            out.push_back(named(tx, std::move(p)));
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<Policy> EscalationService::policy(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::optional<Policy> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto p = tx.escalations().find_policy(id);
        if (!p) return no_policy(id);
        out = named(tx, std::move(*p));
        return core::Ok{};
    });
    if (!status) return status.error();
    return std::move(*out);
}

boost::asio::awaitable<core::Status>
EscalationService::set_service_policy(const auth::Actor& actor, std::int64_t service_id, std::int64_t policy_id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins map services to escalation policies");
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (policy_id && !tx.escalations().find_policy(policy_id)) return no_policy(policy_id);
        if (!tx.alerts().find_service(service_id))
            return core::Error::not_found("no service " + std::to_string(service_id));
        tx.escalations().set_service_policy(service_id, policy_id);
        return core::Ok{};
    });
}

boost::asio::awaitable<core::Status>
EscalationService::set_organization_policy(const auth::Actor& actor, std::string slug, std::int64_t policy_id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins map organizations to escalation policies");
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (policy_id && !tx.escalations().find_policy(policy_id)) return no_policy(policy_id);
        auto org = tx.orgs().find_by_slug(slug);
        if (!org) return core::Error::not_found("no organization '" + slug + "'");
        tx.escalations().set_organization_policy(org->id.value, policy_id);
        return core::Ok{};
    });
}

core::Result<std::int64_t> EscalationService::organization_policy(const auth::Actor& actor, std::string_view slug)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::int64_t out = 0;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto org = tx.orgs().find_by_slug(slug);
        if (!org) return core::Error::not_found("no organization '" + std::string(slug) + "'");
        out = tx.escalations().policy_of_organization(org->id.value);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Status EscalationService::may_manage(const auth::Actor& actor, std::int64_t user_id)
{
    if (!actor.is_staff()) return core::Error::denied("only staff are paged");
    if (!actor.is_admin() && actor.user_id.value != user_id)
        return core::Error::denied("only admins manage another person's paging");
    return core::Ok{};
}

core::Result<std::vector<ContactMethod>> EscalationService::contact_methods(const auth::Actor& actor,
                                                                            std::int64_t user_id)
{
    if (auto s = may_manage(actor, user_id); !s) return s.error();
    std::vector<ContactMethod> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto u = tx.auth().find_user(auth::UserId{user_id});
        if (!u || !u->is_staff()) return core::Error::not_found("no staff member " + std::to_string(user_id));
        out = tx.escalations().contact_methods(user_id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<ContactMethod>>
EscalationService::add_contact_method(const auth::Actor& actor, std::int64_t user_id, ContactMethod input)
{
    if (auto s = may_manage(actor, user_id); !s) co_return s.error();
    input.user_id = user_id;
    input.created_at = clock_.now();
    auto valid = input.validated();
    if (!valid) co_return valid.error();
    ContactMethod m = std::move(valid).value();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto u = tx.auth().find_user(auth::UserId{user_id});
        if (!u || !u->is_staff()) return core::Error::not_found("no staff member " + std::to_string(user_id));
        if (tx.escalations().contact_methods(user_id).size() >= 20)
            return core::Error::invalid("too many contact methods", {{"address", "at most 20 per person"}});
        m.id = tx.escalations().insert_contact_method(m);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return m;
}

boost::asio::awaitable<core::Result<ContactMethod>> EscalationService::update_contact_method(const auth::Actor& actor,
                                                                                             std::int64_t user_id,
                                                                                             std::int64_t id,
                                                                                             ContactMethod input)
{
    if (auto s = may_manage(actor, user_id); !s) co_return s.error();
    input.user_id = user_id;
    input.id = id;
    auto valid = input.validated();
    if (!valid) co_return valid.error();
    ContactMethod m = std::move(valid).value();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto existing = tx.escalations().find_contact_method(id);
        if (!existing || existing->user_id != user_id)
            return core::Error::not_found("no contact method " + std::to_string(id));
        m.created_at = existing->created_at;
        tx.escalations().update_contact_method(m);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return m;
}

boost::asio::awaitable<core::Status> EscalationService::delete_contact_method(const auth::Actor& actor,
                                                                              std::int64_t user_id, std::int64_t id)
{
    if (auto s = may_manage(actor, user_id); !s) co_return s.error();
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto existing = tx.escalations().find_contact_method(id);
        if (!existing || existing->user_id != user_id)
            return core::Error::not_found("no contact method " + std::to_string(id));
        tx.escalations().delete_contact_method(id);
        return core::Ok{};
    });
}

core::Result<std::vector<NotificationRule>> EscalationService::rules(const auth::Actor& actor, std::int64_t user_id)
{
    if (auto s = may_manage(actor, user_id); !s) return s.error();
    std::vector<NotificationRule> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto u = tx.auth().find_user(auth::UserId{user_id});
        if (!u || !u->is_staff()) return core::Error::not_found("no staff member " + std::to_string(user_id));
        out = tx.escalations().rules(user_id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

namespace {

core::Status check_rule(storage::Transaction& tx, const NotificationRule& r)
{
    std::vector<core::FieldError> errors;
    auto method = tx.escalations().find_contact_method(r.contact_method_id);
    if (!method || method->user_id != r.user_id)
        errors.push_back({"contact_method_id", "names none of this person's contact methods"});
    if (r.delay.count() < 0 || r.delay > kMaxRuleDelay)
        errors.push_back({"delay_seconds", "is 0 to 3600 seconds after the page starts"});
    if (!errors.empty()) return core::Error::invalid("the notification rule is not valid", std::move(errors));
    return core::Ok{};
}

}  // namespace

boost::asio::awaitable<core::Result<NotificationRule>>
EscalationService::add_rule(const auth::Actor& actor, std::int64_t user_id, NotificationRule input)
{
    if (auto s = may_manage(actor, user_id); !s) co_return s.error();
    input.user_id = user_id;
    input.created_at = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (auto s = check_rule(tx, input); !s) return s;
        if (tx.escalations().rules(user_id).size() >= 20)
            return core::Error::invalid("too many notification rules", {{"contact_method_id", "at most 20"}});
        input.id = tx.escalations().insert_rule(input);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return input;
}

boost::asio::awaitable<core::Result<NotificationRule>>
EscalationService::update_rule(const auth::Actor& actor, std::int64_t user_id, std::int64_t id, NotificationRule input)
{
    if (auto s = may_manage(actor, user_id); !s) co_return s.error();
    input.user_id = user_id;
    input.id = id;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto existing = tx.escalations().find_rule(id);
        if (!existing || existing->user_id != user_id)
            return core::Error::not_found("no notification rule " + std::to_string(id));
        input.created_at = existing->created_at;
        if (auto s = check_rule(tx, input); !s) return s;
        tx.escalations().update_rule(input);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return input;
}

boost::asio::awaitable<core::Status> EscalationService::delete_rule(const auth::Actor& actor, std::int64_t user_id,
                                                                    std::int64_t id)
{
    if (auto s = may_manage(actor, user_id); !s) co_return s.error();
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto existing = tx.escalations().find_rule(id);
        if (!existing || existing->user_id != user_id)
            return core::Error::not_found("no notification rule " + std::to_string(id));
        tx.escalations().delete_rule(id);
        return core::Ok{};
    });
}

core::Result<std::vector<Escalation>> EscalationService::list(const auth::Actor& actor, bool open_only)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<Escalation> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.escalations().list(open_only, 200);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<EscalationDetail> EscalationService::get(const auth::Actor& actor, std::int64_t id)
{
    if (auto s = staff_only(actor); !s) return s.error();
    EscalationDetail out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto e = tx.escalations().find(id);
        if (!e) return core::Error::not_found("no escalation " + std::to_string(id));
        out.escalation = std::move(*e);
        out.events = tx.escalations().events(id);
        out.pages = tx.escalations().pages(id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<std::vector<Escalation>> EscalationService::for_alerts(const auth::Actor& actor,
                                                                    const std::vector<std::int64_t>& ids)
{
    if (auto s = staff_only(actor); !s) return s.error();
    std::vector<Escalation> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (auto id : ids)
            if (auto e = tx.escalations().latest_for_alert(id)) out.push_back(std::move(*e));
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<Escalation>> EscalationService::acknowledge(const auth::Actor& actor,
                                                                                std::int64_t id, std::string via)
{
    if (auto s = staff_only(actor); !s) co_return s.error();
    auto now = clock_.now();
    Escalation out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (auto s = escalator_.acknowledge(tx, id, actor.user_id.value, via, now); !s) return s;
        out = *tx.escalations().find(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

core::Result<LinkView> EscalationService::peek_link(std::string_view token)
{
    LinkView out;
    auto hash = auth::token_hash(token);
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto page = tx.escalations().find_page_by_link(hash);
        if (!page) return core::Error::not_found("this acknowledgement link is not valid");
        auto e = tx.escalations().find(page->escalation_id);
        if (!e) return core::Error::not_found("this acknowledgement link is not valid");
        out = LinkView{std::move(*e), std::move(*page), false};
        out.used = out.page.token_used_at.has_value();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<LinkView>> EscalationService::acknowledge_link(std::string token)
{
    auto now = clock_.now();
    auto hash = auth::token_hash(token);
    LinkView out;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto& store = tx.escalations();
        auto page = store.find_page_by_link(hash);
        if (!page) return core::Error::not_found("this acknowledgement link is not valid");
        if (page->token_used_at) return core::Error::conflict("this link was already used");
        store.use_ack_link(hash, now);
        if (auto s = escalator_.acknowledge(tx, page->escalation_id, page->user_id, "link", now); !s) return s;
        out = LinkView{*store.find(page->escalation_id), *page, true};
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return out;
}

boost::asio::awaitable<core::Result<std::string>> EscalationService::sms_reply(std::string from, std::string body)
{
    auto command = parse_sms_reply(body);
    if (!command)
        co_return std::string("Not understood. Reply ACK to acknowledge your newest page, or ACK and its number.");
    auto now = clock_.now();
    std::string answer;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto& store = tx.escalations();
        auto users = store.users_with_phone(from);
        if (users.empty()) {
            answer = "This number is not on any paging list here.";
            return core::Ok{};
        }
        std::int64_t id = command->escalation_id;
        std::int64_t who = users.front();
        if (id == 0) {
            auto page = store.newest_open_page(users);
            if (!page) {
                answer = "Nothing is waiting for your acknowledgement.";
                return core::Ok{};
            }
            id = page->escalation_id;
            who = page->user_id;
        } else {
            bool paged = false;
            for (const auto& p : store.pages(id))
                if (std::find(users.begin(), users.end(), p.user_id) != users.end()) {
                    paged = true;
                    who = p.user_id;
                }
            if (!paged) {
                answer = "You were not paged for " + std::to_string(id) + ".";
                return core::Ok{};
            }
        }
        auto acked = escalator_.acknowledge(tx, id, who, "sms", now);
        auto e = store.find(id);
        if (!acked) {
            answer = "Page " + std::to_string(id) + " was " + acked.error().message() + ".";
            return core::Ok{};
        }
        answer = "Acknowledged " + std::to_string(id) + ": " + (e ? e->summary : std::string()) +
                 ". Paging has stopped; it is yours now.";
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return answer;
}

core::Result<Effects> EscalationService::run_due_blocking(int limit)
{
    Effects fx;
    auto now = clock_.now();
    // A read first, so that an idle desk does not queue an empty write every tick.
    std::optional<core::UtcTime> due;
    auto peek = db_.read([&](storage::Transaction& tx) -> core::Status {
        due = tx.escalations().next_job_due();
        return core::Ok{};
    });
    if (!peek) return peek.error();
    if (!due || *due > now) return fx;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        fx = Effects{};
        escalator_.run_due(tx, now, limit, fx);
        return core::Ok{};
    });
    if (!status) return status.error();
    return fx;
}

std::int64_t EscalationService::pending_jobs()
{
    std::int64_t n = 0;
    (void)db_.read([&](storage::Transaction& tx) -> core::Status {
        n = tx.escalations().pending_jobs();
        return core::Ok{};
    });
    return n;
}

}  // namespace lifeline::escalation
