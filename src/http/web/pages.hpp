// Shared pieces of the page handlers: sign-in guards and page routes, ticket references, CSRF on forms, and
// turning service errors into sentences shown next to a form. Internal to src/http/web.
#pragma once

#include "http/message.hpp"
#include "http/services.hpp"
#include "http/web/form.hpp"
#include "ticket/ticket.hpp"

#include <ctemplate/template_dictionary.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lifeline::http {
class Router;
}

namespace lifeline::http::web {

enum class Audience { Staff, Anyone };

// Wraps a page handler that needs a signed-in browser session. Without one, GETs go to
// /login?next=<this page> (with expired=1 when a stale cookie came along, which is also cleared);
// htmx requests get HX-Redirect instead so the whole window navigates. Audience::Staff answers
// contacts with 404, exactly as for a page that does not exist.
Handler signed_in(Services& services, Audience audience, Handler inner);

// Adds page routes behind signed_in(services, audience, …) whose handlers are called as fn(services, ctx):
//     PageRoutes pages(router, services, Audience::Staff);
//     pages.get("/console/on-call", overview);
// The first matching route wins, so add "/x/new" before "/x/{id}".
class PageRoutes {
public:
    PageRoutes(Router& router, Services& services, Audience audience)
        : router_(router), services_(services), audience_(audience)
    {
    }

    template <typename Fn> void get(std::string pattern, Fn fn)
    {
        add(beast_http::verb::get, std::move(pattern), bind(std::move(fn)));
    }
    template <typename Fn> void post(std::string pattern, Fn fn)
    {
        add(beast_http::verb::post, std::move(pattern), bind(std::move(fn)));
    }

private:
    template <typename Fn> Handler bind(Fn fn)
    {
        return [&s = services_, fn = std::move(fn)](Context& ctx) { return fn(s, ctx); };
    }
    void add(beast_http::verb method, std::string pattern, Handler handler);

    Router& router_;
    Services& services_;
    Audience audience_;
};

// "Only admins change schedules." (`what`: "change schedules"), as a 403 page: for staff who are not admins.
Response admins_only(const Context& ctx, std::string_view what);

// The ticket named by the {ref} route parameter ("LL-1042"). Errors: NotFound.
core::Result<ticket::TicketId> ticket_param(const Context& ctx);

// Checks the hidden `csrf` field of a posted form. Errors: PermissionDenied.
core::Status check_form_csrf(const Context& ctx, const Form& form);

// The posted form, its CSRF token checked. Errors: those of Form::of, then those of check_form_csrf.
core::Result<Form> posted_form(const Context& ctx);

// Whether a form page creates a thing or edits a stored one.
enum class FormMode { Create, Edit };

// The messages of a form that was not saved, by form field ("name", "layer2.hours"; "summary" for messages that
// belong to no field), and one for the top of the form.
struct FormErrors {
    // What add() does with a message that the field already says: add it again, or drop it.
    enum class Repeats { Keep, Drop };

    FormErrors() = default;
    explicit FormErrors(Repeats repeats) : repeats_(repeats) {}

    std::string summary;
    std::map<std::string, std::string> fields;

    // Appends `message` to the messages of `field` (space-separated).
    void add(const std::string& field, const std::string& message);
    // Files what a service error says as a whole: a Conflict under `conflict_field`, an error without field errors as
    // the summary. False when `error` has field errors, which the caller files by field.
    bool add_whole(const core::Error& error, const std::string& conflict_field);
    bool empty() const { return summary.empty() && fields.empty(); }
    // Sets `var` and shows the section HAS_<var> when `field` has messages.
    void show(ctemplate::TemplateDictionary& d, const std::string& field, const std::string& var) const;
    // ERROR (section HAS_ERROR): the summary and the messages of "summary", or `fallback` when only fields are
    // marked ("The schedule was not saved: see the marked fields.").
    void show_summary(ctemplate::TemplateDictionary& d, std::string_view fallback) const;

private:
    Repeats repeats_ = Repeats::Keep;
};

// A field name of a service error that indexes a list: "layers[2].hours" with `list` "layers" is 2 with the `rest`
// ".hours". Nullopt when `field` is not `list`[<number>]….
struct IndexedField {
    std::size_t index = 0;
    std::string_view rest;
};
std::optional<IndexedField> indexed_field(std::string_view field, std::string_view list);

// The message for one field of an InvalidArgument error, capitalised ("Is required" → "Subject is required"
// when `label` is "Subject"); empty when that field has no error.
std::string field_error(const core::Error& error, std::string_view field, std::string_view label);

// Refuses cross-site posts of forms that have no session to carry a CSRF token (sign-in, the public
// support form): a browser sends Origin on a form POST, and it must name this host (or the host a
// reverse proxy forwarded). No Origin at all: not a browser, allowed.
bool same_origin(const Context& ctx);

// Percent-encodes a query component (everything but unreserved characters).
std::string encode_component(std::string_view s);

// The attachments of a ticket and its outbound mail, as the services return them (the error is shown in place).
using Attachments = core::Result<std::vector<intake::email::AttachmentRecord>>;
using Deliveries = core::Result<std::vector<notify::OutboxMessage>>;

// The attachments of a thread, linked to /console/attachments/{id} for Staff and /portal/… otherwise. Under each
// shown message (`rows`: its id and MESSAGE dictionary) the include ATTACHMENTS (attachments.tpl) lists those
// that came with it — an attachment recorded without a message came with the email that opened the ticket, so
// with its first message. The rest go to the include OTHER_ATTACHMENTS (in section HAS_OTHER_ATTACHMENTS);
// a failed listing shows ATTACHMENTS_ERROR (section HAS_ATTACHMENTS_ERROR).
using MessageRows = std::vector<std::pair<std::int64_t, ctemplate::TemplateDictionary*>>;
void fill_thread_attachments(ctemplate::TemplateDictionary& d, const Attachments& attachments,
                             const ticket::TicketView& view, const MessageRows& rows, Audience audience);

// The Email panel of a console ticket (console_email.tpl): each outbound message with its delivery state, and a
// Retry form on dead ones that returns to ticket `ref`.
void fill_email_panel(ctemplate::TemplateDictionary& d, const Deliveries& deliveries, const std::string& ref,
                      const std::string& csrf);

// The queue's notice of dead letters (section HAS_DEAD_LETTERS with DEAD_LETTERS, "3 emails"), when there are any.
void fill_dead_letter_notice(ctemplate::TemplateDictionary& d, Services& services, const auth::Actor& actor);

void add_session_routes(Router& router, Services& services);
void add_console_routes(Router& router, Services& services);
void add_portal_routes(Router& router, Services& services);
void add_support_routes(Router& router, Services& services);
// The one-time acknowledgement links in pages: /ack/{token}.
void add_ack_routes(Router& router, Services& services);
// Attachment downloads (console and portal), the dead-letter page and retrying a message.
void add_mail_routes(Router& router, Services& services);
// On call, schedules, cover and calendar links (oncall.cpp); the alerts page (alerts.cpp).
void add_oncall_routes(Router& router, Services& services);
void add_alert_page_routes(Router& router, Services& services);
// The console's status page desk: publish, update, component statuses (status_admin.cpp).
void add_status_desk_routes(Router& router, Services& services);
// Escalation policies, how a person is paged, and escalations with acknowledgement (paging.cpp).
void add_paging_routes(Router& router, Services& services);
// Incidents (incidents.cpp): the console's list, declare form, incident room (with its live event stream) and
// debrief; the portal's incidents for customers.
void add_incident_page_routes(Router& router, Services& services);
// The portal's notice of open incidents that affect `actor` (include INCIDENT_BANNER, portal_incident_banner.tpl):
// "We are working on: <title> — next update by 19:00 UTC". Nothing when there are none.
void fill_incident_banner(ctemplate::TemplateDictionary& d, Services& services, const auth::Actor& actor);

}  // namespace lifeline::http::web
