#include "http/public/document_cache.hpp"

#include "core/text.hpp"

#include <zlib.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace lifeline::http {

namespace {

std::string gzip_bytes(std::string_view in)
{
    z_stream z{};
    // 15 window bits + 16: a gzip wrapper rather than zlib's.
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
    return out;
}

std::string fnv1a_hex(std::string_view bytes)
{
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    std::array<char, 17> hex{};
    std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(h));
    return std::string(hex.data(), 16);
}

// Calls `f` with each comma-separated member of a header, trimmed and not empty, until it returns true; returns
// whether one did. Header values are read in place: a request for a cached document allocates nothing to parse them.
template <class F> bool any_member(std::string_view header, F f)
{
    while (!header.empty()) {
        auto comma = header.find(',');
        if (auto m = core::trim_spaces(header.substr(0, comma)); !m.empty() && f(m)) return true;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return false;
}

bool accepts_gzip(std::string_view header)
{
    bool accepted = false;
    any_member(header, [&](std::string_view m) {
        auto semi = m.find(';');
        auto coding = core::trim_spaces(m.substr(0, semi));
        if (!core::iequals(coding, "gzip") && !core::iequals(coding, "x-gzip") && coding != "*") return false;
        accepted = true;
        // The first gzip-capable member decides: refused only by a weight of zero ("gzip;q=0").
        for (auto params = semi == std::string_view::npos ? std::string_view{} : m.substr(semi + 1); !params.empty();) {
            auto next = params.find(';');
            auto param = core::trim_spaces(params.substr(0, next));
            if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
                double q = 0;  // an unreadable weight refuses, as a zero would
                std::from_chars(param.data() + 2, param.data() + param.size(), q);
                accepted = q > 0.0;
                break;
            }
            if (next == std::string_view::npos) break;
            params.remove_prefix(next + 1);
        }
        return true;
    });
    return accepted;
}

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored.
bool etag_matches(std::string_view header, const CachedDocument& doc)
{
    return any_member(header, [&](std::string_view m) {
        if (m == "*") return true;
        if (m.substr(0, 2) == "W/") m.remove_prefix(2);
        return m == doc.etag || m == doc.gzip_etag;
    });
}

std::string_view field_of(const Context& ctx, beast_http::field name)
{
    auto value = ctx.request[name];
    return {value.data(), value.size()};
}

}  // namespace

std::string http_date(std::int64_t seconds)
{
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf.data();
}

std::optional<std::int64_t> parse_http_date(std::string_view text)
{
    std::string s(core::trim(text));
    std::tm tm{};
    const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    return static_cast<std::int64_t>(timegm(&tm));
}

CachedDocument make_document(std::string content_type, std::string identity, std::int64_t last_modified)
{
    CachedDocument d;
    d.content_type = std::move(content_type);
    auto hash = fnv1a_hex(identity);
    d.etag = "\"" + hash + "\"";
    d.gzip_etag = "\"" + hash + "-gzip\"";
    d.gzip = gzip_bytes(identity);
    d.identity = std::move(identity);
    d.last_modified = last_modified;
    d.last_modified_text = http_date(last_modified);
    return d;
}

Response serve_document(const Context& ctx, const CachedDocument& doc)
{
    bool gzip = accepts_gzip(field_of(ctx, beast_http::field::accept_encoding));
    auto if_none_match = field_of(ctx, beast_http::field::if_none_match);
    bool not_modified = false;
    if (!if_none_match.empty()) {
        not_modified = etag_matches(if_none_match, doc);
    } else if (auto since = field_of(ctx, beast_http::field::if_modified_since); !since.empty()) {
        auto t = parse_http_date(since);
        not_modified = t && doc.last_modified <= *t;
    }
    Response res{not_modified ? beast_http::status::not_modified : beast_http::status::ok, ctx.request.version()};
    res.set(beast_http::field::server, "lifeline");
    if (!not_modified) {
        res.set(beast_http::field::content_type, doc.content_type);
        res.set("X-Content-Type-Options", "nosniff");
    }
    res.set("X-Request-Id", ctx.request_id);
    if (!not_modified) {
        const std::string& bytes = gzip ? doc.gzip : doc.identity;
        if (auto owner = doc.weak_from_this().lock())
            res.body().share(std::shared_ptr<const std::string>(std::move(owner), &bytes));
        else
            res.body() = bytes;
        if (gzip) res.set(beast_http::field::content_encoding, "gzip");
    }
    res.set(beast_http::field::etag, gzip ? doc.gzip_etag : doc.etag);
    res.set(beast_http::field::last_modified, doc.last_modified_text);
    res.set(beast_http::field::vary, "Accept-Encoding");
    res.set(beast_http::field::cache_control, "public, no-cache");
    res.set(beast_http::field::access_control_allow_origin, "*");
    res.prepare_payload();
    return res;
}

std::shared_ptr<const CachedDocument> DocumentCache::find(std::string_view name) const
{
    auto set = current();
    auto it = set->find(name);
    if (it == set->end()) return nullptr;
    return it->second;
}

void DocumentCache::install(const std::map<std::string, std::pair<std::string, std::string>>& bodies, core::UtcTime now)
{
    auto previous = current();
    auto next = std::make_shared<Set>();
    auto seconds = core::to_unix_ms(now) / 1000;
    for (const auto& [name, typed] : bodies) {
        auto old = previous->find(name);
        if (old != previous->end() && old->second->identity == typed.second &&
            old->second->content_type == typed.first) {
            next->emplace(name, old->second);
            continue;
        }
        auto modified = old == previous->end() ? seconds : std::max(seconds, old->second->last_modified + 1);
        next->emplace(name, std::make_shared<const CachedDocument>(make_document(typed.first, typed.second, modified)));
    }
    current_.store(std::move(next));
}

}  // namespace lifeline::http
