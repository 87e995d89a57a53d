// Storage interface for tickets, their messages and timeline. Every read takes an auth::Scope and
// the implementation adds the tenancy condition to the query it builds.
#pragma once

#include "auth/user.hpp"
#include "ticket/ticket.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::ticket {

// A previously accepted create request, for Idempotency-Key replays.
struct IdempotentRecord {
    TicketId ticket_id;
    std::string request_hash;
};

enum class IncludeInternal { No, Yes };

class TicketStore {
public:
    virtual ~TicketStore() = default;

    // Inserts the ticket (id ignored) and returns its new id.
    virtual TicketId insert(const Ticket& ticket) = 0;
    virtual void set_acknowledgement(TicketId id, std::string_view text) = 0;
    virtual std::optional<Ticket> find(TicketId id, const auth::Scope& scope) = 0;
    virtual std::vector<Ticket> list(const ListFilter& filter, const auth::Scope& scope) = 0;

    virtual void update_status(TicketId id, Status status, core::UtcTime now) = 0;
    virtual void update_assignee(TicketId id, auth::UserId assignee, core::UtcTime now) = 0;
    virtual void mark_first_response(TicketId id, core::UtcTime at) = 0;
    virtual void touch(TicketId id, core::UtcTime now) = 0;

    virtual std::int64_t insert_message(const Message& message) = 0;
    // Oldest first. Internal notes only with IncludeInternal::Yes (staff views).
    virtual std::vector<Message> messages(TicketId id, IncludeInternal include) = 0;

    virtual void insert_event(const TimelineEvent& event) = 0;
    virtual std::vector<TimelineEvent> timeline(TicketId id) = 0;

    virtual std::optional<IdempotentRecord> find_idempotent(auth::UserId user, std::string_view key) = 0;
    virtual void insert_idempotent(auth::UserId user, std::string_view key, std::string_view request_hash,
                                   TicketId ticket, core::UtcTime now) = 0;

    // Tickets not yet resolved or closed, for /metrics and the console.
    virtual std::int64_t count_open() = 0;

    // Editable message templates (the acknowledgement text), by name.
    virtual std::optional<std::string> find_template(std::string_view name) = 0;
    virtual void put_template(std::string_view name, std::string_view body, core::UtcTime now) = 0;
};

}  // namespace lifeline::ticket
