#include "engine/outbox_worker.hpp"

#include "notify/provider/webhook.hpp"
#include "status/subscriber_service.hpp"

#include <boost/asio/post.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <latch>

namespace lifeline::engine {

namespace {

constexpr int kBatch = 32;

double jitter()
{
    return static_cast<double>(randombytes_uniform(1000000)) / 1000000.0;
}

}  // namespace

OutboxWorker::OutboxWorker(storage::Database& db, const core::Clock& clock, Senders senders, notify::RetryPolicy policy,
                           std::chrono::milliseconds poll)
    : db_(db), clock_(clock), senders_(std::move(senders)), policy_(policy), poll_(poll)
{
}

OutboxWorker::~OutboxWorker()
{
    stop();
}

void OutboxWorker::start()
{
    auto now = clock_.now();
    std::vector<notify::OutboxMessage> recovered;
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        recovered = tx.outbox().recover_sending(now);
        return core::Ok{};
    });
    if (!status) spdlog::error("outbox: cannot recover messages in flight: {}", status.error().message());
    // A message in flight may have reached its relay or provider before the stop: it is sent again (at least
    // once), and each is named so that a duplicate the recipient sees can be traced to this restart.
    for (const auto& m : recovered)
        spdlog::warn("outbox: message {} ({} to {}, Message-ID <{}>) was in flight at the last stop; sending it again",
                     m.id, m.channel, m.recipient, m.message_id);
    thread_ = std::thread([this] { run(); });
}

void OutboxWorker::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void OutboxWorker::wake()
{
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void OutboxWorker::run()
{
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (stopping_) return;
        }
        int handled = drain_once();
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        if (handled == 0) wake_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
        woken_ = false;
    }
}

notify::email::Draft OutboxWorker::draft_for(const notify::OutboxMessage& m) const
{
    notify::email::Draft draft;
    draft.from_address = senders_.identity.from_address;
    draft.from_name = senders_.identity.from_name;
    draft.to_address = m.recipient;
    draft.to_name = m.recipient_name;
    draft.subject = m.subject;
    draft.text = m.body;
    draft.message_id = m.message_id;
    draft.in_reply_to = m.in_reply_to;
    draft.references = m.references;
    draft.automatic = m.automatic;
    draft.loop_marker = senders_.identity.from_address;
    draft.extra_headers = m.headers;
    return draft;
}

notify::Delivery OutboxWorker::deliver(const notify::OutboxMessage& m) const
{
    using Outcome = notify::Delivery::Outcome;
    if (m.channel == notify::kEmail) {
        if (!senders_.smtp) return {Outcome::PermanentFailure, "outbound email is not configured", ""};
        auto r = senders_.smtp->send(senders_.identity.from_address, m.recipient, notify::email::compose(draft_for(m)));
        using Smtp = notify::email::SendResult::Outcome;
        auto outcome = r.outcome == Smtp::Sent               ? Outcome::Sent
                       : r.outcome == Smtp::PermanentFailure ? Outcome::PermanentFailure
                                                             : Outcome::TransientFailure;
        return {outcome, r.detail, ""};
    }
    if (m.channel == notify::kSms || m.channel == notify::kVoice) {
        if (!senders_.twilio) return {Outcome::PermanentFailure, "no SMS and voice provider is configured", ""};
        if (m.channel == notify::kSms) return senders_.twilio->send_sms(m.recipient, m.body);
        return senders_.twilio->place_call(m.recipient, m.body);
    }
    if (m.channel == notify::kWebhook)
        return notify::post_webhook(notify::WebhookPost{m.recipient, m.body, m.signing_secret},
                                    senders_.webhook_timeout);
    return {Outcome::PermanentFailure, "unknown channel '" + m.channel + "'", ""};
}

void OutboxWorker::record(const notify::OutboxMessage& m, const notify::Delivery& result)
{
    using Outcome = notify::Delivery::Outcome;
    auto recorded = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        auto now = clock_.now();
        if (result.outcome == Outcome::Sent) {
            tx.outbox().mark_sent(m.id, now);
        } else if (result.outcome == Outcome::PermanentFailure) {
            tx.outbox().mark_dead(m.id, result.detail);
            status::on_message_dead(tx, m, result.detail, senders_.identity, now);
        } else if (m.attempts >= policy_.max_attempts) {
            auto detail = result.detail;
            if (detail.ends_with("; will retry")) detail.resize(detail.size() - 12);
            detail += "; gave up after " + std::to_string(m.attempts) + " attempts";
            tx.outbox().mark_dead(m.id, detail);
            status::on_message_dead(tx, m, detail, senders_.identity, now);
        } else {
            tx.outbox().mark_retry(m.id, notify::next_attempt(policy_, m.attempts, now, jitter()), result.detail);
        }
        return core::Ok{};
    });
    if (!recorded)
        spdlog::error("outbox: cannot record the result of message {}: {}", m.id, recorded.error().message());
    if (result.outcome == Outcome::Sent)
        sent_.fetch_add(1, std::memory_order_relaxed);
    else
        spdlog::warn("outbox: message {} to {} attempt {}: {}", m.id, m.recipient, m.attempts, result.detail);
}

int OutboxWorker::drain_once()
{
    std::vector<notify::OutboxMessage> due;
    auto claimed = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        due = tx.outbox().claim_due(clock_.now(), kBatch);
        return core::Ok{};
    });
    if (!claimed) {
        spdlog::error("outbox: cannot claim messages: {}", claimed.error().message());
        return 0;
    }
    if (due.empty()) return 0;

    // Hand-offs run in parallel (each is mostly waiting on the relay). Each result is recorded as soon as it is
    // known, so a crash can repeat only the messages between a relay's acceptance and that commit; the writer's
    // group commit still shares one fsync among the senders that finish together.
    std::atomic<std::size_t> next{0};
    auto send_some = [&] {
        for (auto k = next.fetch_add(1); k < due.size(); k = next.fetch_add(1))
            record(due[k], deliver(due[k]));
    };
    auto helpers = std::min<std::size_t>(kParallelSends, due.size()) - 1;
    std::latch finished(static_cast<std::ptrdiff_t>(helpers));
    for (std::size_t i = 0; i < helpers; ++i)
        boost::asio::post(pool_, [&] {
            send_some();
            finished.count_down();
        });
    send_some();
    finished.wait();
    return static_cast<int>(due.size());
}

}  // namespace lifeline::engine
