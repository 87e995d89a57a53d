// SMS and voice through Twilio's REST API (2010-04-01), and Twilio's webhook signatures (X-Twilio-Signature).
#pragma once

#include "notify/provider/delivery.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lifeline::notify {

struct TwilioConfig {
    std::string base_url = "https://api.twilio.com";  // no trailing slash needed; tests point it at a stand-in
    std::string account_sid;                          // "AC…"; also the basic-auth user name
    std::string auth_token;                           // basic-auth password and the webhook signing key
    std::string from_number;                          // E.164, e.g. "+15005550006"
    std::chrono::milliseconds timeout{10000};         // connect and whole request; zero or negative: 10 s

    // True when base_url, account_sid, auth_token and from_number are all set.
    bool enabled() const;
};

class TwilioClient {
public:
    explicit TwilioClient(TwilioConfig config);

    // POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json with To, From and Body (form-encoded, basic auth).
    // Sent (provider_id = the message's sid "SM…") on 2xx; TransientFailure on 429, 5xx, connection failure or
    // timeout; PermanentFailure on other 4xx (detail carries Twilio's message and error code) or when the client
    // is not configured. Blocking for up to config.timeout: call from a worker thread. Thread-safe.
    Delivery send_sms(const std::string& to, const std::string& body) const;

    // POST …/Calls.json with To, From and Twiml (for example from twiml_say()); provider_id is the call's sid
    // "CA…". Same outcomes and threading as send_sms().
    Delivery place_call(const std::string& to, const std::string& twiml) const;

    const TwilioConfig& config() const { return config_; }

private:
    Delivery post(const char* resource, const char* noun, const std::string& to, const char* content_field,
                  const std::string& content) const;

    TwilioConfig config_;
};

// A TwiML document that reads `text` aloud `repeat` times (at least once) with a one-second pause between:
// <?xml version="1.0" encoding="UTF-8"?><Response><Say>text</Say><Pause length="1"/><Say>text</Say></Response>.
// The text is XML-escaped; characters XML 1.0 forbids (control characters other than tab, LF, CR) become spaces.
std::string twiml_say(std::string_view text, int repeat = 2);

// A TwiML document that reads `text` aloud `repeat` times inside a one-digit <Gather> whose key press Twilio POSTs
// (with Digits) to `action_url`, then says goodbye if no key was pressed. Text and URL are XML-escaped.
std::string twiml_gather(std::string_view text, std::string_view action_url, int repeat = 2);

// X-Twilio-Signature as Twilio computes it ("Webhooks security"): Base64(HMAC-SHA1(key = auth_token,
// data = url + every parameter's name immediately followed by its value, parameters sorted by name)).
// `url` is the full URL Twilio requested (scheme, host, port, path and query string, exactly as configured);
// `form_params` are the decoded POST parameters. Parameters with the same name are ordered by value.
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const std::vector<std::pair<std::string, std::string>>& form_params);

// True when `header_value` equals twilio_signature(auth_token, url, form_params); compared in constant time.
// An empty header or an empty auth token is never valid.
bool valid_twilio_signature(std::string_view auth_token, std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& form_params,
                            std::string_view header_value);

}  // namespace lifeline::notify
