// lifeline: command-line parsing only; everything else is in app/.
#include "app/app.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

constexpr const char* kVersion = "0.1.0";

using lifeline::app::Config;

// Options shared by the commands that open a desk. Each is also read from LIFELINE_<NAME>.
struct CommonOptions {
    std::string listen = "127.0.0.1:8080";
    std::string data_dir = "data";
    std::string config;
    std::string log_level = "info";
    CLI::Option* listen_option = nullptr;
    CLI::Option* data_dir_option = nullptr;
    CLI::Option* log_level_option = nullptr;
    std::string lmtp_listen;
    std::string smtp_relay;
    std::string mail_from;
    std::string public_url;
    std::string twilio_url;
    std::string twilio_account_sid;
    std::string twilio_auth_token;
    std::string twilio_from;

    void add_to(CLI::App& command, bool with_listen)
    {
        if (with_listen)
            listen_option =
                command.add_option("--listen", listen, "HOST:PORT to serve HTTP on")->envname("LIFELINE_LISTEN");
        data_dir_option =
            command.add_option("--data-dir", data_dir, "folder holding lifeline.db")->envname("LIFELINE_DATA_DIR");
        command.add_option("--config", config, "TOML configuration file")->envname("LIFELINE_CONFIG");
        log_level_option = command.add_option("--log-level", log_level, "trace, debug, info, warn, error")
                               ->envname("LIFELINE_LOG_LEVEL")
                               ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
        if (with_listen) {
            command
                .add_option("--lmtp-listen", lmtp_listen, "HOST:PORT for the LMTP listener (Postfix lmtp: transport)")
                ->envname("LIFELINE_LMTP_LISTEN");
            command.add_option("--smtp-relay", smtp_relay, "smtp://host:port or smtps://host:port for outbound mail")
                ->envname("LIFELINE_SMTP_RELAY");
            command.add_option("--mail-from", mail_from, "the From address of outbound mail")
                ->envname("LIFELINE_MAIL_FROM");
            command
                .add_option("--public-url", public_url,
                            "the desk's address as people and providers reach it, e.g. https://desk.example")
                ->envname("LIFELINE_PUBLIC_URL");
            command
                .add_option("--twilio-url", twilio_url, "Twilio's REST API base URL (default https://api.twilio.com)")
                ->envname("LIFELINE_TWILIO_URL");
            command
                .add_option("--twilio-account-sid", twilio_account_sid, "Twilio account SID for SMS and voice pages")
                ->envname("LIFELINE_TWILIO_ACCOUNT_SID");
            command.add_option("--twilio-auth-token", twilio_auth_token, "Twilio auth token (prefer the environment)")
                ->envname("LIFELINE_TWILIO_AUTH_TOKEN");
            command.add_option("--twilio-from", twilio_from, "the phone number pages come from, E.164")
                ->envname("LIFELINE_TWILIO_FROM");
        }
    }

    // Builds the config: defaults, then the file, then environment and flags. Returns 0 or a sysexits code.
    int resolve(Config& out) const
    {
        std::vector<std::string> set;
        if (listen_option && listen_option->count()) set.push_back("listen");
        if (data_dir_option->count()) set.push_back("data_dir");
        if (log_level_option->count()) set.push_back("log_level");
        out.data_dir = data_dir;
        out.log_level = log_level;
        if (auto ok = lifeline::app::parse_listen(listen, out); !ok) {
            std::cerr << "lifeline: " << ok.error().message() << std::endl;
            return lifeline::app::kExitUsage;
        }
        if (!config.empty()) {
            out.config_file = config;
            if (auto ok = lifeline::app::apply_config_file(config, out, set); !ok) {
                std::cerr << "lifeline: " << ok.error().message() << std::endl;
                return lifeline::app::kExitConfig;
            }
        }
        if (!lmtp_listen.empty()) {
            if (auto ok = lifeline::app::parse_host_port(lmtp_listen, out.lmtp_host, out.lmtp_port); !ok) {
                std::cerr << "lifeline: --lmtp-listen: " << ok.error().message() << std::endl;
                return lifeline::app::kExitUsage;
            }
        }
        if (!smtp_relay.empty()) out.smtp_relay = smtp_relay;
        if (!mail_from.empty()) out.mail_from = mail_from;
        if (!public_url.empty()) out.public_url = public_url;
        if (!twilio_url.empty()) out.twilio_base_url = twilio_url;
        if (!twilio_account_sid.empty()) out.twilio_account_sid = twilio_account_sid;
        if (!twilio_auth_token.empty()) out.twilio_auth_token = twilio_auth_token;
        if (!twilio_from.empty()) out.twilio_from = twilio_from;
        return 0;
    }
};

}  // namespace

int main(int argc, char** argv)
{
    CLI::App cli{"Lifeline: the emergency-support and incident-response desk"};
    cli.require_subcommand(1);

    CommonOptions serve_options;
    auto* serve = cli.add_subcommand("serve", "serve the desk over HTTP");
    serve_options.add_to(*serve, true);

    CommonOptions demo_options;
    auto* demo = cli.add_subcommand("demo", "serve a desk seeded with demo data (a new temporary data dir by default)");
    demo_options.add_to(*demo, true);

    CommonOptions init_options;
    std::string admin_email;
    std::string admin_name = "Administrator";
    std::string admin_password;
    auto* init = cli.add_subcommand("init", "create the database and the first admin, and print an API token");
    init_options.add_to(*init, false);
    init->add_option("--admin-email", admin_email, "the first admin's email")
        ->required()
        ->envname("LIFELINE_ADMIN_EMAIL");
    init->add_option("--admin-name", admin_name, "the first admin's name")->envname("LIFELINE_ADMIN_NAME");
    init->add_option("--admin-password", admin_password, "a password for signing in to the console (8+ characters)")
        ->envname("LIFELINE_ADMIN_PASSWORD");

    auto* token = cli.add_subcommand("token", "manage API tokens");
    token->require_subcommand(1);
    CommonOptions token_options;
    std::string token_user;
    std::string token_label = "created by lifeline token create";
    auto* token_create = token->add_subcommand("create", "print a new API token for a user");
    token_options.add_to(*token_create, false);
    token_create->add_option("--user", token_user, "the user's email")->required();
    token_create->add_option("--label", token_label, "what the token is for");

    CommonOptions migrate_options;
    auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
    migrate_options.add_to(*migrate, false);

    std::string gate_url;
    std::string gate_token;
    int gate_timeout = 60;
    auto* gate = cli.add_subcommand("mailgate", "post one RFC 5322 message from stdin to a Lifeline server");
    gate->add_option("--url", gate_url, "the server, e.g. http://127.0.0.1:8080")->required()->envname("LIFELINE_URL");
    gate->add_option("--token", gate_token, "an API token of a staff member")->required()->envname("LIFELINE_TOKEN");
    gate->add_option("--timeout", gate_timeout, "seconds to wait for the server")->check(CLI::Range(1, 3600));

    cli.add_subcommand("version", "print the version");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "lifeline: " << e.what() << " (see lifeline --help)" << std::endl;
        return lifeline::app::kExitUsage;
    }

    Config config;
    auto resolved = [&](const CommonOptions& o) { return o.resolve(config); };
    if (cli.got_subcommand("version")) {
        std::cout << "lifeline " << kVersion << std::endl;
        return 0;
    }
    if (serve->parsed()) {
        if (int rc = resolved(serve_options)) return rc;
        return lifeline::app::serve(config);
    }
    if (demo->parsed()) {
        if (int rc = resolved(demo_options)) return rc;
        bool given = demo_options.data_dir_option->count() > 0 || !demo_options.config.empty();
        return lifeline::app::demo(config, given);
    }
    if (init->parsed()) {
        if (int rc = resolved(init_options)) return rc;
        return lifeline::app::init(config, admin_email, admin_name, admin_password);
    }
    if (token_create->parsed()) {
        if (int rc = resolved(token_options)) return rc;
        return lifeline::app::create_token(config, token_user, token_label);
    }
    if (gate->parsed()) return lifeline::app::mailgate(gate_url, gate_token, std::chrono::seconds(gate_timeout));
    if (migrate->parsed()) {
        if (int rc = resolved(migrate_options)) return rc;
        return lifeline::app::migrate(config);
    }
    return lifeline::app::kExitUsage;
}
