// A thin RAII layer over one sqlite3 connection with a prepared-statement cache.
// Not thread-safe: one connection is used by one thread at a time.
#pragma once

#include "core/clock.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace lifeline::storage::sqlite {

// A prepared statement borrowed from the cache; reset and unbound when it goes out of scope.
class Statement {
public:
    Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);
    // Binds NULL for a zero id/optional, the value otherwise.
    Statement& bind_optional(int index, std::optional<std::int64_t> value);

    // Steps once; true when a row is available. Throws BackendFailure on errors, Constraint on
    // constraint violations.
    bool step();
    // Steps to completion, expecting no rows.
    void run();

    std::int64_t integer(int column) const;
    std::string text(int column) const;
    bool is_null(int column) const;

private:
    sqlite3_stmt* stmt_;
    sqlite3* db_;
};

// Thrown when a statement violates a UNIQUE, CHECK or FOREIGN KEY constraint.
class Constraint : public std::exception {
public:
    explicit Constraint(std::string message) : message_(std::move(message)) {}
    const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string message_;
};

enum class OpenMode { ReadWrite, ReadOnly };

class Connection {
public:
    // Opens (creating when ReadWrite) the database file and applies our pragmas:
    // WAL, synchronous=FULL (every commit is fsynced), foreign keys, a busy timeout.
    // Throws BackendFailure when the file cannot be opened.
    Connection(const std::string& path, OpenMode mode);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs one or more statements without results. Throws BackendFailure.
    void exec(std::string_view sql);
    // A cached prepared statement for `sql` (which must be a string literal or otherwise stable).
    Statement prepare(std::string_view sql);
    std::int64_t last_insert_id() const;
    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Times are stored as INTEGER milliseconds since the epoch; NULL is "none".
std::optional<core::UtcTime> optional_time(const Statement& s, int column);
Statement& bind_time(Statement& s, int index, const std::optional<core::UtcTime>& t);

}  // namespace lifeline::storage::sqlite
