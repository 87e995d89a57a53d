#include "app/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>

namespace lifeline::app {

core::Status parse_listen(std::string_view text, Config& config)
{
    return parse_host_port(text, config.listen_host, config.listen_port);
}

core::Status parse_host_port(std::string_view text, std::string& host_out, std::uint16_t& port_out)
{
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return core::Error::invalid("--listen must be HOST:PORT, e.g. 127.0.0.1:8080, not '" + std::string(text) + "'");
    auto host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    auto port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
        return core::Error::invalid("--listen has a bad port '" + std::string(port_text) + "'");
    host_out = std::string(host);
    port_out = static_cast<std::uint16_t>(port);
    return core::Ok{};
}

core::Status apply_config_file(const std::string& path, Config& config, const std::vector<std::string>& already_set)
{
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return core::Error::invalid("config file " + path + " line " + std::to_string(e.source().begin.line) + ": " +
                                    std::string(e.description()));
    }
    auto set = [&](std::string_view key) {
        return std::find(already_set.begin(), already_set.end(), key) != already_set.end();
    };
    for (auto&& [key, node] : table) {
        std::string name(key.str());
        if (set(name)) continue;
        auto bad = [&](std::string_view want) {
            return core::Error::invalid("config file " + path + ": '" + name + "' must be " + std::string(want));
        };
        if (name == "listen") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string HOST:PORT");
            if (auto ok = parse_listen(*v, config); !ok) return ok.error();
        } else if (name == "data_dir") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string");
            config.data_dir = *v;
        } else if (name == "log_level") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string");
            config.log_level = *v;
        } else if (name == "desk_name") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string");
            config.desk_name = *v;
        } else if (name == "max_body_bytes") {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 1024) return bad("an integer of at least 1024");
            config.max_body_bytes = static_cast<std::uint64_t>(*v);
        } else if (name == "threads") {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 0 || *v > 256) return bad("an integer from 0 to 256");
            config.threads = static_cast<int>(*v);
        } else if (name == "read_timeout_seconds" || name == "idle_timeout_seconds") {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 1 || *v > 3600) return bad("an integer from 1 to 3600");
            (name == "read_timeout_seconds" ? config.read_timeout_seconds : config.idle_timeout_seconds) =
                static_cast<int>(*v);
        } else if (name == "lmtp_listen") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string HOST:PORT");
            if (auto ok = parse_host_port(*v, config.lmtp_host, config.lmtp_port); !ok) return ok.error();
        } else if (name == "smtp_relay" || name == "smtp_username" || name == "smtp_password" || name == "mail_from" ||
                   name == "unknown_senders") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string");
            if (name == "smtp_relay") config.smtp_relay = *v;
            if (name == "smtp_username") config.smtp_username = *v;
            if (name == "smtp_password") config.smtp_password = *v;
            if (name == "mail_from") config.mail_from = *v;
            if (name == "unknown_senders") {
                if (*v != "create" && *v != "hold") return bad("\"create\" or \"hold\"");
                config.unknown_senders = *v;
            }
        } else if (name == "public_url" || name == "twilio_base_url" || name == "twilio_account_sid" ||
                   name == "twilio_auth_token" || name == "twilio_from") {
            auto v = node.value<std::string>();
            if (!v) return bad("a string");
            if ((name == "public_url" || name == "twilio_base_url") && !v->empty() && !v->starts_with("http://") &&
                !v->starts_with("https://"))
                return bad("an http:// or https:// URL");
            if (name == "public_url") config.public_url = *v;
            if (name == "twilio_base_url") config.twilio_base_url = *v;
            if (name == "twilio_account_sid") config.twilio_account_sid = *v;
            if (name == "twilio_auth_token") config.twilio_auth_token = *v;
            if (name == "twilio_from") config.twilio_from = *v;
        } else if (name == "smtp_starttls") {
            auto v = node.value<bool>();
            if (!v) return bad("true or false");
            config.smtp_starttls = *v;
        } else if (name == "max_email_bytes") {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 1024) return bad("an integer of at least 1024");
            config.max_email_bytes = static_cast<std::uint64_t>(*v);
        } else if (name == "acknowledgements_per_sender_per_hour" || name == "outbox_max_attempts" ||
                   name == "outbox_retry_base_seconds") {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 1 || *v > 100000) return bad("a positive integer");
            if (name == "acknowledgements_per_sender_per_hour")
                config.acknowledgements_per_sender_per_hour = static_cast<int>(*v);
            if (name == "outbox_max_attempts") config.outbox_max_attempts = static_cast<int>(*v);
            if (name == "outbox_retry_base_seconds") config.outbox_retry_base_seconds = static_cast<int>(*v);
        } else if (name == "subscriber_emails_per_second" || name == "subscriber_sms_per_second" ||
                   name == "subscriber_webhooks_per_second") {
            auto v = node.value<std::int64_t>();
            if (!v || *v < 1 || *v > 1000000) return bad("a positive integer");
            if (name == "subscriber_emails_per_second") config.subscriber_emails_per_second = static_cast<int>(*v);
            if (name == "subscriber_sms_per_second") config.subscriber_sms_per_second = static_cast<int>(*v);
            if (name == "subscriber_webhooks_per_second") config.subscriber_webhooks_per_second = static_cast<int>(*v);
        } else if (name == "access_log") {
            auto v = node.value<bool>();
            if (!v) return bad("true or false");
            config.access_log = *v;
        } else {
            return core::Error::invalid("config file " + path + ": unknown key '" + name + "'");
        }
    }
    return core::Ok{};
}

}  // namespace lifeline::app
