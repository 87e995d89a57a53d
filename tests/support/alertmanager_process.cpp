#include "support/alertmanager_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lifeline::testing {

namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace asio = boost::asio;

std::string alertmanager_binary()
{
    if (const char* path = std::getenv("LIFELINE_ALERTMANAGER"); path && *path) return path;
    return "/usr/bin/prometheus-alertmanager";
}

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A YAML single-quoted scalar: only the quote itself needs escaping (doubled).
std::string yaml_quoted(const std::string& text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

// A loopback port that was free a moment ago (bound to port 0, then released).
int free_port()
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("AlertmanagerProcess: socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("AlertmanagerProcess: cannot find a free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
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

HttpResponse http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                          const std::string& content_type)
{
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(method), target, 11};
    req.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
    if (!content_type.empty()) req.set(beast::http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    beast::http::write(socket, req);
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast::http::read(socket, buffer, parser);
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    beast::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return out;
}

}  // namespace

std::string alertmanager_time(std::chrono::system_clock::time_point at)
{
    using namespace std::chrono;
    const auto millis = duration_cast<milliseconds>(at.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    int fraction = static_cast<int>(millis % 1000);
    if (fraction < 0) {
        fraction += 1000;
        --seconds;
    }
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char text[32];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    char millis_text[8];
    std::snprintf(millis_text, sizeof millis_text, ".%03dZ", fraction);
    return std::string(text, length) + millis_text;
}

AlertmanagerProcess::AlertmanagerProcess(AlertmanagerOptions options) : options_(std::move(options))
{
    if (options_.webhook_url.empty()) throw std::runtime_error("AlertmanagerProcess: webhook_url is required");
    const std::string binary = alertmanager_binary();
    if (::access(binary.c_str(), X_OK) != 0)
        throw std::runtime_error("AlertmanagerProcess: " + binary +
                                 " is not there; install Debian's prometheus-alertmanager (scripts/setup) or set "
                                 "LIFELINE_ALERTMANAGER");
    char pattern[] = "/tmp/lifeline-alertmanager-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("AlertmanagerProcess: mkdtemp failed");
    directory_ = pattern;
    try {
        write_config();
        // The released port may be taken again before Alertmanager binds it; then it exits and we try another.
        bool started = false;
        for (int attempt = 0; attempt < 5 && !started; ++attempt)
            started = start_on(free_port());
        if (!started)
            throw std::runtime_error("AlertmanagerProcess: Alertmanager did not become ready; its log:\n" + log());
    } catch (...) {
        stop();
        std::error_code ec;
        fs::remove_all(directory_, ec);
        throw;
    }
}

AlertmanagerProcess::~AlertmanagerProcess()
{
    stop();
    std::error_code ec;
    fs::remove_all(directory_, ec);
}

void AlertmanagerProcess::write_config() const
{
    std::ostringstream yaml;
    yaml << "route:\n"
         << "  receiver: lifeline\n"
         << "  group_by: [";
    for (std::size_t i = 0; i < options_.group_by.size(); ++i)
        yaml << (i ? ", " : "") << yaml_quoted(options_.group_by[i]);
    yaml << "]\n"
         << "  group_wait: " << options_.group_wait << "\n"
         << "  group_interval: " << options_.group_interval << "\n"
         << "  repeat_interval: " << options_.repeat_interval << "\n"
         << "receivers:\n"
         << "  - name: lifeline\n"
         << "    webhook_configs:\n"
         << "      - url: " << yaml_quoted(options_.webhook_url) << "\n"
         << "        send_resolved: true\n";
    std::ofstream out(fs::path(directory_) / "alertmanager.yml", std::ios::binary);
    out << yaml.str();
    if (!out.flush()) throw std::runtime_error("AlertmanagerProcess: cannot write alertmanager.yml");
}

bool AlertmanagerProcess::start_on(int port)
{
    std::vector<std::string> args{alertmanager_binary(), "--config.file=" + directory_ + "/alertmanager.yml",
                                  "--storage.path=" + directory_ + "/data",
                                  "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                  "--cluster.listen-address="};
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    const std::string log_path = directory_ + "/alertmanager.log";
    int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("AlertmanagerProcess: cannot open " + log_path);
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(log_fd);
        throw std::runtime_error("AlertmanagerProcess: fork failed");
    }
    if (pid_ == 0) {
        // If the test dies (a crash, a ctest timeout), take Alertmanager with it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd >= 0) ::dup2(null_fd, 0);
        ::dup2(log_fd, 1);
        ::dup2(log_fd, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(log_fd);
    port_ = port;

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) break;
        try {
            if (get("/-/ready").status == 200) return true;
        } catch (const std::exception&) {
            // Not listening yet.
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    return false;
}

bool AlertmanagerProcess::running() const
{
    if (pid_ <= 0) return false;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
    return info.si_pid == 0;
}

HttpResponse AlertmanagerProcess::post_alerts(const std::string& json) const
{
    return http_request(port_, "POST", "/api/v2/alerts", json, "application/json");
}

HttpResponse AlertmanagerProcess::request(const std::string& method, const std::string& target,
                                          const std::string& body) const
{
    return http_request(port_, method, target, body, body.empty() ? "" : "application/json");
}

std::optional<double> AlertmanagerProcess::metric(const std::string& series) const
{
    auto res = get("/metrics");
    if (res.status != 200) return std::nullopt;
    std::istringstream lines(res.body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
            return std::strtod(line.c_str() + series.size() + 1, nullptr);
    }
    return std::nullopt;
}

std::string AlertmanagerProcess::log() const
{
    return read_file(fs::path(directory_) / "alertmanager.log");
}

void AlertmanagerProcess::stop()
{
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!reap(pid_, std::chrono::seconds(5))) {
        ::kill(pid_, SIGKILL);
        reap(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
}

}  // namespace lifeline::testing
