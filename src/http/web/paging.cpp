// The escalation pages of the console: escalation policies (the list, which services use which, the policy form and
// mapping a service to a policy: admins), how a person is paged (contact methods and notification rules: everyone for
// themselves, admins for anyone) and escalations with their log, their pages and an Acknowledge button. Staff only.
// Every change is a plain form post carrying the CSRF token, answered with 303 back to the page, or with the page
// again showing the message beside the form and what was typed kept.
#include "core/text.hpp"
#include "escalation/escalation_service.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace lifeline::http::web {

namespace {

using beast_http::status;
using core::parse_integer;
using escalation::Channel;
using escalation::Policy;
using escalation::State;
using escalation::Target;

// The policy form offers this many level blocks (more when a policy already has more levels).
constexpr std::size_t kFormLevels = 5;
constexpr std::int64_t kMaxTimeoutMinutes = 24 * 60;
constexpr std::int64_t kMaxDelayMinutes = 60;

// ---- Small helpers ----------------------------------------------------------------------------------------------

// Every value of a repeated form field (checkboxes), in order.
std::vector<std::string> values_of(const Form& form, std::string_view name)
{
    std::vector<std::string> out;
    for (const auto& [k, v] : form.fields())
        if (k == name) out.push_back(v);
    return out;
}

// "5 min", "1 h 30 min", "45 s": exact, for timeouts and delays.
std::string duration_text(std::chrono::seconds d)
{
    const auto total = d.count();
    const auto hours = total / 3600;
    const auto minutes = total % 3600 / 60;
    const auto seconds = total % 60;
    std::string out;
    auto part = [&](std::int64_t n, std::string_view unit) {
        if (n == 0) return;
        if (!out.empty()) out += ' ';
        out += std::to_string(n) + " " + std::string(unit);
    };
    part(hours, "h");
    part(minutes, "min");
    part(seconds, "s");
    return out.empty() ? std::string("0 s") : out;
}

// The section that shows variable `var`: HAS_<var>. (Built by append: GCC 12 warns falsely on "HAS_" + var.)
std::string section_of(std::string_view var)
{
    std::string out = "HAS_";
    out.append(var);
    return out;
}

// The tabs shared by the three escalation pages: escalations, policies, how you are paged.
void fill_tabs(ctemplate::TemplateDictionary& d, std::string_view current)
{
    auto* tabs = d.AddIncludeDictionary("TABS");
    tabs->SetFilename("console_escalation_tabs.tpl");
    if (current == "escalations") tabs->ShowSection("AT_ESCALATIONS");
    if (current == "policies") tabs->ShowSection("AT_POLICIES");
    if (current == "paging") tabs->ShowSection("AT_PAGING");
}

// ---- Policies ---------------------------------------------------------------------------------------------------

std::string target_key(std::string_view type, std::int64_t id)
{
    return std::string(type) + ":" + std::to_string(id);
}

std::string target_key(const Target& t)
{
    return target_key(t.kind == Target::Kind::User ? "user" : "schedule", t.id);
}

// "Tom Becker", "Primary on-call schedule".
std::string target_text(const Target& t)
{
    if (t.kind == Target::Kind::User) return t.name;
    return core::ascii_lower(t.name).ends_with("schedule") ? t.name : t.name + " schedule";
}

// "1: Primary on-call schedule (10 min) → 2: Ana Silva (10 min), repeat 1×".
std::string levels_text(const Policy& p)
{
    std::string out;
    for (std::size_t i = 0; i < p.levels.size(); ++i) {
        const auto& level = p.levels[i];
        if (i > 0) out += " → ";
        out += std::to_string(i + 1) + ": ";
        for (std::size_t j = 0; j < level.targets.size(); ++j) {
            if (j > 0) out += ", ";
            out += target_text(level.targets[j]);
        }
        if (level.targets.empty()) out += "nobody";
        out += " (" + duration_text(level.timeout) + ")";
    }
    out += p.repeat > 0 ? ", repeat " + std::to_string(p.repeat) + "×" : std::string(", no repeat");
    return out;
}

Response policies_page(Services& s, const Context& ctx, const std::string& notice, status code)
{
    auto policies = s.escalations.policies(*ctx.actor);
    if (!policies) return error_page(ctx, policies.error());
    auto services = s.alerts.services(*ctx.actor);
    if (!services) return error_page(ctx, services.error());
    const bool admin = ctx.actor->is_admin();

    PageView page(ctx, "Escalation policies", "console_policies.tpl");
    page.set_current("escalation");
    auto& d = page.content();
    fill_tabs(d, "policies");
    if (admin) d.ShowSection("CAN_EDIT");
    show_flash(d, ctx,
               {{"created", "The escalation policy was created."},
                {"updated", "The escalation policy was saved."},
                {"deleted", "The escalation policy was deleted."},
                {"mapped", "The service's escalation policy was changed."}});
    if (!notice.empty()) d.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");

    std::map<std::int64_t, std::vector<std::string>> used_by;
    for (const auto& svc : *services)
        if (svc.escalation_policy_id) used_by[svc.escalation_policy_id].push_back(svc.name);
    d.ShowSection(policies->empty() ? "NO_POLICIES" : "HAS_POLICIES");
    std::map<std::int64_t, std::string> names;
    for (const auto& p : *policies) {
        names[p.id] = p.name;
        auto* row = d.AddSectionDictionary("POLICY");
        row->SetIntValue("ID", static_cast<long>(p.id));
        row->SetValue("NAME", p.name);
        if (!p.description.empty()) row->SetValueAndShowSection("DESCRIPTION", p.description, "HAS_DESCRIPTION");
        if (p.is_default) row->ShowSection("IS_DEFAULT");
        row->SetValue("LEVELS", levels_text(p));
        std::string users;
        for (const auto& name : used_by[p.id]) {
            if (!users.empty()) users += ", ";
            users += name;
        }
        if (p.is_default) {
            if (!users.empty()) users += "; ";
            users += "emergency tickets of organizations without a policy of their own";
        }
        row->SetValue("USED_BY", users.empty() ? std::string("Nothing yet") : users);
        if (admin) row->ShowSection("CAN_EDIT");
    }

    d.ShowSection(services->empty() ? "NO_SERVICES" : "HAS_SERVICES");
    for (const auto& svc : *services) {
        auto* row = d.AddSectionDictionary("SERVICE");
        row->SetIntValue("ID", static_cast<long>(svc.id));
        row->SetValue("NAME", svc.name);
        auto it = names.find(svc.escalation_policy_id);
        if (!admin) {
            auto* shown = row->AddSectionDictionary("READ_ONLY");
            if (it != names.end())
                shown->SetValue("POLICY", it->second);
            else
                shown->ShowSection("NO_POLICY");
            continue;
        }
        auto* form = row->AddSectionDictionary("CAN_EDIT");
        add_option(*form, "POLICY_OPTION", "", "Nobody (no paging)", it == names.end());
        for (const auto& p : *policies)
            add_option(*form, "POLICY_OPTION", std::to_string(p.id), p.name, p.id == svc.escalation_policy_id);
    }
    return page.render(code);
}

boost::asio::awaitable<Response> list_policies(Services& s, Context& ctx)
{
    co_return policies_page(s, ctx, {}, status::ok);
}

// POST /console/services/{id}/escalation-policy: which policy pages for the service's alerts (empty: none).
boost::asio::awaitable<Response> map_service(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such service"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "change which policy pages for a service");
    std::int64_t policy = 0;
    if (auto raw = core::trim(form->get("policy")); !raw.empty()) {
        auto n = parse_integer(raw);
        if (!n || *n < 0)
            co_return policies_page(s, ctx, "Choose an escalation policy from the list.", status::bad_request);
        policy = *n;
    }
    auto done = co_await s.escalations.set_service_policy(*ctx.actor, *id, policy);
    if (!done) {
        auto code = done.error().code();
        if (code != core::ErrorCode::NotFound && code != core::ErrorCode::InvalidArgument &&
            code != core::ErrorCode::Conflict)
            co_return error_page(ctx, done.error());
        co_return policies_page(s, ctx, sentence(done.error()), status_for(code));
    }
    co_return redirect(ctx, "/console/escalation-policies?done=mapped#services");
}

// ---- The policy form --------------------------------------------------------------------------------------------

// The people and schedules a policy may page, for the form's checkboxes and for naming targets in messages.
struct Choices {
    std::vector<auth::User> staff;
    std::vector<schedule::Schedule> schedules;
    std::map<std::string, std::string> labels;  // "user:3" → "Tom Becker", "schedule:2" → "Primary on-call"
};

core::Result<Choices> load_choices(Services& s, const auth::Actor& actor)
{
    auto staff = s.auth.staff(actor);
    if (!staff) return staff.error();
    auto schedules = s.schedules.list(actor);
    if (!schedules) return schedules.error();
    Choices c{std::move(*staff), std::move(*schedules), {}};
    for (const auto& u : c.staff)
        c.labels[target_key("user", u.id.value)] = u.name;
    for (const auto& sch : c.schedules)
        c.labels[target_key("schedule", sch.id)] = sch.name;
    return c;
}

// One level block as typed (or as stored, when editing).
struct LevelFields {
    std::string timeout = "5";         // minutes
    std::vector<std::string> targets;  // "user:3", "schedule:2"
};

struct PolicyFields {
    std::string name;
    std::string description;
    std::string repeat = "0";
    bool is_default = false;
    std::vector<LevelFields> levels;
};

// The form as typed, the service's input, and messages by form field ("name", "description", "repeat", "default",
// "level2.targets", "level2.timeout"), each said once.
struct ParsedPolicy {
    PolicyFields fields;
    escalation::PolicyInput input;
    FormErrors errors{FormErrors::Repeats::Drop};
};

// The form → the service's input. Level blocks after the last one with a target are unused and left out; empty
// blocks before it stay in, so the service says that they need someone.
ParsedPolicy parse_policy_form(const Form& form)
{
    ParsedPolicy out;
    auto& f = out.fields;
    f.name = form.get("name");
    f.description = form.get("description");
    f.repeat = core::trim(form.get("repeat"));
    f.is_default = form.get("default") == "yes";
    for (std::size_t b = 1; b <= static_cast<std::size_t>(escalation::kMaxLevels); ++b) {
        const auto prefix = "level" + std::to_string(b);
        if (b > kFormLevels && !form.has(prefix + "_timeout")) break;
        f.levels.push_back({core::trim(form.get(prefix + "_timeout")), values_of(form, prefix + "_target")});
    }
    auto used = f.levels.size();
    while (used > 0 && f.levels[used - 1].targets.empty())
        --used;

    out.input.name = f.name;
    out.input.description = f.description;
    out.input.is_default = f.is_default;
    if (!f.repeat.empty()) {
        auto n = parse_integer(f.repeat);
        if (!n || *n < -1000 || *n > 1000)
            out.errors.add("repeat", "Enter how many more rounds, a whole number from 0 to 9.");
        else
            out.input.repeat = static_cast<int>(*n);
    }
    for (std::size_t i = 0; i < used; ++i) {
        const auto& typed = f.levels[i];
        const auto prefix = "level" + std::to_string(i + 1);
        escalation::LevelInput level;
        auto minutes = parse_integer(typed.timeout);
        if (!minutes || *minutes < 1 || *minutes > kMaxTimeoutMinutes)
            out.errors.add(prefix + ".timeout", "Enter the timeout in whole minutes, from 1 to 1440 (24 hours).");
        else
            level.timeout_seconds = *minutes * 60;
        for (const auto& key : typed.targets) {
            const auto colon = key.find(':');
            const auto type = key.substr(0, colon);
            auto id =
                colon == std::string::npos ? std::nullopt : parse_integer(std::string_view(key).substr(colon + 1));
            if (!id || *id <= 0 || (type != "user" && type != "schedule")) {
                out.errors.add(prefix + ".targets", "Choose people and schedules from the lists.");
                continue;
            }
            level.targets.push_back({type, *id, {}});
        }
        out.input.levels.push_back(std::move(level));
    }
    return out;
}

// Files a service error under the form's fields: "levels[1].targets" is block 2's targets.
void add_service_errors(FormErrors& errors, const core::Error& error, const escalation::PolicyInput& input,
                        const Choices& choices)
{
    const bool about_default = error.message().find("default") != std::string::npos;
    if (errors.add_whole(error, about_default ? "default" : "name")) return;
    for (const auto& f : error.fields()) {
        if (f.field == "name") {
            errors.add("name", as_sentence("The name", f.message));
        } else if (f.field == "description") {
            errors.add("description", as_sentence("The description", f.message));
        } else if (f.field == "repeat") {
            errors.add("repeat", "Repeat is 0 to " + std::to_string(escalation::kMaxRepeat) + " more rounds.");
        } else if (f.field == "levels") {
            errors.add("level1.targets", "A policy needs at least one level: choose a person or a schedule.");
        } else if (f.field.starts_with("levels[")) {
            auto level = indexed_field(f.field, "levels");
            if (!level || level->index >= input.levels.size() || !level->rest.starts_with(".")) {
                errors.add("summary", as_sentence("", f.message));
                continue;
            }
            const auto i = level->index;
            const auto rest = level->rest.substr(1);
            const auto prefix = "level" + std::to_string(i + 1);
            if (rest == "timeout_seconds") {
                errors.add(prefix + ".timeout", "The timeout is 1 to 1440 minutes (24 hours).");
            } else if (rest == "targets") {
                errors.add(prefix + ".targets", as_sentence("This level", f.message));
            } else if (rest.starts_with("targets[")) {
                auto target = indexed_field(rest, "targets");
                if (!target || target->index >= input.levels[i].targets.size() || !target->rest.empty()) {
                    errors.add(prefix + ".targets", "Choose people and schedules from the lists.");
                    continue;
                }
                const auto& t = input.levels[i].targets[target->index];
                auto it = choices.labels.find(target_key(t.type, t.id));
                if (t.type == "user")
                    errors.add(prefix + ".targets",
                               (it != choices.labels.end() ? it->second : "Person #" + std::to_string(t.id)) +
                                   " is not an agent or admin, so cannot be paged.");
                else
                    errors.add(prefix + ".targets",
                               (it != choices.labels.end() ? it->second : "Schedule #" + std::to_string(t.id)) +
                                   " is not a schedule (any more).");
            } else {
                errors.add("summary", as_sentence("", f.message));
            }
        } else {
            errors.add("summary", as_sentence("", f.message));
        }
    }
}

PolicyFields fields_of(const Policy& p)
{
    PolicyFields f{p.name, p.description, std::to_string(p.repeat), p.is_default, {}};
    for (const auto& level : p.levels) {
        LevelFields typed;
        // Whole minutes, rounded up (the API may set seconds).
        typed.timeout = std::to_string(std::max<std::int64_t>(1, (level.timeout.count() + 59) / 60));
        for (const auto& t : level.targets)
            typed.targets.push_back(target_key(t));
        f.levels.push_back(std::move(typed));
    }
    return f;
}

struct FormPage {
    FormMode mode = FormMode::Create;
    std::int64_t id = 0;
    std::string current_name;
};

Response form_page(const Context& ctx, const Choices& choices, const FormPage& at, PolicyFields fields,
                   const FormErrors& errors, const std::string& delete_error, status code)
{
    const bool creating = at.mode == FormMode::Create;
    const auto heading = creating ? std::string("New escalation policy") : "Edit " + at.current_name;
    PageView page(ctx, heading, "console_policy_form.tpl");
    page.set_current("escalation");
    auto& d = page.content();
    d.ShowSection(creating ? "CREATING" : "EDITING");
    d.SetIntValue("ID", static_cast<long>(at.id));
    d.SetValue("CURRENT_NAME", at.current_name);
    d.SetValue("HEADING", heading);
    d.SetValue("ACTION", creating ? std::string("/console/escalation-policies")
                                  : "/console/escalation-policies/" + std::to_string(at.id));
    d.SetValue("SUBMIT", creating ? "Create policy" : "Save policy");
    d.SetValue("NAME", fields.name);
    d.SetValue("DESCRIPTION", fields.description);
    d.SetValue("REPEAT", fields.repeat);
    d.SetIntValue("MAX_REPEAT", escalation::kMaxRepeat);
    if (fields.is_default) d.ShowSection("DEFAULT_CHECKED");

    errors.show(d, "name", "NAME_ERROR");
    errors.show(d, "description", "DESCRIPTION_ERROR");
    errors.show(d, "repeat", "REPEAT_ERROR");
    errors.show(d, "default", "DEFAULT_ERROR");
    errors.show_summary(d, "The policy was not saved: see the marked fields.");
    if (!delete_error.empty()) d.SetValueAndShowSection("DELETE_ERROR", delete_error, "HAS_DELETE_ERROR");

    while (fields.levels.size() < kFormLevels)
        fields.levels.push_back({});
    if (choices.schedules.empty()) d.ShowSection("NO_SCHEDULES_AT_ALL");
    for (std::size_t i = 0; i < fields.levels.size(); ++i) {
        const auto& level = fields.levels[i];
        const auto number = std::to_string(i + 1);
        auto* block = d.AddSectionDictionary("LEVEL");
        block->SetValue("N", number);
        if (i > 0) block->ShowSection("OPTIONAL");
        block->SetValue("TIMEOUT", level.timeout);
        errors.show(*block, "level" + number + ".timeout", "TIMEOUT_ERROR");
        errors.show(*block, "level" + number + ".targets", "TARGETS_ERROR");
        std::set<std::string> chosen(level.targets.begin(), level.targets.end());
        auto option = [&](std::string_view section, const std::string& key, const std::string& label,
                          const std::string& detail) {
            auto* o = block->AddSectionDictionary(std::string(section));
            o->SetValue("VALUE", key);
            o->SetValue("LABEL", label);
            if (!detail.empty()) o->SetValueAndShowSection("DETAIL", detail, "HAS_DETAIL");
            auto dom_id = key;
            std::replace(dom_id.begin(), dom_id.end(), ':', '-');
            o->SetValue("DOM_ID", "level" + number + "-" + dom_id);
            if (chosen.erase(key)) o->ShowSection("CHECKED");
        };
        for (const auto& sch : choices.schedules)
            option("SCHEDULE_OPTION", target_key("schedule", sch.id), sch.name, "whoever is on call");
        for (const auto& u : choices.staff)
            option("PERSON_OPTION", target_key("user", u.id.value), u.name, u.email);
        // What was chosen but is on neither list stays chosen, so the service's message can name it.
        for (const auto& key : std::vector<std::string>(chosen.begin(), chosen.end())) {
            const bool schedule = key.starts_with("schedule:");
            option(schedule ? "SCHEDULE_OPTION" : "PERSON_OPTION", key,
                   (schedule ? "Schedule #" : "Person #") + key.substr(key.find(':') + 1), "no longer available");
        }
    }
    return page.render(code);
}

Response no_such_policy(const Context& ctx)
{
    return error_page(ctx, core::Error::not_found("there is no such escalation policy"));
}

boost::asio::awaitable<Response> new_form(Services& s, Context& ctx)
{
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "create escalation policies");
    auto choices = load_choices(s, *ctx.actor);
    if (!choices) co_return error_page(ctx, choices.error());
    co_return form_page(ctx, *choices, {}, {}, {}, {}, status::ok);
}

// The edit form filled from the stored policy, with `delete_error` beside the delete button.
Response stored_form(Services& s, const Context& ctx, std::int64_t id, const std::string& delete_error, status code)
{
    auto policy = s.escalations.policy(*ctx.actor, id);
    if (!policy) return error_page(ctx, policy.error());
    auto choices = load_choices(s, *ctx.actor);
    if (!choices) return error_page(ctx, choices.error());
    return form_page(ctx, *choices, {FormMode::Edit, id, policy->name}, fields_of(*policy), {}, delete_error, code);
}

boost::asio::awaitable<Response> edit_form(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_policy(ctx);
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "change escalation policies");
    co_return stored_form(s, ctx, *id, {}, status::ok);
}

// Create (POST /console/escalation-policies) or save (POST /console/escalation-policies/{id}).
boost::asio::awaitable<Response> save_policy(Services& s, Context& ctx, FormMode mode)
{
    FormPage at{mode, 0, {}};
    if (mode == FormMode::Edit) {
        auto id = int_param(ctx, "id");
        if (!id) co_return no_such_policy(ctx);
        at.id = *id;
    }
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (!ctx.actor->is_admin())
        co_return admins_only(ctx,
                              mode == FormMode::Create ? "create escalation policies" : "change escalation policies");
    if (mode == FormMode::Edit) {
        auto policy = s.escalations.policy(*ctx.actor, at.id);
        if (!policy) co_return error_page(ctx, policy.error());
        at.current_name = policy->name;
    }
    auto choices = load_choices(s, *ctx.actor);
    if (!choices) co_return error_page(ctx, choices.error());

    auto parsed = parse_policy_form(*form);
    if (!parsed.errors.empty())
        co_return form_page(ctx, *choices, at, std::move(parsed.fields), parsed.errors, {}, status::bad_request);
    // Each branch awaits on its own: GCC 12 miscompiles co_await inside a conditional expression.
    core::Result<Policy> saved = core::Error::internal("not saved");
    if (mode == FormMode::Create) {
        saved = co_await s.escalations.create_policy(*ctx.actor, parsed.input);
    } else {
        saved = co_await s.escalations.update_policy(*ctx.actor, at.id, parsed.input);
    }
    if (!saved) {
        auto code = saved.error().code();
        if (code != core::ErrorCode::InvalidArgument && code != core::ErrorCode::Conflict)
            co_return error_page(ctx, saved.error());
        add_service_errors(parsed.errors, saved.error(), parsed.input, *choices);
        co_return form_page(ctx, *choices, at, std::move(parsed.fields), parsed.errors, {}, status_for(code));
    }
    co_return redirect(
        ctx, "/console/escalation-policies?done=" + std::string(mode == FormMode::Create ? "created" : "updated") +
                 "#policy-" + std::to_string(saved->id));
}

boost::asio::awaitable<Response> delete_policy(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_policy(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "delete escalation policies");
    if (form->get("confirm") != "yes")
        co_return stored_form(s, ctx, *id, "Tick the box to confirm that the policy should be deleted.",
                              status::bad_request);
    auto done = co_await s.escalations.delete_policy(*ctx.actor, *id);
    if (!done) {
        if (done.error().code() != core::ErrorCode::Conflict) co_return error_page(ctx, done.error());
        co_return stored_form(s, ctx, *id, sentence(done.error()), status::conflict);
    }
    co_return redirect(ctx, "/console/escalation-policies?done=deleted");
}

// ---- How a person is paged ----------------------------------------------------------------------------------------

std::string_view channel_label(Channel c)
{
    switch (c) {
    case Channel::Sms: return "SMS";
    case Channel::Voice: return "Voice call";
    case Channel::Email: return "Email";
    case Channel::Webhook: return "Webhook";
    }
    return "";
}

// "SMS to +14155550100 (mobile)".
std::string method_text(const escalation::ContactMethod& m)
{
    std::string out = std::string(channel_label(m.channel)) + " to " + m.address;
    if (!m.label.empty()) out += " (" + m.label + ")";
    return out;
}

// What a failed post sends back to the paging page: which form, its error and what was typed.
struct PagingFeedback {
    std::string form;  // "method", "rule"; empty: nothing failed
    std::optional<core::Error> error;
    std::string channel = "sms", address, label;  // the contact-method form
    std::string method, delay = "0";              // the rule form (delay in minutes)
};

// The person a paging request is about: `raw` (?user= or the form's user field) or, when empty, the caller.
std::optional<std::int64_t> person_of(const Context& ctx, const std::string& raw)
{
    if (raw.empty()) return ctx.actor->user_id.value;
    auto n = parse_integer(raw);
    if (!n || *n <= 0) return std::nullopt;
    return n;
}

std::string paging_url(const Context& ctx, std::int64_t user, std::string_view done)
{
    std::string url = "/console/paging";
    if (user != ctx.actor->user_id.value) url += "?user=" + std::to_string(user);
    if (!done.empty()) url += (url.find('?') == std::string::npos ? "?done=" : "&done=") + std::string(done);
    return url;
}

// The messages of a failed post beside its fields: the sentence of the error on top, each field below.
void show_errors(ctemplate::TemplateDictionary& d, const core::Error& error, const std::string& top,
                 const std::vector<std::tuple<std::string, std::string, std::string>>& fields)
{
    d.SetValueAndShowSection(top, sentence(error, Detail::MessageOnly), section_of(top));
    for (const auto& [field, label, var] : fields)
        show_field_messages(d, error, field, label, var);
}

Response paging_page(Services& s, const Context& ctx, std::int64_t user, const PagingFeedback& feedback, status code)
{
    auto methods = s.escalations.contact_methods(*ctx.actor, user);
    if (!methods) return error_page(ctx, methods.error());
    auto rules = s.escalations.rules(*ctx.actor, user);
    if (!rules) return error_page(ctx, rules.error());
    auto staff = s.auth.staff(*ctx.actor);
    if (!staff) return error_page(ctx, staff.error());
    const bool self = user == ctx.actor->user_id.value;
    std::string name = ctx.actor->name;
    std::string email = ctx.actor->email;
    for (const auto& u : *staff)
        if (u.id.value == user) {
            name = u.name;
            email = u.email;
        }

    PageView page(ctx, self ? std::string("How you are paged") : "How " + name + " is paged", "console_paging.tpl");
    page.set_current("escalation");
    auto& d = page.content();
    fill_tabs(d, self ? "paging" : "");
    d.SetValue("HEADING", self ? std::string("How you are paged") : "How " + name + " is paged");
    d.SetValue("PERSON", name);
    d.SetValue("EMAIL", email);
    d.SetIntValue("USER", static_cast<long>(user));
    if (ctx.actor->is_admin()) {
        auto* choose = d.AddSectionDictionary("CAN_CHOOSE");
        for (const auto& u : *staff)
            add_option(*choose, "PERSON_OPTION", std::to_string(u.id.value), u.name + " (" + u.email + ")",
                       u.id.value == user);
    }
    show_flash(d, ctx,
               {{"method-added", "The contact method was added."},
                {"method-deleted", "The contact method was removed, with its notification rules."},
                {"rule-added", "The notification rule was added."},
                {"rule-deleted", "The notification rule was removed."}});

    const auto& settings = s.escalations.settings();
    if (rules->empty()) {
        std::string warning;
        if (settings.mail.enabled())
            warning = (self ? std::string("You have no notification rules: you will only be paged by email to your "
                                          "account address, ")
                            : name + " has no notification rules: they will only be paged by email to their account "
                                     "address, ") +
                      email + ". Add a rule below to be paged by SMS or a call.";
        else
            warning = (self ? std::string("You have no notification rules and this desk sends no email: you cannot be "
                                          "paged.")
                            : name + " has no notification rules and this desk sends no email: they cannot be paged.") +
                      " Add a contact method and a rule below.";
        d.SetValueAndShowSection("WARNING", warning, "HAS_WARNING");
    }

    std::map<std::int64_t, const escalation::ContactMethod*> by_id;
    d.ShowSection(methods->empty() ? "NO_METHODS" : "HAS_METHODS");
    for (const auto& m : *methods) {
        by_id[m.id] = &m;
        auto* row = d.AddSectionDictionary("METHOD");
        row->SetIntValue("ID", static_cast<long>(m.id));
        row->SetValue("CHANNEL", std::string(channel_label(m.channel)));
        row->SetValue("ADDRESS", m.address);
        row->SetValue("LABEL", m.label.empty() ? std::string("—") : m.label);
    }

    auto sorted = *rules;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.delay < b.delay; });
    d.ShowSection(sorted.empty() ? "NO_RULES" : "HAS_RULES");
    bool needs_sms = false;
    for (const auto& r : sorted) {
        auto* row = d.AddSectionDictionary("RULE");
        row->SetIntValue("ID", static_cast<long>(r.id));
        auto it = by_id.find(r.contact_method_id);
        std::string text = it == by_id.end() ? std::string("A removed contact method") : method_text(*it->second);
        if (it != by_id.end() && (it->second->channel == Channel::Sms || it->second->channel == Channel::Voice))
            needs_sms = true;
        text += r.delay.count() == 0 ? std::string(" at once") : " after " + duration_text(r.delay);
        row->SetValue("TEXT", text);
    }
    if (needs_sms && !settings.sms)
        d.SetValueAndShowSection("SMS_NOTE",
                                 "SMS and voice calls are not set up on this desk, so the rules that use them will "
                                 "not reach " +
                                     (self ? std::string("you") : name) + ".",
                                 "HAS_SMS_NOTE");

    // The add forms, with what a failed post typed.
    const bool method_failed = feedback.form == "method";
    for (auto c : {Channel::Sms, Channel::Voice, Channel::Email, Channel::Webhook})
        add_option(d, "CHANNEL_OPTION", escalation::to_string(c), channel_label(c),
                   escalation::to_string(c) == (method_failed ? feedback.channel : std::string("sms")));
    d.SetValue("ADDRESS", method_failed ? feedback.address : std::string());
    d.SetValue("METHOD_LABEL", method_failed ? feedback.label : std::string());
    if (method_failed && feedback.error)
        show_errors(d, *feedback.error, "METHOD_ERROR",
                    {{"channel", "The channel", "CHANNEL_ERROR"},
                     {"address", "The address", "ADDRESS_ERROR"},
                     {"label", "The label", "LABEL_ERROR"}});

    const bool rule_failed = feedback.form == "rule";
    for (const auto& m : *methods)
        add_option(d, "RULE_METHOD_OPTION", std::to_string(m.id), method_text(m),
                   rule_failed && feedback.method == std::to_string(m.id));
    d.SetValue("DELAY", rule_failed ? feedback.delay : std::string("0"));
    d.SetIntValue("MAX_DELAY", kMaxDelayMinutes);
    if (rule_failed && feedback.error) {
        show_errors(d, *feedback.error, "RULE_ERROR", {});
        for (const auto& f : feedback.error->fields()) {
            if (f.field == "delay_seconds")
                d.SetValueAndShowSection("DELAY_ERROR", "The delay is 0 to 60 minutes after the page starts.",
                                         "HAS_DELAY_ERROR");
            else if (f.field == "contact_method_id")
                d.SetValueAndShowSection("RULE_METHOD_ERROR",
                                         f.message.starts_with("at most") ? as_sentence("", f.message)
                                                                          : "Choose one of the contact methods above.",
                                         "HAS_RULE_METHOD_ERROR");
        }
    }
    return page.render(code);
}

boost::asio::awaitable<Response> paging(Services& s, Context& ctx)
{
    auto user = person_of(ctx, core::trim(ctx.query_value("user").value_or("")));
    if (!user) co_return error_page(ctx, core::Error::not_found("there is no such person"));
    co_return paging_page(s, ctx, *user, {}, status::ok);
}

// What each paging post starts with: its form, checked for the CSRF token, and the person it is about.
struct PagingPost {
    Form form;
    std::int64_t user = 0;
};

core::Result<PagingPost> paging_post(const Context& ctx)
{
    auto form = posted_form(ctx);
    if (!form) return form.error();
    auto user = person_of(ctx, core::trim(form->get("user")));
    if (!user) return core::Error::not_found("there is no such person");
    return PagingPost{std::move(*form), *user};
}

// A paging post refused by the form or the service: the page again with the message beside the form that failed
// and what was typed kept when the input is at fault (InvalidArgument); otherwise the error page.
Response refused(Services& s, const Context& ctx, std::int64_t user, PagingFeedback feedback, core::Error error)
{
    if (error.code() != core::ErrorCode::InvalidArgument) return error_page(ctx, error);
    feedback.error = std::move(error);
    return paging_page(s, ctx, user, feedback, status::bad_request);
}

// POST …/{id}/delete of a contact method or a notification rule (`what`): one service call, then back to the person's
// page with the flash `done` at `anchor`.
using RemoveFromPaging = boost::asio::awaitable<core::Status> (escalation::EscalationService::*)(const auth::Actor&,
                                                                                                 std::int64_t,
                                                                                                 std::int64_t);

boost::asio::awaitable<Response> remove_from_paging(Services& s, Context& ctx, RemoveFromPaging remove,
                                                    std::string_view what, std::string_view done,
                                                    std::string_view anchor)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such " + std::string(what)));
    auto post = paging_post(ctx);
    if (!post) co_return error_page(ctx, post.error());
    auto removed = co_await (s.escalations.*remove)(*ctx.actor, post->user, *id);
    if (!removed) co_return error_page(ctx, removed.error());
    co_return redirect(ctx, paging_url(ctx, post->user, done) + "#" + std::string(anchor));
}

boost::asio::awaitable<Response> add_method(Services& s, Context& ctx)
{
    auto post = paging_post(ctx);
    if (!post) co_return error_page(ctx, post.error());
    PagingFeedback feedback;
    feedback.form = "method";
    feedback.channel = core::trim(post->form.get("channel"));
    feedback.address = post->form.get("address");
    feedback.label = post->form.get("label");
    auto channel = escalation::parse_channel(feedback.channel);
    if (!channel)
        co_return refused(s, ctx, post->user, std::move(feedback),
                          core::Error::invalid("the contact method is not valid",
                                               {{"channel", "must be SMS, a voice call, email or a webhook"}}));
    escalation::ContactMethod method;
    method.channel = *channel;
    method.address = feedback.address;
    method.label = feedback.label;
    auto added = co_await s.escalations.add_contact_method(*ctx.actor, post->user, std::move(method));
    if (!added) co_return refused(s, ctx, post->user, std::move(feedback), added.error());
    co_return redirect(ctx, paging_url(ctx, post->user, "method-added") + "#contact-methods");
}

boost::asio::awaitable<Response> delete_method(Services& s, Context& ctx)
{
    return remove_from_paging(s, ctx, &escalation::EscalationService::delete_contact_method, "contact method",
                              "method-deleted", "contact-methods");
}

boost::asio::awaitable<Response> add_rule(Services& s, Context& ctx)
{
    auto post = paging_post(ctx);
    if (!post) co_return error_page(ctx, post.error());
    PagingFeedback feedback;
    feedback.form = "rule";
    feedback.method = core::trim(post->form.get("contact_method"));
    feedback.delay = core::trim(post->form.get("delay"));
    std::vector<core::FieldError> errors;
    escalation::NotificationRule rule;
    if (auto id = parse_integer(feedback.method); id && *id > 0)
        rule.contact_method_id = *id;
    else
        errors.push_back({"contact_method_id", "names none of the contact methods"});
    if (auto minutes = parse_integer(feedback.delay); minutes && *minutes >= 0 && *minutes <= kMaxDelayMinutes)
        rule.delay = std::chrono::minutes(*minutes);
    else
        errors.push_back({"delay_seconds", "is 0 to 60 minutes"});
    if (!errors.empty())
        co_return refused(s, ctx, post->user, std::move(feedback),
                          core::Error::invalid("the notification rule is not valid", std::move(errors)));
    auto added = co_await s.escalations.add_rule(*ctx.actor, post->user, rule);
    if (!added) co_return refused(s, ctx, post->user, std::move(feedback), added.error());
    co_return redirect(ctx, paging_url(ctx, post->user, "rule-added") + "#rules");
}

boost::asio::awaitable<Response> delete_rule(Services& s, Context& ctx)
{
    return remove_from_paging(s, ctx, &escalation::EscalationService::delete_rule, "notification rule", "rule-deleted",
                              "rules");
}

// ---- Escalations ------------------------------------------------------------------------------------------------

std::string_view state_label(State state)
{
    switch (state) {
    case State::Active: return "Paging";
    case State::Acknowledged: return "Acknowledged";
    case State::Resolved: return "Resolved";
    case State::Exhausted: return "Nobody acknowledged";
    }
    return "";
}

// The alert-status badge colours: open escalations are red, acknowledged amber, resolved grey.
std::string_view state_class(State state)
{
    switch (state) {
    case State::Active:
    case State::Exhausted: return "triggered";
    case State::Acknowledged: return "acknowledged";
    case State::Resolved: return "resolved";
    }
    return "";
}

// How many levels and rounds each policy has, for "level 2 of 3, round 1 of 2".
using PolicyShapes = std::map<std::int64_t, std::pair<std::size_t, int>>;

PolicyShapes policy_shapes(Services& s, const auth::Actor& actor)
{
    PolicyShapes out;
    if (auto all = s.escalations.policies(actor))
        for (const auto& p : *all)
            out[p.id] = {p.levels.size(), p.repeat};
    return out;
}

std::string step_text(escalation::Step step, std::int64_t policy_id, const PolicyShapes& shapes)
{
    auto it = shapes.find(policy_id);
    std::string out = "Level " + std::to_string(step.level + 1);
    if (it != shapes.end()) out += " of " + std::to_string(it->second.first);
    out += ", round " + std::to_string(step.loop + 1);
    if (it != shapes.end()) out += " of " + std::to_string(it->second.second + 1);
    return out;
}

// ID, SUMMARY, SEVERITY, STATE_LABEL, STATE_CLASS, POLICY, POLICY_ID, STEP, STARTED, AGE and the section HAS_WHAT
// (WHAT_URL, WHAT_LABEL): the ticket (/console/tickets/LL-n) or alert being escalated.
void fill_escalation(ctemplate::TemplateDictionary& d, const escalation::Escalation& e, const PolicyShapes& shapes,
                     core::UtcTime now)
{
    d.SetIntValue("ID", static_cast<long>(e.id));
    d.SetValue("SUMMARY", e.summary.empty() ? std::string("(no summary)") : e.summary);
    d.SetValue("SEVERITY", e.severity);
    d.SetValue("STATE_LABEL", std::string(state_label(e.state)));
    d.SetValue("STATE_CLASS", std::string(state_class(e.state)));
    d.SetValue("POLICY", e.policy_name);
    d.SetIntValue("POLICY_ID", static_cast<long>(e.policy_id));
    d.SetValue("STEP", step_text(e.step, e.policy_id, shapes));
    d.SetValue("STARTED", describe_time(e.started_at));
    d.SetValue("STARTED_ISO", core::format_rfc3339(e.started_at));
    d.SetValue("AGE", now - e.started_at < std::chrono::minutes(1) ? std::string("just now")
                                                                   : describe_distance(now - e.started_at) + " ago");
    if (e.ticket_id) {
        const auto ref = ticket::format_ref(ticket::TicketId{e.ticket_id});
        auto* what = d.AddSectionDictionary("HAS_WHAT");
        what->SetValue("WHAT_URL", "/console/tickets/" + ref);
        what->SetValue("WHAT_LABEL", "Ticket " + ref);
    } else if (e.alert_id) {
        auto* what = d.AddSectionDictionary("HAS_WHAT");
        what->SetValue("WHAT_URL", "/console/alerts?show=all#alert-" + std::to_string(e.alert_id));
        what->SetValue("WHAT_LABEL", "Alert " + std::to_string(e.alert_id));
    }
    if (e.open()) d.ShowSection("IS_OPEN");
}

boost::asio::awaitable<Response> list_escalations(Services& s, Context& ctx)
{
    const bool open_only = ctx.query_value("show").value_or("") != "all";
    auto list = s.escalations.list(*ctx.actor, open_only);
    if (!list) co_return error_page(ctx, list.error());
    PageView page(ctx, "Escalations", "console_escalations.tpl");
    page.set_current("escalation");
    auto& d = page.content();
    fill_tabs(d, "escalations");
    d.ShowSection(open_only ? "OPEN_ONLY" : "ALL_RECENT");
    const auto count = list->size();
    d.SetValue("COUNT", std::to_string(count) + (count == 1 ? " escalation" : " escalations"));
    if (list->empty()) {
        d.ShowSection("EMPTY");
        co_return page.render(status::ok);
    }
    d.ShowSection("HAS_ESCALATIONS");
    const auto shapes = policy_shapes(s, *ctx.actor);
    const auto now = s.clock.now();
    for (const auto& e : *list)
        fill_escalation(*d.AddSectionDictionary("ESCALATION"), e, shapes, now);
    co_return page.render(status::ok);
}

std::string_view via_words(std::string_view via)
{
    if (via == "sms") return "by SMS reply";
    if (via == "link") return "with the link in a page";
    if (via == "console") return "in the console";
    if (via == "api") return "through the API";
    if (via == "source") return "by the alert's source";
    return via;
}

Response escalation_page(Services& s, const Context& ctx, std::int64_t id, const std::string& notice, status code)
{
    auto detail = s.escalations.get(*ctx.actor, id);
    if (!detail) return error_page(ctx, detail.error());
    const auto& e = detail->escalation;
    const auto shapes = policy_shapes(s, *ctx.actor);
    PageView page(ctx, "Escalation " + std::to_string(e.id), "console_escalation.tpl");
    page.set_current("escalation");
    auto& d = page.content();
    fill_escalation(d, e, shapes, s.clock.now());
    show_flash(d, ctx, {{"acknowledged", "You acknowledged the escalation: paging has stopped."}});
    if (!notice.empty()) d.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    if (e.acknowledged_at) {
        std::string who = e.acknowledged_by ? e.acknowledged_by_name : std::string("The alert's source");
        d.SetValueAndShowSection("ACKNOWLEDGED",
                                 who + " " + std::string(via_words(e.acknowledged_via)) + ", " +
                                     describe_time(*e.acknowledged_at),
                                 "HAS_ACKNOWLEDGED");
    }
    if (e.ended_at) d.SetValueAndShowSection("ENDED", describe_time(*e.ended_at), "HAS_ENDED");
    d.ShowSection(detail->events.empty() ? "NO_EVENTS" : "HAS_EVENTS");
    for (const auto& ev : detail->events) {
        auto* row = d.AddSectionDictionary("EVENT");
        row->SetValue("TIME", describe_time(ev.at));
        row->SetValue("TEXT", ev.text);
        row->SetValue("KIND", ev.kind);
    }
    d.ShowSection(detail->pages.empty() ? "NO_PAGES" : "HAS_PAGES");
    for (const auto& p : detail->pages) {
        auto* row = d.AddSectionDictionary("PAGE");
        row->SetValue("WHO", p.user_name);
        row->SetValue("STEP", step_text(p.step, e.policy_id, shapes));
        row->SetValue("WHEN", describe_time(p.created_at));
    }
    return page.render(code);
}

boost::asio::awaitable<Response> show_escalation(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such escalation"));
    co_return escalation_page(s, ctx, *id, {}, status::ok);
}

// POST /console/escalations/{id}/acknowledge: stops the paging. Already acknowledged or resolved: the page again
// with the service's message ("already acknowledged by Tom Becker at …").
boost::asio::awaitable<Response> acknowledge(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such escalation"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto acked = co_await s.escalations.acknowledge(*ctx.actor, *id, "console");
    if (!acked) {
        if (acked.error().code() != core::ErrorCode::Conflict) co_return error_page(ctx, acked.error());
        co_return escalation_page(s, ctx, *id, sentence(acked.error()), status::conflict);
    }
    co_return redirect(ctx, "/console/escalations/" + std::to_string(*id) + "?done=acknowledged");
}

}  // namespace

void add_paging_routes(Router& router, Services& s)
{
    PageRoutes pages(router, s, Audience::Staff);
    pages.get("/console/escalation-policies", list_policies);
    pages.get("/console/escalation-policies/new", new_form);  // before "{id}": the first matching route wins
    pages.post("/console/escalation-policies",
               [](Services& s, Context& ctx) { return save_policy(s, ctx, FormMode::Create); });
    pages.get("/console/escalation-policies/{id}/edit", edit_form);
    pages.post("/console/escalation-policies/{id}",
               [](Services& s, Context& ctx) { return save_policy(s, ctx, FormMode::Edit); });
    pages.post("/console/escalation-policies/{id}/delete", delete_policy);
    pages.post("/console/services/{id}/escalation-policy", map_service);

    pages.get("/console/paging", paging);
    pages.post("/console/paging/contact-methods", add_method);
    pages.post("/console/paging/contact-methods/{id}/delete", delete_method);
    pages.post("/console/paging/rules", add_rule);
    pages.post("/console/paging/rules/{id}/delete", delete_rule);

    pages.get("/console/escalations", list_escalations);
    pages.get("/console/escalations/{id}", show_escalation);
    pages.post("/console/escalations/{id}/acknowledge", acknowledge);
}

}  // namespace lifeline::http::web
