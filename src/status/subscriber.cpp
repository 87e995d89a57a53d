#include "status/subscriber.hpp"

#include "core/text.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace lifeline::status {

std::string_view to_string(SubscriberChannel channel)
{
    switch (channel) {
    case SubscriberChannel::Email: return "email";
    case SubscriberChannel::Sms: return "sms";
    case SubscriberChannel::Webhook: return "webhook";
    }
    return "email";
}

std::optional<SubscriberChannel> parse_subscriber_channel(std::string_view text)
{
    if (text == "email") return SubscriberChannel::Email;
    if (text == "sms") return SubscriberChannel::Sms;
    if (text == "webhook") return SubscriberChannel::Webhook;
    return std::nullopt;
}

std::string_view to_string(SubscriberState state)
{
    switch (state) {
    case SubscriberState::Pending: return "pending";
    case SubscriberState::Active: return "active";
    case SubscriberState::Disabled: return "disabled";
    }
    return "pending";
}

SubscriberState parse_subscriber_state(std::string_view text)
{
    if (text == "active") return SubscriberState::Active;
    if (text == "disabled") return SubscriberState::Disabled;
    return SubscriberState::Pending;
}

bool Subscriber::wants(const std::vector<std::int64_t>& components) const
{
    if (all_components) return true;
    return std::any_of(components.begin(), components.end(), [&](std::int64_t c) {
        return std::find(component_ids.begin(), component_ids.end(), c) != component_ids.end();
    });
}

namespace {

core::Error bad_address(std::string message)
{
    return core::Error::invalid("the subscription is not valid", {{"address", std::move(message)}});
}

core::Result<std::string> normalise_phone(std::string_view text)
{
    std::string out;
    for (char c : core::trim(text)) {
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
        out.push_back(c);
    }
    const bool digits =
        out.size() > 1 && std::all_of(out.begin() + 1, out.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (out.empty() || out.front() != '+' || !digits || out.size() < 9 || out.size() > 16 || out[1] == '0')
        return bad_address("enter the phone number in international format, such as +44 20 7946 0958");
    return out;
}

core::Result<std::string> normalise_url(std::string_view text)
{
    auto url = core::trim(text);
    auto lower = core::ascii_lower(url.substr(0, 8));
    std::size_t host_start = 0;
    if (lower.rfind("https://", 0) == 0)
        host_start = 8;
    else if (lower.rfind("http://", 0) == 0)
        host_start = 7;
    else
        return bad_address("the webhook URL must start with https:// or http://");
    if (url.size() > 2000) return bad_address("the webhook URL is longer than 2000 characters");
    if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; }))
        return bad_address("the webhook URL must not contain spaces or control characters");
    auto host_end = url.find_first_of("/?#", host_start);
    if (host_end == std::string::npos) host_end = url.size();
    if (host_end == host_start) return bad_address("the webhook URL has no host");
    return url;
}

std::string status_words(IncidentStatus status)
{
    auto s = std::string(to_string(status));
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string affected_names(const std::vector<AffectedComponent>& affected)
{
    std::string out;
    for (const auto& a : affected) {
        if (!out.empty()) out += ", ";
        out += a.name;
    }
    return out;
}

// The SMS text: one 160-character segment when the link leaves room, the prose cut to fit (never below 60
// characters) and the unsubscribe link whole at the end.
std::string sms_text(const PageIdentity& page, const std::string& headline, const std::string& body,
                     const std::string& unsubscribe)
{
    const auto tail = " Stop: " + unsubscribe;
    auto text = page.name + ": " + headline + ". " + body;
    constexpr std::size_t kSegment = 160;
    const std::size_t room = tail.size() + 63 < kSegment ? kSegment - tail.size() : 60;
    if (text.size() > room) {
        std::size_t cut = room - 3;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
            --cut;
        text = text.substr(0, cut) + "...";
    }
    return text + tail;
}

std::string webhook_json(const PageIdentity& page, const PublicIncident& incident, const PublicUpdate& update,
                         const std::string& unsubscribe)
{
    namespace js = boost::json;
    js::array affected;
    for (const auto& a : update.affected)
        affected.push_back(js::object{{"code", std::to_string(a.component_id)},
                                      {"name", a.name},
                                      {"old_status", to_string(a.old_status)},
                                      {"new_status", to_string(a.new_status)}});
    js::object u{{"id", std::to_string(update.id)},
                 {"incident_id", std::to_string(incident.id)},
                 {"status", to_string(update.status)},
                 {"body", update.body},
                 {"created_at", core::format_rfc3339(update.created_at)},
                 {"updated_at", core::format_rfc3339(update.created_at)},
                 {"display_at", core::format_rfc3339(update.created_at)},
                 {"affected_components", std::move(affected)}};
    js::array components;
    for (auto id : incident.component_ids)
        components.push_back(js::value(std::to_string(id)));
    js::object i{{"id", std::to_string(incident.id)},
                 {"name", incident.name},
                 {"status", to_string(incident.status)},
                 {"impact", to_string(incident.impact)},
                 {"shortlink", page.incident_url(incident.id)},
                 {"created_at", core::format_rfc3339(incident.created_at)},
                 {"updated_at", core::format_rfc3339(incident.updated_at)},
                 {"started_at", core::format_rfc3339(incident.started_at)},
                 {"resolved_at",
                  incident.resolved_at ? js::value(core::format_rfc3339(*incident.resolved_at)) : js::value(nullptr)},
                 {"component_ids", std::move(components)},
                 {"incident_updates", js::array{std::move(u)}}};
    js::object body{{"meta", js::object{{"unsubscribe", unsubscribe}}},
                    {"page", js::object{{"name", page.name}, {"url", page.public_url + "/status"}}},
                    {"incident", std::move(i)}};
    return js::serialize(body);
}

// An email about one update: the subject names the page, the incident or maintenance and its status; the body ends
// with where to follow it and the unsubscribe link, which the List-Unsubscribe headers (RFC 8058) repeat.
UpdateMessage email_text(const PageIdentity& page, const std::string& name, const std::string& status,
                         const std::string& body, const std::string& affected, const std::string& follow,
                         const std::string& unsubscribe)
{
    UpdateMessage m;
    m.subject = "[" + page.name + "] " + name + ": " + status;
    m.body = status + ": " + body + "\n\n";
    if (!affected.empty()) m.body += "Affected: " + affected + "\n";
    m.body += follow + "\n\n-- \nYou receive this because you subscribed to updates from " + page.name +
              ".\nUnsubscribe: " + unsubscribe + "\n";
    m.headers = {"List-Unsubscribe: <" + unsubscribe + ">", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"};
    return m;
}

std::string maintenance_webhook_json(const PageIdentity& page, const Maintenance& maintenance,
                                     const MaintenanceUpdate& update, const std::string& unsubscribe)
{
    namespace js = boost::json;
    js::array components;
    for (auto id : maintenance.component_ids)
        components.push_back(js::value(std::to_string(id)));
    js::object u{{"id", std::to_string(update.id)},
                 {"incident_id", std::to_string(maintenance.id)},
                 {"status", to_string(update.status)},
                 {"body", update.body},
                 {"created_at", core::format_rfc3339(update.created_at)}};
    js::object m{{"id", std::to_string(maintenance.id)},
                 {"name", maintenance.name},
                 {"status", to_string(maintenance.status)},
                 {"impact", "maintenance"},
                 {"shortlink", page.maintenance_url(maintenance.id)},
                 {"scheduled_for", core::format_rfc3339(maintenance.scheduled_for)},
                 {"scheduled_until", core::format_rfc3339(maintenance.scheduled_until)},
                 {"component_ids", std::move(components)},
                 {"incident_updates", js::array{std::move(u)}}};
    js::object body{{"meta", js::object{{"unsubscribe", unsubscribe}}},
                    {"page", js::object{{"name", page.name}, {"url", page.public_url + "/status"}}},
                    {"scheduled_maintenance", std::move(m)}};
    return js::serialize(body);
}

}  // namespace

core::Result<std::string> normalise_address(SubscriberChannel channel, std::string_view address)
{
    if (core::trim(address).empty()) return bad_address("is required");
    if (!core::is_valid_utf8(address)) return bad_address("is not valid text");
    switch (channel) {
    case SubscriberChannel::Email: {
        auto email = core::ascii_lower(core::trim(address));
        if (!core::looks_like_email(email))
            return bad_address("\"" + email.substr(0, 100) + "\" is not an email address, such as name@example.com");
        return email;
    }
    case SubscriberChannel::Sms: return normalise_phone(address);
    case SubscriberChannel::Webhook: return normalise_url(address);
    }
    return bad_address("unknown channel");
}

int ChannelRates::per_second(SubscriberChannel channel) const
{
    switch (channel) {
    case SubscriberChannel::Email: return email_per_second;
    case SubscriberChannel::Sms: return sms_per_second;
    case SubscriberChannel::Webhook: return webhook_per_second;
    }
    return 1;
}

core::UtcTime paced(const ChannelRates& rates, SubscriberChannel channel, std::int64_t index, core::UtcTime start)
{
    const auto rate = std::max(1, rates.per_second(channel));
    return start + std::chrono::milliseconds(index * 1000 / rate);
}

UpdateMessage update_message(const PageIdentity& page, const Subscriber& subscriber, const PublicIncident& incident,
                             const PublicUpdate& update)
{
    const auto unsubscribe = page.unsubscribe_url(subscriber.token);
    UpdateMessage m;
    switch (subscriber.channel) {
    case SubscriberChannel::Email:
        m = email_text(page, incident.name, status_words(update.status), update.body, affected_names(update.affected),
                       "Follow this incident: " + page.incident_url(incident.id), unsubscribe);
        break;
    case SubscriberChannel::Sms:
        m.body = sms_text(page, incident.name + " - " + status_words(update.status), update.body, unsubscribe);
        break;
    case SubscriberChannel::Webhook: m.body = webhook_json(page, incident, update, unsubscribe); break;
    }
    return m;
}

UpdateMessage confirmation_message(const PageIdentity& page, std::string_view confirm_token,
                                   std::string_view unsubscribe_token)
{
    UpdateMessage m;
    m.subject = "Confirm your subscription to " + page.name;
    m.body = "Someone, hopefully you, asked to receive status updates from " + page.name +
             " at this address.\n\nTo confirm, open this link and press the button:\n" +
             page.confirm_url(confirm_token) +
             "\n\nIf it was not you, ignore this email: nothing will be sent unless the subscription is confirmed.\n";
    m.headers = {"List-Unsubscribe: <" + page.unsubscribe_url(unsubscribe_token) + ">",
                 "List-Unsubscribe-Post: List-Unsubscribe=One-Click"};
    return m;
}

UpdateMessage maintenance_message(const PageIdentity& page, const Subscriber& subscriber,
                                  const Maintenance& maintenance, const MaintenanceUpdate& update)
{
    const auto unsubscribe = page.unsubscribe_url(subscriber.token);
    const auto name = "Scheduled maintenance: " + maintenance.name;
    const auto status = maintenance.cancelled ? std::string("Cancelled") : std::string(label(update.status));
    const auto window = " (" + core::format_rfc3339(maintenance.scheduled_for) + " to " +
                        core::format_rfc3339(maintenance.scheduled_until) + ")";
    UpdateMessage m;
    switch (subscriber.channel) {
    case SubscriberChannel::Email:
        m = email_text(page, name, status, update.body + window, affected_names(update.affected),
                       "Details: " + page.maintenance_url(maintenance.id), unsubscribe);
        break;
    case SubscriberChannel::Sms:
        m.body = sms_text(page, name + window + " - " + status, update.body, unsubscribe);
        break;
    case SubscriberChannel::Webhook: m.body = maintenance_webhook_json(page, maintenance, update, unsubscribe); break;
    }
    return m;
}

}  // namespace lifeline::status
