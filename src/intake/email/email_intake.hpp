// Email intake: turns a received message into a new ticket, a reply on an existing one, a recorded delivery
// report, or mail held for review — in one unit of work, with the raw message and attachments kept.
#pragma once

#include "auth/user.hpp"
#include "intake/email/email_store.hpp"
#include "intake/email/mail_sink.hpp"
#include "intake/email/parsed_email.hpp"
#include "storage/database.hpp"
#include "ticket/ticket_service.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <string>

namespace lifeline::intake::email {

enum class UnknownSenders { CreateContact, Hold };

struct IntakeSettings {
    UnknownSenders unknown_senders = UnknownSenders::CreateContact;
    int max_acknowledgements_per_sender_per_hour = 5;
    std::size_t max_message_bytes = 50 * 1024 * 1024;
    ParseLimits parse;
};

// What became of one message.
struct Outcome {
    enum class Kind { Created, Appended, Duplicate, Held, Report, Ignored } kind = Kind::Ignored;
    std::string ticket_ref;  // for Created and Appended
    std::string detail;      // a sentence for logs and the mailgate's caller
};
std::string_view to_string(Outcome::Kind kind);

class EmailIntakeService final : public MailSink {
public:
    // `workers` runs MIME parsing so that large messages never block an I/O thread.
    EmailIntakeService(storage::Database& db, const core::Clock& clock, ticket::TicketService& tickets,
                       boost::asio::thread_pool& workers, IntakeSettings settings)
        : db_(db), clock_(clock), tickets_(tickets), workers_(workers), settings_(std::move(settings))
    {
    }

    // Accepts one raw RFC 5322 message. Completes after the result is durably stored.
    // Errors: InvalidArgument (not an email, too large: permanent), Unavailable (store: temporary).
    boost::asio::awaitable<core::Result<Outcome>> accept(std::string raw);

    // MailSink for the LMTP listener: the message is accepted once for all recipients.
    boost::asio::awaitable<std::vector<core::Status>> deliver(std::string raw, std::string envelope_from,
                                                              std::vector<std::string> recipients) override;

    // Attachments of a ticket the actor may see, and one attachment's content. Errors: NotFound (also for an
    // attachment that was over the size limit, whose content was not kept).
    core::Result<std::vector<AttachmentRecord>> attachments(const auth::Actor& actor, ticket::TicketId id);
    core::Result<std::pair<AttachmentRecord, std::string>> attachment(const auth::Actor& actor, std::int64_t id);

    // Review of held mail (staff). release() takes the message in as if its sender were known: it opens a ticket
    // and creates the contact; discard() drops it. Errors: PermissionDenied, NotFound, Unavailable.
    core::Result<std::vector<HeldEmail>> held(const auth::Actor& actor);
    boost::asio::awaitable<core::Result<Outcome>> release(const auth::Actor& actor, std::int64_t id);
    boost::asio::awaitable<core::Status> discard(const auth::Actor& actor, std::int64_t id);

    std::uint64_t accepted_count() const { return accepted_.load(); }

private:
    enum class Senders { ByPolicy, AcceptAll };
    core::Status store(storage::Transaction& tx, const ParsedEmail& email, const std::string& raw, core::UtcTime now,
                       Senders senders, Outcome& out);
    boost::asio::awaitable<core::Result<Outcome>> ingest(std::string raw, Senders senders, std::int64_t release_held);

    storage::Database& db_;
    const core::Clock& clock_;
    ticket::TicketService& tickets_;
    boost::asio::thread_pool& workers_;
    IntakeSettings settings_;
    std::atomic<std::uint64_t> accepted_{0};
};

// The ticket a subject names with a "[LL-1042]" tag, if any.
std::optional<ticket::TicketId> ticket_tag(std::string_view subject);

}  // namespace lifeline::intake::email
