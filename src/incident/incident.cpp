#include "incident/incident.hpp"

#include "core/text.hpp"

#include <date/date.h>

#include <cstdio>

namespace lifeline::incident {

std::string_view to_string(Status status)
{
    switch (status) {
    case Status::Investigating: return "investigating";
    case Status::Identified: return "identified";
    case Status::Monitoring: return "monitoring";
    case Status::Resolved: return "resolved";
    }
    return "investigating";
}

std::optional<Status> parse_status(std::string_view text)
{
    for (auto s : {Status::Investigating, Status::Identified, Status::Monitoring, Status::Resolved})
        if (text == to_string(s)) return s;
    return std::nullopt;
}

std::string_view status_words(Status status)
{
    switch (status) {
    case Status::Investigating: return "Investigating: we are finding the cause";
    case Status::Identified: return "Identified: we know the cause and are fixing it";
    case Status::Monitoring: return "Monitoring: a fix is in place and we are watching it";
    case Status::Resolved: return "Resolved";
    }
    return "";
}

std::string_view to_string(Severity severity)
{
    switch (severity) {
    case Severity::Sev1: return "SEV1";
    case Severity::Sev2: return "SEV2";
    case Severity::Sev3: return "SEV3";
    case Severity::Sev4: return "SEV4";
    }
    return "SEV3";
}

std::optional<Severity> parse_severity(std::string_view text)
{
    auto upper = core::ascii_lower(text);
    for (auto s : {Severity::Sev1, Severity::Sev2, Severity::Sev3, Severity::Sev4})
        if (upper == core::ascii_lower(to_string(s))) return s;
    return std::nullopt;
}

std::string_view to_string(BusinessImpact impact)
{
    switch (impact) {
    case BusinessImpact::Down: return "down";
    case BusinessImpact::Degraded: return "degraded";
    case BusinessImpact::Minor: return "minor";
    case BusinessImpact::Cosmetic: return "cosmetic";
    }
    return "degraded";
}

std::optional<BusinessImpact> parse_business_impact(std::string_view text)
{
    for (auto b : {BusinessImpact::Down, BusinessImpact::Degraded, BusinessImpact::Minor, BusinessImpact::Cosmetic})
        if (text == to_string(b)) return b;
    return std::nullopt;
}

Proposal propose_severity(const Impact& impact)
{
    auto orgs = static_cast<std::int64_t>(impact.organization_ids.size());
    bool wide = orgs >= 3 || impact.users >= 500;
    Severity s = Severity::Sev4;
    switch (impact.business) {
    case BusinessImpact::Down: s = orgs >= 2 || impact.users >= 100 ? Severity::Sev1 : Severity::Sev2; break;
    case BusinessImpact::Degraded: s = wide ? Severity::Sev2 : Severity::Sev3; break;
    case BusinessImpact::Minor: s = wide ? Severity::Sev3 : Severity::Sev4; break;
    case BusinessImpact::Cosmetic: s = Severity::Sev4; break;
    }
    std::string who = orgs == 1 ? "1 organization" : std::to_string(orgs) + " organizations";
    if (impact.users > 0)
        who += ", " + std::string(impact.users_estimated ? "about " : "") + std::to_string(impact.users) + " users";
    auto what = impact.description.empty() ? std::string(to_string(impact.business))
                                           : impact.description + " (" + std::string(to_string(impact.business)) + ")";
    return {s, who + ", " + what + " → " + std::string(to_string(s))};
}

core::Status check_impact(const Impact& impact)
{
    std::vector<core::FieldError> errors;
    if (impact.users < 0 || impact.users > 1'000'000'000) errors.push_back({"impact.users", "is 0 or more"});
    if (impact.components.size() > 50) errors.push_back({"impact.components", "at most 50"});
    for (const auto& c : impact.components)
        if (c.empty() || c.size() > 200 || !core::is_valid_utf8(c)) {
            errors.push_back({"impact.components", "each is 1-200 characters of UTF-8"});
            break;
        }
    if (impact.description.size() > 1000 || !core::is_valid_utf8(impact.description))
        errors.push_back({"impact.description", "is at most 1000 characters of UTF-8"});
    if (!errors.empty()) return core::Error::invalid("the impact is not valid", std::move(errors));
    return core::Ok{};
}

std::string_view to_string(Channel channel)
{
    switch (channel) {
    case Channel::Technical: return "technical";
    case Channel::Business: return "business";
    case Channel::System: return "system";
    }
    return "technical";
}

std::optional<Channel> parse_channel(std::string_view text)
{
    if (text == "technical") return Channel::Technical;
    if (text == "business") return Channel::Business;
    return std::nullopt;
}

core::Status check_update(const Update& u, bool resolving, core::UtcTime now)
{
    std::vector<core::FieldError> errors;
    if (core::trim(u.body).empty() || u.body.size() > 20000 || !core::is_valid_utf8(u.body))
        errors.push_back({"body", "is required (at most 20000 characters of UTF-8)"});
    if (u.channel == Channel::Business && !resolving) {
        if (!u.next_update_at)
            errors.push_back({"next_update_at", "is required: every briefing says when the next one comes"});
        else if (*u.next_update_at <= now)
            errors.push_back({"next_update_at", "must be in the future"});
        else if (*u.next_update_at - now > kMaxUpdateInterval)
            errors.push_back({"next_update_at", "is at most 24 hours ahead"});
        if (core::trim(u.next_update_reason).empty())
            errors.push_back(
                {"next_update_reason", "is required: say why then (\"the restore finishes around 18:45\")"});
        else if (u.next_update_reason.size() > 500 || !core::is_valid_utf8(u.next_update_reason))
            errors.push_back({"next_update_reason", "is at most 500 characters of UTF-8"});
    }
    if (!errors.empty()) return core::Error::invalid("the update is not valid", std::move(errors));
    return core::Ok{};
}

std::string_view to_string(StepState state)
{
    switch (state) {
    case StepState::Open: return "open";
    case StepState::Confirmed: return "confirmed";
    case StepState::RuledOut: return "ruled_out";
    }
    return "open";
}

Durations durations(const Incident& i)
{
    Durations d;
    auto since = [&](const std::optional<core::UtcTime>& t) -> std::optional<std::chrono::milliseconds> {
        if (!t) return std::nullopt;
        return std::chrono::duration_cast<std::chrono::milliseconds>(*t - i.declared_at);
    };
    d.acknowledge = since(i.acknowledged_at);
    d.mitigate = since(i.mitigated_at);
    d.resolve = since(i.resolved_at);
    return d;
}

std::string format_time(core::UtcTime t)
{
    auto secs = std::chrono::floor<std::chrono::seconds>(t);
    auto day = std::chrono::floor<date::days>(secs);
    date::year_month_day ymd{day};
    date::hh_mm_ss hms{secs - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d UTC", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
    return buf;
}

namespace {

std::string leader(const Incident& i)
{
    auto text = i.commander_name;
    if (!i.commander_phone.empty()) text += " (emergency line " + i.commander_phone + ")";
    return text;
}

std::string next_update(const Incident& i)
{
    if (!i.next_update_at) return "";
    auto text = "Next update by " + format_time(*i.next_update_at);
    if (!i.next_update_reason.empty()) text += " — " + i.next_update_reason;
    return text + ".";
}

}  // namespace

std::string known_issue_answer(const Incident& i)
{
    return "We know about this problem and are already working on it: " + i.title +
           ".\n\nStatus: " + std::string(status_words(i.status)) + ".\n" + leader(i) +
           " is leading the response and is accountable for it.\n" + next_update(i) +
           "\n\nYou will get every update on this ticket; there is no need to report it again.";
}

std::string briefing_for_customers(const Incident& i, const Update& u)
{
    return "Update on " + i.title + " (" + std::string(status_words(i.status)) + ")\n\n" + u.body + "\n\n" +
           next_update(i) + "\n" + leader(i) + " is leading the response.";
}

std::string resolution_notice(const Incident& i, const Update& u)
{
    return "Resolved: " + i.title + "\n\n" + u.body +
           "\n\nIs everything working for you now? If anything still looks wrong, reply to this message and " +
           i.commander_name + " will pick it up.";
}

std::string debrief_markdown(const Record& r)
{
    const auto& i = r.incident;
    std::string md = "# Debrief: " + i.title + "\n\n";
    md += "- Severity: " + std::string(to_string(i.severity)) + " (" + i.severity_reason + ")";
    if (!i.severity_override_reason.empty())
        md +=
            "; proposed " + std::string(to_string(i.proposed_severity)) + ", overridden: " + i.severity_override_reason;
    md += "\n- Commander: " + i.commander_name + "\n- Declared: " + format_time(i.declared_at) + "\n";
    if (i.resolved_at) md += "- Resolved: " + format_time(*i.resolved_at) + "\n";
    auto d = durations(i);
    auto minutes = [](const std::optional<std::chrono::milliseconds>& m) {
        return m ? std::to_string(std::chrono::duration_cast<std::chrono::minutes>(*m).count()) + " min"
                 : std::string("—");
    };
    md += "- Time to acknowledge: " + minutes(d.acknowledge) + "; to mitigate: " + minutes(d.mitigate) +
          "; to resolve: " + minutes(d.resolve) + "\n\n";

    md += "## What happened\n\n";
    bool any = false;
    for (const auto& u : r.updates)
        if (u.channel == Channel::Business) {
            md += "> " + format_time(u.at) + ": " + u.body + "\n>\n";
            any = true;
        }
    md += any ? "\n" : "_Summarise the cause and the fix._\n\n";

    md += "## Impact\n\n";
    md += "- Organizations: ";
    for (std::size_t k = 0; k < r.organization_names.size(); ++k)
        md += (k ? ", " : "") + r.organization_names[k];
    if (r.organization_names.empty()) md += "none recorded";
    md += "\n- Users: " + std::string(i.impact.users_estimated ? "about " : "") + std::to_string(i.impact.users) + "\n";
    md += "- Business impact: " + std::string(to_string(i.impact.business));
    if (!i.impact.description.empty()) md += " — " + i.impact.description;
    md += "\n";
    if (!i.impact.components.empty()) {
        md += "- Components: ";
        for (std::size_t k = 0; k < i.impact.components.size(); ++k)
            md += (k ? ", " : "") + i.impact.components[k];
        md += "\n";
    }
    md += "- Linked tickets: " + std::to_string(r.tickets.size()) +
          "; linked alerts: " + std::to_string(r.alerts.size()) + "\n\n";

    md += "## Timeline\n\n| time | channel | who | what |\n|---|---|---|---|\n";
    for (const auto& u : r.updates) {
        auto body = u.body;
        for (auto& c : body)
            if (c == '\n' || c == '|') c = ' ';
        md += "| " + format_time(u.at) + " | " + std::string(to_string(u.channel)) + " | " +
              (u.author_name.empty() ? "Lifeline" : u.author_name) + " | " + body + " |\n";
    }
    md += "\n## Diagnosis\n\n";
    for (const auto& s : r.steps) {
        md += "- " + s.title + " (" + s.owner_name + "): " + std::string(to_string(s.state));
        if (!s.outcome.empty()) md += " — " + s.outcome;
        if (s.extensions > 0) md += " (deadline extended " + std::to_string(s.extensions) + "×)";
        md += "\n";
    }
    if (r.steps.empty()) md += "_No diagnostic steps were recorded._\n";
    md += "\n## What went well\n\n_…_\n\n## What did not go well\n\n_…_\n\n## Action items\n\n";
    for (const auto& a : r.action_items)
        md += "- [" + std::string(a.done_at ? "x" : " ") + "] " + a.title + " — " + a.owner_name + ", due " +
              format_time(a.due_at) + "\n";
    if (r.action_items.empty()) md += "_None yet._\n";
    md += "\n## Customers' view\n\n";
    for (const auto& c : r.comments)
        md += "> " + c.body + "\n>\n> — " + c.author_name +
              (c.organization_name.empty() ? std::string() : ", " + c.organization_name) + "\n\n";
    if (r.comments.empty()) md += "_Customers have not added their view yet._\n";
    return md;
}

}  // namespace lifeline::incident
