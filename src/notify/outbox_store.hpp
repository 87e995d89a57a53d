// Storage interface for the outbox. Implementations live in storage/<backend>/.
#pragma once

#include "notify/outbox.hpp"

#include <optional>
#include <vector>

namespace lifeline::notify {

class OutboxStore {
public:
    virtual ~OutboxStore() = default;
    // Adds a queued message; returns its id. The message_id must be unique.
    virtual std::int64_t enqueue(const OutboxMessage& message) = 0;
    // Queued messages due at `now`, oldest first, switched to Sending with attempts + 1.
    virtual std::vector<OutboxMessage> claim_due(core::UtcTime now, int limit) = 0;
    virtual void mark_sent(std::int64_t id, core::UtcTime at) = 0;
    // Back to Queued until `next`, keeping the error for the console.
    virtual void mark_retry(std::int64_t id, core::UtcTime next, std::string_view error) = 0;
    virtual void mark_dead(std::int64_t id, std::string_view error) = 0;
    // A dead message queued again from the console, attempts reset. False when it is not dead.
    virtual bool requeue(std::int64_t id, core::UtcTime now) = 0;
    // At start: messages left in Sending by a crash go back to Queued and are returned, so that each one that may
    // now reach its recipient twice is named in the log (delivery is at least once).
    virtual std::vector<OutboxMessage> recover_sending(core::UtcTime now) = 0;
    virtual std::optional<OutboxMessage> find(std::int64_t id) = 0;
    virtual std::vector<OutboxMessage> for_ticket(ticket::TicketId id) = 0;
    virtual std::vector<OutboxMessage> dead_letters(int limit) = 0;
    // Records a delivery report on the outbound message with this Message-ID. False when none matches.
    virtual bool record_bounce(std::string_view message_id, std::string_view text) = 0;
    // Messages of `kind` to `recipient` created since `since` (acknowledgement rate limits).
    virtual std::int64_t count_recent(std::string_view recipient, std::string_view kind, core::UtcTime since) = 0;
    // Queued and sending messages, for /metrics.
    virtual std::int64_t pending() = 0;
};

}  // namespace lifeline::notify
