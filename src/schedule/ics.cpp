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

std::string shifts_to_ics(const Schedule& schedule, const std::vector<Shift>& shifts, const std::string& host,
                          core::UtcTime generated_at)
{
    std::unique_ptr<icalcomponent, ComponentFree> calendar(icalcomponent_new_vcalendar());
    icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//Lifeline//On-call schedules//EN"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
    auto name = icalproperty_new_x(("On call: " + schedule.name).c_str());
    icalproperty_set_x_name(name, "X-WR-CALNAME");
    icalcomponent_add_property(calendar.get(), name);
    for (const auto& shift : shifts) {
        if (!shift.person) continue;
        icalcomponent* event = icalcomponent_new_vevent();
        auto uid = "schedule-" + std::to_string(schedule.id) + "-user-" + std::to_string(shift.person->user_id) + "-" +
                   std::to_string(core::to_unix_ms(shift.start) / 1000) + "@" + host;
        icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
        icalcomponent_add_property(event, icalproperty_new_dtstamp(utc(generated_at)));
        icalcomponent_add_property(event, icalproperty_new_dtstart(utc(shift.start)));
        icalcomponent_add_property(event, icalproperty_new_dtend(utc(shift.end)));
        auto summary = "On call: " + shift.person->name + " (" + schedule.name + ")";
        icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
        icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
        icalcomponent_add_component(calendar.get(), event);
    }
    char* text = icalcomponent_as_ical_string_r(calendar.get());
    std::string out(text);
    free(text);
    return out;
}

}  // namespace lifeline::schedule
