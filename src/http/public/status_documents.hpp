// The Statuspage-compatible public API v2 (/api/v2/*.json), rendered once per change from the status service's
// snapshot into a DocumentCache and served from memory.
#pragma once

#include "http/public/document_cache.hpp"
#include "status/status_service.hpp"

#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <mutex>

namespace lifeline::http {

// The `page` object heading every document.
struct PageInfo {
    std::string id = "lifeline";
    std::string name;
    std::string url;  // the desk's public URL, without a trailing slash
    std::string time_zone = "Etc/UTC";
};

// The documents, by their path under /api/v2/ ("summary.json", "incidents/unresolved.json", …), rendered from one
// snapshot. Pure: no I/O.
std::map<std::string, boost::json::value> render_status_documents(const PageInfo& page, const status::Snapshot& s);

class StatusDocuments {
public:
    StatusDocuments(status::StatusService& service, const core::Clock& clock, PageInfo page)
        : service_(service), clock_(clock), page_(std::move(page))
    {
    }

    // Reads a snapshot, renders every document (the JSON ones and the HTML pages and feeds of status_pages.hpp) and
    // installs them. Called at start and after each commit that
    // changed the page (StatusService's `changed`); calls are serialised, so the last one installs the newest state.
    // On a read failure the previous documents stay. Runs on the calling thread (reads use a pooled connection).
    core::Status rebuild();

    const DocumentCache& cache() const { return cache_; }

    // Rebuilds when the last build is older than `age`, so that what time alone changes (today's uptime bar, a new
    // day, the monitors' hourly counts) shows without a write. Returns 1 when it rebuilt, else 0. For a timer tick.
    core::Result<int> refresh(std::chrono::steady_clock::duration age);

private:
    status::StatusService& service_;
    const core::Clock& clock_;
    PageInfo page_;
    std::mutex rebuild_mutex_;
    DocumentCache cache_;
    std::atomic<std::chrono::steady_clock::rep> built_at_{0};  // steady_clock ticks of the last build
};

}  // namespace lifeline::http
