// Polling for tests against a running server: waits for a condition instead of sleeping a guessed time.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace lifeline::testing {

// Polls `done` every `every` until it holds or `timeout` passes; true when it held.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20),
                       std::chrono::milliseconds every = std::chrono::milliseconds(100))
{
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(every);
    }
    return done();
}

}  // namespace lifeline::testing
