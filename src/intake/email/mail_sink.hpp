// Where the LMTP listener and the mailgate endpoint hand a received message.
#pragma once

#include "core/result.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace lifeline::intake::email {

class MailSink {
public:
    virtual ~MailSink() = default;

    // Stores one message for `recipients` (the envelope RCPT TO addresses) and completes only once it is
    // durably stored. Returns one status per recipient, in order: Ok (deliver: "250"), Unavailable or Internal
    // (temporary failure: "451"), InvalidArgument or NotFound (permanent failure: "550"/"554"). Runs on the caller's
    // executor; must not block it.
    virtual boost::asio::awaitable<std::vector<core::Status>> deliver(std::string raw, std::string envelope_from,
                                                                      std::vector<std::string> recipients) = 0;
};

}  // namespace lifeline::intake::email
