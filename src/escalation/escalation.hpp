// Escalation and paging: policies (ordered levels of people and schedules, each with a timeout, the whole policy
// repeated N times), people's contact methods and notification rules, running escalations, pages and the durable
// timers that carry an escalation forward. Pure values and policy; no I/O.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::escalation {

struct Target {
    enum class Kind { User, Schedule } kind = Kind::User;
    std::int64_t id = 0;
    std::string name;  // filled when read, for display
    bool operator==(const Target& o) const { return kind == o.kind && id == o.id; }
};
std::string_view to_string(Target::Kind kind);

struct Level {
    std::vector<Target> targets;
    std::chrono::seconds timeout{300};  // how long the level's people have to acknowledge before the next level
};

inline constexpr int kMaxLevels = 10;
inline constexpr int kMaxRepeat = 9;
inline constexpr std::chrono::seconds kMaxTimeout{24 * 3600};

struct Policy {
    std::int64_t id = 0;
    std::string name;
    std::string description;
    std::vector<Level> levels;
    int repeat = 0;           // times the whole policy runs again after its last level
    bool is_default = false;  // pages for emergency tickets of organizations without a policy of their own
    core::UtcTime created_at{};
    core::UtcTime updated_at{};

    // Trims the name and description and checks every field, collecting errors ("name", "levels",
    // "levels[1].targets", "levels[0].timeout_seconds", "repeat"). Targets are checked to exist by the service.
    core::Result<Policy> validated() const;
};

// Where an escalation stands: the level being paged in which round (loop) of the policy.
struct Step {
    int level = 0;
    int loop = 0;
    bool operator==(const Step&) const = default;
};
// The step after `current`: the next level, or the first level of the next round; nullopt when every round is done.
std::optional<Step> next_step(const Policy& policy, Step current);

enum class Channel { Sms, Voice, Email, Webhook };
std::string_view to_string(Channel channel);
std::optional<Channel> parse_channel(std::string_view text);

struct ContactMethod {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    Channel channel = Channel::Sms;
    std::string address;  // E.164 phone number (+14155550100), email address, or http(s) URL
    std::string label;    // "work mobile"
    core::UtcTime created_at{};

    // Normalises the address (phone numbers lose spaces, dashes and brackets; emails are lower-cased) and checks
    // it for its channel. Errors: InvalidArgument with fields "channel", "address", "label".
    core::Result<ContactMethod> validated() const;
};

inline constexpr std::chrono::seconds kMaxRuleDelay{3600};

struct NotificationRule {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::int64_t contact_method_id = 0;
    std::chrono::seconds delay{0};  // after the page starts: "SMS at once, voice call after 2 minutes"
    core::UtcTime created_at{};
};

enum class State { Active, Acknowledged, Resolved, Exhausted };
std::string_view to_string(State state);
State parse_state(std::string_view text);

struct Escalation {
    std::int64_t id = 0;
    std::int64_t policy_id = 0;
    std::string policy_name;
    std::int64_t alert_id = 0;   // what is being escalated: an alert, or
    std::int64_t ticket_id = 0;  // an emergency ticket
    std::string summary;
    std::string severity;  // "critical", "error", or "P1" for tickets
    State state = State::Active;
    Step step;
    std::int64_t acknowledged_by = 0;
    std::string acknowledged_by_name;
    std::string acknowledged_via;  // "sms", "link", "console", "api", "source"
    std::optional<core::UtcTime> acknowledged_at;
    core::UtcTime started_at{};
    core::UtcTime updated_at{};
    std::optional<core::UtcTime> ended_at;

    bool open() const { return state == State::Active || state == State::Exhausted; }
};

// One line of an escalation's log: "Level 1: paged Ana Lopez by SMS", "Acknowledged by Ana Lopez via SMS".
struct Event {
    std::int64_t escalation_id = 0;
    std::string kind;  // "started", "paged", "notified", "unreachable", "escalated", "acknowledged", ...
    std::string text;
    core::UtcTime at{};
};

// One person paged at one step. Each message of the page carries a one-time acknowledgement link.
struct Page {
    std::int64_t id = 0;
    std::int64_t escalation_id = 0;
    std::int64_t user_id = 0;
    std::string user_name;
    Step step;
    std::optional<core::UtcTime> token_used_at;  // when read through a link: when that link was used
    core::UtcTime created_at{};
};

// A durable timer. Kinds: kStepJob (subject: escalation; arg: the encoded step it was scheduled from) and
// kNotifyJob (subject: page; arg: notification rule).
struct Job {
    std::int64_t id = 0;
    std::string kind;
    std::int64_t subject_id = 0;
    std::int64_t arg = 0;
    core::UtcTime due_at{};
};
inline constexpr std::string_view kStepJob = "escalation.step";
inline constexpr std::string_view kNotifyJob = "page.notify";

std::int64_t encode_step(Step step);
Step decode_step(std::int64_t value);

// What a page says. `ack_url` is the one-time acknowledgement link.
struct PageText {
    std::string subject;  // email subject
    std::string sms;      // at most ~300 characters
    std::string speech;   // what the voice call says (it also takes a key press: 1 acknowledges)
    std::string email;    // text/plain body
};
PageText page_text(const Escalation& escalation, std::string_view desk_name, std::string_view ack_url);

// What an SMS reply asks for: "ACK" (the newest open page to this number), "ACK 42" (escalation 42), anything else
// is not understood.
struct SmsCommand {
    bool acknowledge = false;
    std::int64_t escalation_id = 0;  // 0: the newest
};
std::optional<SmsCommand> parse_sms_reply(std::string_view body);

}  // namespace lifeline::escalation
