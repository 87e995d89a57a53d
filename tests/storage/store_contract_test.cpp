// Behaviour every store backend must have. Parameterised by backend; SQLite is the embedded one.
#include "core/sync_wait.hpp"
#include "storage/async.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace lifeline::storage {
namespace {

using Factory = std::function<std::unique_ptr<Database>(const std::string& dir)>;

struct Backend {
    std::string name;
    Factory open;
};

// Names the backend in test output instead of dumping its bytes.
void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

class StoreContract : public ::testing::TestWithParam<Backend> {
protected:
    std::unique_ptr<Database> open() { return GetParam().open(dir.path()); }
    lifeline::testing::TempDir dir;
};

auth::User contact(std::string email)
{
    auth::User u;
    u.email = std::move(email);
    u.name = "C";
    u.role = auth::Role::Contact;
    return u;
}

TEST_P(StoreContract, ConcurrentWritesAllCommitAndSurviveReopen)
{
    constexpr int kWriters = 8, kEach = 200;
    {
        auto db = open();
        std::vector<std::thread> threads;
        std::atomic<int> ok{0};
        for (int w = 0; w < kWriters; ++w)
            threads.emplace_back([&, w] {
                for (int i = 0; i < kEach; ++i) {
                    auto email = "u" + std::to_string(w) + "-" + std::to_string(i) + "@x.test";
                    auto s = db->write_blocking([&](Transaction& tx) -> core::Status {
                        auto id = tx.auth().insert_user(contact(email), core::UtcTime{});
                        if (!id) return id.error();
                        return core::Ok{};
                    });
                    if (s) ok++;
                }
            });
        for (auto& t : threads) t.join();
        EXPECT_EQ(ok.load(), kWriters * kEach);
    }
    auto db = open();
    int found = 0;
    ASSERT_TRUE(db->read([&](Transaction& tx) -> core::Status {
        for (int w = 0; w < kWriters; ++w)
            for (int i = 0; i < kEach; ++i)
                found += tx.auth().find_user_by_email("u" + std::to_string(w) + "-" + std::to_string(i) + "@x.test") ? 1 : 0;
        return core::Ok{};
    }));
    EXPECT_EQ(found, kWriters * kEach);
}

TEST_P(StoreContract, AFailingWorkRollsBackOnlyItself)
{
    auto db = open();
    std::vector<std::future<core::Status>> results;
    std::vector<std::promise<core::Status>> promises(3);
    for (int i = 0; i < 3; ++i) results.push_back(promises[i].get_future());
    db->submit_write([](Transaction& tx) -> core::Status {
        (void)tx.auth().insert_user(contact("a@x.test"), core::UtcTime{});
        return core::Ok{};
    }, [&](core::Status s) { promises[0].set_value(s); });
    db->submit_write([](Transaction& tx) -> core::Status {
        (void)tx.auth().insert_user(contact("b@x.test"), core::UtcTime{});
        return core::Error::invalid("changed my mind");
    }, [&](core::Status s) { promises[1].set_value(s); });
    db->submit_write([](Transaction& tx) -> core::Status {
        (void)tx.auth().insert_user(contact("c@x.test"), core::UtcTime{});
        return core::Ok{};
    }, [&](core::Status s) { promises[2].set_value(s); });
    EXPECT_TRUE(results[0].get());
    EXPECT_FALSE(results[1].get());
    EXPECT_TRUE(results[2].get());
    ASSERT_TRUE(db->read([](Transaction& tx) -> core::Status {
        EXPECT_TRUE(tx.auth().find_user_by_email("a@x.test"));
        EXPECT_FALSE(tx.auth().find_user_by_email("b@x.test"));
        EXPECT_TRUE(tx.auth().find_user_by_email("c@x.test"));
        return core::Ok{};
    }));
}

TEST_P(StoreContract, UniqueViolationsAreConflicts)
{
    auto db = open();
    ASSERT_TRUE(db->write_blocking([](Transaction& tx) -> core::Status {
        auto first = tx.auth().insert_user(contact("dup@x.test"), core::UtcTime{});
        EXPECT_TRUE(first);
        auto second = tx.auth().insert_user(contact("dup@x.test"), core::UtcTime{});
        EXPECT_FALSE(second);
        EXPECT_EQ(second.error().code(), core::ErrorCode::Conflict);
        return core::Ok{};
    }));
}

TEST_P(StoreContract, AwaitingAWriteResumesTheCoroutine)
{
    auto db = open();
    auto status = core::sync_wait(write(*db, [](Transaction& tx) -> core::Status {
        auto id = tx.auth().insert_user(contact("co@x.test"), core::UtcTime{});
        if (!id) return id.error();
        return core::Ok{};
    }));
    EXPECT_TRUE(status);
}

TEST_P(StoreContract, TicketScopeIsEnforcedByTheStore)
{
    auto db = open();
    ASSERT_TRUE(db->write_blocking([](Transaction& tx) -> core::Status {
        org::Organization a;
        a.name = "A";
        a.slug = "a";
        org::Organization b;
        b.name = "B";
        b.slug = "b";
        auto ia = *tx.orgs().insert(a);
        auto ib = *tx.orgs().insert(b);
        auto u = contact("req@x.test");
        u.organization_id = ia;
        auto requester = *tx.auth().insert_user(u, core::UtcTime{});
        for (auto org : {ia, ib}) {
            ticket::Ticket t;
            t.subject = "s";
            t.requester_id = requester;
            t.organization_id = org;
            tx.tickets().insert(t);
        }
        auth::Scope in_a{false, ia, {}};
        EXPECT_EQ(tx.tickets().list({}, in_a).size(), 1u);
        EXPECT_TRUE(tx.tickets().find(ticket::TicketId{1}, in_a));
        EXPECT_FALSE(tx.tickets().find(ticket::TicketId{2}, in_a));
        EXPECT_EQ(tx.tickets().list({}, auth::Scope::everything()).size(), 2u);
        auth::Scope own{false, {}, requester};
        EXPECT_EQ(tx.tickets().list({}, own).size(), 2u);
        return core::Ok{};
    }));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract,
                         ::testing::Values(Backend{"sqlite",
                                                   [](const std::string& dir) -> std::unique_ptr<Database> {
                                                       auto db = sqlite::SqliteDatabase::open(dir + "/lifeline.db");
                                                       if (!db) throw std::runtime_error(db.error().message());
                                                       return std::move(db).value();
                                                   }}),
                         [](const auto& info) { return info.param.name; });

TEST(SqliteMigrations, ApplyFromEmptyOnceAndInOrder)
{
    lifeline::testing::TempDir dir;
    auto names = [&] {
        auto db = sqlite::SqliteDatabase::open(dir.path() + "/lifeline.db");
        return (*db)->applied_migrations();
    };
    auto first = names();
    auto second = names();
    EXPECT_EQ(first, second);
    auto embedded = sqlite::sqlite_migrations();
    ASSERT_EQ(first.size(), embedded.size());
    for (std::size_t i = 0; i < embedded.size(); ++i) EXPECT_EQ(first[i], embedded[i].name);
    EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
}

TEST(SqliteDatabase, UnopenablePathIsUnavailable)
{
    auto db = sqlite::SqliteDatabase::open("/proc/no/such/dir/lifeline.db");
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code(), core::ErrorCode::Unavailable);
}

}  // namespace
}  // namespace lifeline::storage
