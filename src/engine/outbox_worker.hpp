// The outbox worker: hands queued messages to their channel (email to the SMTP relay, SMS and voice calls to the
// telephony provider, webhooks by HTTP POST), retries with backoff and jitter, and moves messages that keep failing
// (or fail permanently) to dead letter. Runs on its own thread.
#pragma once

#include "core/clock.hpp"
#include "notify/email/smtp_sender.hpp"
#include "notify/outbox.hpp"
#include "notify/provider/twilio.hpp"
#include "storage/database.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace lifeline::engine {

// Where each channel goes. A message on a channel without a sender is dead at once, with the reason.
struct Senders {
    std::optional<notify::email::SmtpSender> smtp;  // email, when a relay is configured
    notify::MailIdentity identity;                  // who we are on outbound mail
    std::optional<notify::TwilioClient> twilio;     // SMS and voice, when a provider is configured
    std::chrono::milliseconds webhook_timeout{10000};
};

class OutboxWorker {
public:
    OutboxWorker(storage::Database& db, const core::Clock& clock, Senders senders, notify::RetryPolicy policy,
                 std::chrono::milliseconds poll = std::chrono::milliseconds(250));
    ~OutboxWorker();

    // Returns messages a previous process left in Sending to the queue, then starts the thread.
    void start();
    // Finishes the message in hand, then stops. Idempotent.
    void stop();
    // Checks the queue now rather than at the next poll.
    void wake();

    std::uint64_t sent_count() const { return sent_.load(); }

private:
    void run();
    // One pass: claims due messages and sends them. Returns how many it handled.
    int drain_once();
    notify::email::Draft draft_for(const notify::OutboxMessage& m) const;
    // Hands one message to its channel. Blocking; called from several threads at once.
    notify::Delivery deliver(const notify::OutboxMessage& m) const;
    // Commits one hand-off's outcome: sent, retried later, or dead. Called from the sending threads.
    void record(const notify::OutboxMessage& m, const notify::Delivery& result);

    storage::Database& db_;
    const core::Clock& clock_;
    Senders senders_;
    notify::RetryPolicy policy_;
    std::chrono::milliseconds poll_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
    // Long-lived threads so that each keeps its relay connection between batches (see SmtpSender::send).
    // Sixteen, so that a provider answering in ~150 ms (as Twilio does) still takes ~100 pages/s.
    static constexpr std::size_t kParallelSends = 16;
    boost::asio::thread_pool pool_{kParallelSends - 1};
    std::atomic<std::uint64_t> sent_{0};
};

}  // namespace lifeline::engine
