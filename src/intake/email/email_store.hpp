// Storage interface for emails: raw messages kept for audit, attachments by content hash, held mail.
#pragma once

#include "core/clock.hpp"
#include "ticket/ticket.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::intake::email {

struct EmailRecord {
    std::int64_t id = 0;
    std::string direction = "inbound";
    std::string message_id;
    ticket::TicketId ticket_id;
    std::int64_t thread_message_id = 0;
    std::string from_address;
    std::string subject;
    std::string full_text;  // the whole body, before quoted history was stripped
    core::UtcTime created_at;
};

struct AttachmentRecord {
    std::int64_t id = 0;
    std::int64_t email_id = 0;
    ticket::TicketId ticket_id;
    std::int64_t thread_message_id = 0;
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    std::string sha256;
    bool stored = true;  // false when over the size limit: listed, content not kept
};

// A message from an unknown sender kept for review (unknown_senders = "hold").
struct HeldEmail {
    std::int64_t id = 0;
    std::string from_address;
    std::string subject;
    std::string reason;
    core::UtcTime created_at;
};

class EmailStore {
public:
    virtual ~EmailStore() = default;
    virtual std::optional<EmailRecord> find_inbound(std::string_view message_id) = 0;
    // The ticket a Message-ID belongs to: an email we received or a message we sent.
    virtual std::optional<ticket::TicketId> ticket_for_message_id(std::string_view message_id) = 0;
    virtual std::int64_t insert(const EmailRecord& email, std::string_view raw) = 0;
    // Stores the content once per hash (when `data` is non-empty) and the attachment row.
    virtual void insert_attachment(const AttachmentRecord& attachment, std::string_view data) = 0;
    virtual std::vector<AttachmentRecord> attachments_for_ticket(ticket::TicketId id) = 0;
    virtual std::optional<std::pair<AttachmentRecord, std::string>> attachment(std::int64_t id) = 0;
    // Every Message-ID in the ticket's mail thread, received or sent, oldest first.
    virtual std::vector<std::string> thread_ids(ticket::TicketId id) = 0;
    virtual std::int64_t hold(std::string_view from, std::string_view subject, std::string_view reason,
                              std::string_view raw, core::UtcTime now) = 0;
    virtual std::string raw(std::int64_t email_id) = 0;
    virtual std::vector<HeldEmail> held(int limit) = 0;
    // The raw bytes of a held message; nullopt when there is none with this id.
    virtual std::optional<std::string> held_raw(std::int64_t id) = 0;
    virtual void delete_held(std::int64_t id) = 0;
};

}  // namespace lifeline::intake::email
