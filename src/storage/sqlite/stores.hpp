// The domain stores implemented over one SQLite connection.
#pragma once

#include "storage/database.hpp"
#include "storage/sqlite/connection.hpp"

namespace lifeline::storage::sqlite {

class SqliteOrgStore final : public org::OrgStore {
public:
    explicit SqliteOrgStore(Connection& c) : c_(c) {}
    core::Result<org::OrganizationId> insert(const org::Organization& org) override;
    std::optional<org::Organization> find(org::OrganizationId id) override;
    std::optional<org::Organization> find_by_slug(std::string_view slug) override;
    std::optional<org::Organization> find_by_email_domain(std::string_view domain) override;
    std::vector<org::Organization> list() override;

private:
    Connection& c_;
};

class SqlitePlanStore final : public plan::PlanStore {
public:
    explicit SqlitePlanStore(Connection& c) : c_(c) {}
    plan::PlanId insert(const plan::SupportPlan& plan) override;
    std::optional<plan::SupportPlan> find(plan::PlanId id) override;
    std::vector<plan::SupportPlan> list() override;

private:
    plan::SupportPlan load_details(plan::SupportPlan p);
    Connection& c_;
};

class SqliteAuthStore final : public auth::AuthStore {
public:
    explicit SqliteAuthStore(Connection& c) : c_(c) {}
    core::Result<auth::UserId> insert_user(const auth::User& user, core::UtcTime now) override;
    std::optional<auth::User> find_user(auth::UserId id) override;
    std::optional<auth::User> find_user_by_email(std::string_view email) override;
    std::vector<auth::User> list_staff() override;
    void set_password_hash(auth::UserId id, std::string_view hash) override;
    void insert_api_token(auth::UserId user, std::string_view token_hash, std::string_view label,
                          core::UtcTime now) override;
    std::optional<auth::User> find_user_by_token_hash(std::string_view token_hash) override;
    void insert_session(auth::UserId user, std::string_view token_hash, std::string_view csrf_token, core::UtcTime now,
                        core::UtcTime expires_at) override;
    std::optional<std::pair<auth::Session, auth::User>> find_session(std::string_view token_hash,
                                                                     core::UtcTime now) override;
    void delete_session(std::string_view token_hash) override;

private:
    Connection& c_;
};

class SqliteTicketStore final : public ticket::TicketStore {
public:
    explicit SqliteTicketStore(Connection& c) : c_(c) {}
    ticket::TicketId insert(const ticket::Ticket& ticket) override;
    void set_acknowledgement(ticket::TicketId id, std::string_view text) override;
    std::optional<ticket::Ticket> find(ticket::TicketId id, const auth::Scope& scope) override;
    std::vector<ticket::Ticket> list(const ticket::ListFilter& filter, const auth::Scope& scope) override;
    void update_status(ticket::TicketId id, ticket::Status status, core::UtcTime now) override;
    void update_assignee(ticket::TicketId id, auth::UserId assignee, core::UtcTime now) override;
    void mark_first_response(ticket::TicketId id, core::UtcTime at) override;
    void touch(ticket::TicketId id, core::UtcTime now) override;
    std::int64_t insert_message(const ticket::Message& message) override;
    std::vector<ticket::Message> messages(ticket::TicketId id, ticket::IncludeInternal include) override;
    void insert_event(const ticket::TimelineEvent& event) override;
    std::vector<ticket::TimelineEvent> timeline(ticket::TicketId id) override;
    std::optional<ticket::IdempotentRecord> find_idempotent(auth::UserId user, std::string_view key) override;
    void insert_idempotent(auth::UserId user, std::string_view key, std::string_view request_hash,
                           ticket::TicketId ticket, core::UtcTime now) override;
    std::int64_t count_open() override;
    std::optional<std::string> find_template(std::string_view name) override;
    void put_template(std::string_view name, std::string_view body, core::UtcTime now) override;

private:
    Connection& c_;
};

class SqliteOutboxStore final : public notify::OutboxStore {
public:
    explicit SqliteOutboxStore(Connection& c) : c_(c) {}
    std::int64_t enqueue(const notify::OutboxMessage& message) override;
    std::vector<notify::OutboxMessage> claim_due(core::UtcTime now, int limit) override;
    void mark_sent(std::int64_t id, core::UtcTime at) override;
    void mark_retry(std::int64_t id, core::UtcTime next, std::string_view error) override;
    void mark_dead(std::int64_t id, std::string_view error) override;
    bool requeue(std::int64_t id, core::UtcTime now) override;
    std::vector<notify::OutboxMessage> recover_sending(core::UtcTime now) override;
    std::optional<notify::OutboxMessage> find(std::int64_t id) override;
    std::vector<notify::OutboxMessage> for_ticket(ticket::TicketId id) override;
    std::vector<notify::OutboxMessage> dead_letters(int limit) override;
    bool record_bounce(std::string_view message_id, std::string_view text) override;
    std::int64_t count_recent(std::string_view recipient, std::string_view kind, core::UtcTime since) override;
    std::int64_t pending() override;

private:
    Connection& c_;
};

class SqliteEmailStore final : public intake::email::EmailStore {
public:
    explicit SqliteEmailStore(Connection& c) : c_(c) {}
    std::optional<intake::email::EmailRecord> find_inbound(std::string_view message_id) override;
    std::optional<ticket::TicketId> ticket_for_message_id(std::string_view message_id) override;
    std::int64_t insert(const intake::email::EmailRecord& email, std::string_view raw) override;
    void insert_attachment(const intake::email::AttachmentRecord& attachment, std::string_view data) override;
    std::vector<intake::email::AttachmentRecord> attachments_for_ticket(ticket::TicketId id) override;
    std::optional<std::pair<intake::email::AttachmentRecord, std::string>> attachment(std::int64_t id) override;
    std::vector<std::string> thread_ids(ticket::TicketId id) override;
    std::int64_t hold(std::string_view from, std::string_view subject, std::string_view reason, std::string_view raw,
                      core::UtcTime now) override;
    std::string raw(std::int64_t email_id) override;
    std::vector<intake::email::HeldEmail> held(int limit) override;
    std::optional<std::string> held_raw(std::int64_t id) override;
    void delete_held(std::int64_t id) override;

private:
    Connection& c_;
};

class SqliteAlertStore final : public alert::AlertStore {
public:
    explicit SqliteAlertStore(Connection& c) : c_(c) {}
    core::Result<std::int64_t> insert_service(const alert::Service& service) override;
    std::optional<alert::Service> find_service_by_key(std::string_view integration_key) override;
    std::vector<alert::Service> services() override;
    std::optional<alert::Service> find_service(std::int64_t id) override;
    std::optional<alert::Alert> find_open(std::int64_t service_id, std::string_view dedup_key) override;
    std::optional<alert::Alert> find(std::int64_t id) override;
    std::int64_t insert(const alert::Alert& alert) override;
    std::optional<std::int64_t> add_event(std::int64_t service_id, std::string_view dedup_key,
                                          core::UtcTime now) override;
    void set_status(std::int64_t id, alert::AlertStatus status, core::UtcTime now) override;
    std::vector<alert::Alert> list(bool open_only, int limit) override;
    std::int64_t count_opened_since(std::int64_t service_id, std::string_view dedup_key, core::UtcTime since) override;

private:
    Connection& c_;
};

class SqliteScheduleStore final : public schedule::ScheduleStore {
public:
    explicit SqliteScheduleStore(Connection& c) : c_(c) {}
    core::Result<std::int64_t> insert(const schedule::Schedule& schedule, core::UtcTime now) override;
    std::optional<schedule::Schedule> find(std::int64_t id) override;
    std::vector<schedule::Schedule> list() override;
    core::Status update(const schedule::Schedule& schedule) override;
    bool remove(std::int64_t id) override;
    bool set_feed_token_hash(std::int64_t id, std::string_view hash) override;
    std::optional<schedule::Schedule> find_by_feed_token_hash(std::string_view hash) override;

private:
    Connection& c_;
};

class SqliteEscalationStore final : public escalation::EscalationStore {
public:
    explicit SqliteEscalationStore(Connection& c) : c_(c) {}
    core::Result<std::int64_t> insert_policy(const escalation::Policy& policy) override;
    core::Status update_policy(const escalation::Policy& policy) override;
    bool policy_in_use(std::int64_t id) override;
    void delete_policy(std::int64_t id) override;
    std::optional<escalation::Policy> find_policy(std::int64_t id) override;
    std::optional<escalation::Policy> default_policy() override;
    std::vector<escalation::Policy> policies() override;
    std::int64_t policy_of_service(std::int64_t service_id) override;
    void set_service_policy(std::int64_t service_id, std::int64_t policy_id) override;
    std::int64_t policy_of_organization(std::int64_t organization_id) override;
    void set_organization_policy(std::int64_t organization_id, std::int64_t policy_id) override;
    std::vector<std::string> policies_naming(escalation::Target target) override;
    std::int64_t insert_contact_method(const escalation::ContactMethod& method) override;
    void update_contact_method(const escalation::ContactMethod& method) override;
    void delete_contact_method(std::int64_t id) override;
    std::optional<escalation::ContactMethod> find_contact_method(std::int64_t id) override;
    std::vector<escalation::ContactMethod> contact_methods(std::int64_t user_id) override;
    std::vector<std::int64_t> users_with_phone(std::string_view e164) override;
    std::int64_t insert_rule(const escalation::NotificationRule& rule) override;
    void update_rule(const escalation::NotificationRule& rule) override;
    void delete_rule(std::int64_t id) override;
    std::optional<escalation::NotificationRule> find_rule(std::int64_t id) override;
    std::vector<escalation::NotificationRule> rules(std::int64_t user_id) override;
    std::int64_t insert(const escalation::Escalation& escalation) override;
    std::optional<escalation::Escalation> find(std::int64_t id) override;
    std::optional<escalation::Escalation> find_open_for_alert(std::int64_t alert_id) override;
    std::optional<escalation::Escalation> find_open_for_ticket(std::int64_t ticket_id) override;
    std::optional<escalation::Escalation> latest_for_alert(std::int64_t alert_id) override;
    void set_step(std::int64_t id, escalation::Step step, core::UtcTime now) override;
    void set_state(std::int64_t id, escalation::State state, core::UtcTime now) override;
    void set_acknowledged(std::int64_t id, std::int64_t user_id, std::string_view via, core::UtcTime now) override;
    std::vector<escalation::Escalation> list(bool open_only, int limit) override;
    void insert_event(const escalation::Event& event) override;
    std::vector<escalation::Event> events(std::int64_t escalation_id) override;
    std::int64_t insert_page(const escalation::Page& page) override;
    std::optional<escalation::Page> find_page(std::int64_t id) override;
    void insert_ack_link(std::int64_t page_id, std::string_view token_hash, core::UtcTime now) override;
    std::optional<escalation::Page> find_page_by_link(std::string_view token_hash) override;
    void use_ack_link(std::string_view token_hash, core::UtcTime now) override;
    std::vector<escalation::Page> pages(std::int64_t escalation_id) override;
    std::optional<escalation::Page> newest_open_page(const std::vector<std::int64_t>& user_ids) override;
    void insert_job(const escalation::Job& job, core::UtcTime now) override;
    std::vector<escalation::Job> due_jobs(core::UtcTime now, int limit) override;
    void finish_job(std::int64_t id, core::UtcTime now) override;
    void cancel_jobs(std::int64_t escalation_id, core::UtcTime now) override;
    std::int64_t pending_jobs() override;
    std::optional<core::UtcTime> next_job_due() override;

private:
    Connection& c_;
};

class SqliteMonitorStore final : public monitor::MonitorStore {
public:
    explicit SqliteMonitorStore(Connection& c) : c_(c) {}
    core::Result<std::int64_t> insert(const monitor::Monitor& monitor) override;
    core::Status update(const monitor::Monitor& monitor) override;
    bool remove(std::int64_t id) override;
    std::optional<monitor::Monitor> find(std::int64_t id) override;
    std::optional<monitor::Monitor> find_by_token_hash(std::string_view token_hash) override;
    std::vector<monitor::Monitor> list() override;
    std::vector<monitor::Monitor> claim_due(core::UtcTime now, core::UtcTime held_until, int limit) override;
    std::int64_t release_claims() override;
    std::optional<core::UtcTime> next_due(core::UtcTime now) override;
    void record(std::int64_t id, const monitor::CheckRecord& check, const monitor::Step& step,
                core::UtcTime next_check_at, core::UtcTime now) override;
    void release(std::int64_t id) override;
    std::vector<monitor::Monitor> pending_alerts(int limit) override;
    void clear_pending_alert(std::int64_t id, monitor::AlertAction action) override;
    std::vector<monitor::CheckRecord> recent_checks(std::int64_t id, int limit) override;
    monitor::UptimeCounts uptime(std::int64_t id, core::UtcTime since) override;
    std::vector<monitor::HourCounts> hourly_uptime(std::int64_t id, core::UtcTime since) override;
    std::int64_t prune(core::UtcTime before, int limit) override;

private:
    Connection& c_;
};

class SqliteIncidentStore final : public incident::IncidentStore {
public:
    explicit SqliteIncidentStore(Connection& c) : c_(c) {}
    std::int64_t insert(const incident::Incident& incident) override;
    void update(const incident::Incident& incident) override;
    std::optional<incident::Incident> find(std::int64_t id) override;
    std::vector<incident::Incident> list(bool open_only, int limit) override;
    std::vector<incident::Incident> overdue_updates(core::UtcTime now,
                                                    std::chrono::milliseconds escalate_after) override;
    std::int64_t insert_update(const incident::Update& update) override;
    std::vector<incident::Update> updates(std::int64_t incident_id) override;
    bool link_ticket(std::int64_t incident_id, std::int64_t ticket_id, std::int64_t by, core::UtcTime now) override;
    std::vector<incident::LinkedTicket> tickets(std::int64_t incident_id) override;
    std::vector<std::int64_t> incidents_of_ticket(std::int64_t ticket_id) override;
    bool link_alert(std::int64_t incident_id, std::int64_t alert_id, core::UtcTime now) override;
    std::vector<incident::LinkedAlert> alerts(std::int64_t incident_id) override;
    std::int64_t insert_step(const incident::Step& step) override;
    void update_step(const incident::Step& step) override;
    std::optional<incident::Step> find_step(std::int64_t id) override;
    std::vector<incident::Step> steps(std::int64_t incident_id) override;
    std::vector<incident::Step> overdue_steps(core::UtcTime now) override;
    std::int64_t insert_action_item(const incident::ActionItem& item) override;
    void set_action_item_done(std::int64_t id, std::optional<core::UtcTime> done_at) override;
    std::vector<incident::ActionItem> action_items(std::int64_t incident_id) override;
    std::int64_t insert_comment(const incident::DebriefComment& comment) override;
    std::vector<incident::DebriefComment> comments(std::int64_t incident_id) override;
    std::vector<incident::LinkedTicket> candidate_tickets(std::int64_t incident_id,
                                                          const std::vector<std::int64_t>& organization_ids,
                                                          const std::vector<std::string>& words, core::UtcTime since,
                                                          int limit) override;

private:
    Connection& c_;
};

class SqliteStatusStore final : public status::StatusStore {
public:
    explicit SqliteStatusStore(Connection& c) : c_(c) {}
    core::Result<std::int64_t> insert_component(const status::Component& component) override;
    core::Status update_component(const status::Component& component) override;
    bool delete_component(std::int64_t id) override;
    std::optional<status::Component> find_component(std::int64_t id) override;
    std::vector<status::Component> components() override;
    std::int64_t insert_incident(const status::PublicIncident& incident) override;
    void update_incident(const status::PublicIncident& incident) override;
    std::optional<status::PublicIncident> find_incident(std::int64_t id) override;
    std::vector<status::PublicIncident> incidents(bool unresolved_only, int limit) override;
    std::int64_t insert_update(const status::PublicUpdate& update) override;
    std::vector<status::PublicUpdate> updates(std::int64_t incident_id) override;
    void set_monitor_link(const status::MonitorLink& link) override;
    bool clear_monitor_link(std::int64_t component_id) override;
    std::vector<status::MonitorLink> monitor_links() override;

private:
    std::vector<std::int64_t> incident_components(std::int64_t id);
    Connection& c_;
};

// The component transitions of a public incident's or a maintenance's update (each kind has its own table).
enum class UpdateKind { Incident, Maintenance };
void write_affected(Connection& c, UpdateKind kind, std::int64_t update_id,
                    const std::vector<status::AffectedComponent>& affected);
std::vector<status::AffectedComponent> read_affected(Connection& c, UpdateKind kind, std::int64_t update_id);

class SqliteMaintenanceStore final : public status::MaintenanceStore {
public:
    explicit SqliteMaintenanceStore(Connection& c) : c_(c) {}
    std::int64_t insert_maintenance(const status::Maintenance& maintenance) override;
    void update_maintenance(const status::Maintenance& maintenance) override;
    std::optional<status::Maintenance> find_maintenance(std::int64_t id) override;
    std::vector<status::Maintenance> maintenances(bool open_only, int limit) override;
    std::vector<status::Maintenance> due_maintenances(core::UtcTime now, int limit) override;
    std::int64_t insert_maintenance_update(const status::MaintenanceUpdate& update) override;
    std::vector<status::MaintenanceUpdate> maintenance_updates(std::int64_t maintenance_id) override;

private:
    void write_components(const status::Maintenance& maintenance);
    std::vector<status::Maintenance> with_components(std::vector<status::Maintenance> list);
    Connection& c_;
};

// All the stores over one connection: what a unit of work sees.
class SqliteSubscriberStore final : public status::SubscriberStore {
public:
    explicit SqliteSubscriberStore(Connection& c) : c_(c) {}
    core::Result<std::int64_t> insert(const status::Subscriber& subscriber) override;
    void update(const status::Subscriber& subscriber) override;
    bool remove(std::int64_t id) override;
    std::optional<status::Subscriber> find(std::int64_t id) override;
    std::optional<status::Subscriber> find_by_address(status::SubscriberChannel channel,
                                                      std::string_view address) override;
    std::optional<status::Subscriber> find_by_token(std::string_view token) override;
    std::optional<status::Subscriber> find_by_confirm_hash(std::string_view hash) override;
    std::vector<status::Subscriber> list(int limit) override;
    std::vector<status::Subscriber> active_for(const std::vector<std::int64_t>& components, std::int64_t from,
                                               int limit) override;
    AttemptCounts record_attempt(std::string_view client, std::string_view address, core::UtcTime now,
                                 core::UtcTime since) override;
    void insert_fanout(const status::Fanout& fanout) override;
    std::vector<status::Fanout> pending_fanouts(int limit) override;
    void update_fanout(const status::Fanout& fanout) override;
    std::vector<status::FanoutProgress> progress(int limit) override;

private:
    std::optional<status::Subscriber> find_where(std::string_view condition, std::string_view value);
    std::vector<status::Subscriber> with_components(Statement& s);
    Connection& c_;
};

class SqliteTransaction final : public Transaction {
public:
    explicit SqliteTransaction(Connection& c)
        : orgs_(c), plans_(c), auth_(c), tickets_(c), outbox_(c), emails_(c), alerts_(c), schedules_(c),
          escalations_(c), incidents_(c), monitors_(c), status_(c), maintenances_(c), subscribers_(c)
    {
    }
    org::OrgStore& orgs() override { return orgs_; }
    plan::PlanStore& plans() override { return plans_; }
    auth::AuthStore& auth() override { return auth_; }
    ticket::TicketStore& tickets() override { return tickets_; }
    notify::OutboxStore& outbox() override { return outbox_; }
    intake::email::EmailStore& emails() override { return emails_; }
    alert::AlertStore& alerts() override { return alerts_; }
    schedule::ScheduleStore& schedules() override { return schedules_; }
    escalation::EscalationStore& escalations() override { return escalations_; }
    incident::IncidentStore& incidents() override { return incidents_; }
    monitor::MonitorStore& monitors() override { return monitors_; }
    status::StatusStore& status() override { return status_; }
    status::MaintenanceStore& maintenances() override { return maintenances_; }
    status::SubscriberStore& subscribers() override { return subscribers_; }

private:
    SqliteOrgStore orgs_;
    SqlitePlanStore plans_;
    SqliteAuthStore auth_;
    SqliteTicketStore tickets_;
    SqliteOutboxStore outbox_;
    SqliteEmailStore emails_;
    SqliteAlertStore alerts_;
    SqliteScheduleStore schedules_;
    SqliteEscalationStore escalations_;
    SqliteIncidentStore incidents_;
    SqliteMonitorStore monitors_;
    SqliteStatusStore status_;
    SqliteMaintenanceStore maintenances_;
    SqliteSubscriberStore subscribers_;
};

}  // namespace lifeline::storage::sqlite
