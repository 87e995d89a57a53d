// The incident pages. Console (staff): the incidents with the declare form; the incident room with the technical log
// and the business channel side by side, the next-update countdown, diagnostic steps, linked tickets and alerts,
// suggested duplicates, handover, roles and the impact assessment, live-updating over server-sent events; and the
// printable debrief with its action items. Portal (customers): the incidents that affect them with the business
// briefings, a banner on the portal's home, and their view for the debrief once resolved.
// Every change is a plain form post carrying the CSRF token, answered with 303 back to the page, or with the page
// again showing the messages beside the fields and what was typed kept. Tenancy is the service's job.
#include "core/hub.hpp"
#include "core/text.hpp"
#include "core/weekly.hpp"
#include "http/event_stream.hpp"
#include "http/guard.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"
#include "incident/incident_service.hpp"
#include "schedule/schedule_service.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace lifeline::http::web {

namespace {

namespace inc = incident;
using beast_http::status;
using beast_http::verb;

constexpr std::size_t kListSize = 50;
// The "or in N minutes" choices beside the date-time fields.
constexpr std::array<int, 10> kMinutesChoices{10, 15, 20, 30, 45, 60, 90, 120, 180, 240};
constexpr std::array kStatuses{inc::Status::Investigating, inc::Status::Identified, inc::Status::Monitoring,
                               inc::Status::Resolved};
constexpr std::array kImpacts{inc::BusinessImpact::Down, inc::BusinessImpact::Degraded, inc::BusinessImpact::Minor,
                              inc::BusinessImpact::Cosmetic};
constexpr std::array kSeverities{inc::Severity::Sev1, inc::Severity::Sev2, inc::Severity::Sev3, inc::Severity::Sev4};

// ---- Small helpers ----------------------------------------------------------------------------------------------

std::string room_path(std::int64_t id)
{
    return "/console/incidents/" + std::to_string(id);
}

std::string topic_of(std::int64_t id)
{
    return "incident:" + std::to_string(id);
}

Response no_such_incident(const Context& ctx)
{
    return error_page(ctx, core::Error::not_found("there is no such incident"));
}

// Every value of a repeated form field (a multi-select), in order.
std::vector<std::string> values_of(const Form& form, std::string_view name)
{
    std::vector<std::string> out;
    for (const auto& [k, v] : form.fields())
        if (k == name) out.push_back(v);
    return out;
}

// The non-empty, trimmed parts of `text` between any of `separators`.
std::vector<std::string> split_list(std::string_view text, std::string_view separators)
{
    std::vector<std::string> out;
    std::string part;
    auto flush = [&] {
        auto t = core::trim(part);
        if (!t.empty()) out.push_back(t);
        part.clear();
    };
    for (char c : text) {
        if (separators.find(c) != std::string_view::npos)
            flush();
        else
            part += c;
    }
    flush();
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator)
{
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += separator;
        out += p;
    }
    return out;
}

std::string_view status_name(inc::Status s)
{
    switch (s) {
    case inc::Status::Investigating: return "Investigating";
    case inc::Status::Identified: return "Identified";
    case inc::Status::Monitoring: return "Monitoring";
    case inc::Status::Resolved: return "Resolved";
    }
    return "";
}

std::string_view impact_label(inc::BusinessImpact b)
{
    switch (b) {
    case inc::BusinessImpact::Down: return "Down: the business cannot work (cannot take orders)";
    case inc::BusinessImpact::Degraded: return "Degraded: works, but slowly or partly";
    case inc::BusinessImpact::Minor: return "Minor: an inconvenience with a workaround";
    case inc::BusinessImpact::Cosmetic: return "Cosmetic: looks wrong, works";
    }
    return "";
}

// "42 min" from a duration that may be absent.
std::string minutes_or_dash(const std::optional<std::chrono::milliseconds>& d)
{
    return d ? describe_distance(*d) : std::string("—");
}

// "19:00 UTC" today, else "Tuesday 24 November 2026, 19:00 UTC".
std::string short_time(core::UtcTime t, core::UtcTime now)
{
    const auto day = std::chrono::floor<std::chrono::days>(t);
    if (day != std::chrono::floor<std::chrono::days>(now)) return describe_time(t);
    const auto clock = std::chrono::floor<std::chrono::minutes>(t - day);
    return core::format_clock(clock) + " UTC";
}

// "2026-11-23T19:00", the value of a datetime-local field (UTC).
std::string input_time(core::UtcTime t)
{
    auto text = core::format_rfc3339(std::chrono::floor<std::chrono::minutes>(t));
    return text.substr(0, 16);
}

// COUNTDOWN ("next update in 12 min", "OVERDUE by 3 min"), COUNTDOWN_CLASS (ok, soon, overdue), COUNTDOWN_ISO and
// COUNTDOWN_AHEAD (`ahead`, which the page's script uses to keep the text current), and the section OVERDUE.
void fill_countdown(ctemplate::TemplateDictionary& d, core::UtcTime at, core::UtcTime now, std::string_view ahead)
{
    using std::chrono::minutes;
    d.SetValue("COUNTDOWN_ISO", core::format_rfc3339(at));
    d.SetValue("COUNTDOWN_AHEAD", std::string(ahead));
    if (at >= now) {
        d.SetValue("COUNTDOWN", std::string(ahead) + " " + describe_distance(at - now));
        d.SetValue("COUNTDOWN_CLASS", at - now < minutes(5) ? "soon" : "ok");
    } else {
        d.SetValue("COUNTDOWN", "OVERDUE by " + describe_distance(now - at));
        d.SetValue("COUNTDOWN_CLASS", "overdue");
        d.ShowSection("OVERDUE");
    }
}

// Options of an "or in N minutes" select (IN_OPTION), `chosen` selected; the first option chooses nothing.
void add_minutes_options(ctemplate::TemplateDictionary& d, const std::string& chosen)
{
    add_option(d, "IN_OPTION", "", "—", chosen.empty());
    for (int m : kMinutesChoices) {
        auto value = std::to_string(m);
        add_option(d, "IN_OPTION", value, describe_distance(std::chrono::minutes(m)), chosen == value);
    }
}

// The time a form gives as a date and time in UTC (datetime-local field `at_field`) or as minutes from now
// (`in_field`); the date and time wins when both are given. Nullopt when neither is given, or when one is malformed:
// then a message is filed under `key`.
std::optional<core::UtcTime> form_time(const Form& form, std::string_view at_field, std::string_view in_field,
                                       core::UtcTime now, FormErrors& errors, const std::string& key)
{
    auto at = core::trim(form.get(at_field));
    if (!at.empty()) {
        if (auto local = schedule::parse_local_time(at))
            return core::UtcTime{std::chrono::duration_cast<std::chrono::milliseconds>(local->time_since_epoch())};
        errors.add(key, "Enter a date and time such as 2026-11-23T19:00 (UTC).");
        return std::nullopt;
    }
    auto in = core::trim(form.get(in_field));
    if (in.empty()) return std::nullopt;
    auto minutes = core::parse_integer(in);
    if (!minutes || *minutes <= 0 || *minutes > 24 * 60) {
        errors.add(key, "Choose how many minutes from now.");
        return std::nullopt;
    }
    return now + std::chrono::minutes(*minutes);
}

// ---- Service errors beside the fields ---------------------------------------------------------------------------

struct FieldName {
    std::string_view service;  // the field of a service error
    std::string_view form;     // the form field it is shown beside
    std::string_view label;    // the subject of its sentence
};

constexpr std::array<FieldName, 20> kFieldNames{{
    {"title", "title", "The title"},
    {"impact.users", "users", "The number of users"},
    {"impact.components", "components", "The components"},
    {"impact.description", "description", "The description"},
    {"impact.organizations", "organizations", ""},
    {"ticket_ids", "ticket", ""},
    {"alert_ids", "alert", ""},
    {"severity_justification", "justification", "A justification"},
    {"body", "body", "The text"},
    {"next_update_at", "next_update_at", "The time of the next update"},
    {"next_update_reason", "next_update_reason", "The reason for that time"},
    {"user_id", "user_id", "The person"},
    {"role", "role", "The role"},
    {"owner_id", "owner_id", "The owner"},
    {"deadline_at", "deadline_at", "The deadline"},
    {"note", "note", "A note"},
    {"new_deadline", "new_deadline", "The new deadline"},
    {"outcome", "outcome", "The outcome"},
    {"due_at", "due_at", "The due date"},
    {"severity", "severity", "The severity"},
}};

// "The owner names no agent or admin." from the label and a service message; messages that are sentences of their own
// only gain a capital and a stop.
std::string field_sentence(std::string_view label, std::string message)
{
    if (!label.empty() && message.starts_with("names ")) message = std::string(label) + " " + message;
    return as_sentence(label, std::move(message));
}

// Files a service error under "<form>.<field>" by kFieldNames, the rest (and an error without fields, such as a
// Conflict) under "<form>.summary".
void file_service_error(FormErrors& errors, const std::string& form, const core::Error& e)
{
    if (e.fields().empty()) {
        errors.add(form + ".summary", sentence(e));
        return;
    }
    for (const auto& f : e.fields()) {
        auto it = std::find_if(kFieldNames.begin(), kFieldNames.end(),
                               [&](const FieldName& n) { return n.service == f.field; });
        if (it != kFieldNames.end())
            errors.add(form + "." + std::string(it->form), field_sentence(it->label, f.message));
        else
            errors.add(form + ".summary", as_sentence("", f.field + " " + f.message));
    }
}

// ---- The impact fields (declare and assess) ---------------------------------------------------------------------

struct ImpactFields {
    std::string business = "degraded", description, users, components, severity, justification;
    bool estimated = false;
    std::vector<std::string> organizations;  // slugs
};

// What a failed post sends back to its page: which form failed, its messages by "<form>.<field>", and what was
// typed. Also used to prefill the briefing form from a one-click template (no messages then).
struct Feedback {
    std::string form;
    FormErrors errors{FormErrors::Repeats::Drop};
    std::map<std::string, std::string, std::less<>> values;
    std::optional<ImpactFields> impact;  // the impact fields as typed (declare, assess)

    // What was typed into `field` of `form`, or `fallback` when another form (or none) failed.
    std::string value(std::string_view of_form, std::string_view field, std::string fallback = {}) const
    {
        if (form != of_form) return fallback;
        auto it = values.find(field);
        return it == values.end() ? fallback : it->second;
    }
    void keep(const Form& posted, std::initializer_list<std::string_view> fields)
    {
        for (auto f : fields)
            values[std::string(f)] = posted.get(f);
    }
    // Shows the message of `field` of `form` as `var` (section HAS_<var>).
    void show(ctemplate::TemplateDictionary& d, std::string_view of_form, std::string_view field,
              const std::string& var) const
    {
        errors.show(d, std::string(of_form) + "." + std::string(field), var);
    }
};

ImpactFields read_impact(const Form& form)
{
    ImpactFields f;
    f.business = core::trim(form.get("business_impact"));
    f.description = form.get("description");
    f.users = core::trim(form.get("users"));
    f.estimated = form.get("users_estimated") == "yes";
    f.components = form.get("components");
    f.severity = core::trim(form.get("severity"));
    f.justification = form.get("severity_justification");
    f.organizations = values_of(form, "organizations");
    return f;
}

ImpactFields impact_fields_of(const inc::Incident& i, const std::vector<org::Organization>& orgs)
{
    ImpactFields f;
    f.business = std::string(inc::to_string(i.impact.business));
    f.description = i.impact.description;
    f.users = i.impact.users ? std::to_string(i.impact.users) : std::string();
    f.estimated = i.impact.users_estimated;
    f.components = join(i.impact.components, ", ");
    if (!i.severity_override_reason.empty()) {
        f.severity = std::string(inc::to_string(i.severity));
        f.justification = i.severity_override_reason;
    }
    for (const auto& o : orgs)
        if (std::find(i.impact.organization_ids.begin(), i.impact.organization_ids.end(), o.id.value) !=
            i.impact.organization_ids.end())
            f.organizations.push_back(o.slug);
    return f;
}

// The impact and the chosen severity (nullopt: the proposal) of the fields; messages under "<form>.<field>".
std::pair<inc::Impact, std::optional<inc::Severity>> parse_impact(const ImpactFields& f, const std::string& form,
                                                                  FormErrors& errors)
{
    inc::Impact impact;
    if (auto b = inc::parse_business_impact(f.business))
        impact.business = *b;
    else
        errors.add(form + ".business_impact", "Choose what the business cannot do.");
    impact.description = core::trim(f.description);
    if (!f.users.empty()) {
        auto n = core::parse_integer(f.users);
        if (!n || *n < 0)
            errors.add(form + ".users", "Enter the number of affected users (0 or more), or leave it empty.");
        else
            impact.users = *n;
    }
    impact.users_estimated = f.estimated;
    impact.components = split_list(f.components, ",\n");
    std::optional<inc::Severity> severity;
    if (!f.severity.empty()) {
        severity = inc::parse_severity(f.severity);
        if (!severity) errors.add(form + ".severity", "Choose SEV1, SEV2, SEV3 or SEV4.");
    }
    return {impact, severity};
}

// The include IMPACT (console_incident_impact.tpl): business impact, description, organizations, users, components
// and the severity override, with `form`'s messages. P prefixes the element ids.
void fill_impact(ctemplate::TemplateDictionary& parent, const std::string& form, const ImpactFields& f,
                 const core::Result<std::vector<org::Organization>>& orgs, const Feedback& fb,
                 const std::string& proposal)
{
    auto* d = parent.AddIncludeDictionary("IMPACT");
    d->SetFilename("console_incident_impact.tpl");
    d->SetValue("P", form);
    for (auto b : kImpacts)
        add_option(*d, "IMPACT_OPTION", inc::to_string(b), impact_label(b), f.business == inc::to_string(b));
    d->SetValue("DESCRIPTION", f.description);
    d->SetValue("USERS", f.users);
    if (f.estimated) d->ShowSection("ESTIMATED");
    d->SetValue("COMPONENTS", f.components);
    if (orgs) {
        for (const auto& o : *orgs)
            add_option(*d, "ORGANIZATION_OPTION", o.slug, o.name,
                       std::find(f.organizations.begin(), f.organizations.end(), o.slug) != f.organizations.end());
    } else {
        d->SetValueAndShowSection("ORGANIZATIONS_ERROR", sentence(orgs.error()), "HAS_ORGANIZATIONS_ERROR");
    }
    add_option(*d, "SEVERITY_OPTION", "", "As proposed from the impact", f.severity.empty());
    for (auto s : kSeverities)
        add_option(*d, "SEVERITY_OPTION", inc::to_string(s), inc::to_string(s),
                   core::ascii_lower(f.severity) == core::ascii_lower(inc::to_string(s)));
    d->SetValue("JUSTIFICATION", f.justification);
    if (!f.severity.empty() || !f.justification.empty()) d->ShowSection("OVERRIDE_OPEN");
    if (!proposal.empty()) d->SetValueAndShowSection("PROPOSAL", proposal, "HAS_PROPOSAL");
    fb.show(*d, form, "business_impact", "BUSINESS_ERROR");
    fb.show(*d, form, "description", "DESCRIPTION_ERROR");
    fb.show(*d, form, "organizations", "ORGANIZATIONS_ERROR");
    fb.show(*d, form, "users", "USERS_ERROR");
    fb.show(*d, form, "components", "COMPONENTS_ERROR");
    fb.show(*d, form, "severity", "SEVERITY_ERROR");
    fb.show(*d, form, "justification", "JUSTIFICATION_ERROR");
    if (fb.errors.fields.contains(form + ".justification")) d->ShowSection("OVERRIDE_OPEN");
}

// ---- /console/incidents -----------------------------------------------------------------------------------------

// The variables every view of an incident uses: ID, TITLE, SEVERITY (+ _CLASS, _REASON), STATUS (+ _LABEL),
// COMMANDER (+ _PHONE in HAS_COMMANDER_PHONE), DECLARED, and the next update: HAS_NEXT_UPDATE (NEXT_UPDATE_AT,
// NEXT_UPDATE_REASON and the countdown) or NO_NEXT_UPDATE; RESOLVED (RESOLVED_AT) once resolved.
void fill_incident(ctemplate::TemplateDictionary& d, const inc::Incident& i, core::UtcTime now)
{
    d.SetIntValue("ID", static_cast<long>(i.id));
    d.SetValue("TITLE", i.title);
    d.SetValue("SEVERITY", std::string(inc::to_string(i.severity)));
    d.SetValue("SEVERITY_CLASS", core::ascii_lower(inc::to_string(i.severity)));
    d.SetValue("SEVERITY_REASON", i.severity_reason);
    d.SetValue("STATUS", std::string(inc::to_string(i.status)));
    d.SetValue("STATUS_LABEL", std::string(status_name(i.status)));
    d.SetValue("STATUS_WORDS", std::string(inc::status_words(i.status)));
    d.SetValue("COMMANDER", i.commander_name);
    if (!i.commander_phone.empty())
        d.SetValueAndShowSection("COMMANDER_PHONE", i.commander_phone, "HAS_COMMANDER_PHONE");
    d.SetValue("DECLARED", describe_time(i.declared_at));
    if (i.next_update_at) {
        auto* next = d.AddSectionDictionary("HAS_NEXT_UPDATE");
        next->SetValue("NEXT_UPDATE_AT", describe_time(*i.next_update_at));
        next->SetValue("NEXT_UPDATE_SHORT", short_time(*i.next_update_at, now));
        next->SetValue("NEXT_UPDATE_REASON", i.next_update_reason);
        fill_countdown(*next, *i.next_update_at, now, "next update in");
        if (*i.next_update_at < now) d.ShowSection("OVERDUE");
    } else {
        d.ShowSection("NO_NEXT_UPDATE");
    }
    if (i.resolved_at) d.SetValueAndShowSection("RESOLVED_AT", describe_time(*i.resolved_at), "RESOLVED");
}

struct DeclareFields {
    std::string title, keywords, ticket;
    ImpactFields impact;
};

// The declare form (console_incident_form.tpl) as include DECLARE.
void fill_declare(ctemplate::TemplateDictionary& parent, Services& s, const Context& ctx, const DeclareFields& f,
                  const std::string& ticket_subject, const Feedback& fb)
{
    auto* d = parent.AddIncludeDictionary("DECLARE");
    d->SetFilename("console_incident_form.tpl");
    d->SetValue("CSRF", ctx.csrf_token);
    d->SetValue("TITLE", f.title);
    d->SetValue("KEYWORDS", f.keywords);
    if (!f.ticket.empty()) {
        auto* t = d->AddSectionDictionary("HAS_TICKET");
        t->SetValue("TICKET", f.ticket);
        t->SetValue("TICKET_SUBJECT", ticket_subject);
    }
    fb.show(*d, "declare", "title", "TITLE_ERROR");
    fb.show(*d, "declare", "ticket", "TICKET_ERROR");
    fb.show(*d, "declare", "summary", "ERROR");
    if (fb.form == "declare" && !fb.errors.empty() && !fb.errors.fields.contains("declare.summary"))
        d->SetValueAndShowSection("ERROR", "The incident was not declared: see the marked fields.", "HAS_ERROR");
    fill_impact(*d, "declare", f.impact, s.orgs.list(*ctx.actor), fb, {});
}

Response list_page(Services& s, const Context& ctx, const DeclareFields& fields, const Feedback& fb, status code)
{
    const bool all = ctx.query_value("status") == "all";
    auto incidents = s.incidents.list(*ctx.actor, !all);
    if (!incidents) return error_page(ctx, incidents.error());
    const auto now = s.clock.now();
    PageView page(ctx, "Incidents", "console_incidents.tpl");
    page.set_current("incidents");
    auto& d = page.content();
    d.ShowSection(all ? "AT_ALL" : "AT_OPEN");
    d.SetValue("SCRIPT_VERSION", asset_version("incident-room.js"));
    if (incidents->empty()) {
        d.SetValueAndShowSection("EMPTY_HEADING", all ? "No incidents yet" : "No open incidents", "NO_INCIDENTS");
    } else {
        d.ShowSection("HAS_INCIDENTS");
    }
    std::size_t shown = 0;
    for (const auto& i : *incidents) {
        if (++shown > kListSize) break;
        auto* row = d.AddSectionDictionary("INCIDENT");
        fill_incident(*row, i, now);
        auto record = s.incidents.get(*ctx.actor, i.id);
        row->SetIntValue("TICKETS", record ? static_cast<long>(record->tickets.size()) : 0);
    }
    fill_declare(d, s, ctx, fields, {}, fb);
    return page.render(code);
}

boost::asio::awaitable<Response> list(Services& s, Context& ctx)
{
    co_return list_page(s, ctx, {}, {}, status::ok);
}

// The declare form on a page of its own, pre-linked to ticket `fields.ticket` (from the ticket page's button).
Response new_page(Services& s, const Context& ctx, DeclareFields fields, const Feedback& fb, status code)
{
    std::string subject;
    if (!fields.ticket.empty()) {
        auto id = ticket::parse_ref(fields.ticket);
        if (!id) return error_page(ctx, core::Error::not_found("there is no ticket " + fields.ticket));
        auto view = s.tickets.get(*ctx.actor, *id);
        if (!view) return error_page(ctx, view.error());
        subject = view->ticket.subject;
        fields.ticket = view->ticket.ref();
        if (fields.title.empty() && fb.form.empty()) fields.title = subject;
    }
    PageView page(ctx, "Declare an incident", "console_incident_new.tpl");
    page.set_current("incidents");
    auto& d = page.content();
    if (!fields.ticket.empty()) d.SetValueAndShowSection("TICKET", fields.ticket, "FROM_TICKET");
    fill_declare(d, s, ctx, fields, subject, fb);
    return page.render(code);
}

boost::asio::awaitable<Response> new_form(Services& s, Context& ctx)
{
    DeclareFields fields;
    fields.ticket = core::trim(ctx.query_value("ticket").value_or(""));
    co_return new_page(s, ctx, std::move(fields), {}, status::ok);
}

boost::asio::awaitable<Response> declare(Services& s, Context& ctx)
{
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    DeclareFields fields;
    fields.title = form->get("title");
    fields.keywords = form->get("keywords");
    fields.ticket = core::trim(form->get("ticket"));
    fields.impact = read_impact(*form);
    Feedback fb;
    fb.form = "declare";
    auto failed = [&](status code) {
        return fields.ticket.empty() ? list_page(s, ctx, fields, fb, code) : new_page(s, ctx, fields, fb, code);
    };

    inc::DeclareInput in;
    in.title = fields.title;
    auto parsed = parse_impact(fields.impact, "declare", fb.errors);  // no structured bindings in coroutines (GCC 12)
    in.impact = std::move(parsed.first);
    in.severity = parsed.second;
    in.severity_justification = fields.impact.justification;
    in.organization_slugs = fields.impact.organizations;
    in.keywords = split_list(fields.keywords, ", \n\t");
    if (!fields.ticket.empty()) {
        if (auto id = ticket::parse_ref(fields.ticket))
            in.ticket_ids.push_back(id->value);
        else
            fb.errors.add("declare.ticket", "There is no ticket " + fields.ticket + ".");
    }
    if (!fb.errors.empty()) co_return failed(status::bad_request);
    auto declared = co_await s.incidents.declare(*ctx.actor, std::move(in));
    if (!declared) {
        const auto code = declared.error().code();
        if (code != core::ErrorCode::InvalidArgument && code != core::ErrorCode::Conflict)
            co_return error_page(ctx, declared.error());
        file_service_error(fb.errors, "declare", declared.error());
        co_return failed(status_for(code));
    }
    co_return redirect(ctx, room_path(declared->id) + "?done=declared");
}

// ---- The incident room ------------------------------------------------------------------------------------------

std::string_view kind_label(const inc::Update& u)
{
    if (u.kind == "note") return "Note";
    if (u.kind == "briefing") return "Briefing";
    if (u.kind == "resolved") return "Resolved";
    if (u.kind == "step") return "Step";
    if (u.kind == "step_overdue") return "Step overdue";
    if (u.kind == "alert") return "Alert";
    if (u.kind == "declared") return "Declared";
    if (u.kind == "severity") return "Severity";
    if (u.kind == "handover") return "Handover";
    if (u.kind == "role") return "Role";
    if (u.kind == "status") return "Status";
    if (u.kind == "link") return "Linked";
    if (u.kind == "reminder") return "Reminder";
    if (u.kind == "escalated") return "Escalated";
    if (u.kind == "action_item") return "Action item";
    return "Update";
}

void fill_update(ctemplate::TemplateDictionary& row, const inc::Update& u, core::UtcTime now)
{
    row.SetIntValue("UPDATE_ID", static_cast<long>(u.id));
    row.SetValue("CHANNEL", std::string(inc::to_string(u.channel)));
    row.SetValue("KIND", u.kind);
    row.SetValue("KIND_LABEL", std::string(kind_label(u)));
    row.SetValue("AUTHOR", u.author_name.empty() ? std::string("Lifeline") : u.author_name);
    row.SetValue("BODY", u.body);
    row.SetValue("TIME", describe_time(u.at));
    row.SetValue("ISO", core::format_rfc3339(u.at));
    row.SetValue("STATUS_LABEL", std::string(status_name(u.status)));
    if (u.next_update_at) {
        auto* next = row.AddSectionDictionary("HAS_NEXT");
        next->SetValue("NEXT", short_time(*u.next_update_at, now));
        next->SetValue("NEXT_REASON", u.next_update_reason);
    }
}

// The room's header (console_incident_summary.tpl): the facts, the next-update countdown and the lifecycle form.
void fill_summary(ctemplate::TemplateDictionary& d, const inc::Record& r, core::UtcTime now, const Feedback& fb,
                  const std::string& csrf)
{
    const auto& i = r.incident;
    fill_incident(d, i, now);
    d.SetValue("CSRF", csrf);
    if (!i.severity_override_reason.empty()) {
        auto* o = d.AddSectionDictionary("HAS_OVERRIDE");
        o->SetValue("PROPOSED", std::string(inc::to_string(i.proposed_severity)));
        o->SetValue("OVERRIDE", i.severity_override_reason);
    }
    d.SetValue("COMMUNICATIONS_LEAD", i.communications_lead_id ? i.communications_lead_name : std::string("nobody"));
    d.SetValue("TECHNICAL_LEAD", i.technical_lead_id ? i.technical_lead_name : std::string("nobody"));
    std::string affected =
        r.organization_names.empty() ? std::string("no organization recorded") : join(r.organization_names, ", ");
    if (i.impact.users > 0)
        affected +=
            "; " + std::string(i.impact.users_estimated ? "about " : "") + std::to_string(i.impact.users) + " users";
    d.SetValue("AFFECTED", affected);
    auto times = inc::durations(i);
    d.SetValue("TTA", minutes_or_dash(times.acknowledge));
    d.SetValue("TTM", minutes_or_dash(times.mitigate));
    d.SetValue("TTR", minutes_or_dash(times.resolve));

    const auto current =
        static_cast<std::size_t>(std::find(kStatuses.begin(), kStatuses.end(), i.status) - kStatuses.begin());
    for (std::size_t k = 0; k < kStatuses.size(); ++k) {
        auto* step = d.AddSectionDictionary("LIFECYCLE");
        step->SetValue("LABEL", std::string(status_name(kStatuses[k])));
        if (k == current) step->ShowSection("CURRENT");
        if (k < current) step->ShowSection("DONE");
    }
    if (i.open()) {
        for (std::size_t k = current + 1; k < kStatuses.size(); ++k) {
            auto* button = d.AddSectionDictionary("STATUS_BUTTON");
            button->SetValue("VALUE", std::string(inc::to_string(kStatuses[k])));
            button->SetValue("LABEL", kStatuses[k] == inc::Status::Resolved
                                          ? std::string("Resolve")
                                          : "Mark " + core::ascii_lower(status_name(kStatuses[k])));
            if (k == current + 1) button->ShowSection("PRIMARY");
        }
        d.SetValue("NOTE_HINT", "Optional. On Resolve it is the resolution notice linked requesters receive.");
    } else {
        auto* button = d.AddSectionDictionary("STATUS_BUTTON");
        button->SetValue("VALUE", "investigating");
        button->SetValue("LABEL", "Reopen (investigating)");
        d.SetValue("NOTE_HINT", "Optional: why it is reopened.");
    }
    d.SetValue("STATUS_NOTE", fb.value("status", "note"));
    fb.show(d, "status", "summary", "STATUS_ERROR");
}

// The technical log (console_incident_technical.tpl): the technical channel and the system's events, newest first.
void fill_technical(ctemplate::TemplateDictionary& d, const inc::Record& r, core::UtcTime now)
{
    bool any = false;
    for (auto it = r.updates.rbegin(); it != r.updates.rend(); ++it) {
        if (it->channel == inc::Channel::Business) continue;
        fill_update(*d.AddSectionDictionary("ENTRY"), *it, now);
        any = true;
    }
    d.ShowSection(any ? "HAS_ENTRIES" : "NO_ENTRIES");
}

// The business channel (console_incident_business.tpl): the briefings, newest first.
void fill_business(ctemplate::TemplateDictionary& d, const inc::Record& r, core::UtcTime now)
{
    bool any = false;
    for (auto it = r.updates.rbegin(); it != r.updates.rend(); ++it) {
        if (it->channel != inc::Channel::Business) continue;
        fill_update(*d.AddSectionDictionary("ENTRY"), *it, now);
        any = true;
    }
    d.ShowSection(any ? "HAS_ENTRIES" : "NO_ENTRIES");
}

// Diagnostic steps (console_incident_steps.tpl): open ones with their deadline and the outcome form, then the rest.
void fill_steps(ctemplate::TemplateDictionary& d, const inc::Record& r, core::UtcTime now, const Feedback& fb,
                const std::string& csrf)
{
    const auto& i = r.incident;
    bool open = false, closed = false;
    for (const auto& step : r.steps) {
        if (step.state != inc::StepState::Open) {
            closed = true;
            auto* row = d.AddSectionDictionary("CLOSED_STEP");
            row->SetValue("TITLE", step.title);
            row->SetValue("OWNER", step.owner_name);
            row->SetValue("STATE", std::string(inc::to_string(step.state)));
            row->SetValue("STATE_LABEL", step.state == inc::StepState::Confirmed ? "confirmed" : "ruled out");
            if (!step.outcome.empty()) row->SetValueAndShowSection("OUTCOME", step.outcome, "HAS_OUTCOME");
            continue;
        }
        open = true;
        auto* row = d.AddSectionDictionary("STEP");
        const auto form = "outcome-" + std::to_string(step.id);
        row->SetIntValue("STEP_ID", static_cast<long>(step.id));
        row->SetIntValue("INCIDENT_ID", static_cast<long>(i.id));
        row->SetValue("CSRF", csrf);
        row->SetValue("TITLE", step.title);
        row->SetValue("OWNER", step.owner_name);
        row->SetValue("DEADLINE", describe_time(step.deadline_at));
        fill_countdown(*row, step.deadline_at, now, "due in");
        if (step.extensions > 0) {
            row->SetIntValue("EXTENSIONS", step.extensions);
            row->ShowSection("HAS_EXTENSIONS");
        }
        if (i.open()) {
            auto* f = row->AddSectionDictionary("CAN_RECORD");
            f->SetValue("NOTE", fb.value(form, "note"));
            f->SetValue("NEW_DEADLINE", fb.value(form, "new_deadline"));
            add_minutes_options(*f, fb.value(form, "new_deadline_in"));
            fb.show(*f, form, "summary", "STEP_ERROR");
            fb.show(*f, form, "outcome", "OUTCOME_ERROR");
            fb.show(*f, form, "note", "NOTE_ERROR");
            fb.show(*f, form, "new_deadline", "NEW_DEADLINE_ERROR");
        }
    }
    if (open) d.ShowSection("HAS_OPEN");
    if (closed) d.ShowSection("HAS_CLOSED");
    if (!open && !closed) d.ShowSection("NO_STEPS");
}

// Linked tickets and alerts, and the suggested duplicates with their Link buttons (console_incident_links.tpl).
void fill_links(ctemplate::TemplateDictionary& d, const inc::Record& r,
                const core::Result<std::vector<inc::LinkedTicket>>& suggestions, const std::string& csrf)
{
    d.SetIntValue("ID", static_cast<long>(r.incident.id));
    d.SetValue("CSRF", csrf);
    for (const auto& t : r.tickets) {
        auto* row = d.AddSectionDictionary("TICKET");
        row->SetValue("REF", t.ref);
        row->SetValue("SUBJECT", t.subject);
        row->SetValue("ORGANIZATION",
                      t.organization_name.empty() ? std::string("no organization") : t.organization_name);
    }
    d.ShowSection(r.tickets.empty() ? "NO_TICKETS" : "HAS_TICKETS");
    for (const auto& a : r.alerts) {
        auto* row = d.AddSectionDictionary("ALERT");
        row->SetValue("SUMMARY", a.summary);
        row->SetValue("SERVICE", a.service_name);
        row->SetValue("ALERT_STATUS", a.status);
    }
    d.ShowSection(r.alerts.empty() ? "NO_ALERTS" : "HAS_ALERTS");
    if (!r.incident.open()) return;
    auto* box = d.AddSectionDictionary("SUGGESTIONS");
    if (!suggestions) {
        box->SetValueAndShowSection("SUGGESTIONS_ERROR", sentence(suggestions.error()), "HAS_SUGGESTIONS_ERROR");
        return;
    }
    box->ShowSection(suggestions->empty() ? "NO_SUGGESTIONS" : "HAS_SUGGESTIONS");
    for (const auto& t : *suggestions) {
        auto* row = box->AddSectionDictionary("SUGGESTION");
        row->SetValue("REF", t.ref);
        row->SetValue("SUBJECT", t.subject);
        row->SetValue("ORGANIZATION",
                      t.organization_name.empty() ? std::string("no organization") : t.organization_name);
        row->SetValue("REQUESTER", t.requester_email);
    }
}

std::string briefing_template(std::string_view key, const inc::Incident& i)
{
    if (key == "investigating")
        return "We know about the problem: " + i.title +
               ". Our engineers are investigating the cause now.\n\nWhat you may notice: \nWorkaround: none known "
               "yet; we will tell you as soon as there is one.";
    if (key == "identified")
        return "We have found the cause of the problem (" + i.title +
               ") and are working on a fix.\n\nThe cause: \nWhat we are doing: \nWhen we expect it fixed: ";
    if (key == "workaround")
        return "While we work on a fix, you can keep working this way:\n\n\n\nWe will tell you as soon as the fix is "
               "in place.";
    if (key == "still_working")
        return "We are still working on it. There is no news yet; we will tell you as soon as there is.";
    return {};
}

// Feedback that prefills the briefing form from one of the one-click templates (?template=…).
Feedback prefilled(const Context& ctx, const inc::Incident& i)
{
    Feedback fb;
    auto key = ctx.query_value("template").value_or("");
    auto body = briefing_template(key, i);
    if (body.empty()) return fb;
    fb.form = "briefing";
    fb.values["body"] = body;
    if (key == "still_working") {
        fb.values["next_update_in"] = "30";
        fb.values["next_update_reason"] = "our regular half-hourly update while the cause is being worked on";
    }
    return fb;
}

void add_staff_options(ctemplate::TemplateDictionary& d, std::string_view section,
                       const core::Result<std::vector<auth::User>>& staff, const std::string& chosen,
                       std::int64_t except = 0)
{
    if (!staff) return;
    for (const auto& u : *staff) {
        if (u.id.value == except) continue;
        auto value = std::to_string(u.id.value);
        add_option(d, section, value, u.name + " (" + u.email + ")", value == chosen);
    }
}

Response room_page(Services& s, const Context& ctx, std::int64_t id, const Feedback& given, status code)
{
    // Read the hub's position before the store, so that a change committed meanwhile is replayed to the page.
    const auto last_id = s.hub ? s.hub->last_id() : 0;
    auto record = s.incidents.get(*ctx.actor, id);
    if (!record) return error_page(ctx, record.error());
    const auto& i = record->incident;
    const Feedback fb = given.form.empty() ? prefilled(ctx, i) : given;
    const auto now = s.clock.now();
    const auto& csrf = ctx.csrf_token;
    auto staff = s.auth.staff(*ctx.actor);
    auto orgs = s.orgs.list(*ctx.actor);

    PageView page(ctx, "Incident " + std::to_string(id) + ": " + i.title, "console_incident.tpl");
    page.set_current("incidents");
    auto& d = page.content();
    d.SetIntValue("ID", static_cast<long>(id));
    d.SetValue("TITLE", i.title);
    d.SetValue("SCRIPT_VERSION", asset_version("incident-room.js"));
    if (s.hub)
        d.SetValueAndShowSection("EVENTS_URL", room_path(id) + "/events?last_event_id=" + std::to_string(last_id),
                                 "LIVE");
    show_flash(d, ctx,
               {{"declared", "The incident is declared and you are its commander. The first briefing is due within "
                             "30 minutes."},
                {"note", "Your note was added to the technical log."},
                {"briefing", "Your briefing was sent to every linked requester."},
                {"still_working", "The \"still working on it\" briefing was sent; the next update is due in 30 min."},
                {"status", "The status was changed."},
                {"assessed", "The impact was re-assessed."},
                {"handover", "Command was handed over."},
                {"role", "The role was changed."},
                {"linked", "The ticket was linked; its requester got the known-issue answer."},
                {"alert", "The alert was linked."},
                {"step", "The diagnostic step was added."},
                {"outcome", "The step's outcome was recorded."}});

    auto* summary = d.AddIncludeDictionary("SUMMARY");
    summary->SetFilename("console_incident_summary.tpl");
    fill_summary(*summary, *record, now, fb, csrf);
    auto* technical = d.AddIncludeDictionary("TECHNICAL");
    technical->SetFilename("console_incident_technical.tpl");
    fill_technical(*technical, *record, now);
    auto* business = d.AddIncludeDictionary("BUSINESS");
    business->SetFilename("console_incident_business.tpl");
    fill_business(*business, *record, now);
    auto* steps = d.AddIncludeDictionary("STEPS");
    steps->SetFilename("console_incident_steps.tpl");
    fill_steps(*steps, *record, now, fb, csrf);
    auto* links = d.AddIncludeDictionary("LINKS");
    links->SetFilename("console_incident_links.tpl");
    fill_links(*links, *record, s.incidents.suggestions(*ctx.actor, id), csrf);

    if (i.open()) {
        auto* post = d.AddSectionDictionary("CAN_POST");
        post->SetValue("NOTE_BODY", fb.value("note", "body"));
        fb.show(*post, "note", "summary", "NOTE_ERROR");
        fb.show(*post, "note", "body", "NOTE_BODY_ERROR");
        post->SetValue("BRIEFING_BODY", fb.value("briefing", "body"));
        post->SetValue("NEXT_UPDATE_AT", fb.value("briefing", "next_update_at"));
        post->SetValue("NEXT_UPDATE_REASON", fb.value("briefing", "next_update_reason"));
        post->SetValue("NOW_UTC", input_time(now).replace(10, 1, " "));
        add_minutes_options(*post, fb.value("briefing", "next_update_in"));
        fb.show(*post, "briefing", "summary", "BRIEFING_ERROR");
        fb.show(*post, "briefing", "body", "BRIEFING_BODY_ERROR");
        fb.show(*post, "briefing", "next_update_at", "NEXT_UPDATE_ERROR");
        fb.show(*post, "briefing", "next_update_reason", "NEXT_UPDATE_REASON_ERROR");
        if (fb.form == "briefing" && fb.errors.empty()) post->ShowSection("PREFILLED");

        post->SetValue("STEP_TITLE", fb.value("step", "title"));
        post->SetValue("STEP_DEADLINE", fb.value("step", "deadline_at"));
        auto* step_in = post->AddSectionDictionary("STEP_IN");
        add_minutes_options(*step_in, fb.value("step", "deadline_in"));
        add_staff_options(*post, "OWNER_OPTION", staff,
                          fb.value("step", "owner_id", std::to_string(ctx.actor->user_id.value)));
        fb.show(*post, "step", "summary", "STEP_ERROR");
        fb.show(*post, "step", "title", "STEP_TITLE_ERROR");
        fb.show(*post, "step", "owner_id", "STEP_OWNER_ERROR");
        fb.show(*post, "step", "deadline_at", "STEP_DEADLINE_ERROR");

        post->SetValue("LINK_REF", fb.value("link", "ref"));
        fb.show(*post, "link", "summary", "LINK_ERROR");
        fb.show(*post, "link", "ref", "LINK_REF_ERROR");
        auto alerts = s.alerts.list(*ctx.actor, true);
        std::set<std::int64_t> linked;
        for (const auto& a : record->alerts)
            linked.insert(a.alert_id);
        if (alerts) {
            for (const auto& a : *alerts) {
                if (linked.contains(a.id)) continue;
                add_option(*post, "ALERT_OPTION", std::to_string(a.id), a.service_name + ": " + a.summary,
                           fb.value("alert", "alert_id") == std::to_string(a.id));
                post->ShowSection("HAS_ALERT_OPTIONS");
            }
        }
        fb.show(*post, "alert", "summary", "ALERT_ERROR");
    } else {
        d.ShowSection("RESOLVED");
    }

    if (staff) {
        d.ShowSection("HAS_STAFF");
        add_staff_options(d, "HANDOVER_OPTION", staff, fb.value("handover", "user_id"), i.commander_id);
        d.SetValue("HANDOVER_NOTE", fb.value("handover", "note"));
        add_option(d, "COMMUNICATIONS_OPTION", "0", "Nobody", i.communications_lead_id == 0);
        add_staff_options(d, "COMMUNICATIONS_OPTION", staff,
                          fb.value("role-communications", "user_id", std::to_string(i.communications_lead_id)));
        add_option(d, "TECHNICAL_OPTION", "0", "Nobody", i.technical_lead_id == 0);
        add_staff_options(d, "TECHNICAL_OPTION", staff,
                          fb.value("role-technical", "user_id", std::to_string(i.technical_lead_id)));
    } else {
        d.SetValueAndShowSection("STAFF_ERROR", sentence(staff.error()), "HAS_STAFF_ERROR");
    }
    d.SetValue("COMMANDER", i.commander_name);
    fb.show(d, "handover", "summary", "HANDOVER_ERROR");
    fb.show(d, "handover", "user_id", "HANDOVER_USER_ERROR");
    fb.show(d, "role-communications", "summary", "COMMUNICATIONS_ERROR");
    fb.show(d, "role-communications", "user_id", "COMMUNICATIONS_ERROR");
    fb.show(d, "role-technical", "summary", "TECHNICAL_ERROR");
    fb.show(d, "role-technical", "user_id", "TECHNICAL_ERROR");

    auto* assess = d.AddSectionDictionary("ASSESS");
    assess->SetIntValue("ID", static_cast<long>(id));
    assess->SetValue("CSRF", csrf);
    fb.show(*assess, "assess", "summary", "ASSESS_ERROR");
    const auto proposal =
        "Now " + std::string(inc::to_string(i.severity)) + ": " + i.severity_reason +
        (i.severity_override_reason.empty() ? std::string() : " (overridden: " + i.severity_override_reason + ")");
    fill_impact(*assess, "assess",
                fb.form == "assess" && fb.impact ? *fb.impact
                                                 : impact_fields_of(i, orgs ? *orgs : std::vector<org::Organization>{}),
                orgs, fb, proposal);
    return page.render(code);
}

boost::asio::awaitable<Response> room(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    co_return room_page(s, ctx, *id, {}, status::ok);
}

// GET /console/incidents/{id}/fragment/{part}: one live region of the room (summary, technical, business, steps,
// links), which the room's script fetches again when the incident changed.
boost::asio::awaitable<Response> fragment(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    const auto& part = ctx.params.at("part");
    auto record = s.incidents.get(*ctx.actor, *id);
    if (!record) co_return error_page(ctx, record.error());
    const auto now = s.clock.now();
    ctemplate::TemplateDictionary d("fragment");
    std::string name;
    if (part == "summary") {
        fill_summary(d, *record, now, {}, ctx.csrf_token);
        name = "console_incident_summary.tpl";
    } else if (part == "technical") {
        fill_technical(d, *record, now);
        name = "console_incident_technical.tpl";
    } else if (part == "business") {
        fill_business(d, *record, now);
        name = "console_incident_business.tpl";
    } else if (part == "steps") {
        fill_steps(d, *record, now, {}, ctx.csrf_token);
        name = "console_incident_steps.tpl";
    } else if (part == "links") {
        fill_links(d, *record, s.incidents.suggestions(*ctx.actor, *id), ctx.csrf_token);
        name = "console_incident_links.tpl";
    } else {
        co_return error_page(ctx, status::not_found, "Page not found", "There is no page at this address.");
    }
    co_return html(ctx, status::ok, expand(name, d));
}

// ---- Posts to the room ------------------------------------------------------------------------------------------

// POST /console/incidents/{id}/…: the id and the posted form (its CSRF token checked), then `Action`.
template <auto Action> boost::asio::awaitable<Response> on_room(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    co_return co_await Action(s, ctx, *id, *form);
}

// The room again with the messages of a failed post beside its form; other errors than invalid input and
// conflicts get their own page.
Response room_failed(Services& s, const Context& ctx, std::int64_t id, Feedback fb, const core::Error& e)
{
    const auto code = e.code();
    if (code != core::ErrorCode::InvalidArgument && code != core::ErrorCode::Conflict) return error_page(ctx, e);
    file_service_error(fb.errors, fb.form, e);
    return room_page(s, ctx, id, fb, status_for(code));
}

Response back_to_room(const Context& ctx, std::int64_t id, std::string_view flash, std::string_view anchor)
{
    return redirect(ctx, room_path(id) + "?done=" + std::string(flash) + "#" + std::string(anchor));
}

// A note to the technical log, or a briefing to the business channel with the next update's time and reason.
boost::asio::awaitable<Response> post_update(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    const bool business = form.get("channel") == "business";
    Feedback fb;
    fb.form = business ? "briefing" : "note";
    fb.keep(form, {"body", "next_update_at", "next_update_in", "next_update_reason"});
    inc::UpdateInput in;
    in.channel = business ? inc::Channel::Business : inc::Channel::Technical;
    in.body = form.get("body");
    if (business) {
        in.next_update_at =
            form_time(form, "next_update_at", "next_update_in", s.clock.now(), fb.errors, "briefing.next_update_at");
        in.next_update_reason = form.get("next_update_reason");
    }
    if (!fb.errors.empty()) co_return room_page(s, ctx, id, fb, status::bad_request);
    auto update = co_await s.incidents.post_update(*ctx.actor, id, std::move(in));
    if (!update) co_return room_failed(s, ctx, id, std::move(fb), update.error());
    if (business) co_return back_to_room(ctx, id, "briefing", "business");
    co_return back_to_room(ctx, id, "note", "technical");
}

boost::asio::awaitable<Response> still_working(Services& s, Context& ctx, std::int64_t id, const Form&)
{
    auto update = co_await s.incidents.still_working(*ctx.actor, id);
    if (!update) {
        Feedback fb;
        fb.form = "briefing";
        co_return room_failed(s, ctx, id, std::move(fb), update.error());
    }
    co_return back_to_room(ctx, id, "still_working", "business");
}

boost::asio::awaitable<Response> set_status(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "status";
    fb.keep(form, {"note"});
    auto to = inc::parse_status(form.get("status"));
    if (!to) {
        fb.errors.add("status.summary", "Choose investigating, identified, monitoring or resolved.");
        co_return room_page(s, ctx, id, fb, status::bad_request);
    }
    auto changed = co_await s.incidents.set_status(*ctx.actor, id, *to, form.get("note"));
    if (!changed) co_return room_failed(s, ctx, id, std::move(fb), changed.error());
    co_return back_to_room(ctx, id, "status", "incident-summary");
}

boost::asio::awaitable<Response> assess(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "assess";
    fb.impact = read_impact(form);
    auto parsed = parse_impact(*fb.impact, "assess", fb.errors);
    auto& impact = parsed.first;
    const auto severity = parsed.second;
    auto orgs = s.orgs.list(*ctx.actor);
    if (!orgs) co_return error_page(ctx, orgs.error());
    for (const auto& slug : fb.impact->organizations) {
        auto it = std::find_if(orgs->begin(), orgs->end(), [&](const auto& o) { return o.slug == slug; });
        if (it == orgs->end())
            fb.errors.add("assess.organizations", "There is no organization '" + slug + "'.");
        else
            impact.organization_ids.push_back(it->id.value);
    }
    if (!fb.errors.empty()) co_return room_page(s, ctx, id, fb, status::bad_request);
    auto assessed = co_await s.incidents.assess(*ctx.actor, id, std::move(impact), severity, fb.impact->justification);
    if (!assessed) co_return room_failed(s, ctx, id, std::move(fb), assessed.error());
    co_return back_to_room(ctx, id, "assessed", "incident-summary");
}

boost::asio::awaitable<Response> handover(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "handover";
    fb.keep(form, {"user_id", "note"});
    auto user = core::parse_integer(core::trim(form.get("user_id")));
    if (!user || *user <= 0) {
        fb.errors.add("handover.user_id", "Choose who takes command.");
        co_return room_page(s, ctx, id, fb, status::bad_request);
    }
    auto handed = co_await s.incidents.handover(*ctx.actor, id, *user, form.get("note"));
    if (!handed) co_return room_failed(s, ctx, id, std::move(fb), handed.error());
    co_return back_to_room(ctx, id, "handover", "incident-summary");
}

boost::asio::awaitable<Response> set_role(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    const auto role = form.get("role");
    Feedback fb;
    fb.form = role == "technical" ? "role-technical" : "role-communications";
    fb.keep(form, {"user_id"});
    auto user = core::parse_integer(core::trim(form.get("user_id")));
    if (!user || *user < 0) {
        fb.errors.add(fb.form + ".user_id", "Choose a member of staff, or nobody.");
        co_return room_page(s, ctx, id, fb, status::bad_request);
    }
    auto changed = co_await s.incidents.set_role(*ctx.actor, id, role, *user);
    if (!changed) co_return room_failed(s, ctx, id, std::move(fb), changed.error());
    co_return back_to_room(ctx, id, "role", "people");
}

// Links a ticket by its reference: typed into the form, or a suggested duplicate's Link button.
boost::asio::awaitable<Response> link_ticket(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "link";
    fb.keep(form, {"ref"});
    const auto ref = core::trim(form.get("ref"));
    auto ticket = ticket::parse_ref(ref);
    if (!ticket) {
        fb.errors.add("link.ref", ref.empty() ? std::string("Enter a ticket reference such as LL-1042.")
                                              : "There is no ticket " + ref + ".");
        co_return room_page(s, ctx, id, fb, status::bad_request);
    }
    auto linked = co_await s.incidents.link_ticket(*ctx.actor, id, ticket->value);
    if (!linked) {
        const auto& e = linked.error();
        if (e.code() == core::ErrorCode::NotFound && e.message().starts_with("no ticket")) {
            fb.errors.add("link.ref", sentence(e));
            co_return room_page(s, ctx, id, fb, status::not_found);
        }
        if (e.code() == core::ErrorCode::Conflict) {
            fb.errors.add("link.ref", sentence(e));
            co_return room_page(s, ctx, id, fb, status::conflict);
        }
        co_return room_failed(s, ctx, id, std::move(fb), e);
    }
    co_return back_to_room(ctx, id, "linked", "links");
}

boost::asio::awaitable<Response> link_alert(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "alert";
    fb.keep(form, {"alert_id"});
    auto alert = core::parse_integer(core::trim(form.get("alert_id")));
    if (!alert || *alert <= 0) {
        fb.errors.add("alert.summary", "Choose an alert.");
        co_return room_page(s, ctx, id, fb, status::bad_request);
    }
    auto linked = co_await s.incidents.link_alert(*ctx.actor, id, *alert);
    if (!linked) {
        if (linked.error().code() == core::ErrorCode::NotFound) {
            fb.errors.add("alert.summary", sentence(linked.error()));
            co_return room_page(s, ctx, id, fb, status::not_found);
        }
        co_return room_failed(s, ctx, id, std::move(fb), linked.error());
    }
    co_return back_to_room(ctx, id, "alert", "links");
}

boost::asio::awaitable<Response> add_step(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "step";
    fb.keep(form, {"title", "owner_id", "deadline_at", "deadline_in"});
    inc::StepInput in;
    in.title = form.get("title");
    auto owner = core::trim(form.get("owner_id"));
    if (!owner.empty()) {
        auto n = core::parse_integer(owner);
        if (!n || *n <= 0)
            fb.errors.add("step.owner_id", "Choose who owns the step.");
        else
            in.owner_id = *n;
    }
    in.deadline_at = form_time(form, "deadline_at", "deadline_in", s.clock.now(), fb.errors, "step.deadline_at");
    if (!fb.errors.empty()) co_return room_page(s, ctx, id, fb, status::bad_request);
    auto step = co_await s.incidents.add_step(*ctx.actor, id, std::move(in));
    if (!step) co_return room_failed(s, ctx, id, std::move(fb), step.error());
    co_return back_to_room(ctx, id, "step", "steps");
}

boost::asio::awaitable<Response> record_step(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    auto step = int_param(ctx, "step");
    if (!step) co_return error_page(ctx, core::Error::not_found("there is no such step"));
    Feedback fb;
    fb.form = "outcome-" + std::to_string(*step);
    fb.keep(form, {"note", "new_deadline", "new_deadline_in"});
    inc::StepOutcome in;
    in.outcome = form.get("outcome");
    in.note = form.get("note");
    if (in.outcome == "extend")
        in.new_deadline =
            form_time(form, "new_deadline", "new_deadline_in", s.clock.now(), fb.errors, fb.form + ".new_deadline");
    if (!fb.errors.empty()) co_return room_page(s, ctx, id, fb, status::bad_request);
    auto recorded = co_await s.incidents.record_step(*ctx.actor, id, *step, std::move(in));
    if (!recorded) co_return room_failed(s, ctx, id, std::move(fb), recorded.error());
    co_return back_to_room(ctx, id, "outcome", "steps");
}

// GET /console/incidents/{id}/events: an event ("changed") whenever the incident changes, for the room's script;
// "reset" when the events since the page was rendered can no longer be replayed. Staff only.
boost::asio::awaitable<std::optional<Response>> events(Services& s, Context& ctx, EventStream& stream)
{
    if (auto ok = authenticate_page(ctx, s.auth); !ok) co_return problem(ctx, ok.error());
    auto id = int_param(ctx, "id");
    if (!id || !ctx.actor->is_staff()) co_return problem(ctx, core::Error::not_found("there is no such incident"));
    auto record = s.incidents.get(*ctx.actor, *id);
    if (!record) co_return problem(ctx, record.error());
    auto subscription = s.hub->subscribe(topic_of(*id), stream.last_event_id());
    if (subscription.missed_events()) {
        const bool sent = co_await stream.send("reset", std::to_string(*id));
        if (!sent) co_return std::nullopt;
    }
    co_await stream.pump(subscription);
    co_return std::nullopt;
}

// ---- The debrief ------------------------------------------------------------------------------------------------

struct MarkdownSection {
    std::string heading;
    std::string body;
};

// The Markdown split at its "# " and "## " headings; shown as preformatted text (escaped), one section each.
std::vector<MarkdownSection> markdown_sections(std::string_view md)
{
    std::vector<MarkdownSection> out;
    std::size_t pos = 0;
    while (pos < md.size()) {
        auto end = md.find('\n', pos);
        if (end == std::string_view::npos) end = md.size();
        auto line = md.substr(pos, end - pos);
        pos = end + 1;
        if (line.starts_with("# ") || line.starts_with("## ")) {
            out.push_back({std::string(line.substr(line.find(' ') + 1)), {}});
            continue;
        }
        if (out.empty()) out.push_back({});
        out.back().body.append(line);
        out.back().body += '\n';
    }
    for (auto& section : out)
        section.body = core::trim(section.body);
    return out;
}

Response debrief_page(Services& s, const Context& ctx, std::int64_t id, const Feedback& fb, status code)
{
    auto record = s.incidents.get(*ctx.actor, id);
    if (!record) return error_page(ctx, record.error());
    const auto& i = record->incident;
    const auto now = s.clock.now();
    PageView page(ctx, "Debrief: " + i.title, "console_incident_debrief.tpl");
    page.set_current("incidents");
    auto& d = page.content();
    d.SetIntValue("ID", static_cast<long>(id));
    d.SetValue("TITLE", i.title);
    if (i.open()) d.ShowSection("OPEN");
    show_flash(d, ctx, {{"action", "The action item was added."}, {"done", "The action item was updated."}});

    // The draft is the domain's (the text GET /api/v1/incidents/{id}/debrief gives), drafted from the record read.
    auto sections = markdown_sections(inc::debrief_markdown(*record));
    for (std::size_t k = 0; k < sections.size(); ++k) {
        const auto& section = sections[k];
        if (k == 0) {
            d.SetValue("HEADING", section.heading);
            d.SetValue("FACTS", section.body);
            continue;
        }
        // Shown below with their forms.
        if (section.heading == "Action items" || section.heading == "Customers' view") continue;
        auto* row = d.AddSectionDictionary("SECTION");
        row->SetValue("SECTION_HEADING", section.heading);
        row->SetValue("SECTION_BODY", section.body);
        row->SetValue("SECTION_ID", "debrief-" + org::slugify(section.heading));
    }

    d.ShowSection(record->action_items.empty() ? "NO_ITEMS" : "HAS_ITEMS");
    for (const auto& a : record->action_items) {
        auto* row = d.AddSectionDictionary("ITEM");
        row->SetIntValue("ITEM_ID", static_cast<long>(a.id));
        row->SetValue("ITEM_TITLE", a.title);
        row->SetValue("OWNER", a.owner_name);
        row->SetValue("DUE", describe_time(a.due_at));
        if (a.done_at) {
            row->SetValueAndShowSection("DONE_AT", describe_time(*a.done_at), "DONE");
        } else {
            row->ShowSection("NOT_DONE");
            if (a.due_at < now) row->ShowSection("ITEM_OVERDUE");
        }
    }
    d.SetValue("ACTION_TITLE", fb.value("action", "title"));
    d.SetValue("ACTION_DUE", fb.value("action", "due_at"));
    add_staff_options(d, "OWNER_OPTION", s.auth.staff(*ctx.actor),
                      fb.value("action", "owner_id", std::to_string(ctx.actor->user_id.value)));
    fb.show(d, "action", "summary", "ACTION_ERROR");
    fb.show(d, "action", "title", "ACTION_TITLE_ERROR");
    fb.show(d, "action", "owner_id", "ACTION_OWNER_ERROR");
    fb.show(d, "action", "due_at", "ACTION_DUE_ERROR");
    fb.show(d, "done", "summary", "DONE_ERROR");

    d.ShowSection(record->comments.empty() ? "NO_COMMENTS" : "HAS_COMMENTS");
    for (const auto& c : record->comments) {
        auto* row = d.AddSectionDictionary("COMMENT");
        row->SetValue("AUTHOR", c.author_name);
        row->SetValue("ORGANIZATION", c.organization_name.empty() ? std::string() : ", " + c.organization_name);
        row->SetValue("BODY", c.body);
        row->SetValue("TIME", describe_time(c.at));
    }
    return page.render(code);
}

boost::asio::awaitable<Response> debrief(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    co_return debrief_page(s, ctx, *id, {}, status::ok);
}

// GET /console/incidents/{id}/debrief/markdown: the draft as a Markdown file to download.
boost::asio::awaitable<Response> download_debrief(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    auto md = s.incidents.debrief(*ctx.actor, *id);
    if (!md) co_return error_page(ctx, md.error());
    auto res = text(ctx, status::ok, std::move(*md), "text/markdown; charset=utf-8");
    res.set(beast_http::field::content_disposition,
            "attachment; filename=\"incident-" + std::to_string(*id) + "-debrief.md\"");
    res.set(beast_http::field::cache_control, "no-store");
    co_return res;
}

Response debrief_failed(Services& s, const Context& ctx, std::int64_t id, Feedback fb, const core::Error& e)
{
    const auto code = e.code();
    if (code != core::ErrorCode::InvalidArgument && code != core::ErrorCode::Conflict) return error_page(ctx, e);
    file_service_error(fb.errors, fb.form, e);
    return debrief_page(s, ctx, id, fb, status_for(code));
}

boost::asio::awaitable<Response> add_action_item(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    Feedback fb;
    fb.form = "action";
    fb.keep(form, {"title", "owner_id", "due_at"});
    auto owner = core::parse_integer(core::trim(form.get("owner_id")));
    if (!owner || *owner <= 0) fb.errors.add("action.owner_id", "Choose who owns the action item.");
    auto due = form_time(form, "due_at", "due_in", s.clock.now(), fb.errors, "action.due_at");
    if (!fb.errors.empty()) co_return debrief_page(s, ctx, id, fb, status::bad_request);
    auto item = co_await s.incidents.add_action_item(*ctx.actor, id, form.get("title"), *owner, due);
    if (!item) co_return debrief_failed(s, ctx, id, std::move(fb), item.error());
    co_return redirect(ctx, room_path(id) + "/debrief?done=action#action-items");
}

boost::asio::awaitable<Response> set_item_done(Services& s, Context& ctx, std::int64_t id, const Form& form)
{
    auto item = int_param(ctx, "item");
    if (!item) co_return error_page(ctx, core::Error::not_found("there is no such action item"));
    auto done = co_await s.incidents.set_action_item_done(*ctx.actor, id, *item, form.get("done") != "0");
    if (!done) {
        Feedback fb;
        fb.form = "done";
        co_return debrief_failed(s, ctx, id, std::move(fb), done.error());
    }
    co_return redirect(ctx, room_path(id) + "/debrief?done=done#action-items");
}

// ---- The portal -------------------------------------------------------------------------------------------------

boost::asio::awaitable<Response> portal_list(Services& s, Context& ctx)
{
    auto all = s.incidents.public_incidents(*ctx.actor, false);
    if (!all) co_return error_page(ctx, all.error());
    const auto now = s.clock.now();
    PageView page(ctx, "Incidents", "portal_incidents.tpl");
    page.set_current("portal-incidents");
    auto& d = page.content();
    d.ShowSection(all->empty() ? "EMPTY" : "HAS_INCIDENTS");
    for (const auto& v : *all) {
        auto* row = d.AddSectionDictionary("INCIDENT");
        fill_incident(*row, v.incident, now);
        row->ShowSection(v.incident.open() ? "IS_OPEN" : "DONE");
    }
    co_return page.render(status::ok);
}

Response portal_page(Services& s, const Context& ctx, std::int64_t id, const std::string& comment,
                     const std::string& comment_error, status code)
{
    auto view = s.incidents.public_view(*ctx.actor, id);
    if (!view) return error_page(ctx, view.error());
    const auto& i = view->incident;
    const auto now = s.clock.now();
    PageView page(ctx, i.title, "portal_incident.tpl");
    page.set_current("portal-incidents");
    auto& d = page.content();
    fill_incident(d, i, now);
    show_flash(d, ctx, {{"comment", "Thank you: your view was added to the debrief."}});
    d.ShowSection(view->briefings.empty() ? "NO_BRIEFINGS" : "HAS_BRIEFINGS");
    for (auto it = view->briefings.rbegin(); it != view->briefings.rend(); ++it)
        fill_update(*d.AddSectionDictionary("BRIEFING"), *it, now);
    if (!i.open()) {
        auto* f = d.AddSectionDictionary("CAN_COMMENT");
        f->SetValue("COMMENT", comment);
        if (!comment_error.empty()) f->SetValueAndShowSection("COMMENT_ERROR", comment_error, "HAS_COMMENT_ERROR");
    }
    return page.render(code);
}

boost::asio::awaitable<Response> portal_show(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    co_return portal_page(s, ctx, *id, {}, {}, status::ok);
}

boost::asio::awaitable<Response> portal_comment(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_incident(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    const auto body = form->get("body");
    auto comment = co_await s.incidents.add_comment(*ctx.actor, *id, body);
    if (!comment) {
        const auto& e = comment.error();
        if (e.code() != core::ErrorCode::InvalidArgument && e.code() != core::ErrorCode::Conflict)
            co_return error_page(ctx, e);
        auto message = e.fields().empty() ? sentence(e) : field_sentence("Your view", e.fields().front().message);
        co_return portal_page(s, ctx, *id, body, message, status_for(e.code()));
    }
    co_return redirect(ctx, "/portal/incidents/" + std::to_string(*id) + "?done=comment#debrief");
}

}  // namespace

void fill_incident_banner(ctemplate::TemplateDictionary& d, Services& s, const auth::Actor& actor)
{
    auto open = s.incidents.public_incidents(actor, true);
    if (!open || open->empty()) return;
    auto* banner = d.AddIncludeDictionary("INCIDENT_BANNER");
    banner->SetFilename("portal_incident_banner.tpl");
    const auto now = s.clock.now();
    for (const auto& v : *open) {
        auto* row = banner->AddSectionDictionary("INCIDENT");
        row->SetIntValue("ID", static_cast<long>(v.incident.id));
        row->SetValue("TITLE", v.incident.title);
        if (v.incident.next_update_at)
            row->SetValueAndShowSection("NEXT", short_time(*v.incident.next_update_at, now), "HAS_NEXT");
    }
}

void add_incident_page_routes(Router& router, Services& s)
{
    PageRoutes console(router, s, Audience::Staff);
    console.get("/console/incidents", list);
    console.post("/console/incidents", declare);
    console.get("/console/incidents/new", new_form);  // before "{id}": the first matching route wins
    console.get("/console/incidents/{id}", room);
    console.get("/console/incidents/{id}/fragment/{part}", fragment);
    console.post("/console/incidents/{id}/updates", on_room<post_update>);
    console.post("/console/incidents/{id}/still-working", on_room<still_working>);
    console.post("/console/incidents/{id}/status", on_room<set_status>);
    console.post("/console/incidents/{id}/assessment", on_room<assess>);
    console.post("/console/incidents/{id}/handover", on_room<handover>);
    console.post("/console/incidents/{id}/roles", on_room<set_role>);
    console.post("/console/incidents/{id}/tickets", on_room<link_ticket>);
    console.post("/console/incidents/{id}/alerts", on_room<link_alert>);
    console.post("/console/incidents/{id}/steps", on_room<add_step>);
    console.post("/console/incidents/{id}/steps/{step}/outcome", on_room<record_step>);
    console.get("/console/incidents/{id}/debrief", debrief);
    console.get("/console/incidents/{id}/debrief/markdown", download_debrief);
    console.post("/console/incidents/{id}/action-items", on_room<add_action_item>);
    console.post("/console/incidents/{id}/action-items/{item}/done", on_room<set_item_done>);
    if (s.hub)
        router.add_stream(verb::get, "/console/incidents/{id}/events",
                          [&s](Context& ctx, EventStream& stream) { return events(s, ctx, stream); });

    PageRoutes portal(router, s, Audience::Anyone);
    portal.get("/portal/incidents", portal_list);
    portal.get("/portal/incidents/{id}", portal_show);
    portal.post("/portal/incidents/{id}/comments", portal_comment);
}

}  // namespace lifeline::http::web
