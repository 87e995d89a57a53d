#include "storage/sqlite/sqlite_database.hpp"

#include "core/embedded.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/stores.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lifeline::storage::sqlite_migrations {
std::span<const core::EmbeddedFile> files();
}

namespace lifeline::storage::sqlite {

namespace {

// The most works one commit carries; bounds the latency a batch adds to its first member.
constexpr std::size_t kMaxBatch = 512;

core::Status run_work(Transaction& tx, const Database::Work& work)
{
    try {
        return work(tx);
    } catch (const Constraint& e) {
        return core::Error::conflict(e.what());
    }
}

}  // namespace

std::vector<Migration> sqlite_migrations()
{
    std::vector<Migration> out;
    for (const auto& f : sqlite_migrations::files()) {
        auto name = std::string(f.path);
        if (name.size() > 4 && name.ends_with(".sql")) name.resize(name.size() - 4);
        out.push_back({name, f.data});
    }
    std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.name < b.name; });
    return out;
}

SqliteDatabase::SqliteDatabase(std::string path) : path_(std::move(path)) {}

core::Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path)
{
    std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(path));
    try {
        db->writer_ = std::make_unique<Connection>(path, OpenMode::ReadWrite);
        auto& c = *db->writer_;
        c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
        c.exec("BEGIN IMMEDIATE");
        try {
            for (const auto& m : sqlite_migrations()) {
                auto s = c.prepare("SELECT 1 FROM schema_migrations WHERE name = ?");
                s.bind(1, m.name);
                if (s.step()) continue;
                c.exec(m.sql);
                c.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, strftime('%s', 'now') * 1000)")
                    .bind(1, m.name)
                    .run();
                spdlog::info("applied migration {}", m.name);
            }
            c.exec("COMMIT");
        } catch (...) {
            c.exec("ROLLBACK");
            throw;
        }
    } catch (const std::exception& e) {
        return core::Error::unavailable(std::string("cannot open the database: ") + e.what());
    }
    db->thread_ = std::thread([raw = db.get()] { raw->writer_loop(); });
    return db;
}

SqliteDatabase::~SqliteDatabase()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::vector<std::string> SqliteDatabase::applied_migrations()
{
    std::vector<std::string> out;
    auto reader = take_reader();
    auto s = reader->prepare("SELECT name FROM schema_migrations ORDER BY name");
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

void SqliteDatabase::submit_write(Work work, Done done)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            done(core::Error::unavailable("the store is shutting down"));
            return;
        }
        queue_.push_back({std::move(work), std::move(done)});
    }
    wake_.notify_one();
}

std::size_t SqliteDatabase::write_queue_depth() const
{
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void SqliteDatabase::writer_loop()
{
    std::vector<Job> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            while (!queue_.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        run_batch(batch);
        batch.clear();
    }
}

void SqliteDatabase::run_batch(std::vector<Job>& batch)
{
    auto& c = *writer_;
    SqliteTransaction tx(c);
    std::vector<core::Status> results;
    results.reserve(batch.size());
    try {
        // Transaction control goes through the statement cache: re-parsing it per work showed in profiles.
        c.prepare("BEGIN IMMEDIATE").run();
        for (auto& job : batch) {
            c.prepare("SAVEPOINT work").run();
            core::Status status = core::Error::internal("the work did not run");
            try {
                status = run_work(tx, job.work);
            } catch (const std::exception& e) {
                spdlog::error("write failed: {}", e.what());
                status = core::Error::unavailable("the store could not complete the write");
            }
            if (!status) c.prepare("ROLLBACK TO work").run();
            c.prepare("RELEASE work").run();
            results.push_back(std::move(status));
        }
        c.prepare("COMMIT").run();
    } catch (const std::exception& e) {
        spdlog::error("commit of {} writes failed: {}", batch.size(), e.what());
        try {
            c.exec("ROLLBACK");
        } catch (const std::exception&) {
            // Already rolled back by SQLite (e.g. on SQLITE_FULL); nothing more to undo.
        }
        for (auto& job : batch)
            job.done(core::Error::unavailable("the store could not commit; nothing was saved"));
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i)
        batch[i].done(std::move(results[i]));
}

std::unique_ptr<Connection> SqliteDatabase::take_reader()
{
    {
        std::lock_guard lock(readers_mutex_);
        if (!readers_.empty()) {
            auto c = std::move(readers_.back());
            readers_.pop_back();
            return c;
        }
    }
    return std::make_unique<Connection>(path_, OpenMode::ReadOnly);
}

void SqliteDatabase::return_reader(std::unique_ptr<Connection> c)
{
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(c));
}

core::Status SqliteDatabase::read(const Work& work)
{
    std::unique_ptr<Connection> c;
    try {
        c = take_reader();
        c->prepare("BEGIN").run();
        SqliteTransaction tx(*c);
        auto status = run_work(tx, work);
        c->prepare("COMMIT").run();
        return_reader(std::move(c));
        return status;
    } catch (const std::exception& e) {
        spdlog::error("read failed: {}", e.what());
        return core::Error::unavailable("the store could not be read");
    }
}

}  // namespace lifeline::storage::sqlite
