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

// Scheduled maintenance: due_maintenances finds exactly the open ones at an edge of their window that the flags let
// move, with their components; updates keep the component transitions they made.
TEST_P(StoreContract, DueMaintenancesAreTheOpenOnesAtAnEdgeOfTheirWindow)
{
    auto db = open();
    auto t0 = core::from_unix_ms(1'800'000'000'000);
    auto hour = std::chrono::hours(1);
    ASSERT_TRUE(db->write_blocking([&](Transaction& tx) -> core::Status {
        status::Component c;
        c.name = "API";
        auto component = tx.status().insert_component(c);
        if (!component) return component.error();
        auto add = [&](std::string name, status::MaintenanceStatus s, bool auto_start, bool auto_complete) {
            status::Maintenance m;
            m.name = std::move(name);
            m.status = s;
            m.scheduled_for = t0;
            m.scheduled_until = t0 + hour;
            m.auto_start = auto_start;
            m.auto_complete = auto_complete;
            m.component_ids = {*component, *component};
            return tx.maintenances().insert_maintenance(m);
        };
        add("starts", status::MaintenanceStatus::Scheduled, true, true);
        add("started by hand only", status::MaintenanceStatus::Scheduled, false, true);
        add("running", status::MaintenanceStatus::InProgress, true, true);
        add("running, ended by hand", status::MaintenanceStatus::Verifying, true, false);
        add("done", status::MaintenanceStatus::Completed, true, true);
        status::MaintenanceUpdate u;
        u.maintenance_id = 1;
        u.body = "Starting.";
        u.affected = {
            {*component, "API", status::ComponentStatus::Operational, status::ComponentStatus::UnderMaintenance}};
        tx.maintenances().insert_maintenance_update(u);
        return core::Ok{};
    }));
    auto names = [&](core::UtcTime now) {
        std::vector<std::string> out;
        EXPECT_TRUE(db->read([&](Transaction& tx) -> core::Status {
            for (const auto& m : tx.maintenances().due_maintenances(now, 10)) {
                EXPECT_EQ(m.component_ids.size(), 1u) << m.name;
                out.push_back(m.name);
            }
            return core::Ok{};
        }));
        return out;
    };
    EXPECT_TRUE(names(t0 - std::chrono::minutes(1)).empty());
    EXPECT_EQ(names(t0), std::vector<std::string>{"starts"});
    EXPECT_EQ(names(t0 + hour), (std::vector<std::string>{"starts", "running"}));
    ASSERT_TRUE(db->read([&](Transaction& tx) -> core::Status {
        EXPECT_EQ(tx.maintenances().maintenances(true, 10).size(), 4u);
        EXPECT_EQ(tx.maintenances().maintenances(false, 10).size(), 5u);
        auto updates = tx.maintenances().maintenance_updates(1);
        EXPECT_EQ(updates.size(), 1u);
        if (updates.size() == 1) {
            EXPECT_EQ(updates[0].author_id, 0);
            EXPECT_EQ(updates[0].affected.size(), 1u);
            for (const auto& a : updates[0].affected)
                EXPECT_EQ(a.new_status, status::ComponentStatus::UnderMaintenance);
        }
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
