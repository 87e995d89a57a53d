// Pages: sign-in, the agent console and the customer portal, and their static assets.
// Handlers are thin: parse the form → one service call → render a template (web/templates).
#include "core/text.hpp"
#include "http/guard.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/services.hpp"
#include "http/web/form.hpp"
#include "http/web/pages.hpp"
#include "http/web/render.hpp"

#include <cctype>
#include <charconv>

namespace lifeline::http {

namespace web {

using beast_http::status;
using beast_http::verb;

namespace {

std::string_view home_of(const auth::Actor& actor)
{
    return actor.is_staff() ? "/console" : "/portal";
}

// A `next` target we may redirect to after sign-in: a local path (not "//host", no backslashes),
// printable ASCII only so that it is a valid Location header. Anything else: empty.
std::string safe_next(std::string_view next)
{
    if (next.size() < 1 || next.size() > 2000 || next[0] != '/') return {};
    if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return {};
    for (unsigned char c : next)
        if (c <= 0x20 || c >= 0x7f || c == '\\') return {};
    return std::string(next);
}

struct LoginState {
    std::string email;
    std::string next;
    std::string error;
    bool expired = false;
    bool signed_out = false;
};

Response login_page(const Context& ctx, const LoginState& state, status code)
{
    PageView page(ctx, "Sign in", "login.tpl");
    page.set_current("login");
    auto& d = page.content();
    d.SetValue("EMAIL", state.email);
    d.SetValue("NEXT", state.next);
    if (!state.error.empty()) d.SetValueAndShowSection("ERROR", state.error, "HAS_ERROR");
    if (state.expired) d.ShowSection("EXPIRED");
    if (state.signed_out) d.ShowSection("SIGNED_OUT");
    if (state.email.empty())
        d.ShowSection("FOCUS_EMAIL");
    else
        d.ShowSection("FOCUS_PASSWORD");
    return page.render(code);
}

boost::asio::awaitable<Response> get_login(Services& s, Context& ctx)
{
    LoginState state;
    state.next = safe_next(ctx.query_value("next").value_or(""));
    if (authenticate_page(ctx, s.auth))
        co_return redirect(ctx, state.next.empty() ? home_of(*ctx.actor) : std::string_view(state.next));
    ctx.actor.reset();
    ctx.csrf_token.clear();
    state.expired = ctx.query_value("expired") == "1";
    state.signed_out = ctx.query_value("signed_out") == "1";
    co_return login_page(ctx, state, status::ok);
}

boost::asio::awaitable<Response> post_login(Services& s, Context& ctx)
{
    LoginState state;
    if (!same_origin(ctx))
        co_return error_page(ctx, core::Error::denied("the sign-in form must be submitted from this site"));
    auto form = Form::of(ctx);
    if (!form) {
        state.error = sentence(form.error());
        co_return login_page(ctx, state, status_for(form.error().code()));
    }
    state.email = core::trim(form->get("email"));
    state.next = safe_next(form->get("next"));
    if (state.email.empty() || form->get("password").empty()) {
        state.error = "Enter your email address and your password.";
        co_return login_page(ctx, state, status::bad_request);
    }
    auto signed_in = co_await s.auth.sign_in(state.email, form->get("password"));
    if (!signed_in) {
        state.error = signed_in.error().code() == core::ErrorCode::Unauthenticated
                          ? "That email address and password do not match an account. Check them and try again."
                          : sentence(signed_in.error());
        co_return login_page(ctx, state, status_for(signed_in.error().code()));
    }
    auto res = redirect(ctx, state.next.empty() ? home_of(signed_in->actor) : std::string_view(state.next));
    res.set(beast_http::field::set_cookie, session_cookie(signed_in->session_token));
    co_return res;
}

boost::asio::awaitable<Response> post_logout(Services& s, Context& ctx)
{
    if (!authenticate_page(ctx, s.auth)) {
        auto res = redirect(ctx, "/login");
        res.set(beast_http::field::set_cookie, cleared_session_cookie());
        co_return res;
    }
    auto form = posted_form(ctx);
    if (!form) co_return error_page(ctx, form.error());
    auto done = co_await s.auth.sign_out(ctx.cookie(kSessionCookie));
    if (!done) co_return error_page(ctx, done.error());
    auto res = redirect(ctx, "/login?signed_out=1");
    res.set(beast_http::field::set_cookie, cleared_session_cookie());
    co_return res;
}

}  // namespace

Handler signed_in(Services& s, Audience audience, Handler inner)
{
    return [&s, audience, inner = std::move(inner)](Context& ctx) -> boost::asio::awaitable<Response> {
        if (auto ok = authenticate_page(ctx, s.auth); !ok) {
            bool stale = !ctx.cookie(kSessionCookie).empty();
            std::string location = "/login";
            std::string sep = "?";
            if (ctx.request.method() == verb::get) {
                location += "?next=" + encode_component(std::string(ctx.request.target()));
                sep = "&";
            }
            if (stale) location += sep + "expired=1";
            Response res;
            if (is_htmx(ctx)) {
                res = text(ctx, status::ok, "", "text/plain");
                res.set("HX-Redirect", location);
            } else {
                res = redirect(ctx, location);
            }
            if (stale) res.set(beast_http::field::set_cookie, cleared_session_cookie());
            co_return res;
        }
        if (audience == Audience::Staff && !ctx.actor->is_staff())
            co_return error_page(ctx, status::not_found, "Page not found", "There is no page at this address.");
        co_return co_await inner(ctx);
    };
}

void PageRoutes::add(beast_http::verb method, std::string pattern, Handler handler)
{
    router_.add(method, std::move(pattern), signed_in(services_, audience_, std::move(handler)));
}

Response admins_only(const Context& ctx, std::string_view what)
{
    return error_page(ctx, core::Error::denied("only admins " + std::string(what)));
}

bool same_origin(const Context& ctx)
{
    auto origin = ctx.header("Origin");
    if (origin.empty()) return true;
    auto scheme_end = origin.find("://");
    if (scheme_end == std::string::npos) return false;
    auto host = origin.substr(scheme_end + 3);
    auto forwarded = ctx.header("X-Forwarded-Host");
    return host == ctx.header("Host") || (!forwarded.empty() && host == forwarded);
}

core::Result<ticket::TicketId> ticket_param(const Context& ctx)
{
    const auto& raw = ctx.params.at("ref");
    if (auto id = ticket::parse_ref(raw)) return *id;
    return core::Error::not_found("there is no ticket " + raw);
}

core::Status check_form_csrf(const Context& ctx, const Form& form)
{
    return check_csrf(ctx, form.get("csrf"));
}

core::Result<Form> posted_form(const Context& ctx)
{
    auto form = Form::of(ctx);
    if (!form) return form.error();
    if (auto ok = check_form_csrf(ctx, *form); !ok) return ok.error();
    return form;
}

void FormErrors::add(const std::string& field, const std::string& message)
{
    auto& m = fields[field];
    if (repeats_ == Repeats::Drop && m.find(message) != std::string::npos) return;
    if (!m.empty()) m += ' ';
    m += message;
}

bool FormErrors::add_whole(const core::Error& error, const std::string& conflict_field)
{
    if (error.code() == core::ErrorCode::Conflict) {
        add(conflict_field, as_sentence("", error.message()));
        return true;
    }
    if (error.fields().empty()) {
        summary = sentence(error);
        return true;
    }
    return false;
}

void FormErrors::show(ctemplate::TemplateDictionary& d, const std::string& field, const std::string& var) const
{
    auto it = fields.find(field);
    if (it == fields.end()) return;
    std::string section = "HAS_";  // appended: GCC 12 warns falsely on "HAS_" + var
    section += var;
    d.SetValueAndShowSection(var, it->second, section);
}

void FormErrors::show_summary(ctemplate::TemplateDictionary& d, std::string_view fallback) const
{
    std::string text = summary;
    if (auto it = fields.find("summary"); it != fields.end()) {
        if (!text.empty()) text += ' ';
        text += it->second;
    }
    if (text.empty() && !fields.empty()) text = fallback;
    if (!text.empty()) d.SetValueAndShowSection("ERROR", text, "HAS_ERROR");
}

std::optional<IndexedField> indexed_field(std::string_view field, std::string_view list)
{
    if (!field.starts_with(list) || field.substr(list.size(), 1) != "[") return std::nullopt;
    const char* first = field.data() + list.size() + 1;
    const char* last = field.data() + field.size();
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(first, last, index);
    if (ec != std::errc() || end == last || *end != ']') return std::nullopt;
    return IndexedField{index, std::string_view(end + 1, last)};
}

std::string field_error(const core::Error& error, std::string_view field, std::string_view label)
{
    for (const auto& f : error.fields())
        if (f.field == field) return std::string(label) + " " + f.message + ".";
    return {};
}

std::string encode_component(std::string_view s)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

void add_session_routes(Router& router, Services& s)
{
    router.add(verb::get, "/login", [&s](Context& ctx) { return get_login(s, ctx); });
    router.add(verb::post, "/login", [&s](Context& ctx) { return post_login(s, ctx); });
    router.add(verb::post, "/logout", [&s](Context& ctx) { return post_logout(s, ctx); });
}

}  // namespace web

void add_web_routes(Router& router, Services& s)
{
    web::load_templates();
    router.add(beast_http::verb::get, "/", [&s](Context& ctx) -> boost::asio::awaitable<Response> {
        if (authenticate_page(ctx, s.auth)) co_return redirect(ctx, ctx.actor->is_staff() ? "/console" : "/portal");
        co_return redirect(ctx, "/login");
    });
    router.add(beast_http::verb::get, "/static/{name}", [](Context& ctx) -> boost::asio::awaitable<Response> {
        co_return web::static_asset(ctx, ctx.params.at("name"));
    });
    web::add_session_routes(router, s);
    web::add_console_routes(router, s);
    web::add_portal_routes(router, s);
    web::add_support_routes(router, s);
    web::add_ack_routes(router, s);
    web::add_mail_routes(router, s);
    web::add_oncall_routes(router, s);
    web::add_alert_page_routes(router, s);
    web::add_paging_routes(router, s);
    web::add_incident_page_routes(router, s);
    web::add_status_desk_routes(router, s);
}

}  // namespace lifeline::http
