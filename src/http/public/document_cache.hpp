// Render once, serve from memory: documents held as immutable bytes (identity and gzip) with a strong ETag and a
// Last-Modified, answered without touching the database. Conditional requests get 304; Accept-Encoding: gzip gets
// the gzip bytes (Vary: Accept-Encoding); every answer carries Access-Control-Allow-Origin: * for public GETs.
#pragma once

#include "core/clock.hpp"
#include "http/message.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace lifeline::http {

// One rendered document. Immutable once built; shared by every request that serves it. Held by a shared_ptr (as
// DocumentCache holds it), its bytes are written straight from here into every response (see serve_document).
struct CachedDocument : std::enable_shared_from_this<CachedDocument> {
    std::string content_type;
    std::string identity;
    std::string gzip;
    std::string etag;                // strong, of the identity bytes: "\"<16 hex digits>\""
    std::string gzip_etag;           // the gzip representation's: "\"<16 hex digits>-gzip\""
    std::int64_t last_modified = 0;  // seconds since the epoch
    std::string last_modified_text;  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
};

// Builds a document from its bytes: compresses them (gzip, best compression) and derives the ETags.
CachedDocument make_document(std::string content_type, std::string identity, std::int64_t last_modified);

// "Sun, 06 Nov 1994 08:49:37 GMT"; and back (nullopt when it is not an IMF-fixdate).
std::string http_date(std::int64_t seconds);
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Answers a GET or HEAD for `doc`: 304 when If-None-Match names its ETag (or, without If-None-Match, when
// If-Modified-Since is not older than Last-Modified), else 200 with the gzip bytes when Accept-Encoding allows gzip,
// the identity bytes otherwise. The response shares the document's bytes when the document is held by a shared_ptr
// (every document of a DocumentCache is); otherwise it copies them.
Response serve_document(const Context& ctx, const CachedDocument& doc);

// A named set of documents, replaced as a whole. Readers take the current set without locking the writer out.
class DocumentCache {
public:
    using Set = std::map<std::string, std::shared_ptr<const CachedDocument>, std::less<>>;

    DocumentCache() : current_(std::make_shared<const Set>()) {}

    // The current set; never null.
    std::shared_ptr<const Set> current() const { return current_.load(); }
    // The document `name` of the current set, or null.
    std::shared_ptr<const CachedDocument> find(std::string_view name) const;

    // Replaces the set with these bodies. A body equal to the one cached keeps its document (ETag and
    // Last-Modified); a changed body gets Last-Modified `now`, or one second after the previous one if that is later,
    // so that If-Modified-Since never hides a change made within the same second. Callers serialise installs.
    void install(const std::map<std::string, std::pair<std::string, std::string>>& bodies,  // name → (type, bytes)
                 core::UtcTime now);

private:
    std::atomic<std::shared_ptr<const Set>> current_;
};

}  // namespace lifeline::http
