// Versioned schema migrations: files named YYYYMMDD_NNNN_what.sql, applied once each, in name order.
#pragma once

#include <string>
#include <string_view>

namespace lifeline::storage {

struct Migration {
    std::string name;   // file name without ".sql"
    std::string_view sql;
};

}  // namespace lifeline::storage
