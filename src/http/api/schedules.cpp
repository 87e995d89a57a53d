// JSON API v1 for on-call schedules: define them, ask who is on call, list shifts.
#include "core/text.hpp"
#include "http/api/api_common.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "schedule/schedule_service.hpp"

namespace lifeline::http::api {

using beast_http::status;
using beast_http::verb;

namespace {

js::value person_json(const std::optional<schedule::Participant>& p)
{
    if (!p) return nullptr;
    return js::object{{"user_id", p->user_id}, {"name", p->name}};
}

std::string_view origin_name(schedule::Origin o)
{
    switch (o) {
    case schedule::Origin::Nobody: return "nobody";
    case schedule::Origin::Layer: return "layer";
    case schedule::Origin::Override: return "override";
    }
    return "nobody";
}

std::string_view length_name(schedule::Layer::Length l)
{
    switch (l) {
    case schedule::Layer::Length::Daily: return "daily";
    case schedule::Layer::Length::Weekly: return "weekly";
    case schedule::Layer::Length::Hours: return "hours";
    }
    return "weekly";
}

js::object schedule_json(const schedule::Schedule& s)
{
    js::array layers;
    for (const auto& l : s.layers) {
        js::array people;
        for (const auto& p : l.participants)
            people.push_back(person_json(p));
        layers.push_back(
            {{"name", l.name},
             {"participants", std::move(people)},
             {"start", date::format("%FT%T", l.start)},
             {"length", length_name(l.length)},
             {"hours", l.hours},
             {"restricted", !l.restrictions.empty()},
             {"restrictions",
              l.restrictions.empty() ? std::string() : schedule::format_restriction_spec(l.restrictions)}});
    }
    js::array overrides;
    for (const auto& o : s.overrides)
        overrides.push_back({{"user_id", o.user_id},
                             {"name", o.name},
                             {"start", core::format_rfc3339(o.start)},
                             {"end", core::format_rfc3339(o.end)}});
    return {{"id", s.id},
            {"name", s.name},
            {"time_zone", s.time_zone},
            {"layers", std::move(layers)},
            {"overrides", std::move(overrides)}};
}

// An RFC 3339 query parameter, or `fallback` when absent.
std::optional<core::UtcTime> time_param(const Context& ctx, std::string_view name, core::UtcTime fallback,
                                        std::vector<core::FieldError>& errors)
{
    auto v = ctx.query_value(name);
    if (!v) return fallback;
    auto t = core::parse_rfc3339(*v);
    if (!t) errors.push_back({std::string(name), "must be an RFC 3339 time such as 2026-11-23T09:00:00Z"});
    return t;
}

// One override of a request body: {"user": email, "start", "end"} (RFC 3339); "email" is accepted for "user".
std::optional<schedule::OverrideInput> override_input(const js::object& o, const std::string& path,
                                                      std::vector<core::FieldError>& errors)
{
    schedule::OverrideInput in;
    in.email = string_field(o, "user", errors, path);
    if (in.email.empty()) in.email = string_field(o, "email", errors, path);
    if (in.email.empty()) errors.push_back({path + "user", "is required: a staff member's email"});
    auto start = core::parse_rfc3339(string_field(o, "start", errors, path));
    auto end = core::parse_rfc3339(string_field(o, "end", errors, path));
    if (!start || !end) {
        errors.push_back({path + "start", "start and end must be RFC 3339 times"});
        return std::nullopt;
    }
    in.start = *start;
    in.end = *end;
    return in;
}

// The body of POST and PUT: name, time_zone, layers[] and overrides[]. Type and format problems go to `errors`.
schedule::ScheduleInput schedule_input(const js::object& body, std::vector<core::FieldError>& errors)
{
    schedule::ScheduleInput input;
    input.name = string_field(body, "name", errors);
    input.time_zone = string_field(body, "time_zone", errors);
    if (auto it = body.find("layers"); it != body.end() && it->value().is_array()) {
        std::size_t i = 0;
        for (const auto& v : it->value().as_array()) {
            auto path = "layers[" + std::to_string(i++) + "].";
            if (!v.is_object()) {
                errors.push_back({path, "must be an object"});
                continue;
            }
            const auto& o = v.as_object();
            schedule::LayerInput l;
            l.name = string_field(o, "name", errors, path);
            l.participant_emails = strings_field(o, "participants", errors);
            auto start = string_field(o, "start", errors, path);
            if (auto t = schedule::parse_local_time(start))
                l.start = *t;
            else
                errors.push_back({path + "start", "must be a local time such as 2026-11-23T09:00"});
            auto length = string_field(o, "length", errors, path);
            if (length == "daily")
                l.length = schedule::Layer::Length::Daily;
            else if (length == "weekly" || length.empty())
                l.length = schedule::Layer::Length::Weekly;
            else if (length == "hours")
                l.length = schedule::Layer::Length::Hours;
            else
                errors.push_back({path + "length", "must be daily, weekly or hours"});
            l.hours = static_cast<int>(integer_field(o, "hours", errors, path));
            l.restrictions = string_field(o, "restrictions", errors, path);
            input.layers.push_back(std::move(l));
        }
    } else {
        errors.push_back({"layers", "is required: an array of layers"});
    }
    if (auto it = body.find("overrides"); it != body.end() && it->value().is_array()) {
        std::size_t i = 0;
        for (const auto& v : it->value().as_array()) {
            auto path = "overrides[" + std::to_string(i++) + "].";
            if (!v.is_object()) {
                errors.push_back({path, "must be an object"});
                continue;
            }
            if (auto in = override_input(v.as_object(), path, errors)) input.overrides.push_back(std::move(*in));
        }
    }
    return input;
}

boost::asio::awaitable<Response> create(Services& s, Context& ctx)
{
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auto input = schedule_input(*body, errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the schedule is not valid", std::move(errors)));
    auto created = co_await s.schedules.create(*ctx.actor, std::move(input));
    if (!created) co_return problem(ctx, created.error());
    co_return json(ctx, status::created, schedule_json(*created));
}

boost::asio::awaitable<Response> show(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    auto found = s.schedules.get(*ctx.actor, *id);
    if (!found) co_return problem(ctx, found.error());
    co_return json(ctx, status::ok, schedule_json(*found));
}

boost::asio::awaitable<Response> replace(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auto input = schedule_input(*body, errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the schedule is not valid", std::move(errors)));
    auto changed = co_await s.schedules.update(*ctx.actor, *id, std::move(input));
    if (!changed) co_return problem(ctx, changed.error());
    co_return json(ctx, status::ok, schedule_json(*changed));
}

boost::asio::awaitable<Response> remove(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    auto done = co_await s.schedules.remove(*ctx.actor, *id);
    if (!done) co_return problem(ctx, done.error());
    co_return text(ctx, status::no_content, "", "text/plain");
}

boost::asio::awaitable<Response> add_override(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    auto body = parse_object(ctx);
    if (!body) co_return problem(ctx, body.error());
    std::vector<core::FieldError> errors;
    auto input = override_input(*body, "", errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the override is not valid", std::move(errors)));
    auto changed = co_await s.schedules.add_override(*ctx.actor, *id, std::move(*input));
    if (!changed) co_return problem(ctx, changed.error());
    co_return json(ctx, status::created, schedule_json(*changed));
}

boost::asio::awaitable<Response> remove_override(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    auto index = index_param(ctx, "index");
    if (!id || !index) co_return problem(ctx, core::Error::not_found("no such override"));
    auto changed = co_await s.schedules.remove_override(*ctx.actor, *id, *index);
    if (!changed) co_return problem(ctx, changed.error());
    co_return text(ctx, status::no_content, "", "text/plain");
}

boost::asio::awaitable<Response> list(Services& s, Context& ctx)
{
    auto all = s.schedules.list(*ctx.actor);
    if (!all) co_return problem(ctx, all.error());
    js::array data;
    for (const auto& one : *all)
        data.push_back(schedule_json(one));
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> on_call(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    std::vector<core::FieldError> errors;
    auto at = time_param(ctx, "at", s.clock.now(), errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the query is not valid", std::move(errors)));
    auto answer = s.schedules.on_call(*ctx.actor, *id, *at);
    if (!answer) co_return problem(ctx, answer.error());
    js::object out{{"schedule", js::object{{"id", answer->schedule.id}, {"name", answer->schedule.name}}},
                   {"at", core::format_rfc3339(*at)}};
    if (answer->now) {
        out["on_call"] = person_json(answer->now->person);
        out["origin"] = origin_name(answer->now->origin);
        out["shift_start"] = core::format_rfc3339(answer->now->start);
        out["shift_end"] = core::format_rfc3339(answer->now->end);
        out["until"] = core::format_rfc3339(answer->until);
    } else {
        out["on_call"] = nullptr;
    }
    if (answer->next) {
        out["next"] = person_json(answer->next->person);
        out["next_start"] = core::format_rfc3339(answer->next->start);
    } else {
        out["next"] = nullptr;
    }
    js::array gaps;
    for (const auto& g : answer->upcoming_gaps)
        gaps.push_back({{"start", core::format_rfc3339(g.start)}, {"end", core::format_rfc3339(g.end)}});
    if (!gaps.empty()) out["warning"] = "nobody is on call for part of the next 7 days";
    out["gaps_next_7_days"] = std::move(gaps);
    co_return json(ctx, status::ok, out);
}

boost::asio::awaitable<Response> shifts(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    std::vector<core::FieldError> errors;
    auto now = s.clock.now();
    auto from = time_param(ctx, "from", now, errors);
    auto to = time_param(ctx, "to", now + std::chrono::days(14), errors);
    if (!errors.empty()) co_return problem(ctx, core::Error::invalid("the query is not valid", std::move(errors)));
    auto list = s.schedules.shifts(*ctx.actor, *id, *from, *to);
    if (!list) co_return problem(ctx, list.error());
    js::array data;
    for (const auto& sh : *list)
        data.push_back({{"start", core::format_rfc3339(sh.start)},
                        {"end", core::format_rfc3339(sh.end)},
                        {"on_call", person_json(sh.person)},
                        {"origin", origin_name(sh.origin)}});
    co_return json(ctx, status::ok, js::object{{"data", std::move(data)}});
}

boost::asio::awaitable<Response> feed_token(Services& s, Context& ctx)
{
    auto id = int_param(ctx, "id");
    if (!id) co_return problem(ctx, core::Error::not_found("no such schedule"));
    auto token = co_await s.schedules.create_feed_token(*ctx.actor, *id);
    if (!token) co_return problem(ctx, token.error());
    co_return json(ctx, status::created,
                   js::object{{"url", "/calendar/schedules/" + *token + ".ics"},
                              {"note", "keep this address secret; creating a new one turns the old one off"}});
}

// The feed itself: the token in the path is the credential (calendar clients cannot send headers).
boost::asio::awaitable<Response> feed(Services& s, Context& ctx)
{
    auto name = ctx.params.at("file");
    if (!name.ends_with(".ics")) co_return problem(ctx, core::Error::not_found("no calendar feed at this address"));
    name.resize(name.size() - 4);
    std::int64_t user = 0;
    if (auto v = ctx.query_value("user_id")) {
        auto n = core::parse_integer(*v);
        if (!n || *n <= 0)
            co_return problem(
                ctx, core::Error::invalid("the query is not valid", {{"user_id", "must be a positive integer"}}));
        user = *n;
    }
    auto host = ctx.header("Host");
    auto calendar =
        s.schedules.feed(name, user, host.empty() ? std::string("lifeline") : host.substr(0, host.find(':')));
    if (!calendar) co_return problem(ctx, calendar.error());
    auto res = text(ctx, status::ok, std::move(*calendar), "text/calendar; charset=utf-8");
    res.set(beast_http::field::cache_control, "private, max-age=300");
    co_return res;
}

}  // namespace

void add_schedule_routes(Router& router, Services& s)
{
    router.add(verb::post, "/api/v1/schedules", authenticated(s, [&s](Context& ctx) { return create(s, ctx); }));
    router.add(verb::get, "/api/v1/schedules", authenticated(s, [&s](Context& ctx) { return list(s, ctx); }));
    router.add(verb::get, "/api/v1/schedules/{id}", authenticated(s, [&s](Context& ctx) { return show(s, ctx); }));
    router.add(verb::put, "/api/v1/schedules/{id}", authenticated(s, [&s](Context& ctx) { return replace(s, ctx); }));
    router.add(verb::delete_, "/api/v1/schedules/{id}",
               authenticated(s, [&s](Context& ctx) { return remove(s, ctx); }));
    router.add(verb::post, "/api/v1/schedules/{id}/overrides",
               authenticated(s, [&s](Context& ctx) { return add_override(s, ctx); }));
    router.add(verb::delete_, "/api/v1/schedules/{id}/overrides/{index}",
               authenticated(s, [&s](Context& ctx) { return remove_override(s, ctx); }));
    router.add(verb::get, "/api/v1/schedules/{id}/on-call",
               authenticated(s, [&s](Context& ctx) { return on_call(s, ctx); }));
    router.add(verb::get, "/api/v1/schedules/{id}/shifts",
               authenticated(s, [&s](Context& ctx) { return shifts(s, ctx); }));
    router.add(verb::post, "/api/v1/schedules/{id}/feed-token",
               authenticated(s, [&s](Context& ctx) { return feed_token(s, ctx); }));
    router.add(verb::get, "/calendar/schedules/{file}", [&s](Context& ctx) { return feed(s, ctx); });
}

}  // namespace lifeline::http::api
