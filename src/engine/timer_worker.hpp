// The timer worker: runs what falls due with time (escalation steps, delayed notifications, missed incident updates,
// overdue diagnostic steps). Each tick runs its due work in the same commit that marks it done, so a restart
// neither drops nor repeats any. Runs on its own thread.
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lifeline::engine {

class TimerWorker {
public:
    // One kind of due work: does what is due now and returns how much it did (0: nothing was due).
    struct Tick {
        std::string name;  // for the log: "escalations", "incidents"
        std::function<core::Result<int>()> run;
    };

    explicit TimerWorker(std::vector<Tick> ticks, std::chrono::milliseconds poll = std::chrono::milliseconds(200));
    ~TimerWorker();

    void start();
    // Finishes the work in hand, then stops. Idempotent.
    void stop();

private:
    void run();

    std::vector<Tick> ticks_;
    std::chrono::milliseconds poll_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lifeline::engine
