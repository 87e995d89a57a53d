// HTML form bodies (application/x-www-form-urlencoded): parsed once, with a size limit and UTF-8 checks.
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lifeline::http::web {

// The largest form body the pages accept; a ticket body is at most 100000 characters.
inline constexpr std::size_t kMaxFormBytes = 256 * 1024;

// The decoded fields of a submitted form, in order. Names may repeat; get() returns the first.
class Form {
public:
    // Parses an urlencoded body: '+' is a space, %XX escapes are decoded. Every name and value must be
    // valid UTF-8 after decoding. Errors: InvalidArgument (so a page can re-render with the message) when the
    // body is longer than `max_bytes`, malformed, or not UTF-8.
    static core::Result<Form> parse(std::string_view body, std::size_t max_bytes = kMaxFormBytes);

    // The request's body as a form. Errors: InvalidArgument when the Content-Type is not
    // application/x-www-form-urlencoded, and the errors of parse().
    static core::Result<Form> of(const Context& ctx, std::size_t max_bytes = kMaxFormBytes);

    // The first value of field `name`, or empty when absent.
    std::string get(std::string_view name) const;
    bool has(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace lifeline::http::web
