#include "http/metrics.hpp"

#include <array>
#include <sstream>

namespace lifeline::http {

namespace {
constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
}

void Metrics::observe(std::string_view method, std::string_view route, int status, std::chrono::microseconds latency)
{
    double seconds = latency.count() / 1e6;
    std::lock_guard lock(mutex_);
    auto it = series_.find(KeyLess::View{method, route});
    if (it == series_.end()) it = series_.emplace(std::pair{std::string(method), std::string(route)}, Series{}).first;
    auto& s = it->second;
    if (s.buckets.empty()) s.buckets.assign(kBuckets.size(), 0);
    s.by_status[status]++;
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) {
            s.buckets[i]++;
            break;
        }
    s.sum_seconds += seconds;
    s.count++;
}

void Metrics::add_gauge(std::string name, std::string help, std::string type, std::function<double()> sample)
{
    std::lock_guard lock(mutex_);
    gauges_.push_back({std::move(name), std::move(help), std::move(type), std::move(sample)});
}

std::string Metrics::render() const
{
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP lifeline_http_requests_total HTTP requests by route and status.\n"
        << "# TYPE lifeline_http_requests_total counter\n";
    for (const auto& [key, s] : series_)
        for (const auto& [status, n] : s.by_status)
            out << "lifeline_http_requests_total{method=\"" << key.first << "\",route=\"" << key.second
                << "\",status=\"" << status << "\"} " << n << '\n';
    out << "# HELP lifeline_http_request_duration_seconds Time from request read to response written.\n"
        << "# TYPE lifeline_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series_) {
        std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += s.buckets[i];
            out << "lifeline_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} "
                << cumulative << '\n';
        }
        out << "lifeline_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s.count << '\n';
        out << "lifeline_http_request_duration_seconds_sum{" << labels << "} " << s.sum_seconds << '\n';
        out << "lifeline_http_request_duration_seconds_count{" << labels << "} " << s.count << '\n';
    }
    for (const auto& g : gauges_) {
        out << "# HELP " << g.name << ' ' << g.help << '\n' << "# TYPE " << g.name << ' ' << g.type << '\n';
        auto value = g.sample();
        // Counts print as integers: the default stream precision would turn 1000062 into 1.00006e+06.
        if (value == static_cast<double>(static_cast<std::int64_t>(value)))
            out << g.name << ' ' << static_cast<std::int64_t>(value) << '\n';
        else
            out << g.name << ' ' << value << '\n';
    }
    return out.str();
}

}  // namespace lifeline::http
