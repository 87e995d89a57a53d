// The on-call pages of the console: who is on call on every schedule, one schedule with its next 14 days, the
// schedule form (create and edit, admins), cover (overrides, admins) and the calendar feed link. Staff only.
// Times are shown in each schedule's own zone and labelled with its abbreviation.
#include "core/text.hpp"
#include "core/weekly.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"
#include "schedule/schedule_service.hpp"

#include <date/tz.h>

#include <array>
#include <climits>
#include <map>
#include <set>

namespace lifeline::http::web {

namespace {

using beast_http::status;
using std::chrono::minutes;

// The form offers this many layer blocks (more when a schedule already has more layers).
constexpr std::size_t kFormLayers = 3;
// Gaps listed per schedule in the banners; the rest are counted.
constexpr std::size_t kGapsShown = 6;
constexpr int kDaysShown = 14;
constexpr auto kWarnAhead = std::chrono::days(7);

constexpr std::array<std::string_view, 12> kMonthNames{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdayPlurals{"Sundays",   "Mondays", "Tuesdays", "Wednesdays",
                                                          "Thursdays", "Fridays", "Saturdays"};
// Offered in the form's time-zone list; any IANA name may be typed.
constexpr std::array<std::string_view, 22> kCommonZones{"UTC",
                                                        "Europe/London",
                                                        "Europe/Dublin",
                                                        "Europe/Lisbon",
                                                        "Europe/Paris",
                                                        "Europe/Berlin",
                                                        "Europe/Amsterdam",
                                                        "Europe/Madrid",
                                                        "Europe/Warsaw",
                                                        "Europe/Helsinki",
                                                        "Europe/Athens",
                                                        "America/New_York",
                                                        "America/Chicago",
                                                        "America/Denver",
                                                        "America/Los_Angeles",
                                                        "America/Toronto",
                                                        "America/Sao_Paulo",
                                                        "Asia/Kolkata",
                                                        "Asia/Singapore",
                                                        "Asia/Tokyo",
                                                        "Australia/Sydney",
                                                        "Pacific/Auckland"};

// ---- Time as people read it, in the schedule's zone ----------------------------------------------------------

// One reading of the schedule's clock.
struct Local {
    date::local_days day;
    minutes time{0};  // since midnight
    std::string abbreviation;
};

Local local_at(const date::time_zone& zone, core::UtcTime t)
{
    const auto at = std::chrono::floor<std::chrono::seconds>(t);
    const auto info = zone.get_info(at);
    const date::local_seconds local{at.time_since_epoch() + info.offset};
    const auto day = std::chrono::floor<date::days>(local);
    return {day, std::chrono::floor<minutes>(local - day), info.abbrev};
}

// "Sat 28 Nov"
std::string day_text(date::local_days day)
{
    const date::year_month_day ymd{day};
    return std::string(core::kWeekdayNames[date::weekday{day}.c_encoding()]) + " " +
           std::to_string(static_cast<unsigned>(ymd.day())) + " " +
           std::string(kMonthNames[static_cast<unsigned>(ymd.month()) - 1]);
}

// "Sat 28 Nov 02:00 CET"
std::string when(const date::time_zone& zone, core::UtcTime t)
{
    const Local l = local_at(zone, t);
    return day_text(l.day) + " " + core::format_clock(l.time) + " " + l.abbreviation;
}

// "Sat 28 Nov 02:00–06:00 CET", "Sat 28 Nov 22:00–24:00 CET", "Sat 28 Nov 22:00 – Mon 30 Nov 06:00 CET", and
// each time with its own abbreviation when a clock change lies between them.
std::string span(const date::time_zone& zone, core::UtcTime start, core::UtcTime end)
{
    const Local a = local_at(zone, start);
    const Local b = local_at(zone, end);
    const bool one_zone = a.abbreviation == b.abbreviation;
    std::string out = day_text(a.day) + " " + core::format_clock(a.time) + (one_zone ? "" : " " + a.abbreviation);
    if (b.day == a.day)
        out += "–" + core::format_clock(b.time);
    else if (b.day == a.day + date::days(1) && b.time == minutes(0))
        out += "–24:00";
    else
        out += " – " + day_text(b.day) + " " + core::format_clock(b.time);
    return out + " " + b.abbreviation;
}

// A layer's first hand-off as written in the form: "2026-11-23T09:00".
std::string local_input_value(date::local_seconds t)
{
    const auto day = std::chrono::floor<date::days>(t);
    const date::year_month_day ymd{day};
    char buffer[32];
    const auto clock = std::chrono::floor<minutes>(t - day);
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%s", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  core::format_clock(clock).c_str());
    return buffer;
}

// "Nobody is on call Sat 28 Nov 02:00–06:00 CET", with the edges of the 7-day window said as such.
std::string gap_text(const date::time_zone& zone, const schedule::Gap& gap, core::UtcTime now)
{
    const bool from_now = gap.start <= now;
    const bool open_ended = gap.end >= now + kWarnAhead;
    if (from_now && open_ended) return "Nobody is on call now, nor at any time in the next 7 days";
    if (from_now) return "Nobody is on call now, until " + when(zone, gap.end);
    if (open_ended) return "Nobody is on call from " + when(zone, gap.start) + " to the end of the next 7 days";
    return "Nobody is on call " + span(zone, gap.start, gap.end);
}

std::string count_gaps(std::size_t n)
{
    return n == 1 ? std::string("1 gap in the next 7 days") : std::to_string(n) + " gaps in the next 7 days";
}

// ON_CALL (PERSON, UNTIL, section IS_COVER) or NOBODY; HAS_NEXT (NEXT, NEXT_START) or NO_NEXT.
void fill_now(ctemplate::TemplateDictionary& d, const schedule::OnCallAnswer& answer, const date::time_zone& zone,
              core::UtcTime now)
{
    if (answer.now) {
        auto* on = d.AddSectionDictionary("ON_CALL");
        on->SetValue("PERSON", answer.now->person.name);
        if (answer.now->origin == schedule::Origin::Override) on->ShowSection("IS_COVER");
        on->SetValue("UNTIL", answer.until >= now + schedule::kOnCallLookaround
                                  ? std::string("with no hand-off in the next six weeks")
                                  : "until " + when(zone, answer.until));
    } else {
        d.ShowSection("NOBODY");
    }
    if (answer.next && answer.next->person) {
        d.SetValue("NEXT", answer.next->person->name);
        d.SetValue("NEXT_START", when(zone, answer.next->start));
        d.ShowSection("HAS_NEXT");
    } else {
        d.ShowSection("NO_NEXT");
    }
}

Response no_such_schedule(const Context& ctx)
{
    return error_page(ctx, core::Error::not_found("there is no such schedule"));
}

// ---- /console/on-call -----------------------------------------------------------------------------------------

boost::asio::awaitable<Response> overview(Services& s, Context& ctx)
{
    const auto now = s.clock.now();
    auto all = s.schedules.overview(*ctx.actor, now);
    if (!all) co_return error_page(ctx, all.error());
    PageView page(ctx, "On call", "console_oncall.tpl");
    page.set_current("oncall");
    auto& d = page.content();
    d.SetValue("NOW", describe_time(now));
    if (ctx.actor->is_admin()) d.ShowSection("CAN_EDIT");
    show_flash(d, ctx, {{"deleted", "The schedule was deleted."}});
    if (all->empty()) d.ShowSection("EMPTY");
    bool any_gap = false;
    for (const auto& answer : *all) {
        const auto& sch = answer.schedule;
        const auto& zone = core::require_zone(sch.time_zone, "schedule");
        auto* card = d.AddSectionDictionary("SCHEDULE");
        card->SetIntValue("ID", static_cast<long>(sch.id));
        card->SetValue("NAME", sch.name);
        card->SetValue("ZONE", sch.time_zone);
        fill_now(*card, answer, zone, now);
        const auto& gaps = answer.upcoming_gaps;
        if (gaps.empty()) continue;
        any_gap = true;
        card->SetValueAndShowSection("CARD_GAPS", count_gaps(gaps.size()), "HAS_CARD_GAPS");
        for (std::size_t i = 0; i < gaps.size() && i < kGapsShown; ++i) {
            auto* row = d.AddSectionDictionary("GAP");
            row->SetIntValue("ID", static_cast<long>(sch.id));
            row->SetValue("SCHEDULE", sch.name);
            row->SetValue("TEXT", gap_text(zone, gaps[i], now));
        }
        if (gaps.size() > kGapsShown) {
            auto* row = d.AddSectionDictionary("GAP");
            row->SetIntValue("ID", static_cast<long>(sch.id));
            row->SetValue("SCHEDULE", sch.name);
            row->SetValue("TEXT", "and " + std::to_string(gaps.size() - kGapsShown) + " more");
        }
    }
    if (any_gap) d.ShowSection("HAS_GAPS");
    co_return page.render(status::ok);
}

// ---- /console/schedules/{id} ----------------------------------------------------------------------------------

// What a post sends back to the schedule page besides the schedule.
struct Feedback {
    std::string form;  // "override", "delete"; empty: nothing failed
    std::optional<core::Error> error;
    std::string user, start, end;  // the cover form as typed
    std::string feed_url;          // a new calendar address, shown once
};

std::string site_origin(const Context& ctx)
{
    auto host = ctx.header("Host");
    if (host.empty()) host = "localhost";
    return (ctx.header("X-Forwarded-Proto") == "https" ? "https://" : "http://") + host;
}

std::string rotation_text(const schedule::Layer& layer)
{
    const auto day = std::chrono::floor<date::days>(layer.start);
    const auto clock = core::format_clock(std::chrono::floor<minutes>(layer.start - day));
    switch (layer.length) {
    case schedule::Layer::Length::Daily: return "Every day at " + clock;
    case schedule::Layer::Length::Weekly:
        return "Every week, " + std::string(kWeekdayPlurals[date::weekday{day}.c_encoding()]) + " at " + clock;
    case schedule::Layer::Length::Hours:
        return layer.hours == 1 ? std::string("Every hour") : "Every " + std::to_string(layer.hours) + " hours";
    }
    return {};
}

// The next 14 local days from today, each with the stretches of the timeline that fall on it.
void fill_days(ctemplate::TemplateDictionary& d, const schedule::Schedule& sch, const date::time_zone& zone,
               core::UtcTime now)
{
    const auto today = local_at(zone, now).day;
    auto boundary = [&](int offset) {
        return schedule::local_to_utc(sch.time_zone, date::local_seconds{today + date::days(offset)});
    };
    const auto timeline = schedule::shifts(sch, boundary(0), boundary(kDaysShown));
    std::size_t next = 0;
    for (int offset = 0; offset < kDaysShown; ++offset) {
        const auto day_start = boundary(offset);
        const auto day_end = boundary(offset + 1);
        auto* day = d.AddSectionDictionary("DAY");
        std::string label = day_text(today + date::days(offset));
        if (offset == 0) label = "Today, " + label;
        if (offset == 1) label = "Tomorrow, " + label;
        day->SetValue("LABEL", label);
        while (next < timeline.size() && timeline[next].end <= day_start)
            ++next;
        for (std::size_t i = next; i < timeline.size() && timeline[i].start < day_end; ++i) {
            const auto& shift = timeline[i];
            const auto from = std::max(shift.start, day_start);
            const auto to = std::min(shift.end, day_end);
            if (from >= to) continue;
            auto* row = day->AddSectionDictionary("SHIFT");
            row->SetValue("FROM", core::format_clock(local_at(zone, from).time));
            row->SetValue("TO", to == day_end ? std::string("24:00") : core::format_clock(local_at(zone, to).time));
            if (!shift.person) {
                row->ShowSection("IS_GAP");
                continue;
            }
            row->SetValueAndShowSection("PERSON", shift.person->name, "IS_PERSON");
            if (shift.origin == schedule::Origin::Override)
                row->SetValue("ORIGIN", "cover");
            else if (shift.index < sch.layers.size())
                row->SetValue("ORIGIN", sch.layers[shift.index].name);
        }
    }
}

void fill_layers(ctemplate::TemplateDictionary& d, const schedule::Schedule& sch)
{
    if (sch.layers.empty()) d.ShowSection("NO_LAYERS");
    for (const auto& layer : sch.layers) {
        auto* row = d.AddSectionDictionary("LAYER");
        row->SetValue("NAME", layer.name);
        row->SetValue("ROTATION", rotation_text(layer));
        const auto day = std::chrono::floor<date::days>(layer.start);
        const date::year_month_day ymd{day};
        row->SetValue("START", day_text(day) + " " + std::to_string(static_cast<int>(ymd.year())) + ", " +
                                   core::format_clock(std::chrono::floor<minutes>(layer.start - day)));
        row->SetValue("RESTRICTIONS", layer.restrictions.empty()
                                          ? std::string("Round the clock")
                                          : schedule::format_restriction_spec(layer.restrictions));
        for (const auto& p : layer.participants)
            row->AddSectionDictionary("PARTICIPANT")->SetValue("NAME", p.name);
    }
}

// The cover list, the add-cover form (admins) with what was typed, and the messages of a failed post.
void fill_overrides(ctemplate::TemplateDictionary& d, Services& s, const Context& ctx, const schedule::Schedule& sch,
                    const date::time_zone& zone, core::UtcTime now, const Feedback& feedback)
{
    const bool admin = ctx.actor->is_admin();
    if (sch.overrides.empty())
        d.ShowSection("NO_OVERRIDES");
    else
        d.ShowSection("HAS_OVERRIDES");
    for (std::size_t i = 0; i < sch.overrides.size(); ++i) {
        const auto& o = sch.overrides[i];
        auto* row = d.AddSectionDictionary("OVERRIDE");
        row->SetValue("NAME", o.name);
        row->SetValue("SPAN", span(zone, o.start, o.end));
        row->SetIntValue("INDEX", static_cast<long>(i));
        if (o.end <= now) row->ShowSection("PAST");
        if (admin) row->ShowSection("CAN_EDIT");
    }
    if (!admin) return;

    // Defaults: from the next full hour for a day.
    const core::UtcTime next_hour = std::chrono::ceil<std::chrono::hours>(now);
    std::string start = local_input_value(schedule::utc_to_local(sch.time_zone, next_hour));
    std::string end = local_input_value(schedule::utc_to_local(sch.time_zone, next_hour + std::chrono::hours(24)));
    std::string wanted = ctx.actor->email;
    if (feedback.form == "override") {
        start = feedback.start;
        end = feedback.end;
        wanted = core::ascii_lower(core::trim(feedback.user));
        if (feedback.error) {
            const auto& e = *feedback.error;
            show_field_messages(d, e, "user", "", "USER_ERROR");
            show_field_messages(d, e, "start", "The start", "START_ERROR");
            show_field_messages(d, e, "end", "The end", "END_ERROR");
            if (e.fields().empty()) d.SetValueAndShowSection("OVERRIDE_ERROR", sentence(e), "HAS_OVERRIDE_ERROR");
        }
    }
    d.SetValue("OVERRIDE_START", start);
    d.SetValue("OVERRIDE_END", end);
    auto staff = s.auth.staff(*ctx.actor);
    if (!staff) {
        d.SetValueAndShowSection("OVERRIDE_ERROR", sentence(staff.error()), "HAS_OVERRIDE_ERROR");
        return;
    }
    for (const auto& u : *staff)
        add_option(d, "STAFF_OPTION", u.email, u.name + " (" + u.email + ")", u.email == wanted);
}

Response schedule_page(Services& s, const Context& ctx, std::int64_t id, const Feedback& feedback, status code)
{
    const auto now = s.clock.now();
    auto answer = s.schedules.on_call(*ctx.actor, id, now);
    if (!answer) return error_page(ctx, answer.error());
    const auto& sch = answer->schedule;
    const auto& zone = core::require_zone(sch.time_zone, "schedule");
    PageView page(ctx, sch.name, "console_schedule.tpl");
    page.set_current("oncall");
    auto& d = page.content();
    d.SetIntValue("ID", static_cast<long>(sch.id));
    d.SetValue("NAME", sch.name);
    d.SetValue("ZONE", sch.time_zone);
    d.SetValue("ZONE_NOW", local_at(zone, now).abbreviation);
    if (ctx.actor->is_admin()) d.ShowSection("CAN_EDIT");
    show_flash(d, ctx,
               {{"created", "The schedule was created."},
                {"updated", "The schedule was saved."},
                {"override", "The cover was added."},
                {"override-removed", "The cover was removed."}});
    fill_now(d, *answer, zone, now);
    for (const auto& gap : answer->upcoming_gaps)
        d.AddSectionDictionary("GAP")->SetValue("TEXT", gap_text(zone, gap, now));
    if (!answer->upcoming_gaps.empty()) d.ShowSection("HAS_GAPS");
    fill_days(d, sch, zone, now);
    fill_layers(d, sch);
    fill_overrides(d, s, ctx, sch, zone, now, feedback);
    if (feedback.form == "delete" && feedback.error)
        d.SetValueAndShowSection("DELETE_ERROR", sentence(*feedback.error), "HAS_DELETE_ERROR");
    if (!feedback.feed_url.empty()) {
        d.SetValue("FEED_URL", feedback.feed_url);
        d.ShowSection("HAS_FEED");
        std::set<std::int64_t> seen;
        auto person = [&](std::int64_t user_id, const std::string& name) {
            if (!seen.insert(user_id).second) return;
            auto* row = d.AddSectionDictionary("PERSON_FEED");
            row->SetValue("NAME", name);
            row->SetValue("URL", feedback.feed_url + "?user_id=" + std::to_string(user_id));
        };
        for (const auto& layer : sch.layers)
            for (const auto& p : layer.participants)
                person(p.user_id, p.name);
        for (const auto& o : sch.overrides)
            person(o.user_id, o.name);
        if (!seen.empty()) d.ShowSection("HAS_PERSON_FEEDS");
    }
    return page.render(code);
}

boost::asio::awaitable<Response> show(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_schedule(ctx);
    co_return schedule_page(s, ctx, *id, {}, status::ok);
}

boost::asio::awaitable<Response> create_feed(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_schedule(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto token = co_await s.schedules.create_feed_token(*ctx.actor, *id);
    if (!token) co_return error_page(ctx, token.error());
    Feedback feedback;
    feedback.feed_url = site_origin(ctx) + "/calendar/schedules/" + *token + ".ics";
    auto res = schedule_page(s, ctx, *id, feedback, status::ok);
    res.set(beast_http::field::cache_control, "no-store");
    co_return res;
}

boost::asio::awaitable<Response> add_override(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_schedule(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "arrange cover");
    auto sch = s.schedules.get(*ctx.actor, *id);
    if (!sch) co_return error_page(ctx, sch.error());

    Feedback feedback;
    feedback.form = "override";
    feedback.user = form->get("user");
    feedback.start = core::trim(form->get("start"));
    feedback.end = core::trim(form->get("end"));
    std::vector<core::FieldError> errors;
    auto start = schedule::parse_local_time(feedback.start);
    auto end = schedule::parse_local_time(feedback.end);
    if (!start) errors.push_back({"start", "must be a date and time such as 2026-11-28T18:00"});
    if (!end) errors.push_back({"end", "must be a date and time such as 2026-11-29T08:00"});
    if (!errors.empty()) {
        feedback.error = core::Error::invalid("the cover is not valid", std::move(errors));
        co_return schedule_page(s, ctx, *id, feedback, status::bad_request);
    }
    schedule::OverrideInput input{feedback.user, schedule::local_to_utc(sch->time_zone, *start),
                                  schedule::local_to_utc(sch->time_zone, *end)};
    auto changed = co_await s.schedules.add_override(*ctx.actor, *id, std::move(input));
    if (!changed) {
        if (changed.error().code() != core::ErrorCode::InvalidArgument) co_return error_page(ctx, changed.error());
        feedback.error = changed.error();
        co_return schedule_page(s, ctx, *id, feedback, status::bad_request);
    }
    co_return redirect(ctx, "/console/schedules/" + std::to_string(*id) + "?done=override#overrides");
}

boost::asio::awaitable<Response> remove_override(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    auto index = index_param(ctx, "index");
    if (!id || !index) co_return no_such_schedule(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto changed = co_await s.schedules.remove_override(*ctx.actor, *id, *index);
    if (!changed) co_return error_page(ctx, changed.error());
    co_return redirect(ctx, "/console/schedules/" + std::to_string(*id) + "?done=override-removed#overrides");
}

boost::asio::awaitable<Response> remove_schedule(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_schedule(ctx);
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (form->get("confirm") != "yes") {
        Feedback feedback;
        feedback.form = "delete";
        feedback.error = core::Error::invalid("tick the box to confirm that the schedule should be deleted");
        co_return schedule_page(s, ctx, *id, feedback, status::bad_request);
    }
    auto done = co_await s.schedules.remove(*ctx.actor, *id);
    if (!done) {
        if (done.error().code() != core::ErrorCode::Conflict) co_return error_page(ctx, done.error());
        Feedback feedback;
        feedback.form = "delete";
        feedback.error = done.error();
        co_return schedule_page(s, ctx, *id, feedback, status::conflict);
    }
    co_return redirect(ctx, "/console/on-call?done=deleted");
}

// ---- The schedule form ----------------------------------------------------------------------------------------

// One layer block as typed (or as stored, when editing).
struct LayerFields {
    std::string name, participants, start, length = "weekly", hours, restrictions;
};

struct ScheduleFields {
    std::string name;
    std::string time_zone = "UTC";
    std::vector<LayerFields> layers;
};

// A submitted form: the values as typed, the service input built from the non-empty blocks, the block number
// (1-based) of each layer in that input, and messages by form field ("name", "time_zone", "layer2.participants", …).
struct ParsedForm {
    ScheduleFields fields;
    schedule::ScheduleInput input;
    std::vector<std::size_t> blocks;
    FormErrors errors;
};

ParsedForm parse_schedule_form(const Form& form)
{
    ParsedForm out;
    out.fields.name = form.get("name");
    out.fields.time_zone = core::trim(form.get("time_zone"));
    out.input.name = out.fields.name;
    out.input.time_zone = out.fields.time_zone;
    for (std::size_t b = 1; b <= kFormLayers || form.has("layer" + std::to_string(b) + "_name"); ++b) {
        const auto prefix = "layer" + std::to_string(b);
        LayerFields typed{form.get(prefix + "_name"),
                          form.get(prefix + "_participants"),
                          core::trim(form.get(prefix + "_start")),
                          core::trim(form.get(prefix + "_length")),
                          core::trim(form.get(prefix + "_hours")),
                          form.get(prefix + "_restrictions")};
        if (typed.length.empty()) typed.length = "weekly";
        out.fields.layers.push_back(typed);
        if (core::trim(typed.name).empty() && core::trim(typed.participants).empty() &&
            core::trim(typed.restrictions).empty())
            continue;  // an unused block

        schedule::LayerInput layer;
        layer.name = typed.name;
        std::string email;
        for (char c : typed.participants + "\n") {
            if (c == '\n' || c == '\r' || c == ',' || c == ';' || c == ' ' || c == '\t') {
                if (!email.empty()) layer.participant_emails.push_back(std::move(email));
                email.clear();
            } else {
                email += c;
            }
        }
        if (typed.start.empty())
            out.errors.add(prefix + ".start", "Enter the date and time of the first hand-off.");
        else if (auto t = schedule::parse_local_time(typed.start))
            layer.start = *t;
        else
            out.errors.add(prefix + ".start", "Enter a date and time such as 2026-11-23T09:00.");
        if (typed.length == "daily") {
            layer.length = schedule::Layer::Length::Daily;
        } else if (typed.length == "weekly") {
            layer.length = schedule::Layer::Length::Weekly;
        } else if (typed.length == "hours") {
            layer.length = schedule::Layer::Length::Hours;
            auto hours = core::parse_integer(typed.hours);
            if (!hours || *hours < INT_MIN || *hours > INT_MAX)
                out.errors.add(prefix + ".hours", "Enter the shift length in whole hours.");
            else
                layer.hours = static_cast<int>(*hours);
        } else {
            out.errors.add(prefix + ".length", "Choose daily, weekly or a custom number of hours.");
        }
        layer.restrictions = typed.restrictions;
        out.input.layers.push_back(std::move(layer));
        out.blocks.push_back(b);
    }
    return out;
}

// Files a service error under the form's fields ("layers[1].hours" of the input is "layer3.hours" when the second
// non-empty block is the third).
void add_service_errors(FormErrors& errors, const core::Error& error, const std::vector<std::size_t>& blocks)
{
    if (errors.add_whole(error, "name")) return;
    for (const auto& f : error.fields()) {
        if (f.field == "name") {
            errors.add("name", as_sentence("The name", f.message));
        } else if (f.field == "time_zone") {
            errors.add("time_zone", as_sentence("The time zone", f.message));
        } else if (f.field.starts_with("layers[")) {
            auto layer = indexed_field(f.field, "layers");
            if (!layer || layer->index >= blocks.size() || !layer->rest.starts_with(".")) {
                errors.add("summary", as_sentence("", f.message));
                continue;
            }
            const auto rest = layer->rest.substr(1);
            const auto prefix = "layer" + std::to_string(blocks[layer->index]) + ".";
            if (rest.starts_with("participants"))
                errors.add(prefix + "participants", as_sentence("This layer", f.message));
            else if (rest.starts_with("hours"))
                errors.add(prefix + "hours", as_sentence("The shift length", f.message));
            else if (rest.starts_with("restrictions"))
                errors.add(prefix + "restrictions", as_sentence("", f.message));
            else if (rest.starts_with("start"))
                errors.add(prefix + "start", as_sentence("The first hand-off", f.message));
            else if (rest.starts_with("length"))
                errors.add(prefix + "length", as_sentence("The hand-off", f.message));
            else
                errors.add("summary", as_sentence("", f.message));
        } else {
            errors.add("summary", as_sentence("", f.message));
        }
    }
}

Response form_page(Services& s, const Context& ctx, FormMode mode, std::int64_t id, const std::string& current_name,
                   ScheduleFields fields, const FormErrors& errors, status code)
{
    const bool creating = mode == FormMode::Create;
    PageView page(ctx, creating ? std::string("New schedule") : "Edit " + current_name, "console_schedule_form.tpl");
    page.set_current("oncall");
    auto& d = page.content();
    d.ShowSection(creating ? "CREATING" : "EDITING");
    d.SetIntValue("ID", static_cast<long>(id));
    d.SetValue("CURRENT_NAME", current_name);
    d.SetValue("HEADING", creating ? std::string("New schedule") : "Edit " + current_name);
    d.SetValue("ACTION", creating ? std::string("/console/schedules") : "/console/schedules/" + std::to_string(id));
    d.SetValue("SUBMIT", creating ? "Create schedule" : "Save schedule");
    d.SetValue("CANCEL", creating ? std::string("/console/on-call") : "/console/schedules/" + std::to_string(id));
    d.SetValue("NAME", fields.name);
    d.SetValue("TIME_ZONE", fields.time_zone);
    for (auto zone : kCommonZones)
        d.AddSectionDictionary("ZONE_OPTION")->SetValue("VALUE", std::string(zone));

    errors.show(d, "name", "NAME_ERROR");
    errors.show(d, "time_zone", "TIME_ZONE_ERROR");
    errors.show_summary(d, "The schedule was not saved: see the marked fields.");

    while (fields.layers.size() < kFormLayers)
        fields.layers.push_back({});
    for (std::size_t i = 0; i < fields.layers.size(); ++i) {
        const auto& layer = fields.layers[i];
        const auto number = std::to_string(i + 1);
        auto* block = d.AddSectionDictionary("LAYER");
        block->SetValue("N", number);
        if (i > 0) block->ShowSection("OPTIONAL");
        block->SetValue("LAYER_NAME", layer.name);
        block->SetValue("PARTICIPANTS", layer.participants);
        block->SetValue("START", layer.start);
        block->SetValue("HOURS", layer.hours);
        block->SetValue("RESTRICTIONS", layer.restrictions);
        add_option(*block, "LENGTH_OPTION", "daily", "Every day", layer.length == "daily");
        add_option(*block, "LENGTH_OPTION", "weekly", "Every week", layer.length == "weekly");
        add_option(*block, "LENGTH_OPTION", "hours", "Custom: every N hours", layer.length == "hours");
        const auto prefix = "layer" + number + ".";
        errors.show(*block, prefix + "start", "START_ERROR");
        errors.show(*block, prefix + "participants", "PARTICIPANTS_ERROR");
        errors.show(*block, prefix + "length", "LENGTH_ERROR");
        errors.show(*block, prefix + "hours", "HOURS_ERROR");
        errors.show(*block, prefix + "restrictions", "RESTRICTIONS_ERROR");
    }
    if (auto staff = s.auth.staff(*ctx.actor); staff && !staff->empty()) {
        d.ShowSection("HAS_STAFF");
        for (const auto& u : *staff) {
            auto* row = d.AddSectionDictionary("STAFF");
            row->SetValue("NAME", u.name);
            row->SetValue("EMAIL", u.email);
        }
    }
    return page.render(code);
}

boost::asio::awaitable<Response> new_form(Services& s, Context& ctx)
{
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "create schedules");
    ScheduleFields fields;
    fields.layers.resize(kFormLayers);
    const auto today = std::chrono::floor<date::days>(s.clock.now());
    fields.layers[0].start = local_input_value(date::local_seconds{today.time_since_epoch()} + std::chrono::hours(9));
    co_return form_page(s, ctx, FormMode::Create, 0, {}, std::move(fields), {}, status::ok);
}

boost::asio::awaitable<Response> edit_form(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return no_such_schedule(ctx);
    if (!ctx.actor->is_admin()) co_return admins_only(ctx, "change schedules");
    auto sch = s.schedules.get(*ctx.actor, *id);
    if (!sch) co_return error_page(ctx, sch.error());
    auto staff = s.auth.staff(*ctx.actor);
    if (!staff) co_return error_page(ctx, staff.error());
    std::map<std::int64_t, std::string> emails;
    for (const auto& u : *staff)
        emails[u.id.value] = u.email;

    ScheduleFields fields{sch->name, sch->time_zone, {}};
    FormErrors notes;
    for (std::size_t i = 0; i < sch->layers.size(); ++i) {
        const auto& layer = sch->layers[i];
        LayerFields typed;
        typed.name = layer.name;
        for (const auto& p : layer.participants) {
            auto it = emails.find(p.user_id);
            if (it == emails.end()) {
                notes.summary +=
                    p.name + " is no longer on the staff and was left out of layer " + std::to_string(i + 1) + ". ";
                continue;
            }
            typed.participants += it->second + "\n";
        }
        typed.start = local_input_value(layer.start);
        typed.length = layer.length == schedule::Layer::Length::Daily   ? "daily"
                       : layer.length == schedule::Layer::Length::Hours ? "hours"
                                                                        : "weekly";
        if (layer.length == schedule::Layer::Length::Hours) typed.hours = std::to_string(layer.hours);
        if (!layer.restrictions.empty()) typed.restrictions = schedule::format_restriction_spec(layer.restrictions);
        fields.layers.push_back(std::move(typed));
    }
    notes.summary = core::trim(notes.summary);
    co_return form_page(s, ctx, FormMode::Edit, *id, sch->name, std::move(fields), notes, status::ok);
}

// Create (POST /console/schedules) or save (POST /console/schedules/{id}): the form → one service call → 303 to
// the schedule, or the form again with the messages beside the fields and everything typed kept.
boost::asio::awaitable<Response> save(Services& s, Context& ctx, FormMode mode)
{
    std::int64_t id = 0;
    if (mode == FormMode::Edit) {
        auto param = int_param(ctx, "id");
        if (!param) co_return no_such_schedule(ctx);
        id = *param;
    }
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    if (!ctx.actor->is_admin())
        co_return admins_only(ctx, mode == FormMode::Create ? "create schedules" : "change schedules");
    std::string current_name;
    if (mode == FormMode::Edit) {
        auto sch = s.schedules.get(*ctx.actor, id);
        if (!sch) co_return error_page(ctx, sch.error());
        current_name = sch->name;
    }

    auto parsed = parse_schedule_form(*form);
    if (!parsed.errors.empty())
        co_return form_page(s, ctx, mode, id, current_name, std::move(parsed.fields), parsed.errors,
                            status::bad_request);
    // Each branch awaits on its own: GCC 12 miscompiles co_await inside a conditional expression.
    core::Result<schedule::Schedule> saved = core::Error::internal("not saved");
    if (mode == FormMode::Create) {
        saved = co_await s.schedules.create(*ctx.actor, std::move(parsed.input));
    } else {
        saved = co_await s.schedules.update(*ctx.actor, id, std::move(parsed.input), schedule::Overrides::Keep);
    }
    if (!saved) {
        auto code = saved.error().code();
        if (code != core::ErrorCode::InvalidArgument && code != core::ErrorCode::Conflict)
            co_return error_page(ctx, saved.error());
        add_service_errors(parsed.errors, saved.error(), parsed.blocks);
        co_return form_page(s, ctx, mode, id, current_name, std::move(parsed.fields), parsed.errors, status_for(code));
    }
    co_return redirect(ctx, "/console/schedules/" + std::to_string(saved->id) +
                                (mode == FormMode::Create ? "?done=created" : "?done=updated"));
}

}  // namespace

void add_oncall_routes(Router& router, Services& s)
{
    PageRoutes pages(router, s, Audience::Staff);
    pages.get("/console/on-call", overview);
    pages.get("/console/schedules/new", new_form);  // before "{id}": the first matching route wins
    pages.post("/console/schedules", [](Services& s, Context& ctx) { return save(s, ctx, FormMode::Create); });
    pages.get("/console/schedules/{id}", show);
    pages.post("/console/schedules/{id}", [](Services& s, Context& ctx) { return save(s, ctx, FormMode::Edit); });
    pages.get("/console/schedules/{id}/edit", edit_form);
    pages.post("/console/schedules/{id}/delete", remove_schedule);
    pages.post("/console/schedules/{id}/overrides", add_override);
    pages.post("/console/schedules/{id}/overrides/{index}/delete", remove_override);
    pages.post("/console/schedules/{id}/feed", create_feed);
}

}  // namespace lifeline::http::web
