#include "schedule/schedule_service.hpp"

#include "auth/secrets.hpp"
#include "core/text.hpp"
#include "schedule/ics.hpp"
#include "storage/async.hpp"

#include <algorithm>
#include <cstdio>

namespace lifeline::schedule {

namespace {
constexpr auto kWarnAhead = std::chrono::days(7);
constexpr auto kMaxRange = std::chrono::days(93);
}  // namespace

std::optional<date::local_seconds> parse_local_time(std::string_view text)
{
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    std::string copy(text);
    int n = 0;
    if (std::sscanf(copy.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &s, &n) == 6 &&
        n == static_cast<int>(copy.size())) {
    } else if (s = 0, std::sscanf(copy.c_str(), "%4d-%2u-%2uT%2u:%2u%n", &y, &mo, &d, &h, &mi, &n) == 5 &&
                          n == static_cast<int>(copy.size())) {
    } else {
        return std::nullopt;
    }
    date::year_month_day day{date::year{y}, date::month{mo}, date::day{d}};
    if (!day.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
    return date::local_days{day} + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s);
}

namespace {

// The staff member with this email, or an error for `field` in `errors`.
std::optional<Participant> staff_member(storage::Transaction& tx, const std::string& email, const std::string& field,
                                        std::vector<core::FieldError>& errors)
{
    auto u = tx.auth().find_user_by_email(core::ascii_lower(core::trim(email)));
    if (!u || !u->is_staff()) {
        errors.push_back({field, "'" + email + "' is not a staff member"});
        return std::nullopt;
    }
    return Participant{u->id.value, u->name};
}

// Resolves the input's emails to staff and validates the result. Errors: InvalidArgument listing every problem.
core::Result<Schedule> build(storage::Transaction& tx, const ScheduleInput& input)
{
    std::vector<core::FieldError> errors;
    Schedule s;
    s.name = input.name;
    s.time_zone = input.time_zone;
    for (std::size_t i = 0; i < input.layers.size(); ++i) {
        const auto& in = input.layers[i];
        auto path = "layers[" + std::to_string(i) + "]";
        Layer l;
        l.name = in.name;
        l.start = in.start;
        l.length = in.length;
        l.hours = in.hours;
        for (std::size_t j = 0; j < in.participant_emails.size(); ++j)
            if (auto p = staff_member(tx, in.participant_emails[j], path + ".participants[" + std::to_string(j) + "]",
                                      errors))
                l.participants.push_back(*p);
        if (core::trim(in.restrictions).empty()) {
            // No restriction: the layer is active whenever one of its shifts runs.
        } else if (auto r = parse_restriction_spec(in.restrictions)) {
            l.restrictions = *r;
        } else {
            for (const auto& f : r.error().fields())
                errors.push_back({path + ".restrictions", f.message});
        }
        s.layers.push_back(std::move(l));
    }
    for (std::size_t i = 0; i < input.overrides.size(); ++i) {
        const auto& in = input.overrides[i];
        if (auto p = staff_member(tx, in.email, "overrides[" + std::to_string(i) + "].user", errors))
            s.overrides.push_back({p->user_id, p->name, in.start, in.end});
    }
    auto valid = s.validated();
    if (!valid) {
        // A layer whose people were all refused above also "needs at least one person": say it once.
        for (const auto& f : valid.error().fields()) {
            bool said = std::any_of(errors.begin(), errors.end(),
                                    [&](const core::FieldError& e) { return e.field.starts_with(f.field + "["); });
            if (!said) errors.push_back(f);
        }
    }
    if (!errors.empty()) return core::Error::invalid("the schedule is not valid", std::move(errors));
    return valid;
}

// Who is on call at `at`, until when, who comes next and the gaps of the coming week.
OnCallAnswer answer_at(Schedule s, core::UtcTime at)
{
    OnCallAnswer out;
    auto now = on_call_at(s, at);
    if (!now.empty()) out.now = now.front();
    const auto horizon = at + kOnCallLookaround;
    out.until = horizon;
    bool current = out.now.has_value();
    for (const Shift& shift : schedule::shifts(s, at, horizon)) {
        bool same = out.now && shift.person && shift.person->user_id == out.now->person.user_id;
        if (current && same) continue;
        if (current) {
            out.until = shift.start;
            current = false;
        }
        if (shift.person && !same) {
            out.next = shift;
            break;
        }
    }
    out.upcoming_gaps = gaps(s, at, at + kWarnAhead);
    out.schedule = std::move(s);
    return out;
}

}  // namespace

boost::asio::awaitable<core::Result<Schedule>> ScheduleService::create(const auth::Actor& actor, ScheduleInput input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins create schedules");
    Schedule built;
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto valid = build(tx, input);
        if (!valid) return valid.error();
        auto id = tx.schedules().insert(*valid, now);
        if (!id) return id.error();
        built = std::move(valid).value();
        built.id = *id;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return built;
}

boost::asio::awaitable<core::Result<Schedule>> ScheduleService::update(const auth::Actor& actor, std::int64_t id,
                                                                       ScheduleInput input, Overrides overrides)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins change schedules");
    Schedule built;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto existing = tx.schedules().find(id);
        if (!existing) return core::Error::not_found("no schedule " + std::to_string(id));
        if (overrides == Overrides::Keep) input.overrides.clear();
        auto valid = build(tx, input);
        if (!valid) return valid.error();
        built = std::move(valid).value();
        built.id = id;
        if (overrides == Overrides::Keep) built.overrides = existing->overrides;
        return tx.schedules().update(built);
    });
    if (!status) co_return status.error();
    co_return built;
}

boost::asio::awaitable<core::Status> ScheduleService::remove(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins delete schedules");
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!tx.schedules().remove(id)) return core::Error::not_found("no schedule " + std::to_string(id));
        return core::Ok{};
    });
}

boost::asio::awaitable<core::Result<Schedule>> ScheduleService::add_override(const auth::Actor& actor, std::int64_t id,
                                                                             OverrideInput input)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins change schedules");
    Schedule changed;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto s = tx.schedules().find(id);
        if (!s) return core::Error::not_found("no schedule " + std::to_string(id));
        std::vector<core::FieldError> errors;
        auto person = staff_member(tx, input.email, "user", errors);
        if (input.end <= input.start) errors.push_back({"end", "must be after the start"});
        if (!errors.empty()) return core::Error::invalid("the override is not valid", std::move(errors));
        s->overrides.push_back({person->user_id, person->name, input.start, input.end});
        auto valid = s->validated();
        if (!valid) return valid.error();
        changed = std::move(valid).value();
        return tx.schedules().update(changed);
    });
    if (!status) co_return status.error();
    co_return changed;
}

boost::asio::awaitable<core::Result<Schedule>> ScheduleService::remove_override(const auth::Actor& actor,
                                                                                std::int64_t id, std::size_t index)
{
    if (!actor.is_admin()) co_return core::Error::denied("only admins change schedules");
    Schedule changed;
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto s = tx.schedules().find(id);
        if (!s) return core::Error::not_found("no schedule " + std::to_string(id));
        if (index >= s->overrides.size())
            return core::Error::not_found("schedule " + std::to_string(id) + " has no override " +
                                          std::to_string(index));
        s->overrides.erase(s->overrides.begin() + static_cast<std::ptrdiff_t>(index));
        changed = std::move(*s);
        return tx.schedules().update(changed);
    });
    if (!status) co_return status.error();
    co_return changed;
}

core::Result<Schedule> ScheduleService::get(const auth::Actor& actor, std::int64_t id)
{
    return load(actor, id);
}

core::Result<std::vector<Schedule>> ScheduleService::list(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see schedules");
    std::vector<Schedule> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.schedules().list();
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<Schedule> ScheduleService::load(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see schedules");
    std::optional<Schedule> found;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        found = tx.schedules().find(id);
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!found) return core::Error::not_found("no schedule " + std::to_string(id));
    return std::move(*found);
}

core::Result<OnCallAnswer> ScheduleService::on_call(const auth::Actor& actor, std::int64_t id, core::UtcTime at)
{
    auto s = load(actor, id);
    if (!s) return s.error();
    return answer_at(std::move(s).value(), at);
}

core::Result<std::vector<OnCallAnswer>> ScheduleService::overview(const auth::Actor& actor, core::UtcTime at)
{
    auto all = list(actor);
    if (!all) return all.error();
    std::vector<OnCallAnswer> out;
    out.reserve(all->size());
    for (auto& s : *all)
        out.push_back(answer_at(std::move(s), at));
    return out;
}

core::Result<std::vector<Shift>> ScheduleService::shifts(const auth::Actor& actor, std::int64_t id, core::UtcTime from,
                                                         core::UtcTime to)
{
    if (to <= from || to - from > kMaxRange)
        return core::Error::invalid("the range is not valid",
                                    {{"to", "must be after from, and at most 93 days later"}});
    auto s = load(actor, id);
    if (!s) return s.error();
    return schedule::shifts(*s, from, to);
}

boost::asio::awaitable<core::Result<std::string>> ScheduleService::create_feed_token(const auth::Actor& actor,
                                                                                     std::int64_t id)
{
    if (!actor.is_staff()) co_return core::Error::denied("only staff manage schedule feeds");
    auto token = auth::random_token("cal_", 24);
    auto hash = auth::token_hash(token);
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!tx.schedules().set_feed_token_hash(id, hash))
            return core::Error::not_found("no schedule " + std::to_string(id));
        return core::Ok{};
    });
    if (!status) co_return status.error();
    co_return token;
}

core::Result<std::string> ScheduleService::feed(std::string_view token, std::int64_t user_id, const std::string& host)
{
    std::optional<Schedule> found;
    auto hash = auth::token_hash(token);
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        found = tx.schedules().find_by_feed_token_hash(hash);
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!found) return core::Error::not_found("no calendar feed at this address");
    auto now = clock_.now();
    auto from = now - std::chrono::days(7);
    auto to = now + std::chrono::days(60);
    auto list = user_id > 0 ? shifts_for(*found, user_id, from, to) : schedule::shifts(*found, from, to);
    return shifts_to_ics(*found, list, host, now);
}

}  // namespace lifeline::schedule
