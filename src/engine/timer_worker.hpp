// The timer worker: runs durable timers (escalation steps, delayed notifications) when they fall due. Each timer
// runs in the same commit that marks it done, so a restart neither drops nor repeats one. Runs on its own thread.
#pragma once

#include "escalation/escalation_service.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lifeline::engine {

class TimerWorker {
public:
    explicit TimerWorker(escalation::EscalationService& escalations,
                         std::chrono::milliseconds poll = std::chrono::milliseconds(200));
    ~TimerWorker();

    void start();
    // Finishes the timers in hand, then stops. Idempotent.
    void stop();

private:
    void run();

    escalation::EscalationService& escalations_;
    std::chrono::milliseconds poll_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lifeline::engine
