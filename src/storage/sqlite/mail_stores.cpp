#include "storage/sqlite/stores.hpp"

#include <iterator>

namespace lifeline::storage::sqlite {

using core::from_unix_ms;
using core::to_unix_ms;

namespace {

constexpr std::string_view kOutboxColumns =
    "SELECT id, kind, ticket_id, recipient, recipient_name, subject, body, message_id, in_reply_to, refs, automatic, "
    "state, attempts, next_attempt_at, last_error, bounce, created_at, sent_at, channel, page_id, headers, "
    "signing_secret, "
    "status_update_id, subscriber_id FROM outbox ";

// Extra header lines are stored one per line.
std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string join_lines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines)
        out += line + "\n";
    return out;
}

notify::OutboxMessage read_outbox(const Statement& s)
{
    notify::OutboxMessage m;
    m.id = s.integer(0);
    m.kind = s.text(1);
    m.ticket_id = ticket::TicketId{s.integer(2)};
    m.recipient = s.text(3);
    m.recipient_name = s.text(4);
    m.subject = s.text(5);
    m.body = s.text(6);
    m.message_id = s.text(7);
    m.in_reply_to = s.text(8);
    m.references = notify::split_ids(s.text(9));
    m.automatic = s.integer(10) != 0;
    m.state = notify::parse_outbox_state(s.text(11));
    m.attempts = static_cast<int>(s.integer(12));
    m.next_attempt_at = from_unix_ms(s.integer(13));
    m.last_error = s.text(14);
    m.bounce = s.text(15);
    m.created_at = from_unix_ms(s.integer(16));
    if (!s.is_null(17)) m.sent_at = from_unix_ms(s.integer(17));
    m.channel = s.text(18);
    m.page_id = s.is_null(19) ? 0 : s.integer(19);
    m.headers = split_lines(s.text(20));
    m.signing_secret = s.text(21);
    m.status_update_id = s.is_null(22) ? 0 : s.integer(22);
    m.subscriber_id = s.is_null(23) ? 0 : s.integer(23);
    return m;
}

std::vector<notify::OutboxMessage> read_all(Statement& s)
{
    std::vector<notify::OutboxMessage> out;
    while (s.step())
        out.push_back(read_outbox(s));
    return out;
}

constexpr std::string_view kAttachmentColumns =
    "SELECT a.id, a.email_id, a.ticket_id, e.thread_message_id, a.filename, a.content_type, a.size, a.sha256, a.stored "
    "FROM attachments a JOIN emails e ON e.id = a.email_id ";

intake::email::AttachmentRecord read_attachment(const Statement& s)
{
    intake::email::AttachmentRecord a;
    a.id = s.integer(0);
    a.email_id = s.integer(1);
    a.ticket_id = ticket::TicketId{s.integer(2)};
    a.thread_message_id = s.integer(3);
    a.filename = s.text(4);
    a.content_type = s.text(5);
    a.size = s.integer(6);
    a.sha256 = s.text(7);
    a.stored = s.integer(8) != 0;
    return a;
}

}  // namespace

std::int64_t SqliteOutboxStore::enqueue(const notify::OutboxMessage& m)
{
    c_.prepare(
          "INSERT INTO outbox (kind, ticket_id, recipient, recipient_name, subject, body, message_id, in_reply_to, "
          "refs, automatic, state, attempts, next_attempt_at, created_at, channel, page_id, headers, signing_secret, "
          "status_update_id, subscriber_id) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.kind)
        .bind_optional(2, m.ticket_id.value)
        .bind(3, m.recipient)
        .bind(4, m.recipient_name)
        .bind(5, m.subject)
        .bind(6, m.body)
        .bind(7, m.message_id)
        .bind(8, m.in_reply_to)
        .bind(9, notify::join_ids(m.references))
        .bind(10, m.automatic ? 1 : 0)
        .bind(11, to_unix_ms(m.next_attempt_at))
        .bind(12, to_unix_ms(m.created_at))
        .bind(13, m.channel)
        .bind_optional(14, m.page_id)
        .bind(15, join_lines(m.headers))
        .bind(16, m.signing_secret)
        .bind_optional(17, m.status_update_id)
        .bind_optional(18, m.subscriber_id)
        .run();
    return c_.last_insert_id();
}

std::vector<notify::OutboxMessage> SqliteOutboxStore::claim_due(core::UtcTime now, int limit)
{
    std::vector<notify::OutboxMessage> due;
    // Everything but status page fan-out first (pages, acknowledgements, replies), so that a fan-out to many
    // subscribers never delays a page; each query has its own partial index (migration 0011).
    {
        auto s = c_.prepare(std::string(kOutboxColumns) +
                            "WHERE state = 'queued' AND next_attempt_at <= ? AND status_update_id IS NULL "
                            "ORDER BY next_attempt_at, id LIMIT ?");
        s.bind(1, to_unix_ms(now)).bind(2, limit);
        due = read_all(s);
    }
    if (static_cast<int>(due.size()) < limit) {
        auto s = c_.prepare(std::string(kOutboxColumns) +
                            "WHERE state = 'queued' AND next_attempt_at <= ? AND status_update_id IS NOT NULL "
                            "ORDER BY next_attempt_at, id LIMIT ?");
        s.bind(1, to_unix_ms(now)).bind(2, limit - static_cast<int>(due.size()));
        auto fanout = read_all(s);
        due.insert(due.end(), std::make_move_iterator(fanout.begin()), std::make_move_iterator(fanout.end()));
    }
    for (auto& m : due) {
        c_.prepare("UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?").bind(1, m.id).run();
        m.state = notify::OutboxState::Sending;
        m.attempts += 1;
    }
    return due;
}

void SqliteOutboxStore::mark_sent(std::int64_t id, core::UtcTime at)
{
    c_.prepare("UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?")
        .bind(1, to_unix_ms(at))
        .bind(2, id)
        .run();
}

void SqliteOutboxStore::mark_retry(std::int64_t id, core::UtcTime next, std::string_view error)
{
    c_.prepare("UPDATE outbox SET state = 'queued', next_attempt_at = ?, last_error = ? WHERE id = ?")
        .bind(1, to_unix_ms(next))
        .bind(2, error)
        .bind(3, id)
        .run();
}

void SqliteOutboxStore::mark_dead(std::int64_t id, std::string_view error)
{
    c_.prepare("UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?").bind(1, error).bind(2, id).run();
}

bool SqliteOutboxStore::requeue(std::int64_t id, core::UtcTime now)
{
    c_.prepare("UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE id = ? AND state = 'dead'")
        .bind(1, to_unix_ms(now))
        .bind(2, id)
        .run();
    auto s = c_.prepare("SELECT changes()");
    s.step();
    return s.integer(0) > 0;
}

std::vector<notify::OutboxMessage> SqliteOutboxStore::recover_sending(core::UtcTime now)
{
    std::vector<notify::OutboxMessage> in_flight;
    {
        auto s = c_.prepare(std::string(kOutboxColumns) + "WHERE state = 'sending' ORDER BY id");
        in_flight = read_all(s);
    }
    c_.prepare("UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE state = 'sending'")
        .bind(1, to_unix_ms(now))
        .run();
    for (auto& m : in_flight)
        m.state = notify::OutboxState::Queued;
    return in_flight;
}

std::optional<notify::OutboxMessage> SqliteOutboxStore::find(std::int64_t id)
{
    auto s = c_.prepare(std::string(kOutboxColumns) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_outbox(s);
}

std::vector<notify::OutboxMessage> SqliteOutboxStore::for_ticket(ticket::TicketId id)
{
    auto s = c_.prepare(std::string(kOutboxColumns) + "WHERE ticket_id = ? ORDER BY id");
    s.bind(1, id.value);
    return read_all(s);
}

std::vector<notify::OutboxMessage> SqliteOutboxStore::dead_letters(int limit)
{
    auto s = c_.prepare(std::string(kOutboxColumns) + "WHERE state = 'dead' ORDER BY id DESC LIMIT ?");
    s.bind(1, limit);
    return read_all(s);
}

bool SqliteOutboxStore::record_bounce(std::string_view message_id, std::string_view text)
{
    c_.prepare("UPDATE outbox SET bounce = ? WHERE message_id = ?").bind(1, text).bind(2, message_id).run();
    auto s = c_.prepare("SELECT changes()");
    s.step();
    return s.integer(0) > 0;
}

std::int64_t SqliteOutboxStore::count_recent(std::string_view recipient, std::string_view kind, core::UtcTime since)
{
    auto s = c_.prepare("SELECT count(*) FROM outbox WHERE recipient = ? AND kind = ? AND created_at >= ?");
    s.bind(1, recipient).bind(2, kind).bind(3, to_unix_ms(since));
    s.step();
    return s.integer(0);
}

std::int64_t SqliteOutboxStore::pending()
{
    auto s = c_.prepare("SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')");
    s.step();
    return s.integer(0);
}

std::optional<intake::email::EmailRecord> SqliteEmailStore::find_inbound(std::string_view message_id)
{
    auto s =
        c_.prepare("SELECT id, message_id, ticket_id, thread_message_id, from_address, subject, full_text, created_at "
                   "FROM emails WHERE direction = 'inbound' AND message_id = ?");
    s.bind(1, message_id);
    if (!s.step()) return std::nullopt;
    intake::email::EmailRecord e;
    e.id = s.integer(0);
    e.message_id = s.text(1);
    e.ticket_id = ticket::TicketId{s.integer(2)};
    e.thread_message_id = s.integer(3);
    e.from_address = s.text(4);
    e.subject = s.text(5);
    e.full_text = s.text(6);
    e.created_at = from_unix_ms(s.integer(7));
    return e;
}

std::optional<ticket::TicketId> SqliteEmailStore::ticket_for_message_id(std::string_view message_id)
{
    if (message_id.empty()) return std::nullopt;
    {
        auto s = c_.prepare("SELECT ticket_id FROM emails WHERE message_id = ? AND ticket_id IS NOT NULL LIMIT 1");
        s.bind(1, message_id);
        if (s.step()) return ticket::TicketId{s.integer(0)};
    }
    auto s = c_.prepare("SELECT ticket_id FROM outbox WHERE message_id = ? AND ticket_id IS NOT NULL");
    s.bind(1, message_id);
    if (s.step()) return ticket::TicketId{s.integer(0)};
    return std::nullopt;
}

std::int64_t SqliteEmailStore::insert(const intake::email::EmailRecord& e, std::string_view raw)
{
    c_.prepare("INSERT INTO emails (direction, message_id, ticket_id, thread_message_id, from_address, subject, "
               "full_text, raw, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, e.direction)
        .bind(2, e.message_id)
        .bind_optional(3, e.ticket_id.value)
        .bind_optional(4, e.thread_message_id)
        .bind(5, e.from_address)
        .bind(6, e.subject)
        .bind(7, e.full_text)
        .bind_blob(8, raw)
        .bind(9, to_unix_ms(e.created_at))
        .run();
    return c_.last_insert_id();
}

void SqliteEmailStore::insert_attachment(const intake::email::AttachmentRecord& a, std::string_view data)
{
    if (a.stored)
        c_.prepare("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)")
            .bind(1, a.sha256)
            .bind_blob(2, data)
            .run();
    c_.prepare("INSERT INTO attachments (email_id, ticket_id, filename, content_type, size, sha256, stored) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, a.email_id)
        .bind_optional(2, a.ticket_id.value)
        .bind(3, a.filename)
        .bind(4, a.content_type)
        .bind(5, a.size)
        .bind(6, a.sha256)
        .bind(7, a.stored ? 1 : 0)
        .run();
}

std::vector<intake::email::AttachmentRecord> SqliteEmailStore::attachments_for_ticket(ticket::TicketId id)
{
    auto s = c_.prepare(std::string(kAttachmentColumns) + "WHERE a.ticket_id = ? ORDER BY a.id");
    s.bind(1, id.value);
    std::vector<intake::email::AttachmentRecord> out;
    while (s.step())
        out.push_back(read_attachment(s));
    return out;
}

std::optional<std::pair<intake::email::AttachmentRecord, std::string>> SqliteEmailStore::attachment(std::int64_t id)
{
    std::optional<intake::email::AttachmentRecord> found;
    {
        auto s = c_.prepare(std::string(kAttachmentColumns) + "WHERE a.id = ?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        found = read_attachment(s);
    }
    auto s = c_.prepare("SELECT data FROM blobs WHERE sha256 = ?");
    s.bind(1, found->sha256);
    std::string data = s.step() ? s.text(0) : std::string();
    return std::make_pair(std::move(*found), std::move(data));
}

std::vector<std::string> SqliteEmailStore::thread_ids(ticket::TicketId id)
{
    auto s = c_.prepare("SELECT message_id, created_at, 0 FROM emails WHERE ticket_id = ? AND message_id <> '' "
                        "UNION ALL SELECT message_id, created_at, 1 FROM outbox WHERE ticket_id = ? "
                        "ORDER BY 2, 3");
    s.bind(1, id.value).bind(2, id.value);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

std::int64_t SqliteEmailStore::hold(std::string_view from, std::string_view subject, std::string_view reason,
                                    std::string_view raw, core::UtcTime now)
{
    c_.prepare("INSERT INTO held_emails (from_address, subject, reason, raw, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, from)
        .bind(2, subject)
        .bind(3, reason)
        .bind_blob(4, raw)
        .bind(5, to_unix_ms(now))
        .run();
    return c_.last_insert_id();
}

std::string SqliteEmailStore::raw(std::int64_t email_id)
{
    auto s = c_.prepare("SELECT raw FROM emails WHERE id = ?");
    s.bind(1, email_id);
    return s.step() ? s.text(0) : std::string();
}

std::vector<intake::email::HeldEmail> SqliteEmailStore::held(int limit)
{
    auto s =
        c_.prepare("SELECT id, from_address, subject, reason, created_at FROM held_emails ORDER BY id DESC LIMIT ?");
    s.bind(1, limit);
    std::vector<intake::email::HeldEmail> out;
    while (s.step())
        out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), from_unix_ms(s.integer(4))});
    return out;
}

std::optional<std::string> SqliteEmailStore::held_raw(std::int64_t id)
{
    auto s = c_.prepare("SELECT raw FROM held_emails WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void SqliteEmailStore::delete_held(std::int64_t id)
{
    c_.prepare("DELETE FROM held_emails WHERE id = ?").bind(1, id).run();
}

}  // namespace lifeline::storage::sqlite
