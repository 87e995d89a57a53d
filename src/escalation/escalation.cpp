#include "escalation/escalation.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>

namespace lifeline::escalation {

namespace {

std::string upper(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// At most `max` bytes, cut at a UTF-8 boundary, with an ellipsis when cut.
std::string shorten(std::string_view s, std::size_t max)
{
    if (s.size() <= max) return std::string(s);
    auto cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return std::string(s.substr(0, cut)) + "...";
}

std::string what_of(const Escalation& e)
{
    if (e.ticket_id) return "Emergency ticket";
    return upper(e.severity) + " alert";
}

}  // namespace

std::string_view to_string(Target::Kind kind)
{
    return kind == Target::Kind::Schedule ? "schedule" : "user";
}

core::Result<Policy> Policy::validated() const
{
    Policy p = *this;
    p.name = core::trim(p.name);
    p.description = core::trim(p.description);
    std::vector<core::FieldError> errors;
    if (p.name.empty() || p.name.size() > 200 || !core::is_valid_utf8(p.name))
        errors.push_back({"name", "is required (1-200 characters of UTF-8)"});
    if (p.description.size() > 2000 || !core::is_valid_utf8(p.description))
        errors.push_back({"description", "is at most 2000 characters of UTF-8"});
    if (p.levels.empty() || p.levels.size() > kMaxLevels)
        errors.push_back({"levels", "needs 1 to " + std::to_string(kMaxLevels) + " levels"});
    for (std::size_t i = 0; i < p.levels.size() && i < kMaxLevels; ++i) {
        const auto& level = p.levels[i];
        auto at = "levels[" + std::to_string(i) + "]";
        if (level.targets.empty()) errors.push_back({at + ".targets", "needs at least one person or schedule"});
        if (level.timeout < std::chrono::seconds(1) || level.timeout > kMaxTimeout)
            errors.push_back({at + ".timeout_seconds", "is 1 to 86400 seconds"});
        for (std::size_t j = 0; j < level.targets.size(); ++j)
            if (std::count(level.targets.begin(), level.targets.end(), level.targets[j]) > 1) {
                errors.push_back({at + ".targets", "names the same target twice"});
                break;
            }
    }
    if (p.repeat < 0 || p.repeat > kMaxRepeat)
        errors.push_back({"repeat", "is 0 to " + std::to_string(kMaxRepeat) + " more rounds"});
    if (!errors.empty()) return core::Error::invalid("the escalation policy is not valid", std::move(errors));
    return p;
}

std::optional<Step> next_step(const Policy& policy, Step current)
{
    if (current.level + 1 < static_cast<int>(policy.levels.size())) return Step{current.level + 1, current.loop};
    if (current.loop < policy.repeat) return Step{0, current.loop + 1};
    return std::nullopt;
}

std::string_view to_string(Channel channel)
{
    switch (channel) {
    case Channel::Sms: return "sms";
    case Channel::Voice: return "voice";
    case Channel::Email: return "email";
    case Channel::Webhook: return "webhook";
    }
    return "sms";
}

std::optional<Channel> parse_channel(std::string_view text)
{
    if (text == "sms") return Channel::Sms;
    if (text == "voice") return Channel::Voice;
    if (text == "email") return Channel::Email;
    if (text == "webhook") return Channel::Webhook;
    return std::nullopt;
}

core::Result<ContactMethod> ContactMethod::validated() const
{
    ContactMethod m = *this;
    m.label = core::trim(m.label);
    std::vector<core::FieldError> errors;
    auto address = core::trim(m.address);
    if (m.channel == Channel::Sms || m.channel == Channel::Voice) {
        std::string digits;
        for (char c : address)
            if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') digits += c;
        bool ok = digits.size() >= 9 && digits.size() <= 16 && digits[0] == '+' && digits[1] != '0' &&
                  std::all_of(digits.begin() + 1, digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!ok) errors.push_back({"address", "is a phone number in international form, like +14155550100"});
        m.address = digits;
    } else if (m.channel == Channel::Email) {
        m.address = core::ascii_lower(address);
        if (!core::looks_like_email(m.address)) errors.push_back({"address", "is not a valid email address"});
    } else {
        m.address = address;
        bool ok = (address.starts_with("https://") || address.starts_with("http://")) && address.size() <= 2000 &&
                  address.find_first_of(" \t\r\n") == std::string::npos;
        if (!ok) errors.push_back({"address", "is an http:// or https:// URL"});
    }
    if (m.label.size() > 100 || !core::is_valid_utf8(m.label))
        errors.push_back({"label", "is at most 100 characters of UTF-8"});
    if (!errors.empty()) return core::Error::invalid("the contact method is not valid", std::move(errors));
    return m;
}

std::string_view to_string(State state)
{
    switch (state) {
    case State::Active: return "active";
    case State::Acknowledged: return "acknowledged";
    case State::Resolved: return "resolved";
    case State::Exhausted: return "exhausted";
    }
    return "active";
}

State parse_state(std::string_view text)
{
    if (text == "acknowledged") return State::Acknowledged;
    if (text == "resolved") return State::Resolved;
    if (text == "exhausted") return State::Exhausted;
    return State::Active;
}

std::int64_t encode_step(Step step)
{
    return static_cast<std::int64_t>(step.loop) * 100 + step.level;
}

Step decode_step(std::int64_t value)
{
    return Step{static_cast<int>(value % 100), static_cast<int>(value / 100)};
}

PageText page_text(const Escalation& e, std::string_view desk_name, std::string_view ack_url)
{
    PageText t;
    auto what = what_of(e);
    auto ref = e.ticket_id ? "ticket " + std::to_string(e.ticket_id) : "alert " + std::to_string(e.alert_id);
    t.subject = "[" + std::string(desk_name) + " page] " + what + ": " + shorten(e.summary, 150);
    auto tail = ". Reply ACK " + std::to_string(e.id) + " to acknowledge, or open " + std::string(ack_url);
    auto head = std::string(desk_name) + ": " + what + " (" + ref + "): ";
    auto room = tail.size() + head.size() < 300 ? 300 - tail.size() - head.size() : 20;
    t.sms = head + shorten(e.summary, room) + tail;
    t.speech = "This is " + std::string(desk_name) + " with an urgent page. " + what + ": " + shorten(e.summary, 300) +
               ". Press 1 to acknowledge. You can also reply A C K " + std::to_string(e.id) +
               " to the text message, or open the link in it.";
    t.email = what + " (" + ref + ")\n\n" + e.summary + "\n\nPolicy: " + e.policy_name +
              "\n\nAcknowledge (one click, then confirm):\n" + std::string(ack_url) +
              "\n\nUntil someone acknowledges, the next level of the policy will be paged.\n";
    return t;
}

std::optional<SmsCommand> parse_sms_reply(std::string_view body)
{
    auto text = core::ascii_lower(core::trim(body));
    std::string_view rest;
    for (std::string_view word : {"acknowledge", "ack", "a"}) {
        if (text.starts_with(word)) {
            rest = std::string_view(text).substr(word.size());
            if (!rest.empty() && rest.front() != ' ') continue;
            auto number = core::trim(rest);
            if (number.starts_with('#')) number.erase(0, 1);
            SmsCommand c{true, 0};
            if (number.empty()) return c;
            if (number.size() > 18 ||
                !std::all_of(number.begin(), number.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
                return std::nullopt;
            c.escalation_id = std::stoll(number);
            return c;
        }
    }
    return std::nullopt;
}

}  // namespace lifeline::escalation
