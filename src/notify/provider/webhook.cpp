// post_webhook(), and what twilio.cpp shares with it (declared in delivery.hpp): the one blocking libcurl POST and the
// Delivery of a POST that failed.
#include "notify/provider/webhook.hpp"

#include "core/clock.hpp"
#include "core/curl.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace lifeline::notify {

namespace provider_detail {

namespace {

constexpr std::size_t kMaxAnswer = 64 * 1024;

size_t on_write(char* data, size_t size, size_t count, void* user)
{
    auto& body = *static_cast<std::string*>(user);
    const size_t n = size * count;
    // Keep the first kMaxAnswer bytes and quietly drop the rest: a huge answer is not worth failing over.
    if (body.size() < kMaxAnswer) body.append(data, std::min(n, kMaxAnswer - body.size()));
    return n;
}

}  // namespace

HttpReply http_post(const HttpPost& post)
{
    HttpReply reply;
    // One handle per thread: a worker thread sending many messages to the same provider reuses one connection.
    thread_local core::curl::ReusedEasy handle;
    CURL* curl = handle.acquire();
    if (!curl) {
        reply.error = "libcurl could not create a transfer (out of memory?)";
        return reply;
    }

    const auto timeout = post.timeout > std::chrono::milliseconds::zero() ? post.timeout : std::chrono::seconds(10);
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_slist* raw_headers = nullptr;
    for (const auto& header : post.headers)
        raw_headers = curl_slist_append(raw_headers, header.c_str());
    // No "Expect: 100-continue" round trip for larger bodies.
    raw_headers = curl_slist_append(raw_headers, "Expect:");
    core::curl::Slist headers(raw_headers);

    core::curl::set_bounds(curl, error_buffer, timeout);
    curl_easy_setopt(curl, CURLOPT_URL, post.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Lifeline/0.1");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    if (!post.username.empty()) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_easy_setopt(curl, CURLOPT_USERNAME, post.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, post.password.c_str());
    }

    const CURLcode rc = curl_easy_perform(curl);
    // The handle outlives this call; it must not point at our locals.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);

    if (rc == CURLE_OK) {
        reply.transport = HttpReply::Transport::Ok;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        return reply;
    }
    reply.error = core::curl::error_text(rc, error_buffer) + "; curl error " + std::to_string(static_cast<int>(rc));
    switch (core::curl::failure_of(rc)) {
    case core::curl::Failure::Connect: reply.transport = HttpReply::Transport::ConnectFailed; break;
    case core::curl::Failure::Timeout: reply.transport = HttpReply::Transport::TimedOut; break;
    case core::curl::Failure::Other: reply.transport = HttpReply::Transport::Failed; break;
    }
    return reply;
}

std::optional<Delivery> transport_failure(const HttpReply& reply, const std::string& where, std::string_view request,
                                          std::chrono::milliseconds timeout)
{
    using Outcome = Delivery::Outcome;
    switch (reply.transport) {
    case HttpReply::Transport::Ok: break;
    case HttpReply::Transport::TimedOut:
        return Delivery{
            Outcome::TransientFailure, where + " timed out after " + describe(timeout) + "; will retry", {}};
    case HttpReply::Transport::ConnectFailed:
        return Delivery{
            Outcome::TransientFailure, "could not connect to " + where + " (" + reply.error + "); will retry", {}};
    case HttpReply::Transport::Failed:
        return Delivery{Outcome::TransientFailure,
                        "the " + std::string(request) + " to " + where + " failed (" + reply.error + "); will retry",
                        {}};
    }
    return std::nullopt;
}

Delivery status_failure(long status, std::string detail, std::string provider_id)
{
    const bool transient = status == 429 || status >= 500;
    detail += transient ? "; will retry" : "; giving up";
    return {transient ? Delivery::Outcome::TransientFailure : Delivery::Outcome::PermanentFailure, std::move(detail),
            std::move(provider_id)};
}

std::string describe(std::chrono::milliseconds duration)
{
    const auto ms = duration.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    if (ms < 1000) return std::to_string(ms) + " ms";
    return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

std::string excerpt(std::string_view text, std::size_t limit)
{
    if (text.size() > limit) {
        while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xc0) == 0x80)
            --limit;
    }
    std::string out;
    for (char c : text.substr(0, limit))
        out.push_back(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
    if (text.size() > limit) out += "…";
    return out;
}

std::string origin_of(const std::string& url)
{
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url.substr(0, url.find_first_of("/?#"));
    const auto start = scheme_end + 3;
    auto end = url.find_first_of("/?#", start);
    if (end == std::string::npos) end = url.size();
    auto authority = url.substr(start, end - start);
    if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
    return url.substr(0, start) + authority;
}

}  // namespace provider_detail

namespace {

using Outcome = Delivery::Outcome;

bool http_url(const std::string& url)
{
    auto starts = [&](std::string_view prefix) {
        if (url.size() <= prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
        return true;
    };
    if (!starts("http://") && !starts("https://")) return false;
    // No whitespace or control characters anywhere (they would end up in the request line).
    for (unsigned char c : url)
        if (c <= 0x20 || c == 0x7f) return false;
    return true;
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body)
{
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(timestamp.data()), timestamp.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof state);

    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string("sha256=") + hex;
}

Delivery post_webhook(const WebhookPost& post, std::chrono::milliseconds timeout)
{
    using provider_detail::HttpReply;
    if (!http_url(post.url))
        return {Outcome::PermanentFailure,
                "the webhook URL \"" + provider_detail::excerpt(provider_detail::origin_of(post.url), 80) +
                    "\" is not an http:// or https:// URL; giving up",
                {}};

    const auto now = core::SystemClock().now();
    const auto timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());

    provider_detail::HttpPost request;
    request.url = post.url;
    request.headers = {"Content-Type: application/json", "Accept: */*", "X-Lifeline-Timestamp: " + timestamp};
    if (!post.secret.empty())
        request.headers.push_back("X-Lifeline-Signature: " + webhook_signature(post.secret, timestamp, post.json_body));
    request.body = post.json_body;
    request.timeout = timeout > std::chrono::milliseconds::zero() ? timeout : std::chrono::seconds(10);

    const HttpReply reply = provider_detail::http_post(request);
    const auto where = "the webhook at " + provider_detail::origin_of(post.url);
    if (auto failed = provider_detail::transport_failure(reply, where, "POST", request.timeout)) return *failed;

    const auto status = std::to_string(reply.status);
    if (reply.status >= 200 && reply.status < 300) return {Outcome::Sent, where + " answered " + status, {}};
    std::string detail = where + " answered " + status;
    if (reply.status >= 300 && reply.status < 400)
        detail += " (redirects are not followed)";
    else if (!reply.body.empty())
        detail += ": " + provider_detail::excerpt(reply.body);
    return provider_detail::status_failure(reply.status, std::move(detail));
}

}  // namespace lifeline::notify
