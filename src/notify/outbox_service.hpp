// What staff see and do with outbound mail: delivery state per ticket, the dead letters, and retrying one.
#pragma once

#include "auth/user.hpp"
#include "notify/outbox.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <vector>

namespace lifeline::notify {

class OutboxService {
public:
    // `wake` tells the worker that a message is due now (may be empty).
    OutboxService(storage::Database& db, const core::Clock& clock, std::function<void()> wake = {})
        : db_(db), clock_(clock), wake_(std::move(wake))
    {
    }

    // Outbound messages of a ticket, oldest first. Staff only; NotFound for unknown tickets.
    core::Result<std::vector<OutboxMessage>> for_ticket(const auth::Actor& actor, ticket::TicketId id);
    // Messages that gave up, newest first. Staff only.
    core::Result<std::vector<OutboxMessage>> dead_letters(const auth::Actor& actor);
    // Queues a dead message again. Staff only. Errors: NotFound, Conflict (not dead), PermissionDenied.
    boost::asio::awaitable<core::Status> retry(const auth::Actor& actor, std::int64_t id);
    // Queued and in-flight messages, for /metrics.
    std::int64_t pending();

private:
    storage::Database& db_;
    const core::Clock& clock_;
    std::function<void()> wake_;
};

}  // namespace lifeline::notify
