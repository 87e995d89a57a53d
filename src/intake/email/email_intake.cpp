#include "intake/email/email_intake.hpp"

#include "auth/auth_service.hpp"
#include "core/text.hpp"
#include "storage/async.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <regex>

namespace lifeline::intake::email {

namespace {

// Mail addressed to the desk as a whole is handled with the desk's own authority to open tickets for senders.
const auth::Actor kMailActor{auth::UserId{}, auth::Role::Agent, {}, "Email", ""};

std::string report_text(const DeliveryReport& r)
{
    std::string text = "Delivery to " + (r.recipient.empty() ? std::string("the recipient") : r.recipient) + " " +
                       (r.action.empty() ? std::string("failed") : r.action);
    if (!r.status.empty()) text += " (" + r.status + ")";
    if (!r.diagnostic.empty()) text += ": " + r.diagnostic;
    return text;
}

ticket::TimelineEvent system_event(ticket::TicketId id, std::string kind, std::string detail, core::UtcTime now)
{
    ticket::TimelineEvent e;
    e.ticket_id = id;
    e.kind = std::move(kind);
    e.detail = std::move(detail);
    e.created_at = now;
    return e;
}

}  // namespace

std::string_view to_string(Outcome::Kind kind)
{
    switch (kind) {
    case Outcome::Kind::Created: return "created";
    case Outcome::Kind::Appended: return "appended";
    case Outcome::Kind::Duplicate: return "duplicate";
    case Outcome::Kind::Held: return "held";
    case Outcome::Kind::Report: return "report";
    case Outcome::Kind::Ignored: return "ignored";
    }
    return "ignored";
}

std::optional<ticket::TicketId> ticket_tag(std::string_view subject)
{
    static const std::regex tag(R"(\[LL-([0-9]{4,18})\])", std::regex::icase);
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(subject.begin(), subject.end(), m, tag)) return std::nullopt;
    return ticket::parse_ref("LL-" + m[1].str());
}

core::Status EmailIntakeService::store(storage::Transaction& tx, const ParsedEmail& email, const std::string& raw,
                                       core::UtcTime now, Senders senders, Outcome& out)
{
    auto& emails = tx.emails();
    if (!email.message_id.empty() && emails.find_inbound(email.message_id)) {
        out = {Outcome::Kind::Duplicate, {}, "already received " + email.message_id};
        return core::Ok{};
    }
    EmailRecord record;
    record.message_id = email.message_id;
    record.from_address = email.from.email;
    record.subject = email.subject;
    record.full_text = email.text;
    record.created_at = now;

    if (email.report) {
        auto text = report_text(*email.report);
        auto original = email.report->original_message_id;
        tx.outbox().record_bounce(original, text);
        record.ticket_id = emails.ticket_for_message_id(original).value_or(ticket::TicketId{});
        if (record.ticket_id) tx.tickets().insert_event(system_event(record.ticket_id, "bounced", text, now));
        emails.insert(record, raw);
        out = {Outcome::Kind::Report, {}, text};
        return core::Ok{};
    }

    const auto& identity = tickets_.mail_identity();
    bool ours =
        identity.enabled() && (email.from.email == core::ascii_lower(identity.from_address) ||
                               core::ascii_lower(core::trim(email.x_loop)) == core::ascii_lower(identity.from_address));
    if (email.from.email.empty() || ours) {
        emails.insert(record, raw);
        out = {Outcome::Kind::Ignored, {}, ours ? "our own mail came back" : "the message has no sender"};
        return core::Ok{};
    }

    auto sender = tx.auth().find_user_by_email(email.from.email);
    if (!sender && senders == Senders::ByPolicy && settings_.unknown_senders == UnknownSenders::Hold) {
        emails.hold(email.from.email, email.subject, "unknown sender", raw, now);
        out = {Outcome::Kind::Held, {}, "held for review: " + email.from.email + " is not a known contact"};
        return core::Ok{};
    }

    // A reply joins its ticket by Message-ID threading first, then by the subject tag.
    std::optional<ticket::TicketId> existing = emails.ticket_for_message_id(email.in_reply_to);
    for (auto it = email.references.rbegin(); !existing && it != email.references.rend(); ++it)
        existing = emails.ticket_for_message_id(*it);
    if (!existing) existing = ticket_tag(email.subject);

    std::string body = !email.reply_text.empty() ? email.reply_text : email.text;
    if (core::trim(body).empty()) body = email.attachments.empty() ? "(no text)" : "(attachments only)";

    if (existing && sender) {
        ticket::Message message;
        auto as = auth::actor_of(*sender);
        if (tickets_.reply_in(tx, as, *existing, body, now, message)) {
            record.ticket_id = *existing;
            record.thread_message_id = message.id;
            out = {Outcome::Kind::Appended, ticket::format_ref(*existing), "added to " + ticket::format_ref(*existing)};
        }
        // A sender outside the ticket's organization cannot add to it: their mail opens a ticket of its own.
    }

    if (!record.ticket_id) {
        ticket::NewTicket input;
        input.subject = core::trim(email.subject).empty() ? "(no subject)" : email.subject;
        if (input.subject.size() > 300) input.subject.resize(300);
        for (auto& c : input.subject)
            if (c == '\r' || c == '\n') c = ' ';
        input.body = body;
        input.priority = "P3";
        input.requester_email = email.from.email;
        input.requester_name = email.from.name;
        input.channel = ticket::Channel::Email;
        ticket::TicketService::EmailThread thread;
        thread.in_reply_to = email.message_id;
        thread.references = email.references;
        if (!email.message_id.empty()) thread.references.push_back(email.message_id);
        bool automatic = is_automatic(email);
        bool rate_limited =
            tx.outbox().count_recent(email.from.email, notify::kAcknowledgement, now - std::chrono::hours(1)) >=
            settings_.max_acknowledgements_per_sender_per_hour;
        thread.acknowledge = !automatic && !rate_limited;
        auth::Actor as = sender && !sender->is_staff() ? auth::actor_of(*sender) : kMailActor;
        ticket::Created created;
        if (auto opened = tickets_.open_in(tx, as, input, thread, now, created); !opened) return opened.error();
        record.ticket_id = created.ticket.id;
        record.thread_message_id = created.first_message_id;
        out = {Outcome::Kind::Created, created.ticket.ref(), "opened " + created.ticket.ref()};
        if (automatic)
            tx.tickets().insert_event(system_event(created.ticket.id, "not_acknowledged",
                                                   "No acknowledgement sent: the message was sent automatically", now));
        else if (rate_limited)
            tx.tickets().insert_event(system_event(created.ticket.id, "not_acknowledged",
                                                   "No acknowledgement sent: " + email.from.email +
                                                       " already had the hourly limit of acknowledgements",
                                                   now));
    }

    auto email_id = emails.insert(record, raw);
    for (const auto& a : email.attachments) {
        AttachmentRecord attachment;
        attachment.email_id = email_id;
        attachment.ticket_id = record.ticket_id;
        attachment.filename = a.filename;
        attachment.content_type = a.content_type;
        attachment.size = static_cast<std::int64_t>(a.size);
        attachment.sha256 = a.sha256_hex;
        attachment.stored = !a.sha256_hex.empty();
        emails.insert_attachment(attachment, a.data);
    }
    return core::Ok{};
}

boost::asio::awaitable<core::Result<Outcome>> EmailIntakeService::accept(std::string raw)
{
    co_return co_await ingest(std::move(raw), Senders::ByPolicy, 0);
}

boost::asio::awaitable<core::Result<Outcome>> EmailIntakeService::ingest(std::string raw, Senders senders,
                                                                         std::int64_t release_held)
{
    if (raw.size() > settings_.max_message_bytes)
        co_return core::Error::invalid("the message is larger than " + std::to_string(settings_.max_message_bytes) +
                                       " bytes");
    auto home = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(workers_, boost::asio::use_awaitable);
    auto parsed = parse_email(raw, settings_.parse);
    co_await boost::asio::post(home, boost::asio::use_awaitable);
    if (!parsed) co_return parsed.error();
    Outcome out;
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (release_held) tx.emails().delete_held(release_held);
        return store(tx, *parsed, raw, now, senders, out);
    });
    if (!status) co_return status.error();
    accepted_.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("email from {}: {} {}", parsed->from.email, to_string(out.kind), out.detail);
    co_return out;
}

core::Result<std::vector<HeldEmail>> EmailIntakeService::held(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff review held mail");
    std::vector<HeldEmail> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.emails().held(200);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Result<Outcome>> EmailIntakeService::release(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_staff()) co_return core::Error::denied("only staff review held mail");
    std::optional<std::string> raw;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        raw = tx.emails().held_raw(id);
        return core::Ok{};
    });
    if (!status) co_return status.error();
    if (!raw) co_return core::Error::not_found("no held message " + std::to_string(id));
    co_return co_await ingest(std::move(*raw), Senders::AcceptAll, id);
}

boost::asio::awaitable<core::Status> EmailIntakeService::discard(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_staff()) co_return core::Error::denied("only staff review held mail");
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!tx.emails().held_raw(id)) return core::Error::not_found("no held message " + std::to_string(id));
        tx.emails().delete_held(id);
        return core::Ok{};
    });
}

boost::asio::awaitable<std::vector<core::Status>> EmailIntakeService::deliver(std::string raw, std::string,
                                                                              std::vector<std::string> recipients)
{
    auto result = co_await accept(std::move(raw));
    core::Status status = core::Ok{};
    if (!result) status = result.error();
    co_return std::vector<core::Status>(recipients.size(), status);
}

core::Result<std::vector<AttachmentRecord>> EmailIntakeService::attachments(const auth::Actor& actor,
                                                                            ticket::TicketId id)
{
    std::vector<AttachmentRecord> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        if (!tx.tickets().find(id, auth::Scope::of(actor)))
            return core::Error::not_found("no ticket " + ticket::format_ref(id));
        out = tx.emails().attachments_for_ticket(id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<std::pair<AttachmentRecord, std::string>> EmailIntakeService::attachment(const auth::Actor& actor,
                                                                                      std::int64_t id)
{
    std::optional<std::pair<AttachmentRecord, std::string>> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        auto found = tx.emails().attachment(id);
        if (!found || !found->first.ticket_id || !tx.tickets().find(found->first.ticket_id, auth::Scope::of(actor)))
            return core::Error::not_found("no such attachment");
        if (!found->first.stored)
            return core::Error::not_found("the attachment was over the size limit and was not kept");
        out = std::move(found);
        return core::Ok{};
    });
    if (!status) return status.error();
    return std::move(*out);
}

}  // namespace lifeline::intake::email
