#include "support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lifeline::testing {

namespace {

// Waits up to `timeout` for the child to exit; true if it did (and was reaped).
bool reap(pid_t pid, std::chrono::milliseconds timeout)
{
    const auto exited = [pid] {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        return r == pid || (r < 0 && errno == ECHILD);
    };
    return wait_until(exited, timeout, std::chrono::milliseconds(10));
}

}  // namespace

TempDir::TempDir(const std::string& prefix)
{
    std::string pattern = "/tmp/" + prefix + "-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string python_interpreter()
{
    if (const char* path = std::getenv("LIFELINE_PYTHON"); path && *path) return path;
    if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
    return "python3";
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(interval);
    }
}

std::string support_script(const char* env_var, const char* built_in, const std::string& file_name)
{
    if (const char* path = std::getenv(env_var); path && *path) return path;
    if (built_in) return built_in;
    throw std::runtime_error(std::string("set ") + env_var + " to the path of tests/support/" + file_name);
}

void ChildProcess::start(std::vector<std::string> argv, const std::string& log_path)
{
    stop();
    argv_ = std::move(argv);
    std::vector<char*> args;
    for (auto& arg : argv_)
        args.push_back(arg.data());
    args.push_back(nullptr);

    // The child's stdout (and with a log, its stderr) goes to `out`; without a log, we read `in`.
    int in = -1;
    int out = -1;
    if (log_path.empty()) {
        int out_pipe[2];
        if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(name_ + ": pipe failed");
        in = out_pipe[0];
        out = out_pipe[1];
    } else {
        out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (out < 0) throw std::runtime_error(name_ + ": cannot open " + log_path);
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) {
        if (in >= 0) ::close(in);
        ::close(out);
        throw std::runtime_error(name_ + ": fork failed");
    }
    if (pid_ == 0) {
        // If the test dies (a crash, a ctest timeout), take the child with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        if (!log_path.empty()) {
            int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (null_fd >= 0) ::dup2(null_fd, 0);
            ::dup2(out, 2);
        }
        ::dup2(out, 1);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(out);
    stdout_fd_ = in;
}

int ChildProcess::read_port(std::string_view marker, std::chrono::milliseconds timeout)
{
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int port = 0;
    while (port == 0 && stdout_fd_ >= 0) {
        if (std::chrono::steady_clock::now() > deadline) break;
        pollfd p{stdout_fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buffer[256];
        auto n = ::read(stdout_fd_, buffer, sizeof buffer);
        if (n <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(n));
        if (auto at = seen.find(marker); at != std::string::npos && seen.find('\n', at) != std::string::npos)
            port = std::stoi(seen.substr(at + marker.size()));
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
    if (port == 0) {
        stop();
        const std::string command = argv_.empty() ? std::string() : argv_[0] + (argv_.size() > 1 ? " " + argv_[1] : "");
        throw std::runtime_error(name_ + ": " + command + " did not start listening (stdout: \"" + seen +
                                 "\"; see stderr)");
    }
    return port;
}

bool ChildProcess::running() const
{
    if (pid_ <= 0) return false;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
    return info.si_pid == 0;
}

void ChildProcess::stop()
{
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!reap(pid_, std::chrono::seconds(5))) {
        ::kill(pid_, SIGKILL);
        reap(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
}

}  // namespace lifeline::testing
