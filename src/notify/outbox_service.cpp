#include "notify/outbox_service.hpp"

#include "storage/async.hpp"

namespace lifeline::notify {

core::Result<std::vector<OutboxMessage>> OutboxService::for_ticket(const auth::Actor& actor, ticket::TicketId id)
{
    if (!actor.is_staff()) return core::Error::not_found("no ticket " + ticket::format_ref(id));
    std::vector<OutboxMessage> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        if (!tx.tickets().find(id, auth::Scope::everything()))
            return core::Error::not_found("no ticket " + ticket::format_ref(id));
        out = tx.outbox().for_ticket(id);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

core::Result<std::vector<OutboxMessage>> OutboxService::dead_letters(const auth::Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff see undelivered mail");
    std::vector<OutboxMessage> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.outbox().dead_letters(200);
        return core::Ok{};
    });
    if (!status) return status.error();
    return out;
}

boost::asio::awaitable<core::Status> OutboxService::retry(const auth::Actor& actor, std::int64_t id)
{
    if (!actor.is_staff()) co_return core::Error::denied("only staff retry undelivered mail");
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        auto m = tx.outbox().find(id);
        if (!m) return core::Error::not_found("no outbound message " + std::to_string(id));
        if (!tx.outbox().requeue(id, now))
            return core::Error::conflict("only undelivered (dead) messages can be retried");
        ticket::TimelineEvent e;
        e.ticket_id = m->ticket_id;
        e.actor_id = actor.user_id;
        e.kind = "email_retried";
        e.detail = actor.name + " queued the email to " + m->recipient + " again";
        e.created_at = now;
        if (m->ticket_id) tx.tickets().insert_event(e);
        return core::Ok{};
    });
    if (status && wake_) wake_();
    co_return status;
}

std::int64_t OutboxService::pending()
{
    std::int64_t n = 0;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        n = tx.outbox().pending();
        return core::Ok{};
    });
    return status ? n : -1;
}

}  // namespace lifeline::notify
