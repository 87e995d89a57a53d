// Typed identifiers: an OrganizationId cannot be passed where a TicketId is wanted.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace lifeline::core {

template <class Tag>
struct Id {
    std::int64_t value = 0;
    explicit operator bool() const { return value != 0; }
    auto operator<=>(const Id&) const = default;
};

}  // namespace lifeline::core

template <class Tag>
struct std::hash<lifeline::core::Id<Tag>> {
    std::size_t operator()(const lifeline::core::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
