// The outbox worker: hands queued messages to the SMTP relay, retries with backoff and jitter, and moves
// messages that keep failing (or fail permanently) to dead letter. Runs on its own thread.
#pragma once

#include "core/clock.hpp"
#include "notify/email/smtp_sender.hpp"
#include "notify/outbox.hpp"
#include "storage/database.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lifeline::engine {

class OutboxWorker {
public:
    OutboxWorker(storage::Database& db, const core::Clock& clock, notify::email::SmtpSender sender,
                 notify::MailIdentity identity, notify::RetryPolicy policy,
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

    storage::Database& db_;
    const core::Clock& clock_;
    notify::email::SmtpSender sender_;
    notify::MailIdentity identity_;
    notify::RetryPolicy policy_;
    std::chrono::milliseconds poll_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
    // Long-lived threads so that each keeps its relay connection between batches (see SmtpSender::send).
    static constexpr std::size_t kParallelSends = 4;
    boost::asio::thread_pool senders_{kParallelSends - 1};
    std::atomic<std::uint64_t> sent_{0};
};

}  // namespace lifeline::engine
