#include "http/public/status_pages.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace lifeline::http {

namespace {

using status::ComponentStatus;
using status::Impact;
using status::IncidentStatus;

std::string_view component_label(ComponentStatus s)
{
    switch (s) {
    case ComponentStatus::Operational: return "Operational";
    case ComponentStatus::UnderMaintenance: return "Under maintenance";
    case ComponentStatus::DegradedPerformance: return "Degraded performance";
    case ComponentStatus::PartialOutage: return "Partial outage";
    case ComponentStatus::MajorOutage: return "Major outage";
    }
    return "Unknown";
}

std::string_view incident_label(IncidentStatus s)
{
    switch (s) {
    case IncidentStatus::Investigating: return "Investigating";
    case IncidentStatus::Identified: return "Identified";
    case IncidentStatus::Monitoring: return "Monitoring";
    case IncidentStatus::Resolved: return "Resolved";
    case IncidentStatus::Postmortem: return "Postmortem";
    }
    return "Unknown";
}

std::string_view impact_label(Impact i)
{
    switch (i) {
    case Impact::None: return "No impact";
    case Impact::Minor: return "Minor impact";
    case Impact::Major: return "Major impact";
    case Impact::Critical: return "Critical impact";
    }
    return "Unknown";
}

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
           "<a href=\"/status/history.atom\">Atom feed</a> · <a href=\"/status/history.rss\">RSS feed</a> · "
           "<a href=\"/api/v2/summary.json\">JSON</a> · "
           "<a href=\"/status/subscribe\">Get updates by email, text or "
           "webhook</a></div>\n</footer>\n</body>\n</html>\n";
}

// The updates of an incident, newest first (as the snapshot holds them).
std::string updates_html(const status::IncidentRecord& r)
{
    std::string out = "<ol class=\"sp-updates\" reversed>\n";
    for (const auto& u : r.updates) {
        out += "<li class=\"sp-update\" id=\"update-" + std::to_string(u.id) + "\">\n";
        out += "<p class=\"sp-update__head\"><strong class=\"sp-incident-status sp-incident-status--";
        out += std::string(status::to_string(u.status)) + "\">" + std::string(incident_label(u.status));
        out += "</strong> <span class=\"sp-update__time\">" + time_element(u.created_at) + "</span></p>\n";
        out += "<p class=\"sp-update__body\">" + escape_html(u.body) + "</p>\n";
        if (!u.affected.empty()) {
            out += "<p class=\"sp-update__affected\">Components: ";
            bool first = true;
            for (const auto& a : u.affected) {
                if (!first) out += "; ";
                first = false;
                out += escape_html(a.name) + " " + std::string(component_label(a.old_status)) + " → " +
                       std::string(component_label(a.new_status));
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
    out += std::string(status::to_string(i.impact)) + "\">" + std::string(impact_label(i.impact)) + "</span> · ";
    out += "Status: <strong>" + std::string(incident_label(i.status)) + "</strong> · Started " +
           time_element(i.started_at);
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
        out += updates_html(r);
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
           std::string(component_label(s)) + "</span></li>\n";
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
                      std::string(component_label(group_status)) + "</span></h3>\n";
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

    out += "<section class=\"sp-section\" aria-labelledby=\"components\">\n<h2 id=\"components\">Components</h2>\n";
    out += components_html(s) + "</section>\n";

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
    out += "<h2 class=\"sp-subhead\">Updates</h2>\n" + updates_html(r) + "</article>\n";
    out += foot();
    return out;
}

// The feeds' entries: every update of every incident in the snapshot, newest first, at most kFeedEntries.
struct Entry {
    const status::IncidentRecord* record;
    const status::PublicUpdate* update;
};

std::vector<Entry> feed_entries(const status::Snapshot& s)
{
    std::vector<Entry> out;
    for (const auto& r : s.incidents)
        for (const auto& u : r.updates)
            out.push_back({&r, &u});
    std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
        if (a.update->created_at != b.update->created_at) return a.update->created_at > b.update->created_at;
        return a.update->id > b.update->id;
    });
    if (out.size() > kFeedEntries) out.resize(kFeedEntries);
    return out;
}

std::string entry_title(const Entry& e)
{
    return e.record->incident.name + " — " + std::string(incident_label(e.update->status));
}

std::string entry_link(const PageInfo& page, const Entry& e)
{
    return page.url + incident_path(e.record->incident.id) + "#update-" + std::to_string(e.update->id);
}

std::string feed_title(const PageInfo& page)
{
    return (page.name.empty() ? std::string("Lifeline") : page.name) + " status: incident history";
}

std::string atom_feed(const PageInfo& page, const status::Snapshot& s)
{
    auto entries = feed_entries(s);
    auto updated = s.updated_at;
    for (const auto& e : entries)
        updated = std::max(updated, e.update->created_at);
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
        out += "<entry>\n<id>" + escape_xml(entry_link(page, e)) + "</id>\n";
        out += "<title type=\"text\">" + escape_xml(entry_title(e)) + "</title>\n";
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_xml(entry_link(page, e)) + "\"/>\n";
        out += "<published>" + core::format_rfc3339(e.update->created_at) + "</published>\n";
        out += "<updated>" + core::format_rfc3339(e.update->created_at) + "</updated>\n";
        out += "<content type=\"text\">" + escape_xml(e.update->body) + "</content>\n</entry>\n";
    }
    out += "</feed>\n";
    return out;
}

std::string rss_feed(const PageInfo& page, const status::Snapshot& s)
{
    auto entries = feed_entries(s);
    auto updated = s.updated_at;
    for (const auto& e : entries)
        updated = std::max(updated, e.update->created_at);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
    out += "<title>" + escape_xml(feed_title(page)) + "</title>\n";
    out += "<link>" + escape_xml(page.url + "/status") + "</link>\n";
    out += "<description>" + escape_xml("Incidents and their updates from the status page") + "</description>\n";
    out += "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" +
           escape_xml(page.url + "/status/history.rss") + "\"/>\n";
    out += "<language>en</language>\n<lastBuildDate>" + rfc822_date(updated) + "</lastBuildDate>\n";
    for (const auto& e : entries) {
        out += "<item>\n<title>" + escape_xml(entry_title(e)) + "</title>\n";
        out += "<link>" + escape_xml(entry_link(page, e)) + "</link>\n";
        out += "<guid isPermaLink=\"false\">" + escape_xml(entry_link(page, e)) + "</guid>\n";
        out += "<pubDate>" + rfc822_date(e.update->created_at) + "</pubDate>\n";
        // RSS readers take a description as HTML: the body's text is escaped as HTML first, so that markup written
        // into an update stays text in the reader.
        out += "<description>" + escape_xml(escape_html(e.update->body)) + "</description>\n</item>\n";
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
    std::time_t seconds = static_cast<std::time_t>(core::to_unix_ms(t) / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf.data();
}

std::map<std::string, std::pair<std::string, std::string>>
render_status_pages(const PageInfo& page, const status::Snapshot& s, const StatusPageOptions& options)
{
    static const std::string kHtml = "text/html; charset=utf-8";
    std::map<std::string, std::pair<std::string, std::string>> out;
    out["status"] = {kHtml, status_page(page, s, options)};
    for (const auto& r : s.incidents)
        out["status/incidents/" + std::to_string(r.incident.id)] = {kHtml, incident_page(page, s, r, options)};
    out["status/history.atom"] = {"application/atom+xml; charset=utf-8", atom_feed(page, s)};
    out["status/history.rss"] = {"application/rss+xml; charset=utf-8", rss_feed(page, s)};
    return out;
}

}  // namespace lifeline::http
