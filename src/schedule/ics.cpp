#include "schedule/ics.hpp"

#include <libical/ical.h>

#include <memory>

namespace lifeline::schedule {

namespace {

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

icaltimetype utc(core::UtcTime t)
{
    return icaltime_from_timet_with_zone(static_cast<time_t>(core::to_unix_ms(t) / 1000), 0,
                                         icaltimezone_get_utc_timezone());
}

}  // namespace

std::string events_to_ics(std::string_view product, std::string_view name, const std::vector<CalendarEvent>& events,
                          core::UtcTime generated_at)
{
    std::unique_ptr<icalcomponent, ComponentFree> calendar(icalcomponent_new_vcalendar());
    icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(std::string(product).c_str()));
    icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
    auto calendar_name = icalproperty_new_x(std::string(name).c_str());
    icalproperty_set_x_name(calendar_name, "X-WR-CALNAME");
    icalcomponent_add_property(calendar.get(), calendar_name);
    for (const auto& e : events) {
        icalcomponent* event = icalcomponent_new_vevent();
        icalcomponent_add_property(event, icalproperty_new_uid(e.uid.c_str()));
        icalcomponent_add_property(event, icalproperty_new_dtstamp(utc(generated_at)));
        icalcomponent_add_property(event, icalproperty_new_dtstart(utc(e.start)));
        icalcomponent_add_property(event, icalproperty_new_dtend(utc(e.end)));
        icalcomponent_add_property(event, icalproperty_new_summary(e.summary.c_str()));
        if (!e.description.empty())
            icalcomponent_add_property(event, icalproperty_new_description(e.description.c_str()));
        if (!e.url.empty()) icalcomponent_add_property(event, icalproperty_new_url(e.url.c_str()));
        if (e.cancelled) icalcomponent_add_property(event, icalproperty_new_status(ICAL_STATUS_CANCELLED));
        icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
        icalcomponent_add_component(calendar.get(), event);
    }
    char* text = icalcomponent_as_ical_string_r(calendar.get());
    std::string out(text);
    free(text);
    return out;
}

std::string shifts_to_ics(const Schedule& schedule, const std::vector<Shift>& shifts, const std::string& host,
                          core::UtcTime generated_at)
{
    std::vector<CalendarEvent> events;
    for (const auto& shift : shifts) {
        if (!shift.person) continue;
        CalendarEvent e;
        e.uid = "schedule-" + std::to_string(schedule.id) + "-user-" + std::to_string(shift.person->user_id) + "-" +
                std::to_string(core::to_unix_ms(shift.start) / 1000) + "@" + host;
        e.summary = "On call: " + shift.person->name + " (" + schedule.name + ")";
        e.start = shift.start;
        e.end = shift.end;
        events.push_back(std::move(e));
    }
    return events_to_ics("-//Lifeline//On-call schedules//EN", "On call: " + schedule.name, events, generated_at);
}

}  // namespace lifeline::schedule
