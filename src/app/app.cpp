#include "app/app.hpp"

#include "app/desk.hpp"
#include "auth/secrets.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/services.hpp"
#include "intake/email/lmtp_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace lifeline::app {

namespace fs = std::filesystem;

namespace {

void fail_line(const std::string& message)
{
    std::cerr << "lifeline: " << message << std::endl;
}

void setup_logging(const Config& config)
{
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    spdlog::set_pattern("{\"ts\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",\"msg\":\"%v\"}",
                        spdlog::pattern_time_type::utc);
    if (!spdlog::get("access")) {
        auto access = spdlog::stdout_logger_mt("access");
        access->set_pattern("%v");
        access->set_level(config.access_log ? spdlog::level::info : spdlog::level::off);
    }
}

// Runs the server until a signal. `banner` is printed once the listener accepts.
int run_server(const Config& config, Desk& desk, std::string banner)
{
    boost::asio::io_context io;
    http::Metrics metrics;
    http::Router router;
    http::Limits limits;
    limits.body_bytes = config.max_body_bytes;
    limits.read_timeout = std::chrono::seconds(config.read_timeout_seconds);
    limits.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
    // HTTP connections run on the server's own threads, one io_context each; `io` keeps the listeners, LMTP, signals
    // and timers on this thread.
    limits.io_threads = static_cast<std::size_t>(
        config.threads > 0 ? config.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    http::Server server(io, router, metrics, limits);
    http::Services services{desk.auth,
                            desk.tickets,
                            desk.orgs,
                            desk.email,
                            desk.outbox,
                            desk.alerts,
                            desk.schedules,
                            desk.escalations,
                            desk.incidents,
                            desk.monitors,
                            metrics,
                            desk.clock,
                            [&server] { return server.ready(); },
                            config.max_email_bytes,
                            &desk.hub};
    services.status = &desk.status;
    services.maintenances = &desk.maintenances;
    services.subscribers = &desk.subscribers;
    http::add_api_routes(router, services);
    http::add_web_routes(router, services);
    metrics.add_gauge("lifeline_tickets_created_total", "Tickets created since start.", "counter",
                      [&desk] { return static_cast<double>(desk.tickets.created_count()); });
    metrics.add_gauge("lifeline_store_write_queue_depth", "Writes waiting for the next group commit.", "gauge",
                      [&desk] { return static_cast<double>(desk.db->write_queue_depth()); });

    metrics.add_gauge("lifeline_alert_events_total", "Alert events ingested since start.", "counter",
                      [&desk] { return static_cast<double>(desk.alerts.events_count()); });
    metrics.add_gauge("lifeline_http_streams_open", "Server-sent event streams open (live incident rooms).", "gauge",
                      [&server] { return static_cast<double>(server.open_streams()); });
    metrics.add_gauge("lifeline_pages_total", "People paged since start.", "counter",
                      [&desk] { return static_cast<double>(desk.escalations.pages_count()); });
    metrics.add_gauge("lifeline_timers_pending", "Escalation steps and delayed notifications waiting.", "gauge",
                      [&desk] { return static_cast<double>(desk.escalations.pending_jobs()); });
    metrics.add_gauge("lifeline_monitor_checks_total", "Monitor checks recorded since start.", "counter", [&desk] {
        return desk.monitor_worker ? static_cast<double>(desk.monitor_worker->checks_count()) : 0.0;
    });
    metrics.add_gauge("lifeline_outbox_pending", "Outbound messages queued or in flight.", "gauge",
                      [&desk] { return static_cast<double>(desk.outbox.pending()); });
    metrics.add_gauge("lifeline_emails_accepted_total", "Inbound emails accepted since start.", "counter",
                      [&desk] { return static_cast<double>(desk.email.accepted_count()); });

    auto endpoint = server.listen(config.listen_host, config.listen_port);
    if (!endpoint) {
        fail_line(endpoint.error().message());
        return kExitUnavailable;
    }
    std::unique_ptr<intake::email::LmtpServer> lmtp;
    if (!config.lmtp_host.empty()) {
        intake::email::LmtpLimits lmtp_limits;
        lmtp_limits.max_message_bytes = config.max_email_bytes;
        // Postfix delivers over a handful of connections; the cap bounds memory at max_message_bytes each.
        lmtp_limits.max_connections = 64;
        if (!config.mail_from.empty()) lmtp_limits.hostname = config.mail_from.substr(config.mail_from.find('@') + 1);
        lmtp = std::make_unique<intake::email::LmtpServer>(io, desk.email, lmtp_limits);
        auto lmtp_endpoint = lmtp->listen(config.lmtp_host, config.lmtp_port);
        if (!lmtp_endpoint) {
            fail_line("LMTP: " + lmtp_endpoint.error().message());
            return kExitUnavailable;
        }
        lmtp->start();
        banner += "LMTP is listening on " + lmtp_endpoint->address().to_string() + ":" +
                  std::to_string(lmtp_endpoint->port()) + "\n";
    }
    if (!config.smtp_relay.empty() && config.mail_from.empty()) {
        fail_line("--smtp-relay needs a From address: set mail_from in the config or --mail-from");
        return kExitConfig;
    }
    engine::Senders senders;
    senders.identity = mail_identity(config);
    if (!config.smtp_relay.empty()) {
        notify::email::SmtpConfig smtp;
        smtp.url = config.smtp_relay;
        smtp.username = config.smtp_username;
        smtp.password = config.smtp_password;
        smtp.starttls = config.smtp_starttls;
        senders.smtp.emplace(smtp);
    }
    if (auto twilio = twilio_config(config); twilio.enabled()) senders.twilio.emplace(twilio);
    notify::RetryPolicy policy;
    policy.max_attempts = config.outbox_max_attempts;
    policy.base = std::chrono::seconds(config.outbox_retry_base_seconds);
    if (config.public_url.empty()) {
        auto host =
            endpoint->address().is_v6() ? "[" + endpoint->address().to_string() + "]" : endpoint->address().to_string();
        desk.escalator.set_public_url("http://" + host + ":" + std::to_string(endpoint->port()));
    }
    http::PageInfo page;
    page.name = config.desk_name;
    page.url = desk.escalator.settings().public_url;
    desk.subscribers.set_public_url(page.url);
    desk.status_documents = std::make_unique<http::StatusDocuments>(desk.status, desk.clock, std::move(page));
    if (auto built = desk.status_documents->rebuild(); !built) {
        fail_line("the status page could not be rendered: " + built.error().message());
        return kExitUnavailable;
    }
    services.status_documents = desk.status_documents.get();
    desk.outbox_worker = std::make_unique<engine::OutboxWorker>(*desk.db, desk.clock, std::move(senders), policy);
    desk.outbox_worker->start();
    desk.timer_worker = std::make_unique<engine::TimerWorker>(std::vector<engine::TimerWorker::Tick>{
        {"escalation steps",
         [&desk]() -> core::Result<int> {
             auto fx = desk.escalations.run_due_blocking(64);
             if (!fx) return fx.error();
             return fx->steps;
         }},
        {"incident reminders", [&desk] { return desk.incidents.run_due_blocking(); }},
        // Time alone moves the uptime bars (a new day, the monitors' hourly counts): render again every 5 minutes.
        {"status page refresh", [&desk] { return desk.status_documents->refresh(std::chrono::minutes(5)); }},
        {"maintenance windows", [&desk] { return desk.maintenances.run_due_blocking(); }},
        {"status page fan-out", [&desk] { return desk.subscribers.expand_due_blocking(); }}});
    desk.timer_worker->start();
    desk.monitor_worker = std::make_unique<engine::MonitorWorker>(desk.monitors, desk.clock);
    desk.monitor_worker->start();
    server.start();

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        spdlog::info("signal {} received; finishing in-flight requests", signal);
        boost::asio::co_spawn(
            io,
            [&]() -> boost::asio::awaitable<void> {
                // Mail first: once LMTP stops accepting, Postfix queues; then let HTTP requests in flight finish.
                if (lmtp) co_await lmtp->shutdown(std::chrono::seconds(10));
                co_await server.shutdown(std::chrono::seconds(10));
                io.stop();
            },
            boost::asio::detached);
    });

    auto host =
        endpoint->address().is_v6() ? "[" + endpoint->address().to_string() + "]" : endpoint->address().to_string();
    std::cout << banner << "Lifeline is listening on http://" << host << ":" << endpoint->port() << "/" << std::endl;
    spdlog::info("listening on {}:{} with data in {}", host, endpoint->port(), config.data_dir);

    io.run();
    spdlog::info("stopped");
    return kExitOk;
}

}  // namespace

notify::MailIdentity mail_identity(const Config& config)
{
    if (config.smtp_relay.empty() || config.mail_from.empty()) return {};
    return notify::MailIdentity{config.mail_from, config.desk_name};
}

status::SubscriberSettings subscriber_settings(const Config& config)
{
    status::SubscriberSettings s;
    s.page.name = config.desk_name;
    s.page.public_url = config.public_url;
    while (s.page.public_url.ends_with('/'))
        s.page.public_url.pop_back();
    s.identity = mail_identity(config);
    s.sms_enabled = twilio_config(config).enabled();
    s.rates.email_per_second = config.subscriber_emails_per_second;
    s.rates.sms_per_second = config.subscriber_sms_per_second;
    s.rates.webhook_per_second = config.subscriber_webhooks_per_second;
    return s;
}

escalation::PagingSettings paging_settings(const Config& config)
{
    escalation::PagingSettings s;
    s.desk_name = config.desk_name;
    s.public_url = config.public_url;
    while (s.public_url.ends_with('/'))
        s.public_url.pop_back();
    s.sms = twilio_config(config).enabled();
    s.twilio_auth_token = config.twilio_auth_token;
    s.mail = mail_identity(config);
    return s;
}

notify::TwilioConfig twilio_config(const Config& config)
{
    notify::TwilioConfig t;
    t.base_url = config.twilio_base_url;
    t.account_sid = config.twilio_account_sid;
    t.auth_token = config.twilio_auth_token;
    t.from_number = config.twilio_from;
    return t;
}

intake::email::IntakeSettings intake_settings(const Config& config)
{
    intake::email::IntakeSettings s;
    s.unknown_senders = config.unknown_senders == "hold" ? intake::email::UnknownSenders::Hold
                                                         : intake::email::UnknownSenders::CreateContact;
    s.max_message_bytes = config.max_email_bytes;
    s.max_acknowledgements_per_sender_per_hour = config.acknowledgements_per_sender_per_hour;
    return s;
}

std::unique_ptr<Desk> open_desk(const Config& config, MustExist must_exist, int& exit_code)
{
    if (!auth::init_crypto()) {
        fail_line("cannot initialise libsodium");
        exit_code = kExitSoftware;
        return nullptr;
    }
    std::error_code ec;
    fs::path dir(config.data_dir);
    if (must_exist == MustExist::Yes) {
        if (!fs::exists(fs::path(config.database_path()), ec)) {
            fail_line("no database in " + config.data_dir + "; run 'lifeline init --data-dir " + config.data_dir +
                      "' first");
            exit_code = kExitNoInput;
            return nullptr;
        }
    } else if (!fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) {
            fail_line("cannot create data dir " + config.data_dir + ": " + ec.message());
            exit_code = kExitCantCreate;
            return nullptr;
        }
    }
    if (!fs::is_directory(dir, ec)) {
        fail_line("data dir " + config.data_dir + " is not a directory");
        exit_code = kExitCantCreate;
        return nullptr;
    }
    if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
        fail_line("cannot read and write data dir " + config.data_dir + ": " + std::strerror(errno));
        exit_code = kExitCantCreate;
        return nullptr;
    }
    auto db = storage::sqlite::SqliteDatabase::open(config.database_path());
    if (!db) {
        fail_line(db.error().message());
        exit_code = kExitCantCreate;
        return nullptr;
    }
    exit_code = kExitOk;
    return std::make_unique<Desk>(std::move(db).value(), config);
}

int serve(const Config& config)
{
    setup_logging(config);
    int code = 0;
    auto desk = open_desk(config, MustExist::No, code);
    if (!desk) return code;
    if (auto admin = desk->auth.has_admin(); admin && !*admin)
        spdlog::warn("this desk has no admin yet; run 'lifeline init --data-dir {} --admin-email EMAIL'",
                     config.data_dir);
    return run_server(config, *desk, "");
}

int demo(Config config, bool data_dir_given)
{
    setup_logging(config);
    if (!data_dir_given) {
        char pattern[] = "/tmp/lifeline-demo-XXXXXX";
        if (!::mkdtemp(pattern)) {
            fail_line(std::string("cannot create a temporary data dir: ") + std::strerror(errno));
            return kExitCantCreate;
        }
        config.data_dir = pattern;
    }
    int code = 0;
    auto desk = open_desk(config, MustExist::No, code);
    if (!desk) return code;
    std::string banner;
    auto admin = desk->auth.has_admin();
    if (admin && !*admin) {
        auto logins = seed_demo(*desk);
        banner = "Demo data is in " + config.data_dir + "\nSign in with (password: demo-password):\n";
        for (const auto& l : logins)
            banner += "  " + l + "\n";
    } else {
        banner = "Using the existing demo desk in " + config.data_dir + " (password: demo-password)\n";
    }
    return run_server(config, *desk, banner);
}

int init(const Config& config, const std::string& admin_email, const std::string& admin_name,
         const std::string& admin_password)
{
    setup_logging(config);
    int code = 0;
    auto desk = open_desk(config, MustExist::No, code);
    if (!desk) return code;
    auto admin = desk->auth.has_admin();
    if (!admin) {
        fail_line(admin.error().message());
        return kExitUnavailable;
    }
    if (*admin) {
        fail_line("the desk in " + config.data_dir +
                  " already has an admin; use 'lifeline token create' for more tokens");
        return kExitCantCreate;
    }
    auth::User user;
    user.email = admin_email;
    user.name = admin_name;
    user.role = auth::Role::Admin;
    auto id = desk->auth.create_user_blocking(user, admin_password);
    if (!id) {
        std::string detail = id.error().message();
        for (const auto& f : id.error().fields())
            detail += "; " + f.field + " " + f.message;
        fail_line(detail);
        return kExitDataErr;
    }
    auto token = desk->auth.create_token_blocking(admin_email, "created by lifeline init");
    if (!token) {
        fail_line(token.error().message());
        return kExitSoftware;
    }
    std::cout << "Created the desk in " << config.data_dir << " with admin " << admin_email << ".\n"
              << "API token (shown once; use it as 'Authorization: Bearer <token>'):\n"
              << *token << std::endl;
    return kExitOk;
}

int create_token(const Config& config, const std::string& email, const std::string& label)
{
    setup_logging(config);
    int code = 0;
    auto desk = open_desk(config, MustExist::Yes, code);
    if (!desk) return code;
    auto token = desk->auth.create_token_blocking(email, label);
    if (!token) {
        fail_line(token.error().message());
        return token.error().code() == core::ErrorCode::NotFound ? kExitNoUser : kExitUnavailable;
    }
    std::cout << *token << std::endl;
    return kExitOk;
}

int migrate(const Config& config)
{
    setup_logging(config);
    int code = 0;
    auto desk = open_desk(config, MustExist::No, code);
    if (!desk) return code;
    for (const auto& name : desk->db->applied_migrations())
        std::cout << "applied " << name << '\n';
    std::cout << "the schema in " << config.database_path() << " is current" << std::endl;
    return kExitOk;
}

}  // namespace lifeline::app
