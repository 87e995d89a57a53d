// SmtpSender: one blocking SMTP hand-off per call through libcurl's easy interface.
#include "notify/email/smtp_sender.hpp"

#include "core/curl.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

namespace lifeline::notify::email {

namespace {

// Where the SMTP conversation was when the relay gave its last answer, read from libcurl's debug stream.
enum class Stage { Connect, Greeting, Hello, StartTls, Auth, MailFrom, Recipient, Data, EndOfData };

struct Transcript {
    Stage stage = Stage::Connect;
    int last_code = 0;
    std::string last_reply;  // the relay's last reply line, without CRLF
    bool quitting = false;   // after QUIT nothing changes: the reply that mattered came before it
};

std::string_view trim_line(std::string_view line)
{
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.remove_suffix(1);
    return line;
}

// Only the command verb is looked at; AUTH lines carry credentials and are never kept.
Stage stage_of_command(std::string_view line, Stage current)
{
    auto starts = [&](std::string_view verb) {
        if (line.size() < verb.size()) return false;
        for (std::size_t i = 0; i < verb.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(line[i])) != verb[i]) return false;
        return true;
    };
    if (starts("EHLO") || starts("HELO")) return Stage::Hello;
    if (starts("STARTTLS")) return Stage::StartTls;
    if (starts("AUTH")) return Stage::Auth;
    if (starts("MAIL")) return Stage::MailFrom;
    if (starts("RCPT")) return Stage::Recipient;
    if (starts("DATA")) return Stage::Data;
    // Continuation lines of an AUTH exchange (base64 answers) keep the current stage.
    return current;
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user)
{
    auto& transcript = *static_cast<Transcript*>(user);
    if (transcript.quitting) return 0;
    std::string_view text(data, size);
    if (type == CURLINFO_HEADER_OUT) {
        if (text.size() >= 4 && (text.substr(0, 4) == "QUIT" || text.substr(0, 4) == "quit")) {
            transcript.quitting = true;
            return 0;
        }
        transcript.stage = stage_of_command(text, transcript.stage);
    } else if (type == CURLINFO_HEADER_IN) {
        // One or more reply lines; the last one carries the final code of a multi-line reply.
        while (!text.empty()) {
            auto end = text.find('\n');
            auto line = trim_line(text.substr(0, end));
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
            if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
            if (transcript.stage == Stage::Connect) transcript.stage = Stage::Greeting;
            transcript.last_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            transcript.last_reply = std::string(line);
            // 354 invites the message body; the next reply is the verdict on the whole message.
            if (transcript.last_code == 354 && transcript.stage == Stage::Data) transcript.stage = Stage::EndOfData;
        }
    }
    return 0;
}

struct Upload {
    const std::string& message;
    std::size_t offset = 0;
};

size_t on_read(char* buffer, size_t size, size_t count, void* user)
{
    auto& upload = *static_cast<Upload*>(user);
    const auto n = std::min(size * count, upload.message.size() - upload.offset);
    std::memcpy(buffer, upload.message.data() + upload.offset, n);
    upload.offset += n;
    return n;
}

bool unsafe_address(const std::string& address)
{
    return address.find_first_of(std::string_view("\r\n\0<>", 5)) != std::string::npos;
}

// The relay URL for messages, without any user:password@ part.
std::string redacted(const std::string& url)
{
    auto scheme = url.find("://");
    auto start = scheme == std::string::npos ? 0 : scheme + 3;
    auto at = url.find('@', start);
    auto slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
    return url.substr(0, start) + url.substr(at + 1);
}

std::string stage_phrase(Stage stage, const std::string& envelope_from, const std::string& recipient)
{
    switch (stage) {
    case Stage::Connect:
    case Stage::Greeting: return "greeted us with";
    case Stage::Hello: return "refused our EHLO with";
    case Stage::StartTls: return "refused STARTTLS with";
    case Stage::Auth: return "rejected our login with";
    case Stage::MailFrom: return "rejected the sender <" + envelope_from + "> with";
    case Stage::Recipient: return "rejected the recipient <" + recipient + "> with";
    case Stage::Data: return "refused to take the message (DATA) with";
    case Stage::EndOfData: return "refused the message after receiving it with";
    }
    return "answered";
}

// A 5xx is final for the message only where it is about the message: the login, the sender, the recipient or the
// content. A 5xx greeting, EHLO or STARTTLS says the relay is unusable right now, which retrying may outlive.
bool stage_is_about_the_message(Stage stage)
{
    return stage == Stage::Auth || stage == Stage::MailFrom || stage == Stage::Recipient || stage == Stage::Data ||
           stage == Stage::EndOfData;
}

}  // namespace

SendResult SmtpSender::send(const std::string& envelope_from, const std::string& recipient,
                            const std::string& message) const
{
    using Outcome = SendResult::Outcome;
    if (recipient.empty() || unsafe_address(recipient))
        return {Outcome::PermanentFailure, 0, "the recipient address \"" + recipient + "\" is not a valid mailbox"};
    if (unsafe_address(envelope_from))
        return {Outcome::PermanentFailure, 0, "the sender address \"" + envelope_from + "\" is not a valid mailbox"};

    // One handle per thread: a worker thread sending many messages pays for one relay connection and greeting
    // instead of one per message.
    thread_local core::curl::ReusedEasy handle;
    CURL* curl = handle.acquire();
    if (!curl) return {Outcome::TemporaryFailure, 0, "libcurl could not create a transfer (out of memory?)"};

    char error_buffer[CURL_ERROR_SIZE] = {};
    Transcript transcript;
    Upload upload{message};
    const auto from = "<" + envelope_from + ">";
    core::curl::Slist recipients(curl_slist_append(nullptr, ("<" + recipient + ">").c_str()));
    // libcurl reads 0 as "no limit"; a blocking send must always end.
    const auto timeout = config_.timeout > std::chrono::seconds::zero() ? config_.timeout : std::chrono::seconds(30);

    core::curl::set_bounds(curl, error_buffer, timeout);
    curl_easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    if (config_.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, config_.verify_peer ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, config_.verify_peer ? 2L : 0L);
    if (!config_.username.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, config_.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
    }
    // The debug stream is how we learn the relay's reply text and at which command it failed.
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &transcript);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);

    const CURLcode rc = curl_easy_perform(curl);

    long response_code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response_code);
    SendResult result;
    result.smtp_code = transcript.last_code != 0 ? transcript.last_code : static_cast<int>(response_code);
    const auto relay = "the SMTP relay at " + redacted(config_.url);
    const auto curl_note =
        " (" + core::curl::error_text(rc, error_buffer) + "; curl error " + std::to_string(static_cast<int>(rc)) + ")";

    if (rc == CURLE_OK) {
        result.outcome = Outcome::Sent;
        result.detail = relay + " accepted the message for <" + recipient + ">" +
                        (transcript.last_reply.empty() ? std::string() : ": " + transcript.last_reply);
        return result;
    }

    switch (core::curl::failure_of(rc)) {
    case core::curl::Failure::Connect:
        result.outcome = Outcome::TemporaryFailure;
        result.detail = "could not connect to " + relay + curl_note + "; will retry";
        return result;
    case core::curl::Failure::Timeout:
        result.outcome = Outcome::TemporaryFailure;
        result.detail =
            relay + " did not finish within " + std::to_string(timeout.count()) + " s" + curl_note + "; will retry";
        return result;
    case core::curl::Failure::Other: break;
    }

    const int code = result.smtp_code;
    const bool replied_with_failure = code >= 400 && code < 600 && transcript.stage != Stage::Connect;
    if (replied_with_failure) {
        const bool permanent = code >= 500 && stage_is_about_the_message(transcript.stage);
        result.outcome = permanent ? Outcome::PermanentFailure : Outcome::TemporaryFailure;
        result.detail = relay + " " + stage_phrase(transcript.stage, envelope_from, recipient) + " \"" +
                        transcript.last_reply + "\"" + curl_note + (permanent ? "; giving up" : "; will retry");
        return result;
    }

    // TLS trouble, a dropped connection, a malformed URL: the relay or our configuration, never the message.
    result.outcome = Outcome::TemporaryFailure;
    result.detail = "sending through " + relay + " failed" + curl_note + "; will retry";
    return result;
}

}  // namespace lifeline::notify::email
