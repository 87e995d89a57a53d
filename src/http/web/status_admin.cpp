// The console's status page desk: what the public page shows, publishing an incident (from scratch or from an
// internal incident), posting public updates with their component changes, setting a component's status, and (for
// admins) adding components and groups. Staff only. Every form is a plain post answered 303 back to the desk, or the
// desk again with the error and the text kept.
#include "core/text.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"
#include "incident/incident_service.hpp"
#include "schedule/schedule_service.hpp"
#include "status/maintenance_service.hpp"
#include "status/status_service.hpp"

#include <array>
#include <charconv>

namespace lifeline::http::web {

namespace {

using Code = beast_http::status;
using status::ComponentStatus;
using status::Impact;
using status::IncidentStatus;
using Kind = status::StatusService::Kind;

constexpr std::array kComponentStatuses{ComponentStatus::Operational, ComponentStatus::DegradedPerformance,
                                        ComponentStatus::PartialOutage, ComponentStatus::MajorOutage,
                                        ComponentStatus::UnderMaintenance};
constexpr std::array kImpacts{Impact::None, Impact::Minor, Impact::Major, Impact::Critical};
constexpr std::array kOpenStatuses{IncidentStatus::Investigating, IncidentStatus::Identified,
                                   IncidentStatus::Monitoring, IncidentStatus::Resolved};
// A maintenance window's length, in minutes.
constexpr std::array kWindowMinutes{30, 60, 120, 240, 480};
// "Next update in": minutes, 0 for no promise.
constexpr std::array kNextUpdateMinutes{0, 15, 30, 60, 120, 240};

// What a form that was not accepted had in it, to show it again.
struct PublishForm {
    std::string name;
    std::string body;
    std::string internal_incident_id;
};

template <class T, std::size_t N, class Label>
void options(ctemplate::TemplateDictionary& d, const char* section, const std::array<T, N>& values, T selected,
             Label label)
{
    for (auto v : values) {
        auto* o = d.AddSectionDictionary(section);
        o->SetValue("VALUE", std::string(to_string(v)));
        o->SetValue("LABEL", std::string(label(v)));
        if (v == selected) o->ShowSection("SELECTED");
    }
}

void next_update_options(ctemplate::TemplateDictionary& d, int selected)
{
    for (auto minutes : kNextUpdateMinutes) {
        auto* o = d.AddSectionDictionary("NEXT_OPTION");
        o->SetIntValue("VALUE", minutes);
        o->SetValue("LABEL",
                    minutes == 0 ? std::string("No promise") : describe_distance(std::chrono::minutes(minutes)));
        if (minutes == selected) o->ShowSection("SELECTED");
    }
}

// Maintenance not yet completed, soonest first, and the form to schedule one (its start in UTC, like the other
// console forms, and a length).
void fill_maintenances(Services& s, const Context& ctx, ctemplate::TemplateDictionary& d)
{
    if (!s.maintenances) return;
    auto* section = d.AddSectionDictionary("MAINTENANCE");
    if (auto all = s.maintenances->list(*ctx.actor)) {
        int shown = 0;
        for (auto it = all->rbegin(); it != all->rend(); ++it) {
            const auto& m = it->maintenance;
            if (m.status == status::MaintenanceStatus::Completed) continue;
            ++shown;
            auto* row = section->AddSectionDictionary("PLANNED");
            row->SetIntValue("ID", static_cast<long>(m.id));
            row->SetValue("NAME", m.name);
            row->SetValue("STATUS_LABEL", std::string(label(m.status)));
            row->SetValue("FROM", describe_time(m.scheduled_for));
            row->SetValue("UNTIL", describe_time(m.scheduled_until));
        }
        if (shown == 0) section->ShowSection("NO_PLANNED");
    }
    for (auto minutes : kWindowMinutes) {
        auto* o = section->AddSectionDictionary("WINDOW_OPTION");
        o->SetIntValue("VALUE", minutes);
        o->SetValue("LABEL", describe_distance(std::chrono::minutes(minutes)));
        if (minutes == 120) o->ShowSection("SELECTED");
    }
}

Response desk_page(Services& s, const Context& ctx, const std::string& error, Code code, const PublishForm& kept)
{
    auto components = s.status->list(*ctx.actor, Kind::Component);
    if (!components) return error_page(ctx, components.error());
    auto groups = s.status->list(*ctx.actor, Kind::Group);
    if (!groups) return error_page(ctx, groups.error());
    auto incidents = s.status->incidents(*ctx.actor);
    if (!incidents) return error_page(ctx, incidents.error());

    PageView page(ctx, "Status page", "console_status.tpl");
    page.set_current("status");
    auto& d = page.content();
    std::vector<Impact> open_impacts;
    for (const auto& r : *incidents)
        if (r.incident.unresolved()) open_impacts.push_back(r.incident.impact);
    d.SetValue("OVERALL", status::overall_status(*components, open_impacts).description);
    if (!error.empty()) d.SetValueAndShowSection("ERROR", error, "HAS_ERROR");
    if (auto done = ctx.query_value("done")) {
        static const std::map<std::string, std::string, std::less<>> kFlash{
            {"published", "The incident is on the status page."},
            {"updated", "The update is on the status page."},
            {"component", "The component's status changed on the status page."},
            {"added", "Added to the status page."},
            {"scheduled", "The maintenance is on the status page and in its calendar."}};
        if (auto it = kFlash.find(*done); it != kFlash.end())
            d.SetValueAndShowSection("FLASH", it->second, "HAS_FLASH");
    }
    if (ctx.actor->is_admin()) {
        auto* admin = d.AddSectionDictionary("ADMIN");
        for (const auto& g : *groups) {
            auto* o = admin->AddSectionDictionary("GROUP_OPTION");
            o->SetIntValue("ID", static_cast<long>(g.id));
            o->SetValue("NAME", g.name);
        }
    }

    std::map<std::int64_t, std::string> group_names;
    for (const auto& g : *groups)
        group_names.emplace(g.id, g.name);
    std::map<std::int64_t, const status::Component*> by_id;
    for (const auto& c : *components) {
        by_id.emplace(c.id, &c);
        auto* row = d.AddSectionDictionary("COMPONENT");
        row->SetIntValue("ID", static_cast<long>(c.id));
        row->SetValue("NAME", c.name);
        row->SetValue("GROUP", c.group_id ? group_names[*c.group_id] : std::string("—"));
        row->SetValue("STATUS", std::string(to_string(c.status)));
        row->SetValue("STATUS_LABEL", std::string(label(c.status)));
        row->SetValue("CSRF", ctx.csrf_token);
        options(*row, "OPTION", kComponentStatuses, c.status, [](auto v) { return label(v); });
        auto* pick = d.AddSectionDictionary("PICK_COMPONENT");
        pick->SetIntValue("ID", static_cast<long>(c.id));
        pick->SetValue("NAME", c.name);
    }
    if (components->empty()) d.ShowSection("NO_COMPONENTS");

    int open = 0, resolved = 0;
    for (const auto& r : *incidents) {
        const auto& i = r.incident;
        if (!i.unresolved()) {
            if (resolved++ >= 10) continue;
            auto* row = d.AddSectionDictionary("RESOLVED");
            row->SetIntValue("ID", static_cast<long>(i.id));
            row->SetValue("NAME", i.name);
            row->SetValue("WHEN", describe_time(i.resolved_at.value_or(i.updated_at)));
            continue;
        }
        ++open;
        auto* o = d.AddSectionDictionary("OPEN");
        o->SetIntValue("ID", static_cast<long>(i.id));
        o->SetValue("NAME", i.name);
        o->SetValue("IMPACT_LABEL", std::string(label(i.impact)));
        o->SetValue("STATUS_LABEL", std::string(label(i.status)));
        o->SetValue("UPDATED", describe_time(i.updated_at));
        o->SetValue("CSRF", ctx.csrf_token);
        if (!r.updates.empty()) {
            o->SetValue("LAST_BODY", r.updates.front().body);
            if (auto next = r.updates.front().next_update_at)
                o->SetValueAndShowSection("NEXT", describe_time(*next), "HAS_NEXT");
        }
        options(*o, "STATUS_OPTION", kOpenStatuses, i.status, [](auto v) { return label(v); });
        options(*o, "IMPACT_OPTION", kImpacts, i.impact, [](auto v) { return label(v); });
        next_update_options(*o, 30);
        for (auto cid : i.component_ids) {
            auto it = by_id.find(cid);
            if (it == by_id.end()) continue;
            auto* c = o->AddSectionDictionary("INCIDENT_COMPONENT");
            c->SetIntValue("INCIDENT", static_cast<long>(i.id));
            c->SetIntValue("CID", static_cast<long>(cid));
            c->SetValue("CNAME", it->second->name);
            c->SetValue("CURRENT_LABEL", std::string(label(it->second->status)));
            for (auto v : kComponentStatuses) {
                auto* opt = c->AddSectionDictionary("OPTION");
                opt->SetValue("VALUE", std::string(to_string(v)));
                opt->SetValue("LABEL", std::string(label(v)));
            }
        }
    }
    if (open == 0) d.ShowSection("NO_OPEN");
    fill_maintenances(s, ctx, d);
    if (resolved == 0) d.ShowSection("NO_RESOLVED");

    // Publishing: from an internal incident when the room sent us here (?incident=ID), else blank.
    auto publish = kept;
    if (publish.internal_incident_id.empty()) {
        if (auto from = ctx.query_value("incident")) {
            std::int64_t id = 0;
            if (std::from_chars(from->data(), from->data() + from->size(), id).ec == std::errc{}) {
                if (auto r = s.incidents.get(*ctx.actor, id)) {
                    publish.internal_incident_id = std::to_string(id);
                    if (publish.name.empty()) publish.name = r->incident.title;
                }
            }
        }
    }
    d.SetValue("PUBLISH_NAME", publish.name);
    d.SetValue("PUBLISH_BODY", publish.body);
    if (!publish.internal_incident_id.empty())
        d.SetValueAndShowSection("INTERNAL_INCIDENT", publish.internal_incident_id, "FROM_INCIDENT");
    options(d, "PUBLISH_IMPACT", kImpacts, Impact::Minor, [](auto v) { return label(v); });
    options(
        d, "PUBLISH_COMPONENT_STATUS",
        std::array{ComponentStatus::DegradedPerformance, ComponentStatus::PartialOutage, ComponentStatus::MajorOutage},
        ComponentStatus::MajorOutage, [](auto v) { return label(v); });
    next_update_options(d, 30);
    return page.render(code);
}

Code code_of(const core::Error& e)
{
    return e.code() == core::ErrorCode::Conflict ? Code::conflict : Code::bad_request;
}

// "Next update in" minutes → a time, none for 0. Errors: InvalidArgument.
core::Result<std::optional<core::UtcTime>> next_update(const Form& form, core::UtcTime now)
{
    auto text = form.get("next_update");
    int minutes = 0;
    if (!text.empty() && std::from_chars(text.data(), text.data() + text.size(), minutes).ec != std::errc{})
        return core::Error::invalid("the update is not valid", {{"next_update_at", "is a number of minutes"}});
    if (minutes == 0) return std::optional<core::UtcTime>{};
    return std::optional<core::UtcTime>{now + std::chrono::minutes(minutes)};
}

boost::asio::awaitable<Response> show(Services& s, Context& ctx)
{
    if (!s.status) co_return error_page(ctx, core::Error::unavailable("the status page is not running"));
    co_return desk_page(s, ctx, {}, Code::ok, {});
}

boost::asio::awaitable<Response> publish(Services& s, Context& ctx)
{
    if (!s.status) co_return error_page(ctx, core::Error::unavailable("the status page is not running"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    PublishForm kept{form->get("name"), form->get("body"), form->get("incident_id")};
    status::PublishInput in;
    in.name = kept.name;
    in.body = kept.body;
    if (!kept.internal_incident_id.empty()) {
        std::int64_t id = 0;
        std::from_chars(kept.internal_incident_id.data(),
                        kept.internal_incident_id.data() + kept.internal_incident_id.size(), id);
        in.internal_incident_id = id;
    }
    in.impact = status::parse_impact(form->get("impact")).value_or(Impact::Minor);
    in.component_status =
        status::parse_component_status(form->get("component_status")).value_or(ComponentStatus::MajorOutage);
    for (const auto& [name, value] : form->fields()) {
        std::int64_t id = 0;
        if (name == "component" && std::from_chars(value.data(), value.data() + value.size(), id).ec == std::errc{})
            in.component_ids.push_back(id);
    }
    auto next = next_update(*form, s.clock.now());
    if (!next) co_return desk_page(s, ctx, sentence(next.error()), Code::bad_request, kept);
    in.next_update_at = *next;
    auto r = co_await s.status->publish(*ctx.actor, std::move(in));
    if (!r) co_return desk_page(s, ctx, sentence(r.error()), code_of(r.error()), kept);
    co_return redirect(ctx, "/console/status?done=published");
}

boost::asio::awaitable<Response> post_update(Services& s, Context& ctx)
{
    if (!s.status) co_return error_page(ctx, core::Error::unavailable("the status page is not running"));
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such public incident"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    status::UpdateInput in;
    in.body = form->get("body");
    auto st = status::parse_incident_status(form->get("status"));
    if (!st) co_return desk_page(s, ctx, "Choose the incident's status.", Code::bad_request, {});
    in.status = *st;
    in.impact = status::parse_impact(form->get("impact"));
    for (const auto& [name, value] : form->fields()) {
        constexpr std::string_view prefix = "component-";
        if (!name.starts_with(prefix) || value.empty()) continue;
        std::int64_t cid = 0;
        auto digits = std::string_view(name).substr(prefix.size());
        auto cs = status::parse_component_status(value);
        if (!cs || std::from_chars(digits.data(), digits.data() + digits.size(), cid).ec != std::errc{}) continue;
        in.components.push_back({cid, *cs});
    }
    if (!status::closes(in.status)) {
        auto next = next_update(*form, s.clock.now());
        if (!next) co_return desk_page(s, ctx, sentence(next.error()), Code::bad_request, {});
        in.next_update_at = *next;
    }
    auto r = co_await s.status->post_update(*ctx.actor, *id, std::move(in));
    if (!r) co_return desk_page(s, ctx, sentence(r.error()), code_of(r.error()), {});
    co_return redirect(ctx, "/console/status?done=updated");
}

boost::asio::awaitable<Response> set_component(Services& s, Context& ctx)
{
    if (!s.status) co_return error_page(ctx, core::Error::unavailable("the status page is not running"));
    auto id = int_param(ctx, "id");
    if (!id) co_return error_page(ctx, core::Error::not_found("there is no such component"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    status::ComponentInput in;
    in.status = status::parse_component_status(form->get("status"));
    if (!in.status) co_return desk_page(s, ctx, "Choose the component's status.", Code::bad_request, {});
    auto r = co_await s.status->change(*ctx.actor, Kind::Component, *id, std::move(in));
    if (!r) co_return desk_page(s, ctx, sentence(r.error()), code_of(r.error()), {});
    co_return redirect(ctx, "/console/status?done=component");
}

boost::asio::awaitable<Response> schedule_maintenance(Services& s, Context& ctx)
{
    if (!s.maintenances) co_return error_page(ctx, core::Error::unavailable("scheduled maintenance is not running"));
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    status::MaintenanceInput in;
    in.name = form->get("name");
    in.body = form->get("body");
    auto start = schedule::parse_local_time(core::trim(form->get("starts_at")));
    if (!start)
        co_return desk_page(s, ctx, "Enter the start as a date and time such as 2026-11-29T02:00 (UTC).",
                            Code::bad_request, {});
    in.scheduled_for = core::UtcTime{std::chrono::duration_cast<std::chrono::milliseconds>(start->time_since_epoch())};
    auto length = core::parse_integer(form->get("minutes"));
    in.scheduled_until = *in.scheduled_for + std::chrono::minutes(length.value_or(0));
    std::vector<std::int64_t> components;
    for (const auto& [name, value] : form->fields())
        if (auto id = name == "component" ? core::parse_integer(value) : std::nullopt) components.push_back(*id);
    in.component_ids = std::move(components);
    auto r = co_await s.maintenances->schedule(*ctx.actor, std::move(in));
    if (!r) co_return desk_page(s, ctx, sentence(r.error()), code_of(r.error()), {});
    co_return redirect(ctx, "/console/status?done=scheduled");
}

boost::asio::awaitable<Response> add(Services& s, Context& ctx)
{
    if (!s.status) co_return error_page(ctx, core::Error::unavailable("the status page is not running"));
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "add status page components");
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto kind = form->get("kind") == "group" ? Kind::Group : Kind::Component;
    status::ComponentInput in;
    in.name = form->get("name");
    in.description = form->get("description");
    auto group = form->get("group_id");
    std::int64_t gid = 0;
    if (kind == Kind::Component && !group.empty() &&
        std::from_chars(group.data(), group.data() + group.size(), gid).ec == std::errc{})
        in.group_id = std::optional<std::int64_t>(gid);
    auto r = co_await s.status->create(*ctx.actor, kind, std::move(in));
    if (!r) co_return desk_page(s, ctx, sentence(r.error()), code_of(r.error()), {});
    co_return redirect(ctx, "/console/status?done=added");
}

}  // namespace

void add_status_desk_routes(Router& router, Services& s)
{
    PageRoutes pages(router, s, Audience::Staff);
    pages.get("/console/status", show);
    pages.post("/console/status/incidents", publish);
    pages.post("/console/status/incidents/{id}/updates", post_update);
    pages.post("/console/status/components/{id}", set_component);
    pages.post("/console/status/components", add);
    pages.post("/console/status/maintenances", schedule_maintenance);
}

}  // namespace lifeline::http::web
