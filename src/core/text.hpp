// Small text helpers used when validating input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lifeline::core {

// Strips ASCII whitespace from both ends.
std::string trim(std::string_view s);

// Strips spaces and tabs (HTTP and SMTP's optional whitespace) from both ends, without copying.
std::string_view trim_spaces(std::string_view s);

// Equal when ASCII letters are compared without case.
bool iequals(std::string_view a, std::string_view b);

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
