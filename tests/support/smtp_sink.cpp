#include "support/smtp_sink.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lifeline::testing {

namespace {

namespace fs = std::filesystem;

std::string sink_script()
{
    if (const char* path = std::getenv("LIFELINE_SMTP_SINK"); path && *path) return path;
#ifdef LIFELINE_SMTP_SINK_SCRIPT
    return LIFELINE_SMTP_SINK_SCRIPT;
#else
    throw std::runtime_error("SmtpSink: set LIFELINE_SMTP_SINK to the path of tests/support/smtp_sink.py");
#endif
}

std::string python()
{
    if (const char* path = std::getenv("LIFELINE_PYTHON"); path && *path) return path;
    if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
    return "python3";
}

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Waits up to `timeout` for the child to exit; true if it did (and was reaped).
bool reap(pid_t pid, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) : options_(std::move(options))
{
    char pattern[] = "/tmp/lifeline-smtp-sink-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("SmtpSink: mkdtemp failed");
    directory_ = pattern;
    port_ = options_.port;
    try {
        start();
    } catch (...) {
        std::error_code ec;
        fs::remove_all(directory_, ec);
        throw;
    }
}

SmtpSink::~SmtpSink()
{
    stop();
    std::error_code ec;
    fs::remove_all(directory_, ec);
}

void SmtpSink::start()
{
    std::vector<std::string> args{python(), sink_script(), "--dir", directory_, "--port", std::to_string(port_)};
    for (const auto& address : options_.fail_recipients) {
        args.push_back("--fail-rcpt");
        args.push_back(address);
    }
    if (options_.tempfail_first > 0) {
        args.push_back("--tempfail-first");
        args.push_back(std::to_string(options_.tempfail_first));
    }
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("SmtpSink: pipe failed");
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("SmtpSink: fork failed");
    if (pid_ == 0) {
        // If the test dies (a crash, a ctest timeout), take the sink with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        ::dup2(out_pipe[1], 1);
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);

    // The script prints one line, "LISTENING <port>", and nothing else on stdout.
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int listening_port = 0;
    while (listening_port == 0) {
        if (std::chrono::steady_clock::now() > deadline) break;
        pollfd p{out_pipe[0], POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buffer[256];
        auto n = ::read(out_pipe[0], buffer, sizeof buffer);
        if (n <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(n));
        constexpr std::string_view kMarker = "LISTENING ";
        if (auto at = seen.find(kMarker); at != std::string::npos && seen.find('\n', at) != std::string::npos)
            listening_port = std::stoi(seen.substr(at + kMarker.size()));
    }
    ::close(out_pipe[0]);
    if (listening_port == 0) {
        stop();
        throw std::runtime_error("SmtpSink: " + args[0] + " " + args[1] + " did not start listening (stdout: \"" +
                                 seen + "\"; see stderr)");
    }
    port_ = listening_port;
}

void SmtpSink::stop()
{
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!reap(pid_, std::chrono::seconds(5))) {
        ::kill(pid_, SIGKILL);
        reap(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
}

void SmtpSink::restart()
{
    stop();
    start();
}

std::vector<SinkMessage> SmtpSink::messages() const
{
    std::vector<int> numbers;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(directory_, ec)) {
        if (entry.path().extension() != ".json") continue;
        const auto stem = entry.path().stem().string();
        if (stem.empty() || !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        numbers.push_back(std::stoi(stem));
    }
    std::sort(numbers.begin(), numbers.end());

    std::vector<SinkMessage> out;
    for (int number : numbers) {
        const fs::path base = fs::path(directory_) / std::to_string(number);
        const auto envelope = boost::json::parse(read_file(base.string() + ".json")).as_object();
        SinkMessage message;
        message.envelope_from = std::string(envelope.at("mail_from").as_string());
        for (const auto& recipient : envelope.at("rcpt_tos").as_array())
            message.recipients.emplace_back(recipient.as_string());
        message.raw = read_file(base.string() + ".eml");
        out.push_back(std::move(message));
    }
    return out;
}

bool SmtpSink::wait_for(std::size_t count, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (messages().size() >= count) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace lifeline::testing
