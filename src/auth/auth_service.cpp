#include "auth/auth_service.hpp"

#include "auth/secrets.hpp"
#include "core/text.hpp"
#include "storage/async.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lifeline::auth {

namespace {

constexpr auto kSessionLifetime = std::chrono::hours(12);
constexpr std::string_view kWrongCredentials = "the email or password is not correct";

// Compared against when the email is unknown so that both failures take the same time.
const std::string& decoy_hash()
{
    static const std::string hash = [] {
        auto h = hash_password("decoy-password-never-valid");
        return h ? *h : std::string();
    }();
    return hash;
}

}  // namespace

Actor actor_of(const User& user)
{
    return Actor{user.id, user.role, user.organization_id, user.name, user.email};
}

core::Result<Actor> AuthService::authenticate_token(std::string_view token)
{
    if (token.empty()) return core::Error::unauthenticated("an API token is required");
    std::optional<User> user;
    auto hash = token_hash(token);
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        user = tx.auth().find_user_by_token_hash(hash);
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!user) return core::Error::unauthenticated("the API token is not valid");
    return actor_of(*user);
}

boost::asio::awaitable<core::Result<SignedIn>> AuthService::sign_in(std::string email, std::string password)
{
    email = core::ascii_lower(core::trim(email));
    std::optional<User> user;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        user = tx.auth().find_user_by_email(email);
        return core::Ok{};
    });
    if (!status) co_return status.error();

    auto home = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(hashing_, boost::asio::use_awaitable);
    bool ok = user && !user->password_hash.empty() ? verify_password(password, user->password_hash)
                                                   : (verify_password(password, decoy_hash()), false);
    co_await boost::asio::post(home, boost::asio::use_awaitable);
    if (!ok) co_return core::Error::unauthenticated(std::string(kWrongCredentials));

    SignedIn out{random_token("s_"), random_token("", 24), actor_of(*user)};
    auto now = clock_.now();
    auto write = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        tx.auth().insert_session(user->id, token_hash(out.session_token), out.csrf_token, now, now + kSessionLifetime);
        return core::Ok{};
    });
    if (!write) co_return write.error();
    co_return out;
}

core::Result<SessionState> AuthService::session(std::string_view session_token)
{
    if (session_token.empty()) return core::Error::unauthenticated("please sign in");
    std::optional<std::pair<Session, User>> found;
    auto hash = token_hash(session_token);
    auto now = clock_.now();
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        found = tx.auth().find_session(hash, now);
        return core::Ok{};
    });
    if (!status) return status.error();
    if (!found) return core::Error::unauthenticated("your session has expired; please sign in again");
    return SessionState{actor_of(found->second), found->first.csrf_token};
}

boost::asio::awaitable<core::Status> AuthService::sign_out(std::string session_token)
{
    auto hash = token_hash(session_token);
    co_return co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        tx.auth().delete_session(hash);
        return core::Ok{};
    });
}

boost::asio::awaitable<core::Result<User>> AuthService::create_user(const Actor& actor, User user,
                                                                    std::string organization_slug, std::string password)
{
    if (!actor.is_staff()) co_return core::Error::denied("only staff add people");
    if (user.is_staff() && !actor.is_admin()) co_return core::Error::denied("only admins add staff");
    if (user.is_staff() && !organization_slug.empty())
        co_return core::Error::invalid("the user is not valid",
                                       {{"organization", "staff do not belong to a customer"}});
    auto valid = user.validated();
    if (!valid) co_return valid.error();
    if (!password.empty()) {
        auto home = co_await boost::asio::this_coro::executor;
        co_await boost::asio::post(hashing_, boost::asio::use_awaitable);
        auto hash = hash_password(password);
        co_await boost::asio::post(home, boost::asio::use_awaitable);
        if (!hash) co_return hash.error();
        valid->password_hash = *hash;
    }
    auto now = clock_.now();
    auto status = co_await storage::write(db_, [&](storage::Transaction& tx) -> core::Status {
        if (!organization_slug.empty()) {
            auto o = tx.orgs().find_by_slug(organization_slug);
            if (!o)
                return core::Error::invalid("the user is not valid",
                                            {{"organization", "no organization '" + organization_slug + "'"}});
            valid->organization_id = o->id;
        }
        auto id = tx.auth().insert_user(*valid, now);
        if (!id) return id.error();
        valid->id = *id;
        return core::Ok{};
    });
    if (!status) co_return status.error();
    valid->password_hash.clear();
    co_return std::move(valid).value();
}

core::Result<std::vector<User>> AuthService::staff(const Actor& actor)
{
    if (!actor.is_staff()) return core::Error::denied("only staff list the team");
    std::vector<User> out;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        out = tx.auth().list_staff();
        return core::Ok{};
    });
    if (!status) return status.error();
    for (auto& u : out)
        u.password_hash.clear();
    return out;
}

core::Result<UserId> AuthService::create_user_blocking(User user, std::string_view password)
{
    auto valid = user.validated();
    if (!valid) return valid.error();
    if (!password.empty()) {
        auto hash = hash_password(password);
        if (!hash) return hash.error();
        valid->password_hash = *hash;
    }
    UserId id;
    auto now = clock_.now();
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        auto inserted = tx.auth().insert_user(*valid, now);
        if (!inserted) return inserted.error();
        id = *inserted;
        return core::Ok{};
    });
    if (!status) return status.error();
    return id;
}

core::Result<std::string> AuthService::create_token_blocking(std::string_view email, std::string_view label)
{
    auto token = random_token("ll_");
    auto hash = token_hash(token);
    auto address = core::ascii_lower(core::trim(email));
    auto now = clock_.now();
    auto status = db_.write_blocking([&](storage::Transaction& tx) -> core::Status {
        auto user = tx.auth().find_user_by_email(address);
        if (!user) return core::Error::not_found("no user with email '" + address + "'");
        tx.auth().insert_api_token(user->id, hash, label, now);
        return core::Ok{};
    });
    if (!status) return status.error();
    return token;
}

core::Result<bool> AuthService::has_admin()
{
    bool found = false;
    auto status = db_.read([&](storage::Transaction& tx) -> core::Status {
        for (const auto& u : tx.auth().list_staff())
            if (u.role == Role::Admin) found = true;
        return core::Ok{};
    });
    if (!status) return status.error();
    return found;
}

}  // namespace lifeline::auth
