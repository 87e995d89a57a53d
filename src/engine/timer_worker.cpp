#include "engine/timer_worker.hpp"

#include <spdlog/spdlog.h>

namespace lifeline::engine {

namespace {
// Each tick handles at most this much per pass; a full batch means more may be due, so go again at once.
constexpr int kBatch = 64;
}  // namespace

TimerWorker::TimerWorker(std::vector<Tick> ticks, std::chrono::milliseconds poll)
    : ticks_(std::move(ticks)), poll_(poll)
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
        bool more = false;
        for (const auto& tick : ticks_) {
            auto done = tick.run();
            if (!done)
                spdlog::error("timers: cannot run due {}: {}", tick.name, done.error().message());
            else if (*done >= kBatch)
                more = true;
        }
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        if (!more) wake_.wait_for(lock, poll_, [this] { return stopping_; });
    }
}

}  // namespace lifeline::engine
