// Test support: a real SMTP server (tests/support/smtp_sink.py, aiosmtpd) in a child process, storing what it
// accepts in a fresh directory that tests read back.
#pragma once

#include "support/child_process.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace lifeline::testing {

struct SmtpSinkOptions {
    int port = 0;                              // 0: any free loopback port
    std::vector<std::string> fail_recipients;  // answered "550 5.1.1 ... User unknown" at RCPT TO
    int tempfail_first = 0;                    // the first N messages are answered "451 4.3.0" after DATA
};

// One message the sink accepted.
struct SinkMessage {
    std::string envelope_from;            // MAIL FROM, without <>; empty for the null sender
    std::vector<std::string> recipients;  // RCPT TO that were accepted, without <>
    std::string raw;                      // the DATA bytes as received (CRLF), dot-stuffing removed
};

// Runs `python3 smtp_sink.py` on 127.0.0.1 until stop() or destruction. The script's path is the env var
// LIFELINE_SMTP_SINK if set, else the compile definition LIFELINE_SMTP_SINK_SCRIPT; the interpreter is
// python_interpreter() (Debian's has python3-aiosmtpd). A ChildProcess, so a crashed test leaves nothing listening.
// Not thread-safe; messages() and wait_for() may be called from any one thread.
class SmtpSink {
public:
    // Starts the sink and waits (up to 30 s) for it to listen. Throws std::runtime_error if it cannot start.
    explicit SmtpSink(SmtpSinkOptions options = {});

    int port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    const std::string& directory() const { return directory_.path(); }
    bool running() const { return child_.running(); }

    // Everything accepted so far (across restarts), oldest first.
    std::vector<SinkMessage> messages() const;
    // Polls messages() until there are at least `count`; false on timeout.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // SIGTERM and wait (SIGKILL after 5 s): the relay is down, connections to port() are refused.
    void stop();
    // Starts again on the same port with the same options and directory (numbering continues): the relay is back.
    // Throws std::runtime_error if it cannot start. Stops a running sink first.
    void restart();

private:
    void start();

    SmtpSinkOptions options_;
    TempDir directory_{"lifeline-smtp-sink"};
    ChildProcess child_{"SmtpSink"};
    int port_ = 0;
};

}  // namespace lifeline::testing
