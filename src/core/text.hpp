// Small text helpers used when validating input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lifeline::core {

// Strips ASCII whitespace from both ends.
std::string trim(std::string_view s);

// True when s is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);

// Lower-cases ASCII letters.
std::string ascii_lower(std::string_view s);

// The whole of `s` as a decimal integer ("-12" too; no '+', no spaces); nullopt when empty, not a number or out of
// range.
std::optional<std::int64_t> parse_integer(std::string_view s);

// A plausible email address: one '@', a dot in the domain, no spaces or control characters.
bool looks_like_email(std::string_view s);

}  // namespace lifeline::core
