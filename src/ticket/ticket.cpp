#include "ticket/ticket.hpp"

#include "core/text.hpp"

#include <charconv>

namespace lifeline::ticket {

namespace {
constexpr std::int64_t kRefOffset = 1000;
constexpr std::size_t kMaxSubject = 300;
constexpr std::size_t kMaxBody = 100000;
}  // namespace

std::string_view to_string(Status s)
{
    switch (s) {
    case Status::New: return "new";
    case Status::Open: return "open";
    case Status::WaitingOnCustomer: return "waiting_on_customer";
    case Status::Resolved: return "resolved";
    case Status::Closed: return "closed";
    }
    return "new";
}

core::Result<Status> parse_status(std::string_view text)
{
    for (auto s : {Status::New, Status::Open, Status::WaitingOnCustomer, Status::Resolved, Status::Closed})
        if (to_string(s) == text) return s;
    return core::Error::invalid("unknown status '" + std::string(text) + "'",
                                {{"status", "must be one of new, open, waiting_on_customer, resolved, closed"}});
}

std::string_view to_string(Channel c)
{
    switch (c) {
    case Channel::Portal: return "portal";
    case Channel::Api: return "api";
    case Channel::Email: return "email";
    case Channel::Sms: return "sms";
    case Channel::Phone: return "phone";
    case Channel::Chat: return "chat";
    case Channel::Alert: return "alert";
    }
    return "api";
}

core::Result<Channel> parse_channel(std::string_view text)
{
    for (auto c : {Channel::Portal, Channel::Api, Channel::Email, Channel::Sms, Channel::Phone, Channel::Chat, Channel::Alert})
        if (to_string(c) == text) return c;
    return core::Error::invalid("unknown channel '" + std::string(text) + "'",
                                {{"channel", "must be one of portal, api, email, sms, phone, chat, alert"}});
}

std::string_view to_string(Visibility v) { return v == Visibility::Public ? "public" : "internal"; }

std::string format_ref(TicketId id) { return "LL-" + std::to_string(id.value + kRefOffset); }

std::optional<TicketId> parse_ref(std::string_view ref)
{
    if (ref.size() > 3 && (ref.substr(0, 3) == "LL-" || ref.substr(0, 3) == "ll-")) ref.remove_prefix(3);
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), n);
    if (ec != std::errc() || end != ref.data() + ref.size() || n <= kRefOffset) return std::nullopt;
    return TicketId{n - kRefOffset};
}

core::Result<std::string> validated_body(std::string_view body)
{
    if (!core::is_valid_utf8(body)) return core::Error::invalid("the message is not valid UTF-8", {{"body", "must be valid UTF-8"}});
    auto text = core::trim(body);
    if (text.empty()) return core::Error::invalid("the message is empty", {{"body", "is required"}});
    if (text.size() > kMaxBody) return core::Error::invalid("the message is too long", {{"body", "must be at most 100000 characters"}});
    return text;
}

core::Result<ValidNewTicket> validated(const NewTicket& in)
{
    std::vector<core::FieldError> errors;
    ValidNewTicket out{};
    auto utf8 = [&](std::string_view field, const std::string& value) {
        if (core::is_valid_utf8(value)) return true;
        errors.push_back({std::string(field), "must be valid UTF-8"});
        return false;
    };
    if (utf8("subject", in.subject)) {
        out.subject = core::trim(in.subject);
        if (out.subject.empty()) errors.push_back({"subject", "is required"});
        if (out.subject.size() > kMaxSubject) errors.push_back({"subject", "must be at most 300 characters"});
        if (out.subject.find_first_of("\r\n") != std::string::npos) errors.push_back({"subject", "must be one line"});
    }
    if (auto body = validated_body(in.body)) {
        out.body = std::move(body).value();
    } else {
        errors.insert(errors.end(), body.error().fields().begin(), body.error().fields().end());
    }
    if (auto p = plan::parse_priority(core::trim(in.priority))) {
        out.priority = *p;
    } else {
        errors.push_back({"priority", "must be one of P1, P2, P3, P4"});
    }
    if (utf8("requester.email", in.requester_email)) {
        out.requester_email = core::ascii_lower(core::trim(in.requester_email));
        if (!core::looks_like_email(out.requester_email)) errors.push_back({"requester.email", "is not a valid email address"});
    }
    if (utf8("requester.name", in.requester_name)) {
        out.requester_name = core::trim(in.requester_name);
        if (out.requester_name.size() > 200) errors.push_back({"requester.name", "must be at most 200 characters"});
    }
    out.organization = core::trim(in.organization);
    out.channel = in.channel;
    if (!errors.empty()) return core::Error::invalid("the ticket is not valid", std::move(errors));
    return out;
}

}  // namespace lifeline::ticket
