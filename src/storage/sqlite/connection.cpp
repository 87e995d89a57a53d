#include "storage/sqlite/connection.hpp"

#include "storage/database.hpp"

#include <sqlite3.h>

namespace lifeline::storage::sqlite {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what)
{
    std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if ((rc & 0xFF) == SQLITE_CONSTRAINT) throw Constraint(message);
    throw BackendFailure(message);
}

}  // namespace

Statement::~Statement()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value)
{
    if (int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes)
{
    if (int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT); rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind_null(int index)
{
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind_optional(int index, std::optional<std::int64_t> value)
{
    if (!value || *value == 0) return bind_null(index);
    return bind(index, *value);
}

bool Statement::step()
{
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, "step");
}

void Statement::run()
{
    while (step()) {
    }
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const
{
    // For BLOB columns this returns the bytes unchanged; the size comes from sqlite3_column_bytes.
    auto* p = sqlite3_column_text(stmt_, column);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::is_null(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Connection::Connection(const std::string& path, OpenMode mode)
{
    int flags = SQLITE_OPEN_NOMUTEX |
                (mode == OpenMode::ReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
    if (int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
        std::string message = "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw BackendFailure(message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    if (mode == OpenMode::ReadWrite) exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY");
}

Connection::~Connection()
{
    for (auto& [sql, stmt] : cache_)
        sqlite3_finalize(stmt);
    sqlite3_close(db_);
}

void Connection::exec(std::string_view sql)
{
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        if ((rc & 0xFF) == SQLITE_CONSTRAINT) throw Constraint(message);
        throw BackendFailure("sqlite: " + message);
    }
}

Statement Connection::prepare(std::string_view sql)
{
    std::string key(sql);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        sqlite3_stmt* stmt = nullptr;
        if (int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                        nullptr);
            rc != SQLITE_OK)
            fail(db_, rc, "prepare");
        it = cache_.emplace(std::move(key), stmt).first;
    }
    return Statement(it->second, db_);
}

std::int64_t Connection::last_insert_id() const
{
    return sqlite3_last_insert_rowid(db_);
}

std::optional<core::UtcTime> optional_time(const Statement& s, int column)
{
    if (s.is_null(column)) return std::nullopt;
    return core::from_unix_ms(s.integer(column));
}

Statement& bind_time(Statement& s, int index, const std::optional<core::UtcTime>& t)
{
    if (t) return s.bind(index, core::to_unix_ms(*t));
    return s.bind_null(index);
}

}  // namespace lifeline::storage::sqlite
