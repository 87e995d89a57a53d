// Ticket use-cases: permission → validate → one unit of work (state + timeline) → commit.
#pragma once

#include "auth/user.hpp"
#include "core/clock.hpp"
#include "escalation/escalator.hpp"
#include "notify/outbox.hpp"
#include "storage/database.hpp"
#include "ticket/acknowledgement.hpp"
#include "ticket/ticket.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace lifeline::ticket {

struct Created {
    Ticket ticket;
    Acknowledgement acknowledgement;
    bool replayed = false;              // an Idempotency-Key matched an earlier request: nothing new was written
    std::int64_t first_message_id = 0;  // the opening message of the thread (0 on a replay)
};

// A ticket with what the actor may see of it.
struct TicketView {
    Ticket ticket;
    std::vector<Message> messages;
    std::vector<TimelineEvent> timeline;  // staff only; empty for contacts
};

struct Page {
    std::vector<Ticket> tickets;
    std::optional<std::int64_t> next_cursor;
};

class TicketService {
public:
    // With an enabled `mail`, acknowledgements of portal and email tickets and every public staff reply are
    // queued in the outbox as email to the requester, in the same transaction as the change.
    // With an `escalator`, a P1 ticket from an organization whose plan has after-hours emergency coverage starts
    // the organization's escalation policy (or the default policy) in the same transaction.
    TicketService(storage::Database& db, const core::Clock& clock, notify::MailIdentity mail = {},
                  escalation::Escalator* escalator = nullptr)
        : db_(db), clock_(clock), mail_(std::move(mail)), escalator_(escalator)
    {
    }

    // Opens a ticket and acknowledges it. Contacts open tickets as themselves in their organization;
    // staff name the requester (created as a contact when new) and optionally the organization by slug.
    // With a non-empty idempotency key, a repeat of the same request returns the first result (replayed),
    // and a different request under the same key is a Conflict.
    // Errors: InvalidArgument (all field errors), Conflict, Unavailable.
    boost::asio::awaitable<core::Result<Created>> create(const auth::Actor& actor, NewTicket input,
                                                         std::string idempotency_key);

    // Opens a ticket from the public support form: the requester is whoever the email names (created as a
    // contact when new, placed in an organization only by their email domain). No idempotency key.
    // Errors: InvalidArgument, Unavailable.
    boost::asio::awaitable<core::Result<Created>> create_public(NewTicket input);

    // The acknowledgement template in force (the edited one, or the default). Staff only.
    core::Result<std::string> acknowledgement_template(const auth::Actor& actor);
    // Replaces the acknowledgement template after checking it expands; an empty body restores the default.
    // Admins only. Errors: PermissionDenied, InvalidArgument, Unavailable.
    boost::asio::awaitable<core::Status> set_acknowledgement_template(const auth::Actor& actor, std::string body);

    // NotFound for tickets outside the actor's scope, exactly as for tickets that do not exist.
    core::Result<TicketView> get(const auth::Actor& actor, TicketId id);
    core::Result<Page> list(const auth::Actor& actor, ListFilter filter);

    // A public reply. From staff it counts as the first response; from a contact it reopens a ticket
    // waiting on them. Errors: NotFound, InvalidArgument, Unavailable.
    boost::asio::awaitable<core::Result<Message>> reply(const auth::Actor& actor, TicketId id, std::string body);
    // An internal note, staff only (contacts get NotFound: they cannot know notes exist).
    boost::asio::awaitable<core::Result<Message>> note(const auth::Actor& actor, TicketId id, std::string body);
    // Assigns to a staff member by email, or unassigns with an empty email. Staff only.
    boost::asio::awaitable<core::Result<Ticket>> assign(const auth::Actor& actor, TicketId id,
                                                        std::string assignee_email);
    // Changes status. Staff any status; contacts may only resolve or reopen their own organization's tickets.
    boost::asio::awaitable<core::Result<Ticket>> set_status(const auth::Actor& actor, TicketId id, Status status);

    // Tickets created since start, for /metrics.
    std::uint64_t created_count() const { return created_.load(); }

    // Building blocks for other intake edges (email), used inside their own unit of work.
    struct EmailThread {
        bool acknowledge = false;             // queue the acknowledgement as email
        std::string in_reply_to;              // the inbound Message-ID the acknowledgement answers
        std::vector<std::string> references;  // its References, oldest first
    };
    // Opens a ticket as `actor` would (see create); writes nothing on error.
    core::Status open_in(storage::Transaction& tx, const auth::Actor& actor, const NewTicket& input,
                         const EmailThread& thread, core::UtcTime now, Created& out);
    // Adds a public reply as `actor` (see reply); NotFound outside the actor's scope.
    core::Status reply_in(storage::Transaction& tx, const auth::Actor& actor, TicketId id, const std::string& body,
                          core::UtcTime now, Message& out);

    const notify::MailIdentity& mail_identity() const { return mail_; }

private:
    // Queues an email to the ticket's requester, threaded under the ticket's earlier mail.
    void queue_email(storage::Transaction& tx, const Ticket& ticket, std::string_view kind, const std::string& body,
                     bool automatic, const std::string& in_reply_to, std::vector<std::string> references,
                     core::UtcTime now);

    // NotFound when the ticket is outside the actor's scope (so its existence does not leak),
    // PermissionDenied with `message` otherwise.
    core::Error denied_unless_hidden(const auth::Actor& actor, TicketId id, std::string message);
    core::Status create_in(storage::Transaction& tx, const auth::Actor& actor, const ValidNewTicket& input,
                           const std::string& idempotency_key, const std::string& request_hash,
                           const EmailThread& thread, core::UtcTime now, Created& out);

    storage::Database& db_;
    const core::Clock& clock_;
    notify::MailIdentity mail_;
    escalation::Escalator* escalator_;
    std::atomic<std::uint64_t> created_{0};
};

}  // namespace lifeline::ticket
