// Tickets: one customer problem, its thread of messages, and its append-only timeline.
#pragma once

#include "auth/user.hpp"
#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/result.hpp"
#include "org/organization.hpp"
#include "plan/plan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lifeline::ticket {

struct TicketTag;
using TicketId = core::Id<TicketTag>;
using plan::Priority;

enum class Status { New, Open, WaitingOnCustomer, Resolved, Closed };
std::string_view to_string(Status s);
core::Result<Status> parse_status(std::string_view text);

enum class Channel { Portal, Api, Email, Sms, Phone, Chat, Alert };
std::string_view to_string(Channel c);
core::Result<Channel> parse_channel(std::string_view text);

enum class Visibility { Public, Internal };
std::string_view to_string(Visibility v);

// "LL-1042" ↔ TicketId: the reference is the id offset by 1000 so that the first ticket reads LL-1001.
std::string format_ref(TicketId id);
std::optional<TicketId> parse_ref(std::string_view ref);

struct Ticket {
    TicketId id;
    std::string subject;
    Priority priority = Priority::P3;
    Status status = Status::New;
    Channel channel = Channel::Api;
    auth::UserId requester_id;
    org::OrganizationId organization_id;
    auth::UserId assignee_id;
    core::UtcTime created_at;
    core::UtcTime updated_at;
    core::UtcTime first_response_due_at;
    std::optional<core::UtcTime> first_responded_at;
    std::string acknowledgement;   // the text sent to the requester when the ticket was opened

    // Joined for display; filled by the store on reads.
    std::string requester_name;
    std::string requester_email;
    std::string organization_name;
    std::string assignee_name;

    std::string ref() const { return format_ref(id); }
};

struct Message {
    std::int64_t id = 0;
    TicketId ticket_id;
    auth::UserId author_id;
    std::string author_name;
    Visibility visibility = Visibility::Public;
    std::string body;
    core::UtcTime created_at;
};

// One line of the append-only history: who did what, when.
struct TimelineEvent {
    std::int64_t id = 0;
    TicketId ticket_id;
    auth::UserId actor_id;
    std::string actor_name;
    std::string kind;     // "created", "acknowledged", "replied", "noted", "assigned", "status_changed"
    std::string detail;   // human-readable sentence
    core::UtcTime created_at;
};

// Input to create a ticket, before validation.
struct NewTicket {
    std::string subject;
    std::string body;
    std::string priority = "P3";
    std::string requester_email;
    std::string requester_name;
    std::string organization;   // slug; optional
    Channel channel = Channel::Api;
};

struct ValidNewTicket {
    std::string subject;
    std::string body;
    Priority priority;
    std::string requester_email;
    std::string requester_name;
    std::string organization;
    Channel channel;
};

// Trims, defaults and checks every field, collecting all errors. Errors: InvalidArgument.
core::Result<ValidNewTicket> validated(const NewTicket& input);

// Checks a message body (1..100000 characters of UTF-8 after trimming). Errors: InvalidArgument.
core::Result<std::string> validated_body(std::string_view body);

// Which filters a list request carries; all optional.
struct ListFilter {
    std::optional<Status> status;
    bool open_only = false;   // new, open and waiting_on_customer
    std::optional<Priority> priority;
    std::optional<org::OrganizationId> organization_id;
    std::optional<auth::UserId> assignee_id;   // zero id: unassigned
    std::optional<std::string> organization_slug;   // resolved to organization_id by the service
    std::optional<std::string> assignee_email;      // resolved to assignee_id; "none" means unassigned
    std::optional<std::int64_t> after_id;      // cursor: tickets with a smaller id (newest first)
    int limit = 50;
    enum class Order { Newest, Deadline } order = Order::Newest;
};

}  // namespace lifeline::ticket
