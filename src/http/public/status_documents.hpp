// The Statuspage-compatible public API v2 (/api/v2/*.json), rendered once per change from the status service's
// snapshot into a DocumentCache and served from memory.
#pragma once

#include "http/public/document_cache.hpp"
#include "status/status_service.hpp"

#include <boost/json/value.hpp>

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

private:
    status::StatusService& service_;
    const core::Clock& clock_;
    PageInfo page_;
    std::mutex rebuild_mutex_;
    DocumentCache cache_;
};

}  // namespace lifeline::http
