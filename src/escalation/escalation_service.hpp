// Escalation use-cases for people: admins edit policies and map services and organizations to them; everyone on
// staff manages their own contact methods and notification rules (admins anyone's); staff see and acknowledge
// escalations; the person paged acknowledges from a one-time link or by replying to the SMS.
#pragma once

#include "auth/user.hpp"
#include "escalation/escalator.hpp"
#include "storage/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <vector>

namespace lifeline::escalation {

struct TargetInput {
    std::string type;  // "user" or "schedule"
    std::int64_t id = 0;
    std::string email;  // a user may be named by email instead of id
};

struct LevelInput {
    std::vector<TargetInput> targets;
    std::int64_t timeout_seconds = 300;
};

struct PolicyInput {
    std::string name;
    std::string description;
    int repeat = 0;
    bool is_default = false;
    std::vector<LevelInput> levels;
};

// An escalation with what happened and whom it paged.
struct EscalationDetail {
    Escalation escalation;
    std::vector<Event> events;
    std::vector<Page> pages;
};

// What a one-time link is for, before and after it is used.
struct LinkView {
    Escalation escalation;
    Page page;
    bool used = false;
};

class EscalationService {
public:
    EscalationService(storage::Database& db, const core::Clock& clock, Escalator& escalator)
        : db_(db), clock_(clock), escalator_(escalator)
    {
    }

    // Policies. Create/update/delete: admins only. Errors: PermissionDenied, InvalidArgument (every field, targets
    // that are not staff or schedules), Conflict (name taken, another default, delete while in use), NotFound.
    boost::asio::awaitable<core::Result<Policy>> create_policy(const auth::Actor& actor, PolicyInput input);
    boost::asio::awaitable<core::Result<Policy>> update_policy(const auth::Actor& actor, std::int64_t id,
                                                               PolicyInput input);
    boost::asio::awaitable<core::Status> delete_policy(const auth::Actor& actor, std::int64_t id);
    core::Result<std::vector<Policy>> policies(const auth::Actor& actor);
    core::Result<Policy> policy(const auth::Actor& actor, std::int64_t id);

    // Which policy pages for a service's alerts or an organization's emergency tickets (0: none). Admins only.
    // Errors: PermissionDenied, NotFound (service, organization or policy).
    boost::asio::awaitable<core::Status> set_service_policy(const auth::Actor& actor, std::int64_t service_id,
                                                            std::int64_t policy_id);
    boost::asio::awaitable<core::Status> set_organization_policy(const auth::Actor& actor, std::string slug,
                                                                 std::int64_t policy_id);
    core::Result<std::int64_t> organization_policy(const auth::Actor& actor, std::string_view slug);

    // A person's contact methods and notification rules: the person themselves (staff) or an admin.
    // Errors: PermissionDenied, NotFound, InvalidArgument.
    core::Result<std::vector<ContactMethod>> contact_methods(const auth::Actor& actor, std::int64_t user_id);
    boost::asio::awaitable<core::Result<ContactMethod>> add_contact_method(const auth::Actor& actor,
                                                                           std::int64_t user_id, ContactMethod input);
    boost::asio::awaitable<core::Result<ContactMethod>>
    update_contact_method(const auth::Actor& actor, std::int64_t user_id, std::int64_t id, ContactMethod input);
    boost::asio::awaitable<core::Status> delete_contact_method(const auth::Actor& actor, std::int64_t user_id,
                                                               std::int64_t id);
    core::Result<std::vector<NotificationRule>> rules(const auth::Actor& actor, std::int64_t user_id);
    boost::asio::awaitable<core::Result<NotificationRule>> add_rule(const auth::Actor& actor, std::int64_t user_id,
                                                                    NotificationRule input);
    boost::asio::awaitable<core::Result<NotificationRule>> update_rule(const auth::Actor& actor, std::int64_t user_id,
                                                                       std::int64_t id, NotificationRule input);
    boost::asio::awaitable<core::Status> delete_rule(const auth::Actor& actor, std::int64_t user_id, std::int64_t id);

    // Escalations. Staff only.
    core::Result<std::vector<Escalation>> list(const auth::Actor& actor, bool open_only);
    core::Result<EscalationDetail> get(const auth::Actor& actor, std::int64_t id);
    // The newest escalation of each of these alerts (for alert lists), keyed by alert id.
    core::Result<std::vector<Escalation>> for_alerts(const auth::Actor& actor, const std::vector<std::int64_t>& ids);
    // Errors: PermissionDenied, NotFound, Conflict (already acknowledged or resolved: the message says by whom).
    boost::asio::awaitable<core::Result<Escalation>> acknowledge(const auth::Actor& actor, std::int64_t id,
                                                                 std::string via);

    // One-time links: the token is the credential. Errors: NotFound (unknown token).
    core::Result<LinkView> peek_link(std::string_view token);
    // Acknowledges as the person paged and uses up the link. Errors: NotFound, Gone-like Conflict when the link
    // was already used, Conflict when the escalation is no longer open.
    boost::asio::awaitable<core::Result<LinkView>> acknowledge_link(std::string token);

    // A reply to a page by SMS from `from` (E.164). Returns the text to answer with; never an error for what the
    // person wrote (the answer explains). Errors: Unavailable.
    boost::asio::awaitable<core::Result<std::string>> sms_reply(std::string from, std::string body);

    // Runs due timers once (the timer worker's tick). Blocking: not on an I/O thread.
    core::Result<Effects> run_due_blocking(int limit = 64);
    std::int64_t pending_jobs();
    std::uint64_t pages_count() const { return escalator_.pages_count(); }
    const PagingSettings& settings() const { return escalator_.settings(); }

private:
    core::Status may_manage(const auth::Actor& actor, std::int64_t user_id);
    core::Status resolve_levels(storage::Transaction& tx, const PolicyInput& input, Policy& out);
    Policy named(storage::Transaction& tx, Policy p);

    storage::Database& db_;
    const core::Clock& clock_;
    Escalator& escalator_;
};

}  // namespace lifeline::escalation
