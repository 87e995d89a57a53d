#include "notify/outbox.hpp"

#include "core/text.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>

namespace lifeline::notify {

std::string_view to_string(OutboxState state)
{
    switch (state) {
    case OutboxState::Queued: return "queued";
    case OutboxState::Sending: return "sending";
    case OutboxState::Sent: return "sent";
    case OutboxState::Dead: return "dead";
    }
    return "queued";
}

OutboxState parse_outbox_state(std::string_view text)
{
    if (text == "sending") return OutboxState::Sending;
    if (text == "sent") return OutboxState::Sent;
    if (text == "dead") return OutboxState::Dead;
    return OutboxState::Queued;
}

core::UtcTime next_attempt(const RetryPolicy& policy, int attempts, core::UtcTime now, double jitter01)
{
    double seconds = static_cast<double>(policy.base.count()) * std::pow(2.0, std::max(0, attempts - 1));
    seconds = std::min(seconds, static_cast<double>(policy.cap.count()));
    seconds *= 0.8 + 0.4 * std::clamp(jitter01, 0.0, 0.999999);
    return now + std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

std::string tagged_subject(std::string_view ref, std::string_view subject)
{
    std::string s = core::trim(subject);
    for (;;) {
        auto lower = core::ascii_lower(s.substr(0, 4));
        if (lower.rfind("re:", 0) == 0) {
            s = core::trim(s.substr(3));
        } else if (lower.rfind("aw:", 0) == 0 || lower.rfind("fw:", 0) == 0) {
            s = core::trim(s.substr(3));
        } else if (lower == "fwd:") {
            s = core::trim(s.substr(4));
        } else {
            break;
        }
    }
    std::string tag = "[" + std::string(ref) + "]";
    if (s.find(tag) != std::string::npos) return s;
    if (s.empty()) return tag;
    return tag + " " + s;
}

std::string join_ids(const std::vector<std::string>& ids)
{
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) out += ' ';
        out += id;
    }
    return out;
}

std::vector<std::string> split_ids(std::string_view text)
{
    std::vector<std::string> out;
    while (!text.empty()) {
        auto space = text.find(' ');
        auto part = text.substr(0, space);
        if (!part.empty()) out.emplace_back(part);
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    return out;
}

std::string new_message_id(const MailIdentity& identity)
{
    unsigned char raw[12];
    randombytes_buf(raw, sizeof raw);
    char hex[2 * sizeof raw + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    return std::string(hex) + "." + std::to_string(ms.count()) + "@" + identity.domain();
}

}  // namespace lifeline::notify
