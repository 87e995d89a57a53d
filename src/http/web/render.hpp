// Rendering for the pages: the embedded templates, the shared layout, error pages, static assets,
// and the small formatting rules used wherever a ticket is shown to a person.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "ticket/ticket.hpp"

#include <ctemplate/template_dictionary.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace lifeline::http::web {

// Loads every template under web/templates into ctemplate's cache, and indexes the static assets.
// Call once at startup, before serving. Throws std::runtime_error when a template does not parse
// (a broken build, not a runtime condition).
void load_templates();

// Expands the cached template `name` (its file name, e.g. "login.tpl") with `dict`.
// Throws std::runtime_error when it cannot be expanded.
std::string expand(std::string_view name, const ctemplate::TemplateDictionary& dict);

// A full page: the layout (header with the desk name, the signed-in user and the sign-out form; footer)
// around one content template. Fill content() and render().
class PageView {
public:
    PageView(const Context& ctx, std::string title, std::string_view content_template);
    ~PageView();

    ctemplate::TemplateDictionary& content() { return *content_; }
    // Marks a navigation entry ("console", "incidents", "outbox", "held", "oncall", "alerts", "status", "escalation", "portal",
    // "portal-incidents", "new", "support", "login") as the current page.
    void set_current(std::string_view nav);
    Response render(beast_http::status status = beast_http::status::ok) const;

private:
    const Context& ctx_;
    std::unique_ptr<ctemplate::TemplateDictionary> layout_;
    ctemplate::TemplateDictionary* content_ = nullptr;  // owned by layout_
};

// An HTML error page with a heading and the error's message, under the status of the one error map.
Response error_page(const Context& ctx, const core::Error& error);
// An HTML page for a status that has no core::Error (404 for unknown pages, 405).
Response error_page(const Context& ctx, beast_http::status status, std::string_view heading, std::string_view detail);

// GET /static/{name}: the embedded stylesheet and htmx, with long-lived caching and ETags.
Response static_asset(const Context& ctx, std::string_view name);
// The version of static asset `name` for a "?v=" link that may be cached forever; empty for an unknown asset.
std::string asset_version(std::string_view name);

enum class Detail { WithFields, MessageOnly };
// The error as one sentence for people: "The message is empty." or, with field errors,
// "The ticket is not valid: subject is required." MessageOnly leaves the field errors out (for a form
// with one field, or one that shows them beside each field).
std::string sentence(const core::Error& error, Detail detail = Detail::WithFields);

// True when the request was made by htmx (HX-Request: true): answer with a fragment, not a page.
bool is_htmx(const Context& ctx);

// "P1 — Emergency: my business is down", for the new-ticket form and the ticket header.
std::string_view priority_label(plan::Priority p);
// "Emergency", "Urgent", "Normal", "Low".
std::string_view priority_word(plan::Priority p);
// "New", "Open", "Waiting on customer", "Resolved", "Closed".
std::string_view status_label(ticket::Status s);
// "Monday 23 November 2026, 09:00 UTC".
std::string describe_time(core::UtcTime t);
// "42 min", "3 h", "3 h 20 min", "2 days": the distance between two times, rounded down, for people.
std::string describe_distance(std::chrono::milliseconds d);

// Fills the variables every ticket view uses: REF, SUBJECT, PRIORITY (P1), PRIORITY_CLASS (p1),
// PRIORITY_LABEL, STATUS, STATUS_LABEL, STATUS_CLASS, ORGANIZATION, REQUESTER_NAME, REQUESTER_EMAIL,
// ASSIGNEE (or "Unassigned"), CREATED, DUE (absolute), DUE_RELATIVE ("due in 42 min", "overdue by 3 h",
// "answered"), and the section OVERDUE when the first response is late.
void fill_ticket(ctemplate::TemplateDictionary& dict, const ticket::Ticket& t, core::UtcTime now);

// The fields the portal's new-ticket form and the public support form share: SUBJECT, BODY, the
// PRIORITY_OPTION radios (CHECKED on `input.priority`), ERROR (section HAS_ERROR) when `error` is not
// empty, and SUBJECT_ERROR, BODY_ERROR, PRIORITY_ERROR (sections HAS_…) for the fields `fields` marks.
void fill_ticket_form(ctemplate::TemplateDictionary& dict, const ticket::NewTicket& input, std::string_view error,
                      const core::Error& fields);

// A field's message as a sentence: "is required" → "The name is required." with `label` "The name"; messages that
// are sentences of their own ("'x@y' is not a staff member") only gain a capital and a stop.
std::string as_sentence(std::string_view label, std::string message);

// Sets `var` and shows the section HAS_<var> when `error` marks `field`: every message of the field as a sentence
// (see as_sentence), space-separated.
void show_field_messages(ctemplate::TemplateDictionary& dict, const core::Error& error, std::string_view field,
                         std::string_view label, std::string_view var);

// One option of a select (section `section` with VALUE, LABEL and the section SELECTED when `selected`).
void add_option(ctemplate::TemplateDictionary& dict, std::string_view section, std::string_view value,
                std::string_view label, bool selected);

// The notice after a post that redirected here with ?done=<key>: FLASH (section HAS_FLASH) with the text `flashes`
// has for the key; nothing for an absent or unknown key.
void show_flash(ctemplate::TemplateDictionary& dict, const Context& ctx,
                const std::map<std::string, std::string, std::less<>>& flashes);

// Sets `var` and shows the section HAS_<var> when `error` marks `field`: "The subject is required."
// with `label` "The subject".
void show_field_error(ctemplate::TemplateDictionary& dict, const core::Error& error, std::string_view field,
                      std::string_view label, std::string_view var);

}  // namespace lifeline::http::web
