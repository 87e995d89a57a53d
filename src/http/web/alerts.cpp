// The alerts page of the console: open alerts (or all recent ones) with acknowledge and resolve buttons. Staff only.
// The buttons are plain form posts (303 back to the list); with htmx they swap just the alert's row.
#include "alert/alert_service.hpp"
#include "escalation/escalation_service.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

namespace lifeline::http::web {

namespace {

using beast_http::status;

enum class Show { Open, All };

Show show_of(std::string_view value)
{
    return value == "all" ? Show::All : Show::Open;
}

std::string_view severity_label(alert::AlertEvent::Severity severity)
{
    switch (severity) {
    case alert::AlertEvent::Severity::Critical: return "Critical";
    case alert::AlertEvent::Severity::Error: return "Error";
    case alert::AlertEvent::Severity::Warning: return "Warning";
    case alert::AlertEvent::Severity::Info: return "Info";
    }
    return "";
}

std::string_view alert_status_label(alert::AlertStatus status)
{
    switch (status) {
    case alert::AlertStatus::Triggered: return "Triggered";
    case alert::AlertStatus::Acknowledged: return "Acknowledged";
    case alert::AlertStatus::Resolved: return "Resolved";
    }
    return "";
}

// One row of console_alert_row.tpl. Everything the row shows is set on its own dictionary (CSRF and SHOW
// included), so the same row renders inside the page and alone as the htmx answer to a button.
// "Paging level 2 of Emergencies", "Acknowledged by Tom Becker (sms)", …: where the alert's newest escalation stands.
std::string escalation_words(const escalation::Escalation& e)
{
    switch (e.state) {
    case escalation::State::Active: return "Paging level " + std::to_string(e.step.level + 1) + " of " + e.policy_name;
    case escalation::State::Acknowledged:
        return "Acknowledged by " + (e.acknowledged_by ? e.acknowledged_by_name : std::string("the source")) + " (" +
               e.acknowledged_via + ")";
    case escalation::State::Resolved: return "Resolved; paging stopped";
    case escalation::State::Exhausted: return "Nobody acknowledged: paging stopped";
    }
    return "";
}

void fill_alert_row(ctemplate::TemplateDictionary& d, const alert::Alert& a, core::UtcTime now, const std::string& csrf,
                    Show show, const std::vector<escalation::Escalation>& escalations)
{
    d.SetIntValue("ID", static_cast<long>(a.id));
    d.SetValue("SERVICE", a.service_name);
    d.SetValue("SEVERITY", std::string(alert::to_string(a.severity)));
    d.SetValue("SEVERITY_LABEL", std::string(severity_label(a.severity)));
    d.SetValue("SUMMARY", a.summary);
    if (!a.source.empty()) d.SetValueAndShowSection("SOURCE", a.source, "HAS_SOURCE");
    d.SetValue("STATUS", std::string(alert::to_string(a.status)));
    d.SetValue("STATUS_LABEL", std::string(alert_status_label(a.status)));
    d.SetIntValue("COUNT", static_cast<long>(a.event_count));
    d.SetValue("CREATED", describe_time(a.created_at));
    d.SetValue("CREATED_ISO", core::format_rfc3339(a.created_at));
    d.SetValue("AGE", now - a.created_at < std::chrono::minutes(1) ? std::string("just now")
                                                                   : describe_distance(now - a.created_at) + " ago");
    d.SetValue("CSRF", csrf);
    d.SetValue("SHOW", show == Show::All ? "all" : "open");
    if (a.status == alert::AlertStatus::Triggered) d.ShowSection("CAN_ACKNOWLEDGE");
    if (a.status != alert::AlertStatus::Resolved) d.ShowSection("CAN_RESOLVE");
    for (const auto& e : escalations)
        if (e.alert_id == a.id) {
            auto* esc = d.AddSectionDictionary("ESCALATION");
            esc->SetIntValue("ESCALATION_ID", static_cast<long>(e.id));
            esc->SetValue("ESCALATION_STATE", escalation_words(e));
        }
    if (a.flapping) d.ShowSection("FLAPPING");
}

Response alerts_page(Services& s, const Context& ctx, Show show, std::string notice, status code)
{
    auto list = s.alerts.list(*ctx.actor, show == Show::Open);
    if (!list) return error_page(ctx, list.error());
    PageView page(ctx, "Alerts", "console_alerts.tpl");
    page.set_current("alerts");
    auto& d = page.content();
    d.ShowSection(show == Show::Open ? "OPEN_ONLY" : "ALL_RECENT");
    if (auto done = ctx.query_value("done")) {
        if (*done == "acknowledged")
            d.SetValueAndShowSection("FLASH", "The alert was acknowledged.", "HAS_FLASH");
        else if (*done == "resolved")
            d.SetValueAndShowSection("FLASH", "The alert was resolved.", "HAS_FLASH");
    }
    if (!notice.empty()) d.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    auto count = list->size();
    d.SetValue("COUNT", std::to_string(count) + (count == 1 ? " alert" : " alerts"));
    if (list->empty()) {
        d.ShowSection("EMPTY");
        return page.render(code);
    }
    d.ShowSection("HAS_ALERTS");
    std::vector<std::int64_t> ids;
    for (const auto& a : *list)
        ids.push_back(a.id);
    auto escalations = s.escalations.for_alerts(*ctx.actor, ids);
    if (!escalations) return error_page(ctx, escalations.error());
    const auto now = s.clock.now();
    for (const auto& a : *list) {
        auto* row = d.AddSectionDictionary("ALERT")->AddIncludeDictionary("ROW");
        row->SetFilename("console_alert_row.tpl");
        fill_alert_row(*row, a, now, ctx.csrf_token, show, *escalations);
    }
    return page.render(code);
}

boost::asio::awaitable<Response> list(Services& s, Context& ctx)
{
    co_return alerts_page(s, ctx, show_of(ctx.query_value("show").value_or("")), {}, status::ok);
}

// Acknowledge or resolve: CSRF → one service call → 303 back to the list (or, for htmx, the fresh row).
boost::asio::awaitable<Response> change(Services& s, Context& ctx, alert::AlertStatus to)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such alert"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    const auto show = show_of(form->get("show"));
    auto changed = co_await s.alerts.set_status(*ctx.actor, *id, to, "console");
    if (!changed) {
        if (changed.error().code() != core::ErrorCode::Conflict || is_htmx(ctx))
            co_return error_page(ctx, changed.error());
        co_return alerts_page(s, ctx, show, sentence(changed.error()), status::conflict);
    }
    if (is_htmx(ctx)) {
        ctemplate::TemplateDictionary row("row");
        auto escalations = s.escalations.for_alerts(*ctx.actor, {changed->id});
        if (!escalations) co_return error_page(ctx, escalations.error());
        fill_alert_row(row, *changed, s.clock.now(), ctx.csrf_token, show, *escalations);
        co_return html(ctx, status::ok, expand("console_alert_row.tpl", row));
    }
    co_return redirect(ctx, std::string("/console/alerts?") + (show == Show::All ? "show=all&" : "") +
                                "done=" + std::string(alert::to_string(to)));
}

}  // namespace

void add_alert_page_routes(Router& router, Services& s)
{
    PageRoutes pages(router, s, Audience::Staff);
    pages.get("/console/alerts", list);
    pages.post("/console/alerts/{id}/acknowledge",
               [](Services& s, Context& ctx) { return change(s, ctx, alert::AlertStatus::Acknowledged); });
    pages.post("/console/alerts/{id}/resolve",
               [](Services& s, Context& ctx) { return change(s, ctx, alert::AlertStatus::Resolved); });
}

}  // namespace lifeline::http::web
