#include "http/public/status_pages.hpp"

#include "schedule/ics.hpp"
#include "status/uptime.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace lifeline::http {

namespace {

using status::ComponentStatus;
using status::Impact;
using status::IncidentStatus;

// "23 Nov 2026, 09:31 UTC": short enough for a phone.
std::string human_time(core::UtcTime t)
{
    std::time_t seconds = static_cast<std::time_t>(core::to_unix_ms(t) / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::array<char, 40> buf{};
    std::strftime(buf.data(), buf.size(), "%d %b %Y, %H:%M UTC", &tm);
    return buf.data();
}

std::string time_element(core::UtcTime t)
{
    return "<time datetime=\"" + core::format_rfc3339(t) + "\">" + human_time(t) + "</time>";
}

std::string incident_path(std::int64_t id)
{
    return "/status/incidents/" + std::to_string(id);
}

std::string head(const PageInfo& page, const StatusPageOptions& o, std::string_view title)
{
    std::string out = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"color-scheme\" content=\"light\">\n<title>";
    out += escape_html(title);
    out += "</title>\n<link rel=\"stylesheet\" href=\"" + escape_html(o.stylesheet) + "\">\n";
    out += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Incident history (Atom)\" "
           "href=\"/status/history.atom\">\n";
    out += "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Incident history (RSS)\" "
           "href=\"/status/history.rss\">\n";
    out += "</head>\n<body class=\"sp\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n";
    out += "<header class=\"site-header\">\n  <div class=\"wrap site-header__inner\">\n"
           "    <a class=\"brand\" href=\"/status\"><span class=\"brand__mark\" aria-hidden=\"true\"></span>";
    out += escape_html(page.name.empty() ? std::string("Lifeline") : page.name);
    out += " <span class=\"brand__sub\">Status</span></a>\n  </div>\n</header>\n";
    out += "<main id=\"main\" class=\"wrap main sp-main\" tabindex=\"-1\">\n";
    return out;
}

std::string foot()
{
    return "</main>\n<footer class=\"site-footer\">\n  <div class=\"wrap\">Follow incidents: "
           "<a href=\"/status/history\">Incident history</a> · "
           "<a href=\"/status/history.atom\">Atom feed</a> · <a href=\"/status/history.rss\">RSS feed</a> · "
           "<a href=\"/api/v2/summary.json\">JSON</a> · <a href=\"/status/maintenance.ics\">Maintenance "
           "calendar</a> · <a href=\"/status/subscribe\">Get updates by email, text or webhook</a></div>\n"
           "</footer>\n</body>\n</html>\n";
}

// The updates of an incident or a maintenance, newest first (as the snapshot holds them).
template <class Update> std::string updates_html(const std::vector<Update>& updates)
{
    std::string out = "<ol class=\"sp-updates\" reversed>\n";
    for (const auto& u : updates) {
        out += "<li class=\"sp-update\" id=\"update-" + std::to_string(u.id) + "\">\n";
        out += "<p class=\"sp-update__head\"><strong class=\"sp-incident-status sp-incident-status--";
        out += std::string(status::to_string(u.status)) + "\">" + std::string(status::label(u.status));
        out += "</strong> <span class=\"sp-update__time\">" + time_element(u.created_at) + "</span></p>\n";
        out += "<p class=\"sp-update__body\">" + escape_html(u.body) + "</p>\n";
        if (!u.affected.empty()) {
            out += "<p class=\"sp-update__affected\">Components: ";
            bool first = true;
            for (const auto& a : u.affected) {
                if (!first) out += "; ";
                first = false;
                out += escape_html(a.name) + " " + std::string(status::label(a.old_status)) + " → " +
                       std::string(status::label(a.new_status));
            }
            out += "</p>\n";
        }
        out += "</li>\n";
    }
    out += "</ol>\n";
    return out;
}

// The newest update's promise of a next one, while the incident is open.
std::string next_update_html(const status::IncidentRecord& r)
{
    if (!r.incident.unresolved() || r.updates.empty() || !r.updates.front().next_update_at) return {};
    return "<p class=\"sp-next\">Next update expected by " + time_element(*r.updates.front().next_update_at) +
           ".</p>\n";
}

std::string incident_meta(const status::IncidentRecord& r)
{
    const auto& i = r.incident;
    std::string out = "<p class=\"sp-incident__meta\"><span class=\"sp-impact sp-impact--";
    out += std::string(status::to_string(i.impact)) + "\">" + std::string(status::label(i.impact)) + "</span> · ";
    out +=
        "Status: <strong>" + std::string(status::label(i.status)) + "</strong> · Started " + time_element(i.started_at);
    if (i.resolved_at) out += " · Resolved " + time_element(*i.resolved_at);
    out += "</p>\n";
    return out;
}

// One incident as a card under a section heading (h2), so its title is an h3.
std::string incident_card(const status::IncidentRecord& r, bool with_updates)
{
    const auto& i = r.incident;
    std::string out = "<article class=\"sp-incident sp-incident--" + std::string(status::to_string(i.impact)) +
                      "\" aria-labelledby=\"incident-" + std::to_string(i.id) + "\">\n";
    out += "<h3 class=\"sp-incident__title\" id=\"incident-" + std::to_string(i.id) + "\"><a href=\"" +
           incident_path(i.id) + "\">" + escape_html(i.name) + "</a></h3>\n";
    out += incident_meta(r);
    out += next_update_html(r);
    if (with_updates) {
        out += updates_html(r.updates);
    } else if (!r.updates.empty()) {
        out += "<p class=\"sp-update__body\">" + escape_html(r.updates.front().body) + "</p>\n";
    }
    out += "</article>\n";
    return out;
}

bool shown(const status::Component& c)
{
    if (!c.showcase) return false;
    return !(c.only_show_if_degraded && c.status == ComponentStatus::Operational);
}

std::string component_item(std::string_view name, std::string_view description, ComponentStatus s)
{
    std::string out = "<li class=\"sp-component\"><span class=\"sp-component__name\">" + escape_html(name);
    if (!description.empty())
        out += " <span class=\"sp-component__description\">" + escape_html(description) + "</span>";
    out += "</span> <span class=\"sp-status sp-status--" + std::string(status::to_string(s)) + "\">" +
           std::string(status::label(s)) + "</span></li>\n";
    return out;
}

std::string components_html(const status::Snapshot& s)
{
    std::string loose, groups;
    for (const auto& c : s.components) {
        if (c.is_group) {
            std::vector<status::Component> children;
            std::string items;
            for (const auto& child : s.components)
                if (!child.is_group && child.group_id == c.id) {
                    children.push_back(child);
                    if (shown(child)) items += component_item(child.name, child.description, child.status);
                }
            if (items.empty()) continue;
            auto group_status = status::group_status(children);
            groups += "<section class=\"sp-group\" aria-labelledby=\"group-" + std::to_string(c.id) + "\">\n";
            groups += "<h3 class=\"sp-group__title\" id=\"group-" + std::to_string(c.id) + "\">" + escape_html(c.name) +
                      " <span class=\"sp-status sp-status--" + std::string(status::to_string(group_status)) + "\">" +
                      std::string(status::label(group_status)) + "</span></h3>\n";
            groups += "<ul class=\"sp-components\">\n" + items + "</ul>\n</section>\n";
        } else if (!c.group_id && shown(c)) {
            loose += component_item(c.name, c.description, c.status);
        }
    }
    std::string out;
    if (!loose.empty()) out += "<ul class=\"sp-components\">\n" + loose + "</ul>\n";
    out += groups;
    if (out.empty()) out = "<p>No components are listed.</p>\n";
    return out;
}

// "1 h 18 min", "2 d 3 h", "45 min", "under a minute".
std::string duration_text(std::chrono::milliseconds d)
{
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
    if (minutes < 1) return "under a minute";
    auto days = minutes / (24 * 60), hours = minutes / 60 % 24, rest = minutes % 60;
    std::string out;
    if (days > 0) out += std::to_string(days) + " d";
    if (hours > 0) out += (out.empty() ? "" : " ") + std::to_string(hours) + " h";
    if (rest > 0 && days == 0) out += (out.empty() ? "" : " ") + std::to_string(rest) + " min";
    return out;
}

// One day's bar: coloured by its worst status, with the date, status and downtime as its title and as hidden text
// for screen readers (colour alone says nothing to them).
std::string bar_html(const status::UptimeDay& d)
{
    std::string label = d.date + ": " + std::string(status::label(d.worst));
    if (d.downtime.count() > 0) label += ", " + duration_text(d.downtime) + " of downtime";
    return "<li class=\"sp-bar sp-bar--" + std::string(status::to_string(d.worst)) + "\" title=\"" + label +
           "\"><span class=\"visually-hidden\">" + label + "</span></li>";
}

// The 90-day bars of every shown component, in page order (groups' members after their group's name).
std::string uptime_html(const PageInfo& page, const status::Snapshot& s, core::UtcTime now)
{
    std::map<std::int64_t, status::MonitorLink> links;
    for (const auto& l : s.monitor_links)
        links.emplace(l.component_id, l);
    std::string rows;
    auto row = [&](const status::Component& c) {
        status::UptimeSources sources;
        sources.periods = status::incident_periods(s.history, c.id, now);
        if (auto l = links.find(c.id); l != links.end()) {
            sources.monitor_down_status = l->second.down_status;
            if (auto h = s.monitor_hours.find(l->second.monitor_id); h != s.monitor_hours.end())
                sources.monitor_hours = h->second;
        }
        auto bars = status::uptime_bars(sources, page.time_zone, now);
        if (!bars) bars = status::uptime_bars(sources, "Etc/UTC", now);
        if (!bars) return;
        auto id = "uptime-" + std::to_string(c.id);
        rows += "<div class=\"sp-uptime\">\n<p class=\"sp-uptime__head\"><span class=\"sp-uptime__name\" id=\"" + id +
                "\">" + escape_html(c.name) + "</span> <span class=\"sp-uptime__percent\">" +
                status::format_percent(bars->percent) + " % uptime</span></p>\n";
        rows += "<ol class=\"sp-bars\" aria-labelledby=\"" + id + "\">";
        for (const auto& d : bars->days)
            rows += bar_html(d);
        rows += "</ol>\n<p class=\"sp-uptime__axis\" aria-hidden=\"true\"><span class=\"sp-uptime__from\">" +
                std::to_string(status::kUptimeDays) +
                " days ago</span><span class=\"sp-uptime__from-short\">30 days ago</span><span>Today</span></p>\n"
                "</div>\n";
    };
    for (const auto& c : s.components) {
        if (c.is_group) {
            for (const auto& child : s.components)
                if (!child.is_group && child.group_id == c.id && shown(child)) row(child);
        } else if (!c.group_id && shown(c)) {
            row(c);
        }
    }
    if (rows.empty()) return {};
    return "<section class=\"sp-section\" aria-labelledby=\"uptime\">\n<h2 id=\"uptime\">Uptime over the last " +
           std::to_string(status::kUptimeDays) + " days</h2>\n<p class=\"sp-uptime__note\">Each bar is one day (" +
           escape_html(page.time_zone) +
           "), coloured by the worst status that day. Major outages count fully as downtime, partial outages "
           "30 %.</p>\n" +
           rows + "</section>\n";
}

std::string maintenance_path(std::int64_t id)
{
    return "/status/maintenances/" + std::to_string(id);
}

// The names of the components a maintenance affects, as they are now; empty when none still exists.
std::vector<std::string> maintenance_components(const status::Snapshot& s, const status::Maintenance& m)
{
    std::vector<std::string> out;
    for (auto id : m.component_ids)
        for (const auto& c : s.components)
            if (c.id == id && !c.is_group) out.push_back(c.name);
    return out;
}

std::string maintenance_meta(const status::Maintenance& m)
{
    std::string out = "<p class=\"sp-incident__meta\"><strong class=\"sp-incident-status sp-incident-status--";
    out += std::string(status::to_string(m.status)) + "\">" +
           (m.cancelled ? std::string("Cancelled") : std::string(status::label(m.status))) + "</strong> · ";
    out += time_element(m.scheduled_for) + " to " + time_element(m.scheduled_until) + "</p>\n";
    return out;
}

// One maintenance as a card under a section heading (h2): its window, the components it affects and its latest
// update.
std::string maintenance_card(const status::Snapshot& s, const status::MaintenanceRecord& r)
{
    const auto& m = r.maintenance;
    auto anchor = "maintenance-" + std::to_string(m.id);
    std::string out = "<article class=\"sp-incident sp-maintenance\" aria-labelledby=\"" + anchor + "\">\n";
    out += "<h3 class=\"sp-incident__title\" id=\"" + anchor + "\"><a href=\"" + maintenance_path(m.id) + "\">" +
           escape_html(m.name) + "</a></h3>\n";
    out += maintenance_meta(m);
    auto names = maintenance_components(s, m);
    if (!names.empty()) {
        out += "<p class=\"sp-maintenance__components\">Affected: ";
        for (std::size_t i = 0; i < names.size(); ++i)
            out += (i ? ", " : "") + escape_html(names[i]);
        out += "</p>\n";
    }
    if (!r.updates.empty()) out += "<p class=\"sp-update__body\">" + escape_html(r.updates.front().body) + "</p>\n";
    out += "</article>\n";
    return out;
}

// The maintenance sections of the status page: in progress (or verifying), then upcoming, each soonest first.
std::string maintenance_section(const status::Snapshot& s, bool active)
{
    std::string cards;
    for (auto it = s.maintenances.rbegin(); it != s.maintenances.rend(); ++it) {
        const auto& m = it->maintenance;
        if (active ? m.active() : m.status == status::MaintenanceStatus::Scheduled) cards += maintenance_card(s, *it);
    }
    if (cards.empty()) return {};
    auto id = active ? std::string("maintenance-active") : std::string("maintenance-upcoming");
    return "<section class=\"sp-section\" aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">" +
           (active ? "Maintenance in progress" : "Upcoming maintenance") + "</h2>\n" + cards + "</section>\n";
}

std::string maintenance_page(const PageInfo& page, const status::Snapshot& s, const status::MaintenanceRecord& r,
                             const StatusPageOptions& o)
{
    const auto& m = r.maintenance;
    std::string out =
        head(page, o, m.name + " · " + (page.name.empty() ? std::string("Lifeline") : page.name) + " status");
    out += "<p class=\"sp-back\"><a href=\"/status\">← Current status</a></p>\n";
    out += "<article class=\"sp-incident sp-incident--page sp-maintenance\" aria-labelledby=\"maintenance-title\">\n";
    out += "<h1 id=\"maintenance-title\" class=\"sp-incident__title\">" + escape_html(m.name) + "</h1>\n";
    out += maintenance_meta(m);
    std::string affected;
    for (const auto& name : maintenance_components(s, m))
        affected += "<li>" + escape_html(name) + "</li>";
    if (!affected.empty())
        out += "<h2 class=\"sp-subhead\">Affected components</h2>\n<ul class=\"sp-affected\">" + affected + "</ul>\n";
    out += "<h2 class=\"sp-subhead\">Updates</h2>\n" + updates_html(r.updates) + "</article>\n";
    out += foot();
    return out;
}

// The calendar of every maintenance in the snapshot; a cancelled one stays, marked cancelled, so calendars drop it.
std::string maintenance_calendar(const PageInfo& page, const status::Snapshot& s)
{
    // The desk's host (and port) names the UIDs: "https://desk.example/x" → "desk.example".
    auto scheme = page.url.find("://");
    auto host = page.url.substr(scheme == std::string::npos ? 0 : scheme + 3);
    host = host.substr(0, host.find('/'));
    if (host.empty()) host = "lifeline";
    std::vector<schedule::CalendarEvent> events;
    for (const auto& r : s.maintenances) {
        const auto& m = r.maintenance;
        schedule::CalendarEvent e;
        e.uid = "maintenance-" + std::to_string(m.id) + "@" + host;
        e.summary = "Maintenance: " + m.name;
        auto names = maintenance_components(s, m);
        for (std::size_t i = 0; i < names.size(); ++i)
            e.description += (i ? ", " : "Affected: ") + names[i];
        if (!r.updates.empty()) e.description += (e.description.empty() ? "" : "\n\n") + r.updates.front().body;
        e.url = page.url + maintenance_path(m.id);
        e.start = m.scheduled_for;
        e.end = m.scheduled_until;
        e.cancelled = m.cancelled;
        events.push_back(std::move(e));
    }
    return schedule::events_to_ics("-//Lifeline//Status page maintenance//EN",
                                   (page.name.empty() ? std::string("Lifeline") : page.name) +
                                       " status: scheduled maintenance",
                                   events, s.updated_at);
}

std::string status_page(const PageInfo& page, const status::Snapshot& s, const StatusPageOptions& o)
{
    std::vector<Impact> impacts;
    for (const auto& r : s.incidents)
        if (r.incident.unresolved()) impacts.push_back(r.incident.impact);
    auto overall = status::overall_status(s.components, impacts);
    auto title = (page.name.empty() ? std::string("Lifeline") : page.name) + " status";
    std::string out = head(page, o, title);
    out += "<h1 class=\"visually-hidden\">" + escape_html(title) + "</h1>\n";
    out += "<section class=\"sp-overall sp-overall--" + std::string(status::to_string(overall.indicator)) +
           "\" aria-labelledby=\"overall\">\n";
    out += "<h2 id=\"overall\" class=\"sp-overall__title\"><span class=\"sp-overall__mark\" aria-hidden=\"true\">"
           "</span>" +
           escape_html(overall.description) + "</h2>\n";
    out += "<p class=\"sp-overall__updated\">Last changed " + time_element(s.updated_at) + ".</p>\n</section>\n";

    std::string active;
    for (const auto& r : s.incidents)
        if (r.incident.unresolved()) active += incident_card(r, true);
    if (!active.empty())
        out += "<section class=\"sp-section\" aria-labelledby=\"active\">\n<h2 id=\"active\">Active incidents</h2>\n" +
               active + "</section>\n";

    out += maintenance_section(s, true);
    out += "<section class=\"sp-section\" aria-labelledby=\"components\">\n<h2 id=\"components\">Components</h2>\n";
    out += components_html(s) + "</section>\n";
    out += uptime_html(page, s, o.now);
    out += maintenance_section(s, false);

    std::string resolved;
    auto since = o.now - std::chrono::days(7);
    for (const auto& r : s.incidents) {
        if (r.incident.unresolved()) continue;
        if (r.incident.resolved_at.value_or(r.incident.updated_at) < since) continue;
        resolved += incident_card(r, false);
    }
    out += "<section class=\"sp-section\" aria-labelledby=\"resolved\">\n<h2 id=\"resolved\">Resolved in the last "
           "7 days</h2>\n";
    out += resolved.empty() ? std::string("<p>No incidents were resolved in the last 7 days.</p>\n") : resolved;
    out += "</section>\n";
    out += foot();
    return out;
}

std::string incident_page(const PageInfo& page, const status::Snapshot& s, const status::IncidentRecord& r,
                          const StatusPageOptions& o)
{
    const auto& i = r.incident;
    std::string out =
        head(page, o, i.name + " · " + (page.name.empty() ? std::string("Lifeline") : page.name) + " status");
    out += "<p class=\"sp-back\"><a href=\"/status\">← Current status</a></p>\n";
    out += "<article class=\"sp-incident sp-incident--page sp-incident--" + std::string(status::to_string(i.impact)) +
           "\" aria-labelledby=\"incident-title\">\n";
    out += "<h1 id=\"incident-title\" class=\"sp-incident__title\">" + escape_html(i.name) + "</h1>\n";
    out += incident_meta(r);
    out += next_update_html(r);
    std::string affected;
    for (auto id : i.component_ids)
        for (const auto& c : s.components)
            if (c.id == id && !c.is_group) affected += "<li>" + escape_html(c.name) + "</li>";
    if (!affected.empty())
        out += "<h2 class=\"sp-subhead\">Affected components</h2>\n<ul class=\"sp-affected\">" + affected + "</ul>\n";
    out += "<h2 class=\"sp-subhead\">Updates</h2>\n" + updates_html(r.updates) + "</article>\n";
    out += foot();
    return out;
}

// --- The history by month (/status/history, /status/history/YYYY-MM), in the page's time zone. ---

// The history's incidents by month ("2026-11"), newest month first, each month's incidents newest first.
std::vector<std::pair<std::string, std::vector<const status::IncidentRecord*>>> months_of(const PageInfo& page,
                                                                                          const status::Snapshot& s)
{
    std::map<std::string, std::vector<const status::IncidentRecord*>, std::greater<>> by_month;
    for (const auto& r : s.history)
        by_month[status::local_month(r.incident.started_at, page.time_zone)].push_back(&r);
    std::vector<std::pair<std::string, std::vector<const status::IncidentRecord*>>> out(by_month.begin(),
                                                                                        by_month.end());
    for (auto& [month, list] : out)
        std::stable_sort(list.begin(), list.end(),
                         [](const auto* a, const auto* b) { return a->incident.started_at > b->incident.started_at; });
    return out;
}

// "November 2026".
std::string month_title(const std::string& month)
{
    static constexpr std::array<const char*, 12> names{"January",   "February", "March",    "April",
                                                       "May",       "June",     "July",     "August",
                                                       "September", "October",  "November", "December"};
    auto number = std::stoi(month.substr(5, 2));
    return std::string(names[static_cast<std::size_t>(number - 1)]) + " " + month.substr(0, 4);
}

// One incident of a month: its name linked to its page, impact, start and how long it took to resolve.
std::string history_item(const status::IncidentRecord& r)
{
    const auto& i = r.incident;
    std::string out = "<li class=\"sp-history__item sp-incident--" + std::string(status::to_string(i.impact)) +
                      "\"><a class=\"sp-history__name\" href=\"" + incident_path(i.id) + "\">" + escape_html(i.name) +
                      "</a>\n<p class=\"sp-incident__meta\"><span class=\"sp-impact sp-impact--" +
                      std::string(status::to_string(i.impact)) + "\">" + std::string(status::label(i.impact)) +
                      "</span> · Started " + time_element(i.started_at) + " · ";
    if (i.resolved_at)
        out += "Resolved in " + duration_text(*i.resolved_at - i.started_at);
    else
        out += "<strong>" + std::string(status::label(i.status)) + "</strong>, not resolved yet";
    out += "</p></li>\n";
    return out;
}

std::string month_section(const std::string& month, const std::vector<const status::IncidentRecord*>& list,
                          bool heading_links)
{
    std::string title =
        heading_links ? "<a href=\"/status/history/" + month + "\">" + month_title(month) + "</a>" : month_title(month);
    std::string out = "<section class=\"sp-section\" aria-labelledby=\"month-" + month + "\">\n<h2 id=\"month-" +
                      month + "\">" + title + "</h2>\n<ul class=\"sp-history\">\n";
    for (const auto* r : list)
        out += history_item(*r);
    out += "</ul>\n</section>\n";
    return out;
}

std::string page_name(const PageInfo& page)
{
    return page.name.empty() ? std::string("Lifeline") : page.name;
}

// The index: the latest kHistoryMonthsShown months with incidents in full, then a link to every older month.
std::string history_index(const PageInfo& page, const StatusPageOptions& o,
                          const std::vector<std::pair<std::string, std::vector<const status::IncidentRecord*>>>& months)
{
    std::string out = head(page, o, "Incident history · " + page_name(page) + " status");
    out += "<p class=\"sp-back\"><a href=\"/status\">← Current status</a></p>\n<h1>Incident history</h1>\n";
    if (months.empty()) out += "<p>No incidents have been reported.</p>\n";
    std::string older;
    for (std::size_t n = 0; n < months.size(); ++n) {
        if (n < kHistoryMonthsShown)
            out += month_section(months[n].first, months[n].second, true);
        else
            older += "<li><a href=\"/status/history/" + months[n].first + "\">" + month_title(months[n].first) +
                     "</a> (" + std::to_string(months[n].second.size()) + ")</li>\n";
    }
    if (!older.empty())
        out += "<section class=\"sp-section\" aria-labelledby=\"older\">\n<h2 id=\"older\">Earlier months</h2>\n"
               "<ul class=\"sp-history__months\">\n" +
               older + "</ul>\n</section>\n";
    out += foot();
    return out;
}

// One month, with links to the neighbouring months that have incidents (`newer` and `older` may be empty).
std::string history_month(const PageInfo& page, const StatusPageOptions& o, const std::string& month,
                          const std::vector<const status::IncidentRecord*>& list, const std::string& newer,
                          const std::string& older)
{
    std::string out = head(page, o, "Incidents in " + month_title(month) + " · " + page_name(page) + " status");
    out += "<p class=\"sp-back\"><a href=\"/status/history\">← Incident history</a></p>\n<h1>Incidents in " +
           month_title(month) + "</h1>\n";
    out += month_section(month, list, false);
    if (!newer.empty() || !older.empty()) {
        out += "<nav class=\"sp-history__pager\" aria-label=\"Other months\">";
        if (!older.empty())
            out += "<a rel=\"prev\" href=\"/status/history/" + older + "\">← " + month_title(older) + "</a> ";
        if (!newer.empty())
            out += "<a rel=\"next\" href=\"/status/history/" + newer + "\">" + month_title(newer) + " →</a>";
        out += "</nav>\n";
    }
    out += foot();
    return out;
}

// The feeds' entries: every update of every incident and scheduled maintenance in the snapshot, newest first, at most
// kFeedEntries.
struct Entry {
    std::string title;  // "Card payments failing — Identified", "Maintenance: Mail server upgrade — Scheduled"
    std::string link;   // the update on its incident's or maintenance's page
    const std::string* body;
    core::UtcTime created_at{};
};

std::vector<Entry> feed_entries(const PageInfo& page, const status::Snapshot& s)
{
    std::vector<Entry> out;
    for (const auto& r : s.incidents)
        for (const auto& u : r.updates)
            out.push_back({r.incident.name + " — " + std::string(status::label(u.status)),
                           page.url + incident_path(r.incident.id) + "#update-" + std::to_string(u.id), &u.body,
                           u.created_at});
    for (const auto& r : s.maintenances)
        for (const auto& u : r.updates)
            out.push_back({"Maintenance: " + r.maintenance.name + " — " + std::string(status::label(u.status)),
                           page.url + maintenance_path(r.maintenance.id) + "#update-" + std::to_string(u.id), &u.body,
                           u.created_at});
    std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
        if (a.created_at != b.created_at) return a.created_at > b.created_at;
        return a.link > b.link;
    });
    if (out.size() > kFeedEntries) out.resize(kFeedEntries);
    return out;
}

std::string feed_title(const PageInfo& page)
{
    return (page.name.empty() ? std::string("Lifeline") : page.name) + " status: incident history";
}

std::string atom_feed(const PageInfo& page, const status::Snapshot& s)
{
    auto entries = feed_entries(page, s);
    auto updated = s.updated_at;
    for (const auto& e : entries)
        updated = std::max(updated, e.created_at);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<title>" + escape_xml(feed_title(page)) + "</title>\n";
    out += "<id>" + escape_xml(page.url + "/status/history.atom") + "</id>\n";
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + escape_xml(page.url + "/status/history.atom") +
           "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_xml(page.url + "/status") + "\"/>\n";
    out += "<updated>" + core::format_rfc3339(updated) + "</updated>\n";
    out +=
        "<author><name>" + escape_xml(page.name.empty() ? std::string("Lifeline") : page.name) + "</name></author>\n";
    for (const auto& e : entries) {
        out += "<entry>\n<id>" + escape_xml(e.link) + "</id>\n";
        out += "<title type=\"text\">" + escape_xml(e.title) + "</title>\n";
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_xml(e.link) + "\"/>\n";
        out += "<published>" + core::format_rfc3339(e.created_at) + "</published>\n";
        out += "<updated>" + core::format_rfc3339(e.created_at) + "</updated>\n";
        out += "<content type=\"text\">" + escape_xml(*e.body) + "</content>\n</entry>\n";
    }
    out += "</feed>\n";
    return out;
}

std::string rss_feed(const PageInfo& page, const status::Snapshot& s)
{
    auto entries = feed_entries(page, s);
    auto updated = s.updated_at;
    for (const auto& e : entries)
        updated = std::max(updated, e.created_at);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
    out += "<title>" + escape_xml(feed_title(page)) + "</title>\n";
    out += "<link>" + escape_xml(page.url + "/status") + "</link>\n";
    out += "<description>" + escape_xml("Incidents, scheduled maintenance and their updates from the status page") +
           "</description>\n";
    out += "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" +
           escape_xml(page.url + "/status/history.rss") + "\"/>\n";
    out += "<language>en</language>\n<lastBuildDate>" + rfc822_date(updated) + "</lastBuildDate>\n";
    for (const auto& e : entries) {
        out += "<item>\n<title>" + escape_xml(e.title) + "</title>\n";
        out += "<link>" + escape_xml(e.link) + "</link>\n";
        out += "<guid isPermaLink=\"false\">" + escape_xml(e.link) + "</guid>\n";
        out += "<pubDate>" + rfc822_date(e.created_at) + "</pubDate>\n";
        // RSS readers take a description as HTML: the body's text is escaped as HTML first, so that markup written
        // into an update stays text in the reader.
        out += "<description>" + escape_xml(escape_html(*e.body)) + "</description>\n</item>\n";
    }
    out += "</channel>\n</rss>\n";
    return out;
}

}  // namespace

std::string escape_xml(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;  // not allowed in XML 1.0
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string rfc822_date(core::UtcTime t)
{
    // RFC 822's date is HTTP's IMF-fixdate with a numeric zone.
    auto text = http_date(core::to_unix_ms(t) / 1000);
    return text.substr(0, text.size() - 3) + "+0000";
}

std::map<std::string, std::pair<std::string, std::string>>
render_status_pages(const PageInfo& page, const status::Snapshot& s, const StatusPageOptions& options)
{
    static const std::string kHtml = "text/html; charset=utf-8";
    std::map<std::string, std::pair<std::string, std::string>> out;
    out["status"] = {kHtml, status_page(page, s, options)};
    for (const auto& r : s.incidents)
        out["status/incidents/" + std::to_string(r.incident.id)] = {kHtml, incident_page(page, s, r, options)};
    for (const auto& r : s.history)
        if (!out.contains("status/incidents/" + std::to_string(r.incident.id)))
            out["status/incidents/" + std::to_string(r.incident.id)] = {kHtml, incident_page(page, s, r, options)};
    auto months = months_of(page, s);
    out["status/history"] = {kHtml, history_index(page, options, months)};
    for (std::size_t n = 0; n < months.size(); ++n)
        out["status/history/" + months[n].first] = {
            kHtml,
            history_month(page, options, months[n].first, months[n].second, n > 0 ? months[n - 1].first : std::string(),
                          n + 1 < months.size() ? months[n + 1].first : std::string())};
    for (const auto& r : s.maintenances)
        out["status/maintenances/" + std::to_string(r.maintenance.id)] = {kHtml, maintenance_page(page, s, r, options)};
    out["status/maintenance.ics"] = {"text/calendar; charset=utf-8", maintenance_calendar(page, s)};
    out["status/history.atom"] = {"application/atom+xml; charset=utf-8", atom_feed(page, s)};
    out["status/history.rss"] = {"application/rss+xml; charset=utf-8", rss_feed(page, s)};
    return out;
}

}  // namespace lifeline::http
