// Escalation policies, their mapping to services and organizations, people's contact methods and notification
// rules, running escalations with acknowledgement, and the inbound SMS webhook that acknowledges by reply.
#include "escalation/escalation_service.hpp"
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "notify/provider/twilio.hpp"

#include <boost/json.hpp>

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;
using namespace escalation;

namespace {

constexpr std::string_view kSmsWebhookPath = "/api/v1/integrations/twilio/sms";

js::object policy_json(const Policy& p)
{
    js::array levels;
    for (const auto& l : p.levels) {
        js::array targets;
        for (const auto& t : l.targets)
            targets.push_back(js::object{{"type", to_string(t.kind)}, {"id", t.id}, {"name", t.name}});
        levels.push_back(js::object{{"timeout_seconds", l.timeout.count()}, {"targets", std::move(targets)}});
    }
    return {{"id", p.id},
            {"name", p.name},
            {"description", p.description},
            {"repeat", p.repeat},
            {"default", p.is_default},
            {"levels", std::move(levels)},
            {"created_at", core::format_rfc3339(p.created_at)},
            {"updated_at", core::format_rfc3339(p.updated_at)}};
}

js::object escalation_json(const Escalation& e)
{
    js::value acknowledged = nullptr;
    if (e.acknowledged_at)
        acknowledged =
            js::object{{"by", e.acknowledged_by ? user_ref(auth::UserId{e.acknowledged_by}, e.acknowledged_by_name)
                                                : js::value(nullptr)},
                       {"via", e.acknowledged_via},
                       {"at", core::format_rfc3339(*e.acknowledged_at)}};
    return {{"id", e.id},
            {"state", to_string(e.state)},
            {"policy", js::object{{"id", e.policy_id}, {"name", e.policy_name}}},
            {"alert_id", e.alert_id ? js::value(e.alert_id) : js::value(nullptr)},
            {"ticket_id", e.ticket_id ? js::value(e.ticket_id) : js::value(nullptr)},
            {"summary", e.summary},
            {"severity", e.severity},
            {"level", e.step.level + 1},
            {"round", e.step.loop + 1},
            {"acknowledged", std::move(acknowledged)},
            {"started_at", core::format_rfc3339(e.started_at)},
            {"updated_at", core::format_rfc3339(e.updated_at)},
            {"ended_at", time_or_null(e.ended_at)}};
}

js::object method_json(const ContactMethod& m)
{
    return {{"id", m.id},           {"user_id", m.user_id}, {"channel", to_string(m.channel)},
            {"address", m.address}, {"label", m.label},     {"created_at", core::format_rfc3339(m.created_at)}};
}

js::object rule_json(const NotificationRule& r)
{
    return {{"id", r.id},
            {"user_id", r.user_id},
            {"contact_method_id", r.contact_method_id},
            {"delay_seconds", r.delay.count()},
            {"created_at", core::format_rfc3339(r.created_at)}};
}

core::Error invalid_body(std::string what, std::vector<core::FieldError> errors)
{
    return core::Error::invalid("the " + what + " is not valid", std::move(errors));
}

// The {name} path parameter as a positive id. Errors: NotFound naming `what`.
core::Result<std::int64_t> id_of(const Context& ctx, std::string_view name, std::string_view what)
{
    auto id = int_param(ctx, name);
    if (!id) return core::Error::not_found("no such " + std::string(what));
    return *id;
}

// {id} in /users/{id}/…: a number, or "me" for the caller.
core::Result<std::int64_t> user_param(const Context& ctx)
{
    if (ctx.params.at("id") == "me") return ctx.actor->user_id.value;
    return id_of(ctx, "id", "person");
}

core::Result<PolicyInput> policy_input(const js::object& o)
{
    std::vector<core::FieldError> errors;
    PolicyInput in;
    in.name = string_field(o, "name", errors);
    in.description = string_field(o, "description", errors);
    in.repeat = static_cast<int>(integer_field(o, "repeat", errors));
    in.is_default = bool_field(o, "default", errors);
    if (auto* levels = o.if_contains("levels")) {
        if (!levels->is_array()) {
            errors.push_back({"levels", "must be an array"});
        } else {
            for (std::size_t i = 0; i < levels->as_array().size(); ++i) {
                const auto& lv = levels->as_array()[i];
                auto at = "levels[" + std::to_string(i) + "]";
                if (!lv.is_object()) {
                    errors.push_back({at, "must be an object"});
                    continue;
                }
                LevelInput level;
                const auto& lo = lv.as_object();
                level.timeout_seconds =
                    lo.contains("timeout_seconds") ? integer_field(lo, "timeout_seconds", errors, at) : 300;
                auto* targets = lo.if_contains("targets");
                if (targets && targets->is_array()) {
                    for (std::size_t j = 0; j < targets->as_array().size(); ++j) {
                        const auto& tv = targets->as_array()[j];
                        auto tat = at + ".targets[" + std::to_string(j) + "]";
                        if (!tv.is_object()) {
                            errors.push_back({tat, "must be an object"});
                            continue;
                        }
                        const auto& to = tv.as_object();
                        level.targets.push_back({string_field(to, "type", errors, tat),
                                                 integer_field(to, "id", errors, tat),
                                                 string_field(to, "email", errors, tat)});
                    }
                } else if (targets) {
                    errors.push_back({at + ".targets", "must be an array"});
                }
                in.levels.push_back(std::move(level));
            }
        }
    }
    if (!errors.empty()) return invalid_body("escalation policy", std::move(errors));
    return in;
}

boost::asio::awaitable<Response> save_policy(Services& s, Context& ctx, bool create)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    auto in = policy_input(*body);
    if (!in) co_return problem(ctx, in.error());
    core::Result<Policy> saved = core::Error::internal("unset");
    if (create) {
        saved = co_await s.escalations.create_policy(*ctx.actor, std::move(*in));
    } else {
        auto id = id_of(ctx, "id", "escalation policy");
        if (!id) co_return problem(ctx, id.error());
        saved = co_await s.escalations.update_policy(*ctx.actor, *id, std::move(*in));
    }
    if (!saved) co_return problem(ctx, saved.error());
    auto named = s.escalations.policy(*ctx.actor, saved->id);
    if (!named) co_return problem(ctx, named.error());
    co_return json(ctx, create ? status::created : status::ok, policy_json(*named));
}

boost::asio::awaitable<Response> policy_mapping(Services& s, Context& ctx, bool service)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    std::int64_t policy = 0;
    if (auto* v = body->if_contains("escalation_policy_id"); v && !v->is_null())
        policy = integer_field(*body, "escalation_policy_id", errors);
    if (!errors.empty()) co_return problem(ctx, invalid_body("mapping", std::move(errors)));
    core::Status done = core::Ok{};
    if (service) {
        auto id = id_of(ctx, "id", "service");
        if (!id) co_return problem(ctx, id.error());
        done = co_await s.escalations.set_service_policy(*ctx.actor, *id, policy);
    } else {
        done = co_await s.escalations.set_organization_policy(*ctx.actor, ctx.params.at("slug"), policy);
    }
    if (!done) co_return problem(ctx, done.error());
    co_return json(ctx, status::ok,
                   js::object{{"escalation_policy_id", policy ? js::value(policy) : js::value(nullptr)}});
}

core::Result<ContactMethod> method_input(const js::object& o)
{
    std::vector<core::FieldError> errors;
    ContactMethod m;
    auto channel = string_field(o, "channel", errors);
    if (auto c = parse_channel(channel))
        m.channel = *c;
    else
        errors.push_back({"channel", "is sms, voice, email or webhook"});
    m.address = string_field(o, "address", errors);
    m.label = string_field(o, "label", errors);
    if (!errors.empty()) return invalid_body("contact method", std::move(errors));
    return m;
}

core::Result<NotificationRule> rule_input(const js::object& o)
{
    std::vector<core::FieldError> errors;
    NotificationRule r;
    r.contact_method_id = integer_field(o, "contact_method_id", errors);
    r.delay = std::chrono::seconds(integer_field(o, "delay_seconds", errors));
    if (!errors.empty()) return invalid_body("notification rule", std::move(errors));
    return r;
}

boost::asio::awaitable<Response> save_method(Services& s, Context& ctx, bool create)
{
    auto user = user_param(ctx);
    if (!user) co_return problem(ctx, user.error());
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    auto in = method_input(*body);
    if (!in) co_return problem(ctx, in.error());
    core::Result<ContactMethod> saved = core::Error::internal("unset");
    if (create) {
        saved = co_await s.escalations.add_contact_method(*ctx.actor, *user, std::move(*in));
    } else {
        auto id = id_of(ctx, "method", "contact method");
        if (!id) co_return problem(ctx, id.error());
        saved = co_await s.escalations.update_contact_method(*ctx.actor, *user, *id, std::move(*in));
    }
    if (!saved) co_return problem(ctx, saved.error());
    co_return json(ctx, create ? status::created : status::ok, method_json(*saved));
}

boost::asio::awaitable<Response> save_rule(Services& s, Context& ctx, bool create)
{
    auto user = user_param(ctx);
    if (!user) co_return problem(ctx, user.error());
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    auto in = rule_input(*body);
    if (!in) co_return problem(ctx, in.error());
    core::Result<NotificationRule> saved = core::Error::internal("unset");
    if (create) {
        saved = co_await s.escalations.add_rule(*ctx.actor, *user, *in);
    } else {
        auto id = id_of(ctx, "rule", "notification rule");
        if (!id) co_return problem(ctx, id.error());
        saved = co_await s.escalations.update_rule(*ctx.actor, *user, *id, *in);
    }
    if (!saved) co_return problem(ctx, saved.error());
    co_return json(ctx, create ? status::created : status::ok, rule_json(*saved));
}

std::string xml_escape(std::string_view text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// Twilio posts an inbound SMS as a form, signed with the account's auth token over the URL it was configured with.
boost::asio::awaitable<Response> inbound_sms(Services& s, Context& ctx)
{
    const auto& settings = s.escalations.settings();
    if (settings.twilio_auth_token.empty())
        co_return problem(ctx, core::Error::not_found("SMS replies are not configured on this desk"));
    auto form = web::Form::of(ctx);
    if (!form) co_return problem(ctx, form.error());
    auto url = settings.public_url + std::string(ctx.request.target());
    if (!notify::valid_twilio_signature(settings.twilio_auth_token, url, form->fields(),
                                        ctx.header("X-Twilio-Signature")))
        co_return problem(ctx, core::Error::denied("the X-Twilio-Signature header does not match this request"));
    auto from = form->get("From");
    if (from.empty()) co_return problem(ctx, core::Error::invalid("the SMS is not valid", {{"From", "is required"}}));
    auto answer = co_await s.escalations.sms_reply(from, form->get("Body"));
    if (!answer) co_return problem(ctx, answer.error());
    co_return text(ctx, status::ok,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + xml_escape(*answer) +
                       "</Message></Response>",
                   "text/xml; charset=utf-8");
}

// A key press during a voice page: Twilio posts Digits (and the call's fields) to the <Gather> action, signed.
boost::asio::awaitable<Response> voice_key(Services& s, Context& ctx)
{
    const auto& settings = s.escalations.settings();
    if (settings.twilio_auth_token.empty())
        co_return problem(ctx, core::Error::not_found("voice pages are not configured on this desk"));
    auto form = web::Form::of(ctx);
    if (!form) co_return problem(ctx, form.error());
    auto url = settings.public_url + std::string(ctx.request.target());
    if (!notify::valid_twilio_signature(settings.twilio_auth_token, url, form->fields(),
                                        ctx.header("X-Twilio-Signature")))
        co_return problem(ctx, core::Error::denied("the X-Twilio-Signature header does not match this request"));
    std::string say = "Not acknowledged. Goodbye.";
    if (form->get("Digits") == "1") {
        auto done = co_await s.escalations.acknowledge_link(ctx.params.at("token"));
        if (done)
            say = "Acknowledged. The page is yours, and paging has stopped. Goodbye.";
        else if (done.error().code() == core::ErrorCode::Conflict)
            say = "This page was " + done.error().message() + ". Goodbye.";
        else if (done.error().code() != core::ErrorCode::NotFound)
            co_return problem(ctx, done.error());
    }
    co_return text(ctx, status::ok,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>" + xml_escape(say) + "</Say></Response>",
                   "text/xml; charset=utf-8");
}

// The routes of one kind of a person's paging settings under /api/v1/users/{id}/<kind>: list, create, read one,
// replace, delete. `list`, `to_json` and `remove` call the service; `save(s, ctx, create)` parses and saves.
template <class T, class List, class ToJson, class Remove, class Save>
void add_paging_settings(Router& router, Services& s, const std::string& kind, const std::string& param,
                         const std::string& noun, List list, ToJson to_json, Remove remove, Save save)
{
    auto base = "/api/v1/users/{id}/" + kind;
    auto one = base + "/{" + param + "}";
    router.add(verb::get, base, authenticated(s, [&s, list, to_json](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto user = user_param(ctx);
                   if (!user) co_return problem(ctx, user.error());
                   auto items = list(s, *ctx.actor, *user);
                   if (!items) co_return problem(ctx, items.error());
                   js::array data;
                   for (const T& item : *items)
                       data.push_back(to_json(item));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(verb::post, base, authenticated(s, [&s, save](Context& ctx) { return save(s, ctx, true); }));
    router.add(verb::get, one,
               authenticated(s, [&s, list, to_json, param, noun](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto user = user_param(ctx);
                   if (!user) co_return problem(ctx, user.error());
                   auto items = list(s, *ctx.actor, *user);
                   if (!items) co_return problem(ctx, items.error());
                   auto id = int_param(ctx, param);
                   for (const T& item : *items)
                       if (id && item.id == *id) co_return json(ctx, status::ok, to_json(item));
                   co_return problem(ctx, core::Error::not_found("no such " + noun));
               }));
    router.add(verb::put, one, authenticated(s, [&s, save](Context& ctx) { return save(s, ctx, false); }));
    router.add(verb::delete_, one,
               authenticated(s, [&s, remove, param, noun](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto user = user_param(ctx);
                   if (!user) co_return problem(ctx, user.error());
                   auto id = id_of(ctx, param, noun);
                   if (!id) co_return problem(ctx, id.error());
                   auto done = co_await remove(s, *ctx.actor, *user, *id);
                   if (!done) co_return problem(ctx, done.error());
                   co_return text(ctx, status::no_content, "", "text/plain");
               }));
}

}  // namespace

js::value escalation_summary(const Escalation& e)
{
    return escalation_json(e);
}

void add_escalation_routes(Router& router, Services& s)
{
    router.add(verb::get, "/api/v1/escalation-policies",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto list = s.escalations.policies(*ctx.actor);
                   if (!list) co_return problem(ctx, list.error());
                   js::array data;
                   for (const auto& p : *list)
                       data.push_back(policy_json(p));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(verb::post, "/api/v1/escalation-policies",
               authenticated(s, [&s](Context& ctx) { return save_policy(s, ctx, true); }));
    router.add(verb::get, "/api/v1/escalation-policies/{id}",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto id = id_of(ctx, "id", "escalation policy");
                   if (!id) co_return problem(ctx, id.error());
                   auto p = s.escalations.policy(*ctx.actor, *id);
                   if (!p) co_return problem(ctx, p.error());
                   co_return json(ctx, status::ok, policy_json(*p));
               }));
    router.add(verb::put, "/api/v1/escalation-policies/{id}",
               authenticated(s, [&s](Context& ctx) { return save_policy(s, ctx, false); }));
    router.add(verb::delete_, "/api/v1/escalation-policies/{id}",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto id = id_of(ctx, "id", "escalation policy");
                   if (!id) co_return problem(ctx, id.error());
                   auto done = co_await s.escalations.delete_policy(*ctx.actor, *id);
                   if (!done) co_return problem(ctx, done.error());
                   co_return text(ctx, status::no_content, "", "text/plain");
               }));
    router.add(verb::put, "/api/v1/services/{id}/escalation-policy",
               authenticated(s, [&s](Context& ctx) { return policy_mapping(s, ctx, true); }));
    router.add(verb::put, "/api/v1/organizations/{slug}/escalation-policy",
               authenticated(s, [&s](Context& ctx) { return policy_mapping(s, ctx, false); }));
    router.add(verb::get, "/api/v1/organizations/{slug}/escalation-policy",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto policy = s.escalations.organization_policy(*ctx.actor, ctx.params.at("slug"));
                   if (!policy) co_return problem(ctx, policy.error());
                   co_return json(
                       ctx, status::ok,
                       js::object{{"escalation_policy_id", *policy ? js::value(*policy) : js::value(nullptr)}});
               }));

    router.add(verb::get, "/api/v1/escalations",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto filter = ctx.query_value("status");
                   if (filter && *filter != "open" && *filter != "all")
                       co_return problem(ctx, invalid_body("query", {{"status", "must be open or all"}}));
                   auto list = s.escalations.list(*ctx.actor, !filter || *filter == "open");
                   if (!list) co_return problem(ctx, list.error());
                   js::array data;
                   for (const auto& e : *list)
                       data.push_back(escalation_json(e));
                   co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
               }));
    router.add(
        verb::get, "/api/v1/escalations/{id}", authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
            auto id = id_of(ctx, "id", "escalation");
            if (!id) co_return problem(ctx, id.error());
            auto d = s.escalations.get(*ctx.actor, *id);
            if (!d) co_return problem(ctx, d.error());
            auto out = escalation_json(d->escalation);
            js::array events, pages;
            for (const auto& e : d->events)
                events.push_back(js::object{{"kind", e.kind}, {"text", e.text}, {"at", core::format_rfc3339(e.at)}});
            for (const auto& p : d->pages)
                pages.push_back(js::object{{"id", p.id},
                                           {"person", user_ref(auth::UserId{p.user_id}, p.user_name)},
                                           {"level", p.step.level + 1},
                                           {"round", p.step.loop + 1},
                                           {"at", core::format_rfc3339(p.created_at)}});
            out["events"] = std::move(events);
            out["pages"] = std::move(pages);
            co_return json(ctx, status::ok, out);
        }));
    router.add(verb::post, "/api/v1/escalations/{id}/acknowledge",
               authenticated(s, [&s](Context& ctx) -> boost::asio::awaitable<Response> {
                   auto id = id_of(ctx, "id", "escalation");
                   if (!id) co_return problem(ctx, id.error());
                   auto e = co_await s.escalations.acknowledge(*ctx.actor, *id, "api");
                   if (!e) co_return problem(ctx, e.error());
                   co_return json(ctx, status::ok, escalation_json(*e));
               }));

    add_paging_settings<ContactMethod>(
        router, s, "contact-methods", "method", "contact method",
        [](Services& sv, const auth::Actor& a, std::int64_t user) { return sv.escalations.contact_methods(a, user); },
        method_json,
        [](Services& sv, const auth::Actor& a, std::int64_t user, std::int64_t id) {
            return sv.escalations.delete_contact_method(a, user, id);
        },
        save_method);
    add_paging_settings<NotificationRule>(
        router, s, "notification-rules", "rule", "notification rule",
        [](Services& sv, const auth::Actor& a, std::int64_t user) { return sv.escalations.rules(a, user); }, rule_json,
        [](Services& sv, const auth::Actor& a, std::int64_t user, std::int64_t id) {
            return sv.escalations.delete_rule(a, user, id);
        },
        save_rule);

    // The signature is the credential, as Twilio documents.
    router.add(verb::post, std::string(kSmsWebhookPath), [&s](Context& ctx) { return inbound_sms(s, ctx); });
    router.add(verb::post, "/api/v1/integrations/twilio/voice/{token}",
               [&s](Context& ctx) { return voice_key(s, ctx); });
}

}  // namespace lifeline::http::api
