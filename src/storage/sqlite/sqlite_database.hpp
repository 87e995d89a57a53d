// The embedded store: one SQLite file in WAL mode, one writer thread doing group commits,
// and a pool of read connections used on the calling threads.
#pragma once

#include "storage/database.hpp"
#include "storage/migrate.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lifeline::storage::sqlite {

class Connection;

class SqliteDatabase final : public Database {
public:
    // Opens (creating) `path`, applies pending migrations under the write lock and starts the writer.
    // Errors: Unavailable when the file cannot be opened or a migration fails.
    static core::Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path);
    ~SqliteDatabase() override;

    void submit_write(Work work, Done done) override;
    core::Status read(const Work& work) override;
    std::size_t write_queue_depth() const override;

    // The migrations applied, oldest first.
    std::vector<std::string> applied_migrations();

private:
    struct Job {
        Work work;
        Done done;
    };

    explicit SqliteDatabase(std::string path);
    void writer_loop();
    void run_batch(std::vector<Job>& batch);
    std::unique_ptr<Connection> take_reader();
    void return_reader(std::unique_ptr<Connection> c);

    std::string path_;
    std::unique_ptr<Connection> writer_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;

    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Connection>> readers_;
};

// The SQLite migrations compiled into the binary, sorted by name.
std::vector<Migration> sqlite_migrations();

}  // namespace lifeline::storage::sqlite
