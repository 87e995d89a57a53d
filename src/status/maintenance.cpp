#include "status/maintenance.hpp"

#include "core/text.hpp"

#include <array>

namespace lifeline::status {

namespace {

constexpr std::array<std::string_view, 4> kStatuses{"scheduled", "in_progress", "verifying", "completed"};

bool valid_text(const std::string& s, std::size_t min, std::size_t max)
{
    return s.size() >= min && s.size() <= max && core::is_valid_utf8(s);
}

}  // namespace

std::string_view label(MaintenanceStatus s)
{
    switch (s) {
    case MaintenanceStatus::Scheduled: return "Scheduled";
    case MaintenanceStatus::InProgress: return "In progress";
    case MaintenanceStatus::Verifying: return "Verifying";
    case MaintenanceStatus::Completed: return "Completed";
    }
    return "Unknown";
}

std::string_view to_string(MaintenanceStatus status)
{
    return kStatuses[static_cast<std::size_t>(status)];
}

std::optional<MaintenanceStatus> parse_maintenance_status(std::string_view text)
{
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == text) return static_cast<MaintenanceStatus>(i);
    return std::nullopt;
}

core::Status check_maintenance(Maintenance& m, core::UtcTime now, bool is_new)
{
    m.name = core::trim(m.name);
    std::vector<core::FieldError> errors;
    if (!valid_text(m.name, 1, 300)) errors.push_back({"name", "is required (1-300 characters of UTF-8)"});
    auto length = m.scheduled_until - m.scheduled_for;
    if (m.scheduled_for > now + kMaxLead) errors.push_back({"scheduled_for", "is at most 366 days ahead"});
    if (m.scheduled_until <= m.scheduled_for)
        errors.push_back({"scheduled_until", "must be after scheduled_for"});
    else if (length < kMinWindow || length > kMaxWindow)
        errors.push_back({"scheduled_until", "makes a window from 1 minute to 7 days long"});
    else if (is_new && m.scheduled_until <= now)
        errors.push_back({"scheduled_until", "must be in the future"});
    if (!errors.empty()) return core::Error::invalid("the maintenance is not valid", std::move(errors));
    return core::Ok{};
}

core::Status check_maintenance_body(std::string& body)
{
    body = core::trim(body);
    if (!valid_text(body, 1, 10000))
        return core::Error::invalid("the update is not valid", {{"body", "is required (1-10000 characters of UTF-8)"}});
    return core::Ok{};
}

bool can_move(MaintenanceStatus from, MaintenanceStatus to)
{
    if (from == MaintenanceStatus::Completed || to == MaintenanceStatus::Scheduled) return false;
    return to > from || (from == MaintenanceStatus::Verifying && to == MaintenanceStatus::InProgress);
}

std::optional<MaintenanceStatus> due_status(const Maintenance& m, core::UtcTime now)
{
    if (!m.open()) return std::nullopt;
    bool started = m.active() || (m.auto_start && now >= m.scheduled_for);
    if (m.auto_complete && started && now >= m.scheduled_until) return MaintenanceStatus::Completed;
    if (m.status == MaintenanceStatus::Scheduled && m.auto_start && now >= m.scheduled_for)
        return MaintenanceStatus::InProgress;
    return std::nullopt;
}

std::vector<AffectedComponent> maintenance_transitions(const std::map<std::int64_t, Component>& current,
                                                       const Maintenance& m, MaintenanceStatus to,
                                                       const std::set<std::int64_t>& held)
{
    std::vector<AffectedComponent> out;
    bool starting = m.status == MaintenanceStatus::Scheduled &&
                    (to == MaintenanceStatus::InProgress || to == MaintenanceStatus::Verifying);
    bool completing = to == MaintenanceStatus::Completed && m.active();
    for (auto id : m.component_ids) {
        auto it = current.find(id);
        if (it == current.end() || it->second.is_group) continue;  // deleted since
        const auto& c = it->second;
        if (starting && m.auto_transition_to_maintenance_state && c.status == ComponentStatus::Operational)
            out.push_back({id, c.name, c.status, ComponentStatus::UnderMaintenance});
        if (completing && m.auto_transition_to_operational_state && c.status == ComponentStatus::UnderMaintenance &&
            !held.count(id))
            out.push_back({id, c.name, c.status, ComponentStatus::Operational});
    }
    return out;
}

}  // namespace lifeline::status
