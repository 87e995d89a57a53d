#include "core/curl.hpp"

#include <mutex>
#include <stdexcept>

namespace lifeline::core::curl {

void global_init()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    });
}

Easy new_easy()
{
    global_init();
    return Easy(curl_easy_init());
}

CURL* ReusedEasy::acquire()
{
    global_init();
    if (easy_)
        curl_easy_reset(easy_.get());
    else
        easy_.reset(curl_easy_init());
    return easy_.get();
}

void set_bounds(CURL* easy, char* error_buffer, std::chrono::milliseconds timeout)
{
    const long timeout_ms = static_cast<long>(timeout.count());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
}

std::string error_text(CURLcode rc, const char* error_buffer)
{
    return error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
}

Failure failure_of(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return Failure::Connect;
    case CURLE_OPERATION_TIMEDOUT: return Failure::Timeout;
    default: return Failure::Other;
    }
}

}  // namespace lifeline::core::curl
