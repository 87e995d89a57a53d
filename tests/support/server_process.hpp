// Test support: runs the real lifeline binary on a random loopback port with a fresh data dir,
// and speaks HTTP to it.
#pragma once

#include "support/child_process.hpp"

#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace lifeline::testing {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// `lifeline init` on a fresh data dir; returns the admin's API token (the last line of its output).
std::string init_desk(const std::string& data_dir, const std::string& admin_email);
// `lifeline token create` for the user; returns the token.
std::string create_token(const std::string& data_dir, const std::string& email);

// Path of the lifeline binary under test (LIFELINE_BIN from the environment).
std::string lifeline_binary();

// Runs the binary with `args` to completion, capturing stdout and stderr.
CommandResult run_lifeline(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& name) const;
};

// One HTTP/1.1 request to 127.0.0.1:`port` on a fresh connection, with `headers` (Host is 127.0.0.1 unless they set
// it), read to the end (a HEAD's without a body). Throws if it cannot connect or the answer is not HTTP.
HttpResponse http_request(int port, const std::string& method, const std::string& target, const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

// A running `lifeline <command> --listen 127.0.0.1:0 --data-dir DIR`; SIGTERM and wait on destruction.
class ServerProcess {
public:
    // command: "serve" or "demo". Waits until the server prints its listening line.
    ServerProcess(const std::string& command, const std::string& data_dir, std::vector<std::string> extra = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    // The LMTP port when the server was started with --lmtp-listen 127.0.0.1:0; 0 otherwise.
    int lmtp_port() const { return lmtp_port_; }
    pid_t pid() const { return pid_; }

    // Sends SIGTERM and waits; returns the exit status (or -1 if killed by a signal).
    int stop();
    // Sends SIGKILL and waits.
    void kill_hard();

    HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                         const std::map<std::string, std::string>& headers = {}) const;
    HttpResponse get(const std::string& target, const std::string& token = {}) const;
    HttpResponse post_json(const std::string& target, const std::string& json, const std::string& token,
                           const std::map<std::string, std::string>& headers = {}) const;

private:
    pid_t pid_ = -1;
    int port_ = 0;
    int lmtp_port_ = 0;
    int stdout_fd_ = -1;
};

}  // namespace lifeline::testing
