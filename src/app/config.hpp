// Server configuration: defaults, overridden by the TOML file, then by LIFELINE_* variables and flags.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <string>

namespace lifeline::app {

struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::string data_dir = "data";
    std::string config_file;
    std::string log_level = "info";
    std::uint64_t max_body_bytes = 1024 * 1024;
    int threads = 0;  // 0: one per core
    std::string desk_name = "Lifeline Support";
    bool access_log = true;
    int read_timeout_seconds = 15;  // for a whole request once it has started
    int idle_timeout_seconds = 60;  // between requests on a keep-alive connection

    // Email (issue B). Outbound mail is on when smtp_relay and mail_from are set.
    std::string lmtp_host;  // empty: no LMTP listener
    std::uint16_t lmtp_port = 0;
    std::string smtp_relay;  // smtp://host:port or smtps://host:port
    std::string smtp_username;
    std::string smtp_password;
    bool smtp_starttls = false;
    std::string mail_from;                   // "support@desk.example"
    std::string unknown_senders = "create";  // "create" a contact, or "hold" for review
    std::uint64_t max_email_bytes = 50 * 1024 * 1024;
    int acknowledgements_per_sender_per_hour = 5;
    int outbox_max_attempts = 8;
    int outbox_retry_base_seconds = 30;

    // Paging (issue C). SMS and voice pages are on when the Twilio account, token and From number are set.
    std::string public_url;  // "https://desk.example"; empty: http://<listen address>
    std::string twilio_base_url = "https://api.twilio.com";
    std::string twilio_account_sid;
    std::string twilio_auth_token;
    std::string twilio_from;

    // Status page subscribers (issue E): how fast one public update's messages go out, per channel.
    int subscriber_emails_per_second = 2000;
    int subscriber_sms_per_second = 10;
    int subscriber_webhooks_per_second = 50;

    std::string database_path() const { return data_dir + "/lifeline.db"; }
};

// Parses "HOST:PORT" (IPv6 as "[::1]:8080"). Errors: InvalidArgument.
core::Status parse_listen(std::string_view text, Config& config);
core::Status parse_host_port(std::string_view text, std::string& host, std::uint16_t& port);

// Reads the TOML file and applies its keys (listen, data_dir, log_level, max_body_bytes, threads, desk_name,
// access_log, read_timeout_seconds, idle_timeout_seconds, and the email keys: lmtp_listen, smtp_relay, smtp_username,
// smtp_password, smtp_starttls, mail_from, unknown_senders, max_email_bytes, acknowledgements_per_sender_per_hour,
// outbox_max_attempts, outbox_retry_base_seconds, and the paging keys: public_url, twilio_base_url,
// twilio_account_sid, twilio_auth_token, twilio_from, and the status page's subscriber_emails_per_second,
// subscriber_sms_per_second, subscriber_webhooks_per_second) to `config`, except those in `already_set`. Errors:
// InvalidArgument naming the file and line.
core::Status apply_config_file(const std::string& path, Config& config, const std::vector<std::string>& already_set);

}  // namespace lifeline::app
