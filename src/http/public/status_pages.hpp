// The public status page in HTML (/status, /status/incidents/{id}) and its feeds (/status/history.atom,
// /status/history.rss), rendered from the status service's snapshot alongside the /api/v2 documents and served from
// the same render-once cache. Server-rendered, no JavaScript; everything people wrote is escaped (HTML or XML).
#pragma once

#include "http/public/status_documents.hpp"
#include "http/response.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace lifeline::http {

// Text for XML content and attribute values: as escape_html (http/response.hpp), and the control characters XML 1.0
// forbids dropped.
std::string escape_xml(std::string_view text);
// "Mon, 23 Nov 2026 09:31:27 +0000", for RSS.
std::string rfc822_date(core::UtcTime t);

struct StatusPageOptions {
    std::string stylesheet = "/static/lifeline.css";  // the stylesheet's URL (with its ?v= version when known)
    core::UtcTime now{};                              // for "resolved in the last 7 days"
};

// The pages and feeds, by cache name: "status" (the page), "status/incidents/<id>" (one per incident in the
// snapshot and its history), "status/history.atom", "status/history.rss", "status/history" (the latest months),
// "status/history/<YYYY-MM>" (one per month with incidents, in the page's time zone), "status/maintenances/<id>"
// (one per maintenance in the snapshot) and "status/maintenance.ics" (iCalendar); each with its content type.
// Pure: no I/O.
std::map<std::string, std::pair<std::string, std::string>>
render_status_pages(const PageInfo& page, const status::Snapshot& s, const StatusPageOptions& options);

// How many months with incidents /status/history shows in full; older months are links to their own page.
inline constexpr std::size_t kHistoryMonthsShown = 3;

// At most this many entries in each feed.
inline constexpr std::size_t kFeedEntries = 50;

}  // namespace lifeline::http
