// The composition root: builds the store, services, HTTP edge and runs them; one entry per CLI command.
#pragma once

#include "app/config.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace lifeline::app {

// sysexits(3) codes used by the CLI.
enum Exit : int {
    kExitOk = 0,
    kExitUsage = 64,
    kExitDataErr = 65,
    kExitNoInput = 66,
    kExitNoUser = 67,
    kExitUnavailable = 69,
    kExitSoftware = 70,
    kExitCantCreate = 73,
    kExitTempFail = 75,
    kExitNoPerm = 77,
    kExitConfig = 78,
};

// `lifeline serve`: runs until SIGINT/SIGTERM, then finishes in-flight requests and exits 0.
int serve(const Config& config);

// `lifeline demo`: seeds demo data into a new data dir (a fresh temporary one unless `data_dir_given`),
// prints the URL and demo sign-ins, then serves.
int demo(Config config, bool data_dir_given);

// `lifeline init`: creates the database and the first admin; prints an API token as the last line.
int init(const Config& config, const std::string& admin_email, const std::string& admin_name,
         const std::string& admin_password);

// `lifeline token create`: prints a new API token for the user.
int create_token(const Config& config, const std::string& email, const std::string& label);

// `lifeline mailgate`: posts the message on stdin to URL's raw-email endpoint. 0 when accepted, 75 when the server
// is unreachable or answers 5xx (the MTA keeps the message and retries), 65/77/78 for permanent refusals.
int mailgate(const std::string& url, const std::string& token, std::chrono::seconds timeout);

// `lifeline migrate`: applies pending migrations and lists them.
int migrate(const Config& config);

}  // namespace lifeline::app
