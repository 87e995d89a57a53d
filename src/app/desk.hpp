// One open desk: the store and the services over it, in construction order.
#pragma once

#include "app/config.hpp"
#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "org/org_service.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "ticket/ticket_service.hpp"

#include <boost/asio/thread_pool.hpp>

#include <memory>

namespace lifeline::app {

struct Desk {
    explicit Desk(std::unique_ptr<storage::sqlite::SqliteDatabase> database)
        : db(std::move(database)), hashing(2), auth(*db, clock, hashing), tickets(*db, clock), orgs(*db)
    {
    }
    ~Desk() { hashing.join(); }

    std::unique_ptr<storage::sqlite::SqliteDatabase> db;
    core::SystemClock clock;
    boost::asio::thread_pool hashing;
    auth::AuthService auth;
    ticket::TicketService tickets;
    org::OrgService orgs;
};

enum class MustExist { Yes, No };

// Opens the store in config.data_dir (creating the folder and database unless MustExist::Yes).
// On failure prints one line to stderr and returns the sysexits code in `exit_code`.
std::unique_ptr<Desk> open_desk(const Config& config, MustExist must_exist, int& exit_code);

// Seeds realistic demo data: plans, organizations, agents, contacts and tickets in several states.
// Returns the sign-ins to print. Blocking.
std::vector<std::string> seed_demo(Desk& desk);

}  // namespace lifeline::app
