// A fixture for API tests: a fresh desk (`lifeline init`) served by the real binary, with the admin's token.
#pragma once

#include "support/server_process.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace lifeline::testing {

// Parses a response body that must be a JSON object (throws otherwise, failing the test).
inline boost::json::object parse_object(const std::string& body)
{
    return boost::json::parse(body).as_object();
}

class ServedDesk : public ::testing::Test {
protected:
    void SetUp() override
    {
        admin = init_desk(dir.path(), "admin@desk.test");
        server = std::make_unique<ServerProcess>("serve", dir.path());
    }
    std::string token_for(const std::string& email) { return create_token(dir.path(), email); }

    TempDir dir;
    std::string admin;
    std::unique_ptr<ServerProcess> server;
};

}  // namespace lifeline::testing
