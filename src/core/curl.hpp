// The libcurl plumbing every blocking transfer shares (the notify senders, the monitor probes): initialising libcurl
// once, owning handles, a handle reused between transfers, the options that bound a transfer, and its errors in words.
// A library of its own (lifeline_curl), so that lifeline_core does not link libcurl.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string>

namespace lifeline::core::curl {

// curl_global_init, once per process; new_easy() and ReusedEasy call it. Throws std::runtime_error when it fails.
void global_init();

struct EasyCleanup {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistFree {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyCleanup>;
using Slist = std::unique_ptr<curl_slist, SlistFree>;

// A fresh handle for one transfer; null when libcurl cannot create one.
Easy new_easy();

// A handle kept between transfers and reset before each: libcurl keeps connections (and TLS sessions) open in it, so
// a thread making many transfers to the same server pays for one connection. Keep one per thread and use:
//     thread_local core::curl::ReusedEasy handle;
//     CURL* curl = handle.acquire();
class ReusedEasy {
public:
    // The handle with all options reset and its connections kept; null when libcurl cannot create one.
    CURL* acquire();

private:
    Easy easy_;
};

// The options that bound a blocking transfer: libcurl's message goes to `error_buffer` (CURL_ERROR_SIZE bytes), no
// signals, and `timeout` for connecting and for the whole transfer. libcurl reads 0 as "no limit".
void set_bounds(CURL* easy, char* error_buffer, std::chrono::milliseconds timeout);

// libcurl's explanation of a failed transfer: the error buffer when it says something, else curl_easy_strerror(rc).
std::string error_text(CURLcode rc, const char* error_buffer);

// How a failed transfer failed, for callers that say so: the server was not reached (name resolution, connect), the
// time ran out, or anything else.
enum class Failure { Connect, Timeout, Other };
Failure failure_of(CURLcode rc);

}  // namespace lifeline::core::curl
