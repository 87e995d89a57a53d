// Storage interface for escalation policies, contact methods and notification rules, running escalations, pages
// and durable timers. Implementations live in storage/<backend>/.
#pragma once

#include "escalation/escalation.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::escalation {

class EscalationStore {
public:
    virtual ~EscalationStore() = default;

    // Policies. Errors: Conflict when the name is taken or another policy is already the default.
    virtual core::Result<std::int64_t> insert_policy(const Policy& policy) = 0;
    virtual core::Status update_policy(const Policy& policy) = 0;
    // False when a service, organization or escalation still uses it.
    virtual bool policy_in_use(std::int64_t id) = 0;
    virtual void delete_policy(std::int64_t id) = 0;
    virtual std::optional<Policy> find_policy(std::int64_t id) = 0;
    virtual std::optional<Policy> default_policy() = 0;
    virtual std::vector<Policy> policies() = 0;
    // Which policy a service or organization uses (0: none).
    virtual std::int64_t policy_of_service(std::int64_t service_id) = 0;
    virtual void set_service_policy(std::int64_t service_id, std::int64_t policy_id) = 0;
    virtual std::int64_t policy_of_organization(std::int64_t organization_id) = 0;
    virtual void set_organization_policy(std::int64_t organization_id, std::int64_t policy_id) = 0;
    // Policies that name this schedule or person as a target.
    virtual std::vector<std::string> policies_naming(Target target) = 0;

    // Contact methods and notification rules.
    virtual std::int64_t insert_contact_method(const ContactMethod& method) = 0;
    virtual void update_contact_method(const ContactMethod& method) = 0;
    virtual void delete_contact_method(std::int64_t id) = 0;
    virtual std::optional<ContactMethod> find_contact_method(std::int64_t id) = 0;
    virtual std::vector<ContactMethod> contact_methods(std::int64_t user_id) = 0;
    // People with an SMS contact method at this number.
    virtual std::vector<std::int64_t> users_with_phone(std::string_view e164) = 0;
    virtual std::int64_t insert_rule(const NotificationRule& rule) = 0;
    virtual void update_rule(const NotificationRule& rule) = 0;
    virtual void delete_rule(std::int64_t id) = 0;
    virtual std::optional<NotificationRule> find_rule(std::int64_t id) = 0;
    virtual std::vector<NotificationRule> rules(std::int64_t user_id) = 0;

    // Escalations and their log.
    virtual std::int64_t insert(const Escalation& escalation) = 0;
    virtual std::optional<Escalation> find(std::int64_t id) = 0;
    // The open (active or exhausted) escalation of an alert or ticket, if any.
    virtual std::optional<Escalation> find_open_for_alert(std::int64_t alert_id) = 0;
    virtual std::optional<Escalation> find_open_for_ticket(std::int64_t ticket_id) = 0;
    // The newest escalation of an alert, open or not.
    virtual std::optional<Escalation> latest_for_alert(std::int64_t alert_id) = 0;
    virtual void set_step(std::int64_t id, Step step, core::UtcTime now) = 0;
    virtual void set_state(std::int64_t id, State state, core::UtcTime now) = 0;
    virtual void set_acknowledged(std::int64_t id, std::int64_t user_id, std::string_view via, core::UtcTime now) = 0;
    // Newest first.
    virtual std::vector<Escalation> list(bool open_only, int limit) = 0;
    virtual void insert_event(const Event& event) = 0;
    virtual std::vector<Event> events(std::int64_t escalation_id) = 0;

    // Pages.
    virtual std::int64_t insert_page(const Page& page) = 0;
    virtual std::optional<Page> find_page(std::int64_t id) = 0;
    // One-time acknowledgement links: one per message sent for a page.
    virtual void insert_ack_link(std::int64_t page_id, std::string_view token_hash, core::UtcTime now) = 0;
    // The page of a link, with token_used_at set when the link was used.
    virtual std::optional<Page> find_page_by_link(std::string_view token_hash) = 0;
    virtual void use_ack_link(std::string_view token_hash, core::UtcTime now) = 0;
    virtual std::vector<Page> pages(std::int64_t escalation_id) = 0;
    // The newest page to any of these people whose escalation is still open.
    virtual std::optional<Page> newest_open_page(const std::vector<std::int64_t>& user_ids) = 0;

    // Durable timers.
    virtual void insert_job(const Job& job, core::UtcTime now) = 0;
    // Pending jobs due at `now`, soonest first. They stay pending until finish_job in the same transaction.
    virtual std::vector<Job> due_jobs(core::UtcTime now, int limit) = 0;
    virtual void finish_job(std::int64_t id, core::UtcTime now) = 0;
    // Cancels the pending jobs of an escalation and of its pages.
    virtual void cancel_jobs(std::int64_t escalation_id, core::UtcTime now) = 0;
    virtual std::int64_t pending_jobs() = 0;
    // When the soonest pending job is due, if any.
    virtual std::optional<core::UtcTime> next_job_due() = 0;
};

}  // namespace lifeline::escalation
