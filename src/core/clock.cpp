#include "core/clock.hpp"

#include <date/date.h>

#include <cstdio>

namespace lifeline::core {

UtcTime SystemClock::now() const
{
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339(UtcTime t)
{
    // By hand rather than date::format: this runs several times per request and streams are slow.
    const auto day = std::chrono::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::milliseconds> clock{t - day};
    char buf[32];
    auto ms = clock.subseconds().count();
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                          static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                          static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                          static_cast<int>(clock.seconds().count()));
    if (ms != 0) n += std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(ms));
    buf[n++] = 'Z';
    return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<UtcTime> parse_rfc3339(std::string_view text)
{
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    auto digits = [&](std::size_t at, std::size_t n, int& out) {
        if (at + n > text.size()) return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int y, mo, d, h, mi, se;
    if (!digits(0, 4, y) || text.size() < 20 || text[4] != '-' || !digits(5, 2, mo) || text[7] != '-' ||
        !digits(8, 2, d) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(11, 2, h) ||
        text[13] != ':' || !digits(14, 2, mi) || text[16] != ':' || !digits(17, 2, se))
        return std::nullopt;
    std::size_t at = 19;
    long long millis = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        int scale = 100;
        std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            millis += (text[at] - '0') * scale;
            scale /= 10;
            ++at;
        }
        if (at == first) return std::nullopt;
    }
    if (at >= text.size()) return std::nullopt;
    std::chrono::minutes offset{0};
    if (text[at] == 'Z' || text[at] == 'z') {
        ++at;
    } else if (text[at] == '+' || text[at] == '-') {
        int oh, om;
        if (!digits(at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' || !digits(at + 4, 2, om) ||
            oh > 23 || om > 59)
            return std::nullopt;
        offset = std::chrono::minutes(oh * 60 + om) * (text[at] == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                             date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return std::nullopt;
    auto t = date::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(se) +
             std::chrono::milliseconds(millis) - offset;
    return UtcTime(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()));
}

}  // namespace lifeline::core
