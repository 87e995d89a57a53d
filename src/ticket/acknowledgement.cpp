#include "ticket/acknowledgement.hpp"

#include <ctemplate/template.h>

#include <atomic>
#include <functional>

namespace lifeline::ticket {

namespace {

constexpr std::string_view kDefaultTemplate =
    "Hello {{REQUESTER_NAME}},\n"
    "\n"
    "We have your request \"{{SUBJECT}}\". Your reference is {{REF}}.\n"
    "{{#NAMED}}{{RESPONDER_NAME}} is on it.{{/NAMED}}{{#TEAM}}Our on-duty team has it.{{/TEAM}}\n"
    "{{#ROUND_THE_CLOCK}}Your {{PLAN_NAME}} plan covers emergencies day and night: a human will answer by "
    "{{RESPOND_BY}}, within {{RESPOND_WITHIN}}.{{/ROUND_THE_CLOCK}}"
    "{{#OPEN_NOW}}Under your {{PLAN_NAME}} plan a human will answer by {{RESPOND_BY}}.{{/OPEN_NOW}}"
    "{{#AFTER_HOURS}}We are outside business hours now, and your {{PLAN_NAME}} plan covers business hours only, so a "
    "human will answer by {{RESPOND_BY}} ({{RESPOND_WITHIN}} after we open at {{CLOCK_STARTS}}).{{/AFTER_HOURS}}\n"
    "{{#EMERGENCY}}If your business is down, call {{PHONE}} at any hour.\n{{/EMERGENCY}}"
    "\n"
    "Reply to this message to add anything; keep {{REF}} in the subject.\n";

// ctemplate caches templates by key; the key is derived from the content so edits take effect.
std::string cache_key(std::string_view body)
{
    return "ack-" + std::to_string(std::hash<std::string_view>{}(body));
}

bool expand(std::string_view body, const ctemplate::TemplateDictionary& dict, std::string* out)
{
    auto key = cache_key(body);
    ctemplate::StringToTemplateCache(key, body.data(), body.size(), ctemplate::DO_NOT_STRIP);
    return ctemplate::ExpandTemplate(key, ctemplate::DO_NOT_STRIP, &dict, out);
}

}  // namespace

std::string_view default_acknowledgement_template()
{
    return kDefaultTemplate;
}

core::Status check_acknowledgement_template(std::string_view body)
{
    if (body.size() > 20000)
        return core::Error::invalid("the template is too long", {{"body", "at most 20000 characters"}});
    auto key = cache_key(body);
    if (!ctemplate::StringToTemplateCache(key, body.data(), body.size(), ctemplate::DO_NOT_STRIP) &&
        !ctemplate::TemplateNamelist::IsAllSyntaxOkay(ctemplate::DO_NOT_STRIP)) {
        return core::Error::invalid("the template does not parse",
                                    {{"body", "check that every {{#SECTION}} is closed"}});
    }
    ctemplate::TemplateDictionary dict("check");
    std::string out;
    if (!ctemplate::ExpandTemplate(key, ctemplate::DO_NOT_STRIP, &dict, &out))
        return core::Error::invalid("the template does not parse",
                                    {{"body", "check that every {{#SECTION}} is closed"}});
    return core::Ok{};
}

std::string describe_duration(std::chrono::minutes d)
{
    auto total = d.count();
    if (total <= 0) return "0 minutes";
    auto days = total / (60 * 24);
    auto hours = (total / 60) % 24;
    auto minutes = total % 60;
    std::string out;
    auto part = [&out](long long n, std::string_view unit) {
        if (n == 0) return;
        if (!out.empty()) out += ' ';
        out += std::to_string(n) + ' ' + std::string(unit) + (n == 1 ? "" : "s");
    };
    part(days, "day");
    part(hours, "hour");
    part(minutes, "minute");
    return out;
}

const plan::SupportPlan& fallback_plan()
{
    static const plan::SupportPlan plan = [] {
        plan::SupportPlan p;
        p.name = "Standard";
        p.calendar.time_zone = "UTC";
        auto weekly = plan::parse_weekly_hours("Mon-Fri 09:00-17:00");
        if (weekly) p.calendar.hours = *weekly;
        using std::chrono::hours;
        using std::chrono::minutes;
        p.targets = {plan::Targets{minutes(60), hours(8)}, plan::Targets{hours(4), hours(24)},
                     plan::Targets{hours(8), hours(40)}, plan::Targets{hours(16), hours(80)}};
        return p;
    }();
    return plan;
}

std::string render_acknowledgement(std::string_view template_body, const Ticket& ticket,
                                   const std::string& requester_name, const plan::SupportPlan& plan,
                                   const plan::Deadline& deadline, const Responder& responder)
{
    ctemplate::TemplateDictionary dict("acknowledgement");
    dict.SetValue("REQUESTER_NAME", requester_name.empty() ? std::string("there") : requester_name);
    dict.SetValue("SUBJECT", ticket.subject);
    dict.SetValue("REF", ticket.ref());
    dict.SetValue("PRIORITY", std::string(plan::to_string(ticket.priority)));
    dict.SetValue("PLAN_NAME", plan.name);
    dict.SetValue("RESPOND_BY", plan::describe_local_time(deadline.due, plan.calendar.time_zone));
    dict.SetValue("RESPOND_BY_UTC", core::format_rfc3339(deadline.due));
    dict.SetValue("RESPOND_WITHIN", describe_duration(plan.targets_for(ticket.priority).first_response));
    dict.SetValue("CLOCK_STARTS", plan::describe_local_time(deadline.clock_starts, plan.calendar.time_zone));
    if (responder.name.empty()) {
        dict.ShowSection("TEAM");
    } else {
        dict.SetValueAndShowSection("RESPONDER_NAME", responder.name, "NAMED");
    }
    if (deadline.coverage == plan::Coverage::RoundTheClock) {
        dict.ShowSection("ROUND_THE_CLOCK");
    } else if (deadline.starts_after_hours) {
        dict.ShowSection("AFTER_HOURS");
    } else {
        dict.ShowSection("OPEN_NOW");
    }
    if (!responder.phone.empty()) dict.SetValueAndShowSection("PHONE", responder.phone, "EMERGENCY");
    std::string out;
    if (!expand(template_body, dict, &out)) {
        out.clear();
        expand(kDefaultTemplate, dict, &out);
    }
    return out;
}

}  // namespace lifeline::ticket
