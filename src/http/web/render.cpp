#include "http/web/render.hpp"

#include "core/embedded.hpp"
#include "core/text.hpp"
#include "http/response.hpp"
#include "http/web/pages.hpp"
#include "plan/plan.hpp"

#include <ctemplate/template.h>

#include <cctype>
#include <cstdio>
#include <functional>
#include <span>
#include <stdexcept>
#include <unordered_map>

namespace lifeline::http::web_templates {
std::span<const core::EmbeddedFile> files();
}
namespace lifeline::http::web_static {
std::span<const core::EmbeddedFile> files();
}
namespace lifeline::http::web_vendor {
std::span<const core::EmbeddedFile> files();
}

namespace lifeline::http::web {

namespace {

// Blank lines go; everything else stays (attributes may span lines, and <textarea> keeps its text).
constexpr auto kStrip = ctemplate::STRIP_BLANK_LINES;

struct Asset {
    std::string_view data;
    std::string_view content_type;
    std::string etag;     // quoted, as sent
    std::string version;  // for ?v= in the layout
};

std::unordered_map<std::string, Asset>& assets()
{
    static std::unordered_map<std::string, Asset> all;
    return all;
}

std::string hex_hash(std::string_view data)
{
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016zx", std::hash<std::string_view>{}(data));
    return std::string(buffer, 16);
}

void add_asset(std::string name, std::string_view data, std::string_view content_type)
{
    auto version = hex_hash(data).substr(0, 12);
    assets()[std::move(name)] = Asset{data, content_type, "\"" + version + "\"", version};
}

std::string_view version_of(const std::string& name)
{
    auto it = assets().find(name);
    return it == assets().end() ? std::string_view() : std::string_view(it->second.version);
}

std::string_view heading_for(beast_http::status status)
{
    switch (status) {
    case beast_http::status::not_found: return "Page not found";
    case beast_http::status::forbidden: return "This action was refused";
    case beast_http::status::bad_request: return "Something in the request was not right";
    case beast_http::status::unauthorized: return "Please sign in";
    case beast_http::status::conflict: return "That clashed with another change";
    case beast_http::status::too_many_requests: return "Too many requests";
    case beast_http::status::service_unavailable: return "The desk is busy";
    default: return "Something went wrong";
    }
}

}  // namespace

void load_templates()
{
    for (const auto& f : web_templates::files()) {
        if (!ctemplate::StringToTemplateCache(std::string(f.path), f.data.data(), f.data.size(), kStrip))
            throw std::runtime_error("the page template " + std::string(f.path) + " does not parse");
    }
    for (const auto& f : web_static::files()) {
        std::string_view type = "application/octet-stream";
        if (f.path.ends_with(".css"))
            type = "text/css; charset=utf-8";
        else if (f.path.ends_with(".js"))
            type = "text/javascript; charset=utf-8";
        else if (f.path.ends_with(".svg"))
            type = "image/svg+xml";
        add_asset(std::string(f.path), f.data, type);
    }
    for (const auto& f : web_vendor::files())
        add_asset(std::string(f.path), f.data, "text/javascript; charset=utf-8");
}

std::string expand(std::string_view name, const ctemplate::TemplateDictionary& dict)
{
    std::string out;
    if (!ctemplate::ExpandTemplate(std::string(name), kStrip, &dict, &out))
        throw std::runtime_error("the page template " + std::string(name) + " could not be expanded");
    return out;
}

PageView::PageView(const Context& ctx, std::string title, std::string_view content_template)
    : ctx_(ctx), layout_(std::make_unique<ctemplate::TemplateDictionary>("layout"))
{
    auto& d = *layout_;
    d.SetValue("TITLE", title);
    d.SetValue("CSS_VERSION", std::string(version_of("lifeline.css")));
    d.SetValue("HTMX_VERSION", std::string(version_of("htmx.min.js")));
    if (ctx.actor) {
        auto* who = d.AddSectionDictionary("SIGNED_IN");
        who->SetValue("USER_NAME", ctx.actor->name);
        who->SetValue("USER_EMAIL", ctx.actor->email);
        who->SetValue("CSRF", ctx.csrf_token);
        if (ctx.actor->is_staff())
            d.ShowSection("STAFF");
        else
            d.ShowSection("CONTACT");
    } else {
        d.ShowSection("ANONYMOUS");
    }
    content_ = d.AddIncludeDictionary("CONTENT");
    content_->SetFilename(std::string(content_template));
    if (ctx.actor) content_->SetValue("CSRF", ctx.csrf_token);
}

PageView::~PageView() = default;

void PageView::set_current(std::string_view nav)
{
    if (nav == "console")
        layout_->ShowSection("NAV_CONSOLE");
    else if (nav == "incidents")
        layout_->ShowSection("NAV_INCIDENTS");
    else if (nav == "outbox")
        layout_->ShowSection("NAV_OUTBOX");
    else if (nav == "held")
        layout_->ShowSection("NAV_HELD");
    else if (nav == "oncall")
        layout_->ShowSection("NAV_ONCALL");
    else if (nav == "alerts")
        layout_->ShowSection("NAV_ALERTS");
    else if (nav == "status")
        layout_->ShowSection("NAV_STATUS");
    else if (nav == "escalation")
        layout_->ShowSection("NAV_ESCALATION");
    else if (nav == "portal")
        layout_->ShowSection("NAV_PORTAL");
    else if (nav == "portal-incidents")
        layout_->ShowSection("NAV_PORTAL_INCIDENTS");
    else if (nav == "new")
        layout_->ShowSection("NAV_NEW");
    else if (nav == "support")
        layout_->ShowSection("NAV_SUPPORT");
    else if (nav == "login")
        layout_->ShowSection("NAV_LOGIN");
}

Response PageView::render(beast_http::status status) const
{
    return html(ctx_, status, expand("layout.tpl", *layout_));
}

Response error_page(const Context& ctx, beast_http::status status, std::string_view heading, std::string_view detail)
{
    if (is_htmx(ctx)) {
        // A fragment replaces the main column, so that an htmx form never fails silently.
        ctemplate::TemplateDictionary d("error");
        d.SetValue("HEADING", std::string(heading));
        d.SetValue("DETAIL", std::string(detail));
        d.SetIntValue("STATUS", static_cast<int>(status));
        auto res = html(ctx, status, expand("error.tpl", d));
        res.set("HX-Retarget", "#main");
        res.set("HX-Reswap", "innerHTML");
        return res;
    }
    PageView page(ctx, std::string(heading), "error.tpl");
    page.content().SetValue("HEADING", std::string(heading));
    page.content().SetValue("DETAIL", std::string(detail));
    page.content().SetIntValue("STATUS", static_cast<int>(status));
    return page.render(status);
}

Response error_page(const Context& ctx, const core::Error& error)
{
    auto status = status_for(error.code());
    return error_page(ctx, status, heading_for(status), sentence(error));
}

std::string asset_version(std::string_view name)
{
    return std::string(version_of(std::string(name)));
}

Response static_asset(const Context& ctx, std::string_view name)
{
    auto it = assets().find(std::string(name));
    if (it == assets().end())
        return error_page(ctx, beast_http::status::not_found, "Page not found", "There is no such file.");
    const auto& asset = it->second;
    if (ctx.header("If-None-Match") == asset.etag) {
        auto res = text(ctx, beast_http::status::not_modified, "", asset.content_type);
        res.set(beast_http::field::etag, asset.etag);
        res.set(beast_http::field::cache_control, "public, max-age=86400");
        return res;
    }
    auto res = text(ctx, beast_http::status::ok, std::string(asset.data), asset.content_type);
    res.set(beast_http::field::etag, asset.etag);
    // The layout links to /static/x?v=<hash>, so a versioned URL never changes meaning.
    auto v = ctx.query_value("v");
    res.set(beast_http::field::cache_control,
            v && *v == asset.version ? "public, max-age=31536000, immutable" : "public, max-age=86400");
    return res;
}

std::string sentence(const core::Error& error, Detail detail)
{
    std::string out = error.message();
    if (detail == Detail::WithFields && !error.fields().empty()) {
        out += ": ";
        bool first = true;
        for (const auto& f : error.fields()) {
            if (!first) out += "; ";
            first = false;
            auto dot = f.field.rfind('.');
            out += dot == std::string::npos ? f.field : f.field.substr(dot + 1);
            out += ' ';
            out += f.message;
        }
    }
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    if (!out.empty() && out.back() != '.') out += '.';
    return out;
}

bool is_htmx(const Context& ctx)
{
    return ctx.header("HX-Request") == "true";
}

std::string_view priority_label(plan::Priority p)
{
    switch (p) {
    case plan::Priority::P1: return "P1 — Emergency: my business is down";
    case plan::Priority::P2: return "P2 — Urgent: something important is broken";
    case plan::Priority::P3: return "P3 — Normal: something is not working as it should";
    case plan::Priority::P4: return "P4 — Low: a question or a request";
    }
    return "";
}

std::string_view priority_word(plan::Priority p)
{
    switch (p) {
    case plan::Priority::P1: return "Emergency";
    case plan::Priority::P2: return "Urgent";
    case plan::Priority::P3: return "Normal";
    case plan::Priority::P4: return "Low";
    }
    return "";
}

std::string_view status_label(ticket::Status s)
{
    switch (s) {
    case ticket::Status::New: return "New";
    case ticket::Status::Open: return "Open";
    case ticket::Status::WaitingOnCustomer: return "Waiting on customer";
    case ticket::Status::Resolved: return "Resolved";
    case ticket::Status::Closed: return "Closed";
    }
    return "";
}

std::string describe_time(core::UtcTime t)
{
    return plan::describe_local_time(t, "UTC");
}

std::string describe_distance(std::chrono::milliseconds d)
{
    using namespace std::chrono;
    auto total = duration_cast<minutes>(d).count();
    if (total < 1) return "less than a minute";
    if (total < 60) return std::to_string(total) + " min";
    auto hours = total / 60;
    if (hours < 10 && total % 60) return std::to_string(hours) + " h " + std::to_string(total % 60) + " min";
    if (hours < 48) return std::to_string(hours) + " h";
    return std::to_string(hours / 24) + " days";
}

void fill_ticket(ctemplate::TemplateDictionary& d, const ticket::Ticket& t, core::UtcTime now)
{
    d.SetValue("REF", t.ref());
    d.SetValue("SUBJECT", t.subject);
    auto priority = plan::to_string(t.priority);  // "P1" → class "p1"
    d.SetValue("PRIORITY", std::string(priority));
    d.SetValue("PRIORITY_CLASS", core::ascii_lower(priority));
    d.SetValue("PRIORITY_LABEL", std::string(priority_label(t.priority)));
    d.SetValue("PRIORITY_WORD", std::string(priority_word(t.priority)));
    d.SetValue("STATUS", std::string(ticket::to_string(t.status)));
    d.SetValue("STATUS_LABEL", std::string(status_label(t.status)));
    d.SetValue("ORGANIZATION", t.organization_name.empty() ? std::string("No organization") : t.organization_name);
    d.SetValue("REQUESTER_NAME", t.requester_name);
    d.SetValue("REQUESTER_EMAIL", t.requester_email);
    if (t.assignee_name.empty()) {
        d.SetValue("ASSIGNEE", "Unassigned");
        d.ShowSection("UNASSIGNED");
    } else {
        d.SetValue("ASSIGNEE", t.assignee_name);
    }
    d.SetValue("CREATED", describe_time(t.created_at));
    d.SetValue("DUE", describe_time(t.first_response_due_at));
    d.SetValue("DUE_ISO", core::format_rfc3339(t.first_response_due_at));
    bool open = t.status != ticket::Status::Resolved && t.status != ticket::Status::Closed;
    if (t.first_responded_at) {
        auto since = now - *t.first_responded_at;
        d.SetValue("DUE_RELATIVE", since < std::chrono::minutes(1) ? std::string("answered just now")
                                                                   : "answered " + describe_distance(since) + " ago");
        d.SetValue("DUE_CLASS", "met");
    } else if (!open) {
        d.SetValue("DUE_RELATIVE", "closed without a reply");
        d.SetValue("DUE_CLASS", "met");
    } else if (t.first_response_due_at >= now) {
        d.SetValue("DUE_RELATIVE", "due in " + describe_distance(t.first_response_due_at - now));
        d.SetValue("DUE_CLASS", t.first_response_due_at - now < std::chrono::minutes(30) ? "soon" : "ok");
    } else {
        d.SetValue("DUE_RELATIVE", "overdue by " + describe_distance(now - t.first_response_due_at));
        d.SetValue("DUE_CLASS", "overdue");
        d.ShowSection("OVERDUE");
    }
}

std::string as_sentence(std::string_view label, std::string message)
{
    const bool needs_subject =
        message.starts_with("is ") || message.starts_with("must ") || message.starts_with("needs ");
    if (!label.empty() && needs_subject) message = std::string(label) + " " + message;
    if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    if (!message.empty() && message.back() != '.') message += '.';
    return message;
}

void show_field_messages(ctemplate::TemplateDictionary& d, const core::Error& error, std::string_view field,
                         std::string_view label, std::string_view var)
{
    std::string message;
    for (const auto& f : error.fields()) {
        if (f.field != field) continue;
        if (!message.empty()) message += ' ';
        message += as_sentence(label, f.message);
    }
    if (message.empty()) return;
    std::string section = "HAS_";  // appended: GCC 12 warns falsely on "HAS_" + var
    section += var;
    d.SetValueAndShowSection(std::string(var), message, section);
}

void add_option(ctemplate::TemplateDictionary& d, std::string_view section, std::string_view value,
                std::string_view label, bool selected)
{
    auto* o = d.AddSectionDictionary(std::string(section));
    o->SetValue("VALUE", std::string(value));
    o->SetValue("LABEL", std::string(label));
    if (selected) o->ShowSection("SELECTED");
}

void show_flash(ctemplate::TemplateDictionary& d, const Context& ctx,
                const std::map<std::string, std::string, std::less<>>& flashes)
{
    if (auto done = ctx.query_value("done"))
        if (auto it = flashes.find(*done); it != flashes.end())
            d.SetValueAndShowSection("FLASH", it->second, "HAS_FLASH");
}

void show_field_error(ctemplate::TemplateDictionary& d, const core::Error& error, std::string_view field,
                      std::string_view label, std::string_view var)
{
    auto msg = field_error(error, field, label);
    if (!msg.empty()) d.SetValueAndShowSection(std::string(var), msg, "HAS_" + std::string(var));
}

void fill_ticket_form(ctemplate::TemplateDictionary& d, const ticket::NewTicket& input, std::string_view error,
                      const core::Error& fields)
{
    d.SetValue("SUBJECT", input.subject);
    d.SetValue("BODY", input.body);
    for (auto p : {plan::Priority::P1, plan::Priority::P2, plan::Priority::P3, plan::Priority::P4}) {
        auto* o = d.AddSectionDictionary("PRIORITY_OPTION");
        o->SetValue("VALUE", std::string(plan::to_string(p)));
        o->SetValue("LABEL", std::string(priority_label(p)));
        o->SetValue("ID", "priority-" + std::string(plan::to_string(p)));
        if (plan::to_string(p) == input.priority) o->ShowSection("CHECKED");
    }
    if (!error.empty()) d.SetValueAndShowSection("ERROR", std::string(error), "HAS_ERROR");
    show_field_error(d, fields, "subject", "The subject", "SUBJECT_ERROR");
    show_field_error(d, fields, "body", "The description", "BODY_ERROR");
    show_field_error(d, fields, "priority", "The priority", "PRIORITY_ERROR");
}

}  // namespace lifeline::http::web
