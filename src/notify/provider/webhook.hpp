// Outbound webhooks: one signed JSON POST per message.
#pragma once

#include "notify/provider/delivery.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace lifeline::notify {

struct WebhookPost {
    std::string url;        // http:// or https:// only
    std::string json_body;  // sent as is
    std::string secret;     // empty: the request is not signed
};

// POSTs json_body to url with "Content-Type: application/json", "X-Lifeline-Timestamp: <unix seconds>" and,
// when secret is non-empty, "X-Lifeline-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>"
// (see webhook_signature()). Sent on 2xx; TransientFailure on 429, 5xx, connection failure or timeout;
// PermanentFailure on any other status (redirects are not followed) and for a URL that is not http(s), in which
// case nothing is sent. detail names only the URL's scheme, host and port (paths often carry tokens). Blocking
// for up to `timeout` (zero or negative: 10 s): call from a worker thread. Thread-safe.
Delivery post_webhook(const WebhookPost& post, std::chrono::milliseconds timeout);

// "sha256=" + lowercase hex HMAC-SHA256(key = secret, data = timestamp + "." + body): what a receiver recomputes
// from the X-Lifeline-Timestamp header and the raw body to check X-Lifeline-Signature.
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

}  // namespace lifeline::notify
