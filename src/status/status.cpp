#include "status/status.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace lifeline::status {

namespace {

template <class E, std::size_t N>
std::optional<E> parse_word(const std::array<std::string_view, N>& words, std::string_view text)
{
    for (std::size_t i = 0; i < N; ++i)
        if (words[i] == text) return static_cast<E>(i);
    return std::nullopt;
}

constexpr std::array<std::string_view, 5> kComponentStatuses{"operational", "under_maintenance", "degraded_performance",
                                                             "partial_outage", "major_outage"};
constexpr std::array<std::string_view, 4> kImpacts{"none", "minor", "major", "critical"};
constexpr std::array<std::string_view, 5> kIncidentStatuses{"investigating", "identified", "monitoring", "resolved",
                                                            "postmortem"};

bool valid_text(const std::string& s, std::size_t min, std::size_t max)
{
    return s.size() >= min && s.size() <= max && core::is_valid_utf8(s);
}

}  // namespace

std::string_view to_string(ComponentStatus status)
{
    return kComponentStatuses[static_cast<std::size_t>(status)];
}
std::optional<ComponentStatus> parse_component_status(std::string_view text)
{
    return parse_word<ComponentStatus>(kComponentStatuses, text);
}
std::string_view to_string(Impact impact)
{
    return kImpacts[static_cast<std::size_t>(impact)];
}
std::optional<Impact> parse_impact(std::string_view text)
{
    return parse_word<Impact>(kImpacts, text);
}
std::string_view to_string(IncidentStatus status)
{
    return kIncidentStatuses[static_cast<std::size_t>(status)];
}
std::optional<IncidentStatus> parse_incident_status(std::string_view text)
{
    return parse_word<IncidentStatus>(kIncidentStatuses, text);
}

core::Status normalise(Component& c)
{
    c.name = core::trim(c.name);
    c.description = core::trim(c.description);
    std::vector<core::FieldError> errors;
    if (!valid_text(c.name, 1, 200)) errors.push_back({"name", "is required (1-200 characters of UTF-8)"});
    if (!valid_text(c.description, 0, 2000)) errors.push_back({"description", "is at most 2000 characters of UTF-8"});
    if (c.is_group) c.group_id.reset();
    if (!errors.empty())
        return core::Error::invalid(c.is_group ? "the group is not valid" : "the component is not valid",
                                    std::move(errors));
    return core::Ok{};
}

ComponentStatus group_status(const std::vector<Component>& children)
{
    auto worst = ComponentStatus::Operational;
    for (const auto& c : children)
        worst = std::max(worst, c.status);
    return worst;
}

Impact indicator_of(ComponentStatus status)
{
    switch (status) {
    case ComponentStatus::Operational:
    case ComponentStatus::UnderMaintenance: return Impact::None;
    case ComponentStatus::DegradedPerformance: return Impact::Minor;
    case ComponentStatus::PartialOutage: return Impact::Major;
    case ComponentStatus::MajorOutage: return Impact::Critical;
    }
    return Impact::None;
}

Overall overall_status(const std::vector<Component>& components, const std::vector<Impact>& unresolved_impacts)
{
    auto indicator = Impact::None;
    bool maintenance = false;
    for (const auto& c : components) {
        if (c.is_group) continue;
        indicator = std::max(indicator, indicator_of(c.status));
        maintenance = maintenance || c.status == ComponentStatus::UnderMaintenance;
    }
    for (auto impact : unresolved_impacts)
        indicator = std::max(indicator, impact);
    Overall o;
    o.indicator = indicator;
    switch (indicator) {
    case Impact::None: o.description = maintenance ? "Service Under Maintenance" : "All Systems Operational"; break;
    case Impact::Minor: o.description = "Minor Service Outage"; break;
    case Impact::Major: o.description = "Partial System Outage"; break;
    case Impact::Critical: o.description = "Major System Outage"; break;
    }
    return o;
}

core::Result<std::vector<AffectedComponent>> transitions(const std::map<std::int64_t, Component>& current,
                                                         const std::vector<std::int64_t>& incident_components,
                                                         const std::vector<ComponentChange>& changes,
                                                         IncidentStatus update_status)
{
    std::vector<AffectedComponent> out;
    std::set<std::int64_t> named;
    for (const auto& change : changes) {
        auto it = current.find(change.component_id);
        if (it == current.end() || it->second.is_group)
            return core::Error::invalid("the update is not valid",
                                        {{"components", "no component " + std::to_string(change.component_id)}});
        if (!named.insert(change.component_id).second)
            return core::Error::invalid(
                "the update is not valid",
                {{"components", "component " + std::to_string(change.component_id) + " is named twice"}});
        if (it->second.status != change.status)
            out.push_back({change.component_id, it->second.name, it->second.status, change.status});
    }
    if (closes(update_status)) {
        for (auto id : incident_components) {
            if (named.count(id)) continue;
            auto it = current.find(id);
            if (it == current.end() || it->second.is_group) continue;  // deleted since
            if (it->second.status != ComponentStatus::Operational)
                out.push_back({id, it->second.name, it->second.status, ComponentStatus::Operational});
        }
    }
    return out;
}

core::Status check_update(PublicUpdate& u, core::UtcTime now)
{
    u.body = core::trim(u.body);
    std::vector<core::FieldError> errors;
    if (!valid_text(u.body, 1, 10000)) errors.push_back({"body", "is required (1-10000 characters of UTF-8)"});
    if (u.next_update_at) {
        if (closes(u.status))
            errors.push_back({"next_update_at", "is not promised when the incident is resolved"});
        else if (*u.next_update_at <= now || *u.next_update_at > now + std::chrono::days(7))
            errors.push_back({"next_update_at", "must be in the future, within 7 days"});
    }
    if (!errors.empty()) return core::Error::invalid("the update is not valid", std::move(errors));
    return core::Ok{};
}

core::Status check_name(std::string& name)
{
    name = core::trim(name);
    if (!valid_text(name, 1, 300))
        return core::Error::invalid("the incident is not valid", {{"name", "is required (1-300 characters of UTF-8)"}});
    return core::Ok{};
}

std::string_view label(ComponentStatus s)
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

std::string_view label(IncidentStatus s)
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

std::string_view label(Impact i)
{
    switch (i) {
    case Impact::None: return "No impact";
    case Impact::Minor: return "Minor impact";
    case Impact::Major: return "Major impact";
    case Impact::Critical: return "Critical impact";
    }
    return "Unknown";
}

core::Status check_backfill(core::UtcTime started_at, core::UtcTime resolved_at, core::UtcTime now)
{
    std::vector<core::FieldError> errors;
    if (started_at < now - std::chrono::days(366) || started_at >= now)
        errors.push_back({"started_at", "must be in the past, within a year"});
    if (resolved_at > now)
        errors.push_back({"resolved_at", "must be in the past"});
    else if (resolved_at < started_at + std::chrono::minutes(1))
        errors.push_back({"resolved_at", "must be at least a minute after started_at"});
    if (!errors.empty()) return core::Error::invalid("the backfilled incident is not valid", std::move(errors));
    return core::Ok{};
}

std::optional<ComponentStatus> follow_monitor(ComponentStatus current, const MonitorLink& link, bool monitor_down,
                                              bool held_by_incident)
{
    if (current == ComponentStatus::UnderMaintenance) return std::nullopt;
    if (monitor_down) {
        // The enum runs from best to worst, so a worse status set by people or an incident stays.
        if (current >= link.down_status) return std::nullopt;
        return link.down_status;
    }
    if (held_by_incident || current == ComponentStatus::Operational) return std::nullopt;
    return ComponentStatus::Operational;
}

}  // namespace lifeline::status
