// Prometheus metrics: request counts and latency histograms per route, plus gauges read at scrape time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::http {

class Metrics {
public:
    // Records one finished request.
    void observe(std::string_view method, std::string_view route, int status, std::chrono::microseconds latency);

    // A value sampled when /metrics is scraped (queue depths, tickets created).
    void add_gauge(std::string name, std::string help, std::string type, std::function<double()> sample);

    // The text exposition format, version 0.0.4.
    std::string render() const;

private:
    struct Series {
        std::map<int, std::uint64_t> by_status;
        std::vector<std::uint64_t> buckets;  // cumulative at render time; raw counts here
        double sum_seconds = 0;
        std::uint64_t count = 0;
    };
    struct Gauge {
        std::string name, help, type;
        std::function<double()> sample;
    };

    // Orders (method, route) keys, and finds one from views without building strings for each request.
    struct KeyLess {
        using is_transparent = void;
        using View = std::pair<std::string_view, std::string_view>;
        static View view(const std::pair<std::string, std::string>& key) { return {key.first, key.second}; }
        static View view(const View& key) { return key; }
        template <class A, class B> bool operator()(const A& a, const B& b) const { return view(a) < view(b); }
    };

    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, Series, KeyLess> series_;
    std::vector<Gauge> gauges_;
};

}  // namespace lifeline::http
