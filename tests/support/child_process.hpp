// Test support: what the stand-ins that tests talk to (the SMTP sink, the Twilio stand-in, Alertmanager) are built
// on: a fresh temporary directory, a child process that cannot outlive the test, and the Python to run scripts with.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace lifeline::testing {

// A fresh directory /tmp/<prefix>-XXXXXX, removed with everything in it when the object goes away.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "lifeline-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// The interpreter for the Python scripts under tests/support: the env var LIFELINE_PYTHON if set, else
// /usr/bin/python3 when it exists (Debian's, with the python3-* packages scripts/setup installs), else python3.
std::string python_interpreter();

// The path of a script under tests/support: the env var `env_var` if set, else `built_in` (the compile definition
// of the library that runs it; null when there is none). Throws std::runtime_error, naming `env_var`, if neither.
std::string support_script(const char* env_var, const char* built_in, const std::string& file_name);

// Calls `done` every `interval` until it returns true (then true) or `timeout` has passed (then false).
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(20));

// One child process (fork and exec, argv[0] looked up in PATH when it has no slash) until stop() or destruction.
// The child gets SIGKILL if the thread that started it dies (PR_SET_PDEATHSIG), so a crashed test leaves nothing
// running. Not thread-safe.
class ChildProcess {
public:
    // `name` starts the message of everything it throws (std::runtime_error), e.g. "SmtpSink".
    explicit ChildProcess(std::string name) : name_(std::move(name)) {}
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Starts `argv` (stopping a running child first). Without a `log_path`, the child's stdout is a pipe for
    // read_port() and its stdin and stderr are the test's; with one, its stdin is /dev/null and its stdout and
    // stderr are appended to that file.
    void start(std::vector<std::string> argv, const std::string& log_path = {});
    // Reads the child's stdout until a whole line with `marker` followed by a port number has come, then closes the
    // pipe and returns the port. If none comes within `timeout` (or the child closes its stdout first), stops the
    // child and throws, with what it printed.
    int read_port(std::string_view marker, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // True while the child has been started, not stopped, and has not exited (checked without reaping it).
    bool running() const;
    // SIGTERM and wait (SIGKILL after 5 s). Does nothing when no child is running.
    void stop();

private:
    std::string name_;
    std::vector<std::string> argv_;
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
};

}  // namespace lifeline::testing
