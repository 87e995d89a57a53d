// `lifeline mailgate`: what a Postfix pipe transport or an alias runs. Reads one message on stdin and posts it
// to the server; the exit code tells the MTA whether to keep it queued (75) or give up (other non-zero codes).
#include "app/app.hpp"

#include <curl/curl.h>

#include <iostream>
#include <iterator>
#include <string>

namespace lifeline::app {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out)
{
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// The "detail" of a problem+json body, or the body itself, on one line.
std::string reason(const std::string& body)
{
    auto at = body.find("\"detail\":\"");
    std::string text = at == std::string::npos ? body : body.substr(at + 10, body.find('"', at + 10) - at - 10);
    for (auto& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text.substr(0, 300);
}

}  // namespace

int mailgate(const std::string& url, const std::string& token, std::chrono::seconds timeout)
{
    std::string message((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (!std::cin.eof() && std::cin.fail()) {
        std::cerr << "lifeline mailgate: cannot read the message on stdin" << std::endl;
        return kExitTempFail;
    }
    if (message.empty()) {
        std::cerr << "lifeline mailgate: no message on stdin" << std::endl;
        return kExitDataErr;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* curl = curl_easy_init();
    if (!curl) {
        std::cerr << "lifeline mailgate: cannot start libcurl" << std::endl;
        return kExitTempFail;
    }
    std::string endpoint = url;
    while (!endpoint.empty() && endpoint.back() == '/')
        endpoint.pop_back();
    endpoint += "/api/v1/intake/email";
    std::string response;
    char error[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    headers = curl_slist_append(headers, "Content-Type: message/rfc822");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, endpoint.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    if (rc != CURLE_OK) {
        std::cerr << "lifeline mailgate: cannot reach " << endpoint << ": "
                  << (error[0] ? error : curl_easy_strerror(rc)) << "; the message stays queued" << std::endl;
        return kExitTempFail;
    }
    if (status >= 200 && status < 300) return kExitOk;
    if (status >= 500 || status == 429 || status == 408) {
        std::cerr << "lifeline mailgate: the server answered " << status << " (" << reason(response)
                  << "); the message stays queued" << std::endl;
        return kExitTempFail;
    }
    std::cerr << "lifeline mailgate: the server refused the message with " << status << ": " << reason(response)
              << std::endl;
    if (status == 401 || status == 403) return kExitNoPerm;
    if (status == 404) return kExitConfig;
    return kExitDataErr;
}

}  // namespace lifeline::app
