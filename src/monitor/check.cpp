#include "monitor/check.hpp"

#include "core/curl.hpp"

#include <algorithm>

namespace lifeline::monitor {

namespace {

struct Body {
    std::string bytes;
    bool keep = false;  // only kept when there is a keyword to look for
    std::size_t seen = 0;
    bool capped = false;  // the transfer was stopped at kMaxProbeBodyBytes
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& body = *static_cast<Body*>(user);
    auto n = size * count;
    if (body.seen + n > kMaxProbeBodyBytes) {
        n = kMaxProbeBodyBytes - body.seen;
        if (body.keep) body.bytes.append(data, n);
        body.seen += n;
        body.capped = true;
        return 0;  // stops the transfer: CURLE_WRITE_ERROR, which the caller expects
    }
    if (body.keep) body.bytes.append(data, n);
    body.seen += n;
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

// The options every probe shares: bounded time, no signals, no proxy, cancellation.
void common_options(CURL* curl, const Monitor& m, const std::atomic<bool>& cancelled, char* error_buffer)
{
    core::curl::set_bounds(curl, error_buffer, std::chrono::seconds(std::max(1, m.timeout_seconds)));
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&cancelled));
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
}

// One sentence for a transfer that produced no HTTP response.
std::string transport_error(CURLcode rc, const char* error_buffer, const Monitor& m)
{
    std::string what;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: what = "cannot resolve the host name"; break;
    case CURLE_COULDNT_CONNECT: what = "cannot connect"; break;
    case CURLE_OPERATION_TIMEDOUT: what = "no answer within " + std::to_string(m.timeout_seconds) + " s"; break;
    case CURLE_PEER_FAILED_VERIFICATION: what = "the TLS certificate is not trusted"; break;
    case CURLE_SSL_CONNECT_ERROR: what = "the TLS handshake failed"; break;
    case CURLE_TOO_MANY_REDIRECTS: what = "more than 5 redirects"; break;
    case CURLE_ABORTED_BY_CALLBACK: what = "stopped: the server is shutting down"; break;
    default: what = "the request failed"; break;
    }
    return what + " (" + core::curl::error_text(rc, error_buffer) + ")";
}

int elapsed_ms(CURL* curl, CURLINFO info)
{
    curl_off_t micros = 0;
    curl_easy_getinfo(curl, info, &micros);
    return static_cast<int>(micros / 1000);
}

std::optional<core::UtcTime> leaf_certificate_expiry(CURL* curl)
{
    curl_certinfo* info = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || !info || info->num_of_certs < 1)
        return std::nullopt;
    constexpr std::string_view kExpire = "Expire date:";
    for (auto* item = info->certinfo[0]; item; item = item->next) {
        std::string_view line(item->data);
        if (line.starts_with(kExpire)) return parse_certificate_time(line.substr(kExpire.size()));
    }
    return std::nullopt;
}

std::string tcp_address(const Monitor& m)
{
    auto host = m.host.find(':') != std::string::npos ? "[" + m.host + "]" : m.host;
    return host + ":" + std::to_string(m.port);
}

}  // namespace

HttpObservation observe_http(const Monitor& m, const std::atomic<bool>& cancelled)
{
    HttpObservation seen;
    auto easy = core::curl::new_easy();
    if (!easy) {
        seen.transport_error = "cannot start a transfer (libcurl)";
        return seen;
    }
    auto* curl = easy.get();
    char error_buffer[CURL_ERROR_SIZE] = {};
    Body body;
    body.keep = !m.keyword.empty();
    common_options(curl, m, cancelled, error_buffer);
    curl_easy_setopt(curl, CURLOPT_URL, m.url.c_str());
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Lifeline-Monitor/1");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // what libcurl can decode, so the keyword sees text
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    if (m.url.starts_with("https://")) curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);

    auto rc = curl_easy_perform(curl);
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && body.capped)) {
        seen.transport_error = transport_error(rc, error_buffer, m);
        return seen;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    seen.status = static_cast<int>(status);
    seen.latency_ms = elapsed_ms(curl, CURLINFO_TOTAL_TIME_T);
    seen.keyword_found = body.keep && body.bytes.find(m.keyword) != std::string::npos;
    if (m.url.starts_with("https://")) seen.certificate_expires_at = leaf_certificate_expiry(curl);
    return seen;
}

CheckResult check_tcp(const Monitor& m, const std::atomic<bool>& cancelled)
{
    CheckResult r;
    auto address = tcp_address(m);
    auto easy = core::curl::new_easy();
    if (!easy) {
        r.detail = "cannot start a connection (libcurl)";
        return r;
    }
    auto* curl = easy.get();
    char error_buffer[CURL_ERROR_SIZE] = {};
    common_options(curl, m, cancelled, error_buffer);
    // CONNECT_ONLY stops after the TCP connection: nothing is sent, whatever the scheme says.
    auto url = "http://" + address + "/";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    auto rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        r.detail = address + ": " + transport_error(rc, error_buffer, m);
        return r;
    }
    r.ok = true;
    r.latency_ms = elapsed_ms(curl, CURLINFO_CONNECT_TIME_T);
    r.detail = "connected to " + address + " in " + std::to_string(*r.latency_ms) + " ms";
    return r;
}

CheckResult run_check(const Monitor& m, const core::Clock& clock, const std::atomic<bool>& cancelled)
{
    switch (m.kind) {
    case Kind::Http: {
        auto seen = observe_http(m, cancelled);
        return judge_http(m, seen, clock.now());
    }
    case Kind::Tcp: return check_tcp(m, cancelled);
    case Kind::Heartbeat: return missed_heartbeat(m);
    }
    return missed_heartbeat(m);
}

}  // namespace lifeline::monitor
