// Time is UTC, injected and typed: only SystemClock reads the wall clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lifeline::core {

using UtcTime = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual UtcTime now() const = 0;
};

class SystemClock final : public Clock {
public:
    UtcTime now() const override;
};

// A clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
public:
    explicit FakeClock(UtcTime start) : now_(start.time_since_epoch().count()) {}
    UtcTime now() const override { return UtcTime(std::chrono::milliseconds(now_.load())); }
    void set(UtcTime t) { now_ = t.time_since_epoch().count(); }
    void advance(std::chrono::milliseconds d) { now_ += d.count(); }

private:
    std::atomic<long long> now_;
};

// RFC 3339 in UTC with a 'Z', e.g. 2026-11-23T04:51:48Z (milliseconds only when non-zero).
std::string format_rfc3339(UtcTime t);

// Parses RFC 3339 with 'Z' or a numeric offset; nullopt when malformed.
std::optional<UtcTime> parse_rfc3339(std::string_view text);

// Milliseconds since the Unix epoch, the storage representation.
inline std::int64_t to_unix_ms(UtcTime t) { return t.time_since_epoch().count(); }
inline UtcTime from_unix_ms(std::int64_t ms) { return UtcTime(std::chrono::milliseconds(ms)); }

}  // namespace lifeline::core
