// Test support: a local stand-in for Twilio's REST API (tests/support/twilio_standin.py) in a child process,
// recording what it accepts in a fresh directory that tests read back.
#pragma once

#include "support/child_process.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace lifeline::testing {

// One request the stand-in accepted (answered 201).
struct TwilioRequest {
    std::string kind;  // "sms" or "call"
    std::string to;
    std::string from;
    std::string body;  // the SMS text, or the call's TwiML
    std::string sid;   // the sid the stand-in answered ("SM…" or "CA…")
};

// What the target of simulate_inbound_sms() answered.
struct InboundSmsResult {
    int status = 0;     // its HTTP status; 0 when it could not be reached
    std::string body;   // its response body
    std::string error;  // why it could not be reached, when status is 0
};

// Runs `python3 twilio_standin.py` on 127.0.0.1 with a random account SID ("AC" + 32 hex) and auth token until
// destruction. The script's path is the env var LIFELINE_TWILIO_STANDIN if set, else the compile definition
// LIFELINE_TWILIO_STANDIN_SCRIPT; the interpreter is python_interpreter(). A ChildProcess, so a crashed test leaves
// nothing listening. requests() and wait_for() may be called from any thread; the control calls (fail_next,
// hang_next, simulate_inbound_sms) too, they are plain HTTP requests.
class TwilioStandIn {
public:
    // Starts the stand-in and waits (up to 30 s) for it to listen. Throws std::runtime_error if it cannot start.
    TwilioStandIn();

    int port() const { return port_; }
    // "http://127.0.0.1:<port>": what TwilioConfig::base_url should be.
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& account_sid() const { return account_sid_; }
    const std::string& auth_token() const { return auth_token_; }
    const std::string& directory() const { return directory_.path(); }

    // Everything accepted so far, oldest first (read from <directory>/requests.jsonl).
    std::vector<TwilioRequest> requests() const;
    // Polls requests() until there are at least `count`; false on timeout.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // The next `count` API requests are answered `status` with Twilio's error JSON (nothing is recorded).
    void fail_next(int status, int count = 1);
    // The next API request waits `seconds` before it is handled (and then handled normally).
    void hang_next(double seconds);
    // Has the stand-in POST an incoming SMS to `url` as Twilio would (form fields, X-Twilio-Signature from its own
    // Python implementation; a wrong signature when bad_signature) and reports what the target answered.
    InboundSmsResult simulate_inbound_sms(const std::string& url, const std::string& from, const std::string& to,
                                          const std::string& body, bool bad_signature = false);
    // Has the stand-in POST a <Gather> key press to `url` as Twilio would during a call (Digits, CallSid, …, signed).
    InboundSmsResult simulate_key_press(const std::string& url, const std::string& digits, bool bad_signature = false);

private:
    // POSTs a JSON document to the stand-in's own control path; the answer's status and body.
    std::pair<int, std::string> control(const std::string& path, const std::string& json) const;

    TempDir directory_{"lifeline-twilio-standin"};
    std::string account_sid_;
    std::string auth_token_;
    ChildProcess child_{"TwilioStandIn"};
    int port_ = 0;
};

}  // namespace lifeline::testing
