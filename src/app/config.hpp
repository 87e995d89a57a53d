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

    std::string database_path() const { return data_dir + "/lifeline.db"; }
};

// Parses "HOST:PORT" (IPv6 as "[::1]:8080"). Errors: InvalidArgument.
core::Status parse_listen(std::string_view text, Config& config);

// Reads the TOML file and applies its keys (listen, data_dir, log_level, max_body_bytes, threads, desk_name,
// access_log, read_timeout_seconds, idle_timeout_seconds) to `config`, except those in `already_set`. Errors:
// InvalidArgument naming the file and line.
core::Status apply_config_file(const std::string& path, Config& config, const std::vector<std::string>& already_set);

}  // namespace lifeline::app
