// TwilioClient: one blocking REST call per message through libcurl (see webhook.cpp for the shared POST), and
// Twilio's HMAC-SHA1 webhook signatures with OpenSSL.
#include "notify/provider/twilio.hpp"

#include <boost/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace lifeline::notify {

namespace {

using Outcome = Delivery::Outcome;

// application/x-www-form-urlencoded: everything but RFC 3986's unreserved characters as %XX.
std::string form_escape(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0f]);
        }
    }
    return out;
}

std::string form_encode(const std::vector<std::pair<std::string_view, std::string_view>>& fields)
{
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out.push_back('&');
        out += form_escape(name);
        out.push_back('=');
        out += form_escape(value);
    }
    return out;
}

struct TwilioAnswer {
    std::string sid;
    std::string status;   // the resource's status ("queued") on success
    std::string message;  // Twilio's error message
    long long code = 0;   // Twilio's error code
};

TwilioAnswer parse_answer(const std::string& body)
{
    TwilioAnswer answer;
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    if (ec || !value.is_object()) return answer;
    const auto& object = value.get_object();
    auto text = [&](const char* key) -> std::string {
        if (auto* field = object.if_contains(key); field && field->is_string()) return std::string(field->get_string());
        return {};
    };
    answer.sid = text("sid");
    answer.status = text("status");
    answer.message = text("message");
    if (auto* code = object.if_contains("code")) {
        if (code->is_int64())
            answer.code = code->get_int64();
        else if (code->is_uint64())
            answer.code = static_cast<long long>(code->get_uint64());
    }
    return answer;
}

std::string without_trailing_slashes(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

void append_escaped_xml(std::string& out, std::string_view text)
{
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // XML 1.0 allows no control characters other than tab, LF and CR.
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                out.push_back(' ');
            else if (c == 0x7f)
                out.push_back(' ');
            else
                out.push_back(ch);
        }
    }
}

}  // namespace

bool TwilioConfig::enabled() const
{
    return !base_url.empty() && !account_sid.empty() && !auth_token.empty() && !from_number.empty();
}

TwilioClient::TwilioClient(TwilioConfig config) : config_(std::move(config)) {}

Delivery TwilioClient::send_sms(const std::string& to, const std::string& body) const
{
    return post("Messages.json", "SMS", to, "Body", body);
}

Delivery TwilioClient::place_call(const std::string& to, const std::string& twiml) const
{
    return post("Calls.json", "call", to, "Twiml", twiml);
}

Delivery TwilioClient::post(const char* resource, const char* noun, const std::string& to, const char* content_field,
                            const std::string& content) const
{
    using provider_detail::HttpReply;
    if (!config_.enabled())
        return {Outcome::PermanentFailure,
                "Twilio is not configured (account SID, auth token and from number are all needed); giving up",
                {}};

    provider_detail::HttpPost request;
    request.url = without_trailing_slashes(config_.base_url) + "/2010-04-01/Accounts/" +
                  form_escape(config_.account_sid) + "/" + resource;
    request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    request.body = form_encode({{"To", to}, {"From", config_.from_number}, {content_field, content}});
    request.username = config_.account_sid;
    request.password = config_.auth_token;
    request.timeout = config_.timeout;

    const HttpReply reply = provider_detail::http_post(request);
    const auto where = "Twilio at " + provider_detail::origin_of(config_.base_url);
    if (auto failed = provider_detail::transport_failure(reply, where, "request", request.timeout)) return *failed;

    const auto answer = parse_answer(reply.body);
    const auto status = std::to_string(reply.status);
    if (reply.status >= 200 && reply.status < 300) {
        std::string detail = "Twilio accepted the " + std::string(noun) + " to " + to;
        if (!answer.sid.empty()) detail += ": " + answer.sid;
        if (!answer.status.empty()) detail += " (" + answer.status + ")";
        if (answer.sid.empty()) detail += " (answered " + status + " without a sid)";
        return {Outcome::Sent, detail, answer.sid};
    }

    std::string detail = "Twilio answered " + status;
    if (!answer.message.empty()) {
        detail += ": " + provider_detail::excerpt(answer.message);
        if (answer.code != 0) detail += " (error " + std::to_string(answer.code) + ")";
    } else if (!reply.body.empty()) {
        detail += ": " + provider_detail::excerpt(reply.body);
    }
    return provider_detail::status_failure(reply.status, std::move(detail), answer.sid);
}

namespace {

// `text` spoken `repeat` times (at least once) with a one-second pause between.
void append_says(std::string& out, std::string_view text, int repeat)
{
    for (int i = 0; i < std::max(repeat, 1); ++i) {
        if (i > 0) out += R"(<Pause length="1"/>)";
        out += "<Say>";
        append_escaped_xml(out, text);
        out += "</Say>";
    }
}

}  // namespace

std::string twiml_say(std::string_view text, int repeat)
{
    std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><Response>)";
    append_says(out, text, repeat);
    return out + "</Response>";
}

std::string twiml_gather(std::string_view text, std::string_view action_url, int repeat)
{
    std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" method="POST" action=")";
    append_escaped_xml(out, action_url);
    out += R"(">)";
    append_says(out, text, repeat);
    return out + "</Gather><Say>No key was pressed. Goodbye.</Say></Response>";
}

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const std::vector<std::pair<std::string, std::string>>& form_params)
{
    std::vector<const std::pair<std::string, std::string>*> sorted;
    sorted.reserve(form_params.size());
    for (const auto& param : form_params)
        sorted.push_back(&param);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });

    std::string data(url);
    for (const auto* param : sorted) {
        data += param->first;
        data += param->second;
    }

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (!HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &digest_size))
        return {};

    std::string encoded(sodium_base64_ENCODED_LEN(digest_size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), digest, digest_size, sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(std::char_traits<char>::length(encoded.c_str()));
    return encoded;
}

bool valid_twilio_signature(std::string_view auth_token, std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& form_params,
                            std::string_view header_value)
{
    if (auth_token.empty() || header_value.empty()) return false;
    const auto expected = twilio_signature(auth_token, url, form_params);
    // The length of a signature is public (always 28 characters); only the content is compared in constant time.
    if (expected.empty() || expected.size() != header_value.size()) return false;
    return CRYPTO_memcmp(expected.data(), header_value.data(), expected.size()) == 0;
}

}  // namespace lifeline::notify
