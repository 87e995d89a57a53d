#include "http/public/status_documents.hpp"

#include "http/public/status_pages.hpp"
#include "http/web/render.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

namespace lifeline::http {

namespace js = boost::json;

namespace {

js::value time_or_null(const std::optional<core::UtcTime>& t)
{
    if (!t) return nullptr;
    return js::value(core::format_rfc3339(*t));
}

std::string id_text(std::int64_t id)
{
    return std::to_string(id);
}

js::object page_json(const PageInfo& page, core::UtcTime updated_at)
{
    return {{"id", page.id},
            {"name", page.name},
            {"url", page.url},
            {"time_zone", page.time_zone},
            {"updated_at", core::format_rfc3339(updated_at)}};
}

struct RenderContext {
    const PageInfo& page;
    const status::Snapshot& snapshot;
    std::map<std::int64_t, const status::Component*> by_id;
};

js::object component_json(const RenderContext& c, const status::Component& comp)
{
    js::object o{{"id", id_text(comp.id)},
                 {"name", comp.name},
                 {"status", status::to_string(comp.status)},
                 {"created_at", core::format_rfc3339(comp.created_at)},
                 {"updated_at", core::format_rfc3339(comp.updated_at)},
                 {"position", comp.position},
                 {"description", comp.description.empty() ? js::value(nullptr) : js::value(comp.description)},
                 {"showcase", comp.showcase},
                 {"start_date", nullptr},
                 {"group_id", comp.group_id ? js::value(id_text(*comp.group_id)) : js::value(nullptr)},
                 {"page_id", c.page.id},
                 {"group", comp.is_group},
                 {"only_show_if_degraded", comp.only_show_if_degraded}};
    if (comp.is_group) {
        js::array children;
        std::vector<status::Component> members;
        auto updated = comp.updated_at;
        for (const auto& other : c.snapshot.components)
            if (!other.is_group && other.group_id == comp.id) {
                children.push_back(js::value(id_text(other.id)));
                members.push_back(other);
                updated = std::max(updated, other.updated_at);
            }
        o["status"] = status::to_string(status::group_status(members));
        o["updated_at"] = core::format_rfc3339(updated);
        o["components"] = std::move(children);
    }
    return o;
}

// An incident_updates entry; maintenance updates share the shape, with their own status words.
js::object update_object(std::int64_t id, std::int64_t parent_id, std::string_view status_word, const std::string& body,
                         const std::vector<status::AffectedComponent>& affected_components, core::UtcTime created_at,
                         bool deliver_notifications)
{
    js::value affected = nullptr;
    if (!affected_components.empty()) {
        js::array list;
        for (const auto& a : affected_components)
            list.push_back(js::object{{"code", id_text(a.component_id)},
                                      {"name", a.name},
                                      {"old_status", status::to_string(a.old_status)},
                                      {"new_status", status::to_string(a.new_status)}});
        affected = std::move(list);
    }
    auto at = core::format_rfc3339(created_at);
    return {{"id", id_text(id)},
            {"incident_id", id_text(parent_id)},
            {"status", status_word},
            {"body", body},
            {"created_at", at},
            {"updated_at", at},
            {"display_at", at},
            {"affected_components", std::move(affected)},
            {"deliver_notifications", deliver_notifications},
            {"custom_tweet", nullptr},
            {"tweet_id", nullptr}};
}

js::object update_json(const status::PublicUpdate& u)
{
    return update_object(u.id, u.incident_id, status::to_string(u.status), u.body, u.affected, u.created_at,
                         u.deliver_notifications);
}

// The Component objects of `ids` that still exist.
js::array components_of(const RenderContext& c, const std::vector<std::int64_t>& ids)
{
    js::array out;
    for (auto id : ids)
        if (auto it = c.by_id.find(id); it != c.by_id.end()) out.push_back(component_json(c, *it->second));
    return out;
}

js::object incident_json(const RenderContext& c, const status::IncidentRecord& r)
{
    const auto& i = r.incident;
    js::array updates;
    for (const auto& u : r.updates)
        updates.push_back(update_json(u));
    return {{"id", id_text(i.id)},
            {"name", i.name},
            {"status", status::to_string(i.status)},
            {"impact", status::to_string(i.impact)},
            {"created_at", core::format_rfc3339(i.created_at)},
            {"updated_at", core::format_rfc3339(i.updated_at)},
            {"monitoring_at", time_or_null(i.monitoring_at)},
            {"resolved_at", time_or_null(i.resolved_at)},
            {"started_at", core::format_rfc3339(i.started_at)},
            {"shortlink", c.page.url + "/status/incidents/" + id_text(i.id)},
            {"page_id", c.page.id},
            {"incident_updates", std::move(updates)},
            {"components", components_of(c, i.component_ids)}};
}

// A Maintenance object: the Incident shape with Statuspage's maintenance impact, plus the window.
js::object maintenance_json(const RenderContext& c, const status::MaintenanceRecord& r)
{
    const auto& m = r.maintenance;
    js::array updates;
    for (const auto& u : r.updates)
        updates.push_back(update_object(u.id, u.maintenance_id, status::to_string(u.status), u.body, u.affected,
                                        u.created_at, u.deliver_notifications));
    return {{"id", id_text(m.id)},
            {"name", m.name},
            {"status", status::to_string(m.status)},
            {"impact", status::kMaintenanceImpact},
            {"created_at", core::format_rfc3339(m.created_at)},
            {"updated_at", core::format_rfc3339(m.updated_at)},
            {"monitoring_at", nullptr},
            {"resolved_at", time_or_null(m.completed_at)},
            {"started_at", core::format_rfc3339(m.started_at.value_or(m.scheduled_for))},
            {"shortlink", c.page.url + "/status/maintenances/" + id_text(m.id)},
            {"page_id", c.page.id},
            {"incident_updates", std::move(updates)},
            {"components", components_of(c, m.component_ids)},
            {"scheduled_for", core::format_rfc3339(m.scheduled_for)},
            {"scheduled_until", core::format_rfc3339(m.scheduled_until)}};
}

}  // namespace

std::map<std::string, js::value> render_status_documents(const PageInfo& page, const status::Snapshot& s)
{
    RenderContext c{page, s, {}};
    for (const auto& comp : s.components)
        c.by_id.emplace(comp.id, &comp);

    std::vector<status::Impact> impacts;
    js::array all_incidents, unresolved;
    for (const auto& r : s.incidents) {
        auto o = incident_json(c, r);
        if (r.incident.unresolved()) {
            impacts.push_back(r.incident.impact);
            unresolved.push_back(o);
        }
        all_incidents.push_back(std::move(o));
    }
    js::array components;
    for (const auto& comp : s.components)
        components.push_back(component_json(c, comp));
    auto overall = status::overall_status(s.components, impacts);
    js::object status_object{{"indicator", status::to_string(overall.indicator)}, {"description", overall.description}};
    auto head = page_json(page, s.updated_at);

    std::map<std::string, js::value> out;
    // Every maintenance, latest window first; the upcoming and active ones soonest first.
    js::array maintenances, upcoming, active, current;
    for (const auto& r : s.maintenances)
        maintenances.push_back(maintenance_json(c, r));
    for (auto it = s.maintenances.rbegin(); it != s.maintenances.rend(); ++it) {
        if (it->maintenance.active()) active.push_back(maintenance_json(c, *it));
        if (it->maintenance.status == status::MaintenanceStatus::Scheduled)
            upcoming.push_back(maintenance_json(c, *it));
    }
    current = active;
    for (const auto& m : upcoming)
        current.push_back(m);
    out["summary.json"] = js::object{{"page", head},
                                     {"status", status_object},
                                     {"components", components},
                                     {"incidents", unresolved},
                                     {"scheduled_maintenances", std::move(current)}};
    out["status.json"] = js::object{{"page", head}, {"status", status_object}};
    out["components.json"] = js::object{{"page", head}, {"components", components}};
    out["incidents.json"] = js::object{{"page", head}, {"incidents", std::move(all_incidents)}};
    out["incidents/unresolved.json"] = js::object{{"page", head}, {"incidents", std::move(unresolved)}};
    out["scheduled-maintenances.json"] =
        js::object{{"page", head}, {"scheduled_maintenances", std::move(maintenances)}};
    out["scheduled-maintenances/upcoming.json"] =
        js::object{{"page", head}, {"scheduled_maintenances", std::move(upcoming)}};
    out["scheduled-maintenances/active.json"] =
        js::object{{"page", head}, {"scheduled_maintenances", std::move(active)}};
    return out;
}

core::Status StatusDocuments::rebuild()
{
    std::lock_guard lock(rebuild_mutex_);
    auto snapshot = service_.snapshot();
    if (!snapshot) {
        spdlog::warn("status page documents not rebuilt: {}", snapshot.error().message());
        return snapshot.error();
    }
    std::map<std::string, std::pair<std::string, std::string>> bodies;
    for (auto& [name, value] : render_status_documents(page_, *snapshot))
        bodies.emplace(name, std::make_pair(std::string("application/json"), js::serialize(value)));
    // The HTML pages and the feeds, from the same snapshot, into the same cache.
    StatusPageOptions options;
    auto version = web::asset_version("lifeline.css");
    if (!version.empty()) options.stylesheet += "?v=" + version;
    options.now = clock_.now();
    bodies.merge(render_status_pages(page_, *snapshot, options));
    cache_.install(bodies, clock_.now());
    built_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
    return core::Ok{};
}

core::Result<int> StatusDocuments::refresh(std::chrono::steady_clock::duration age)
{
    auto built = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(built_at_.load()));
    if (std::chrono::steady_clock::now() - built < age) return 0;
    if (auto s = rebuild(); !s) return s.error();
    return 1;
}

}  // namespace lifeline::http
