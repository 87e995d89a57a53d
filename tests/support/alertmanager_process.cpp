#include "support/alertmanager_process.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lifeline::testing {

namespace {

namespace fs = std::filesystem;

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
    write_config();
    // The released port may be taken again before Alertmanager binds it; then it exits and we try another.
    bool started = false;
    for (int attempt = 0; attempt < 5 && !started; ++attempt)
        started = start_on(free_port());
    if (!started)
        throw std::runtime_error("AlertmanagerProcess: Alertmanager did not become ready; its log:\n" + log());
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
    std::ofstream out(fs::path(directory()) / "alertmanager.yml", std::ios::binary);
    out << yaml.str();
    if (!out.flush()) throw std::runtime_error("AlertmanagerProcess: cannot write alertmanager.yml");
}

bool AlertmanagerProcess::start_on(int port)
{
    std::vector<std::string> args{alertmanager_binary(), "--config.file=" + directory() + "/alertmanager.yml",
                                  "--storage.path=" + directory() + "/data",
                                  "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                  "--cluster.listen-address="};
    child_.start(std::move(args), directory() + "/alertmanager.log");
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
    child_.stop();
    return false;
}

HttpResponse AlertmanagerProcess::post_alerts(const std::string& json) const
{
    return http_request(port_, "POST", "/api/v2/alerts", json, {{"Content-Type", "application/json"}});
}

HttpResponse AlertmanagerProcess::request(const std::string& method, const std::string& target,
                                          const std::string& body) const
{
    if (body.empty()) return http_request(port_, method, target);
    return http_request(port_, method, target, body, {{"Content-Type", "application/json"}});
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
    return read_file(fs::path(directory()) / "alertmanager.log");
}

}  // namespace lifeline::testing
