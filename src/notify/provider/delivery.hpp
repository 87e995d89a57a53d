// The result of handing one message to an outbound provider (Twilio, a webhook), and the one blocking HTTP POST
// the provider adapters share.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lifeline::notify {

struct Delivery {
    // Sent: the provider took the message. TransientFailure: worth retrying later (429, 5xx, connection trouble,
    // timeouts). PermanentFailure: retrying the same message cannot help (other 4xx, refused input).
    enum class Outcome { Sent, TransientFailure, PermanentFailure } outcome = Outcome::TransientFailure;
    std::string detail;       // one short human-readable line, e.g. "Twilio answered 401: Authenticate …"
    std::string provider_id;  // the provider's id for the message (Twilio's sid); empty when there is none
};

namespace provider_detail {

// Internal to src/notify/provider (twilio.cpp and webhook.cpp): one HTTP POST through libcurl.
struct HttpPost {
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
    std::string username;  // non-empty: HTTP basic auth with username:password
    std::string password;
    std::chrono::milliseconds timeout{10000};  // connect and whole exchange; zero or negative: 10 s
};

struct HttpReply {
    enum class Transport { Ok, ConnectFailed, TimedOut, Failed } transport = Transport::Failed;
    long status = 0;    // the HTTP status when transport is Ok
    std::string body;   // the answer's body, at most 64 KiB
    std::string error;  // libcurl's explanation when transport is not Ok
};

// Blocking for up to post.timeout; never throws for network trouble. Only http:// and https:// URLs; redirects are
// not followed. Thread-safe: each thread keeps its own libcurl handle (and so its own connections) between calls.
HttpReply http_post(const HttpPost& post);

// The Delivery for a POST that got no HTTP answer (reply.transport is not Ok), always worth retrying: "`where` timed
// out after 10 s", "could not connect to `where` (…)", "the `request` to `where` failed (…)". `where` names the
// server ("the webhook at https://hooks.example"), `timeout` is the limit that ran out. Nullopt when reply.transport
// is Ok.
std::optional<Delivery> transport_failure(const HttpReply& reply, const std::string& where, std::string_view request,
                                          std::chrono::milliseconds timeout);

// The Delivery for an HTTP answer other than 2xx: 429 and 5xx are worth retrying, the rest are not, and `detail`
// ("Twilio answered 401: …") ends in "; will retry" or "; giving up".
Delivery status_failure(long status, std::string detail, std::string provider_id = {});

// "10 s", "1.5 s", "250 ms": for detail lines.
std::string describe(std::chrono::milliseconds duration);

// At most `limit` bytes of `text` (never half a UTF-8 character) on one line, "…" when cut: for detail lines.
std::string excerpt(std::string_view text, std::size_t limit = 160);

// scheme://host[:port] of a URL, without user info, path or query (which may carry secrets).
std::string origin_of(const std::string& url);

}  // namespace provider_detail

}  // namespace lifeline::notify
