#include "engine/timer_worker.hpp"

#include <spdlog/spdlog.h>

namespace lifeline::engine {

namespace {
constexpr int kBatch = 64;
}  // namespace

TimerWorker::TimerWorker(escalation::EscalationService& escalations, std::chrono::milliseconds poll)
    : escalations_(escalations), poll_(poll)
{
}

TimerWorker::~TimerWorker()
{
    stop();
}

void TimerWorker::start()
{
    thread_ = std::thread([this] { run(); });
}

void TimerWorker::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TimerWorker::run()
{
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (stopping_) return;
        }
        auto fx = escalations_.run_due_blocking(kBatch);
        if (!fx) spdlog::error("timers: cannot run due escalation steps: {}", fx.error().message());
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        // A full batch means more are due: go again at once.
        if (!fx || fx->steps < kBatch) wake_.wait_for(lock, poll_, [this] { return stopping_; });
    }
}

}  // namespace lifeline::engine
