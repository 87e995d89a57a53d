// Demo data: a small IT firm with three customers on two plans, tickets in several states, an incident in
// progress, and its public status page with three months of history.
#include "app/desk.hpp"

#include "core/sync_wait.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace lifeline::app {

namespace {

constexpr std::string_view kDemoPassword = "demo-password";

template <class T> T must(core::Result<T> r, std::string_view what)
{
    if (!r) throw std::runtime_error("seeding " + std::string(what) + ": " + r.error().message());
    return std::move(r).value();
}

plan::SupportPlan make_plan(std::string name, std::string zone, std::string hours, bool emergency, std::string phone,
                            std::array<std::pair<int, int>, 4> minutes, std::vector<date::year_month_day> holidays)
{
    plan::SupportPlan p;
    p.name = std::move(name);
    p.calendar.time_zone = std::move(zone);
    p.calendar.hours = must(plan::parse_weekly_hours(hours), "hours");
    p.calendar.holidays = std::move(holidays);
    p.after_hours_emergency = emergency;
    p.emergency_phone = std::move(phone);
    for (int i = 0; i < 4; ++i)
        p.targets[i] = plan::Targets{std::chrono::minutes(minutes[i].first), std::chrono::minutes(minutes[i].second)};
    return p;
}

auth::UserId user(Desk& desk, std::string email, std::string name, auth::Role role, org::OrganizationId org,
                  std::string phone)
{
    auth::User u;
    u.email = std::move(email);
    u.name = std::move(name);
    u.role = role;
    u.organization_id = org;
    u.phone = std::move(phone);
    return must(desk.auth.create_user_blocking(u, kDemoPassword), "a user");
}

ticket::TicketId open(Desk& desk, const auth::Actor& as, std::string subject, std::string body, std::string priority)
{
    ticket::NewTicket t;
    t.subject = std::move(subject);
    t.body = std::move(body);
    t.priority = std::move(priority);
    t.channel = ticket::Channel::Portal;
    return must(core::sync_wait(desk.tickets.create(as, std::move(t), "")), "a ticket").ticket.id;
}

auth::Actor actor(auth::UserId id, auth::Role role, org::OrganizationId org, std::string name, std::string email)
{
    return auth::Actor{id, role, org, std::move(name), std::move(email)};
}

// The public status page: two groups of components, the checkout incident published with two updates and a
// promised next update, resolved incidents over the last three months for the history and the uptime bars, and a
// maintenance in three days.
void seed_status_page(Desk& desk, const auth::Actor& as_admin, const auth::Actor& as_tom, std::int64_t incident_id)
{
    using Kind = status::StatusService::Kind;
    auto create = [&](Kind kind, std::string name, std::string description, std::optional<std::int64_t> group) {
        status::ComponentInput in;
        in.name = std::move(name);
        in.description = std::move(description);
        if (group) in.group_id = group;
        return must(core::sync_wait(desk.status.create(as_admin, kind, std::move(in))), "a status component").id;
    };
    auto hosting = create(Kind::Group, "Hosting", "Customer websites and shops we host", std::nullopt);
    auto websites = create(Kind::Component, "Websites", "Customer websites", hosting);
    auto shops = create(Kind::Component, "Online shops", "Shops and their card payments", hosting);
    auto portal = create(Kind::Component, "Customer portal", "Where customers raise and follow tickets", hosting);
    auto comms = create(Kind::Group, "Communications", "Email, remote access and our support line", std::nullopt);
    auto email = create(Kind::Component, "Hosted email", "Mailboxes, webmail and delivery", comms);
    auto vpn = create(Kind::Component, "Remote access VPN", "Office and warehouse VPN gateways", comms);
    create(Kind::Component, "Support phone line", "The emergency and office-hours number", comms);

    status::PublishInput checkout;
    checkout.internal_incident_id = incident_id;
    checkout.name = "Card payments failing on hosted online shops";
    checkout.impact = status::Impact::Major;
    checkout.component_ids = {shops};
    checkout.component_status = status::ComponentStatus::PartialOutage;
    checkout.body = "Card payments on some online shops fail at checkout. We are investigating.";
    auto published = must(core::sync_wait(desk.status.publish(as_tom, checkout)), "a public incident");
    status::UpdateInput identified;
    identified.status = status::IncidentStatus::Identified;
    identified.body = "The payment provider refuses authorisations. We are switching shops to the backup payment "
                      "route; phone orders still work.";
    identified.next_update_at = desk.clock.now() + std::chrono::minutes(40);
    must(core::sync_wait(desk.status.post_update(as_tom, published.incident.id, identified)), "a public update");

    auto backfill = [&](std::string name, status::Impact impact, std::int64_t component, status::ComponentStatus shown,
                        std::chrono::hours ago, std::chrono::minutes lasted, std::string body) {
        status::BackfillInput in;
        in.incident.name = std::move(name);
        in.incident.impact = impact;
        in.incident.component_ids = {component};
        in.incident.component_status = shown;
        in.incident.body = std::move(body);
        in.started_at = desk.clock.now() - ago;
        in.resolved_at = in.started_at + lasted;
        must(core::sync_wait(desk.status.backfill(as_tom, std::move(in))), "a past incident");
    };
    status::MaintenanceInput upgrade;
    upgrade.name = "Mail server upgrade";
    upgrade.scheduled_for = std::chrono::floor<std::chrono::hours>(desk.clock.now() + std::chrono::days(3));
    upgrade.scheduled_until = *upgrade.scheduled_for + std::chrono::hours(2);
    upgrade.component_ids = std::vector<std::int64_t>{email};
    upgrade.body = "We are upgrading the hosted mail servers. Mail sent to you during the window waits and is "
                   "delivered afterwards; webmail may be unavailable for a few minutes.";
    must(core::sync_wait(desk.maintenances.schedule(as_tom, std::move(upgrade))), "a maintenance");

    backfill("Outgoing email delayed", status::Impact::Minor, email, status::ComponentStatus::DegradedPerformance,
             std::chrono::hours(24 * 9 + 5), std::chrono::minutes(130),
             "Messages to some providers wait up to an hour in our queue.");
    backfill("VPN disconnects at the warehouse gateway", status::Impact::Major, vpn,
             status::ComponentStatus::PartialOutage, std::chrono::hours(24 * 23 + 2), std::chrono::minutes(45),
             "Remote users are disconnected every few minutes.");
    backfill("Websites unreachable", status::Impact::Critical, websites, status::ComponentStatus::MajorOutage,
             std::chrono::hours(24 * 41 + 7), std::chrono::minutes(25),
             "Hosted websites do not answer; our upstream network provider is investigating.");
    backfill("Sign-in errors on the customer portal", status::Impact::Minor, portal,
             status::ComponentStatus::DegradedPerformance, std::chrono::hours(24 * 67 + 3), std::chrono::minutes(60),
             "Some sign-ins fail with an error; retrying works.");
}
}  // namespace

std::vector<std::string> seed_demo(Desk& desk)
{
    using date::day;
    using date::month;
    using date::year;
    auto ymd = [](int y, unsigned m, unsigned d) { return date::year_month_day{year{y}, month{m}, day{d}}; };

    auto critical = must(
        desk.orgs.create_plan_blocking(make_plan("Business Critical", "Europe/London", "Mon-Fri 08:00-18:00", true,
                                                 "+44 20 7946 0321", {{{15, 240}, {60, 480}, {240, 1440}, {480, 4320}}},
                                                 {ymd(2026, 12, 25), ymd(2026, 12, 28), ymd(2027, 1, 1)})),
        "a plan");
    auto standard =
        must(desk.orgs.create_plan_blocking(make_plan("Standard", "America/New_York", "Mon-Fri 09:00-17:00", false, "",
                                                      {{{60, 480}, {240, 960}, {480, 2400}, {960, 4800}}},
                                                      {ymd(2026, 11, 26), ymd(2026, 12, 25)})),
             "a plan");

    auto admin = user(desk, "admin@lifeline.test", "Ana Silva", auth::Role::Admin, {}, "+44 7700 900123");
    auto tom = user(desk, "tom@lifeline.test", "Tom Becker", auth::Role::Agent, {}, "+44 7700 900456");
    auto priya = user(desk, "priya@lifeline.test", "Priya Nair", auth::Role::Agent, {}, "+1 212 555 0148");

    auto organization = [&](std::string name, std::string domain, plan::PlanId p, auth::UserId primary) {
        org::Organization o;
        o.name = std::move(name);
        o.email_domains = {std::move(domain)};
        o.plan_id = p;
        o.primary_agent_id = primary;
        return must(desk.orgs.create_organization_blocking(o), "an organization");
    };
    auto bakery = organization("Harbour Bakery", "harbourbakery.co.uk", critical, tom);
    auto northwind = organization("Northwind Outfitters", "northwind.example", standard, priya);
    auto kestrel = organization("Kestrel Legal", "kestrel-legal.example", standard, {});

    auto maria = user(desk, "maria@harbourbakery.co.uk", "Maria Lopez", auth::Role::Contact, bakery, "+44 7700 900789");
    auto jon = user(desk, "jon@northwind.example", "Jon Park", auth::Role::Contact, northwind, "");
    auto elena = user(desk, "elena@kestrel-legal.example", "Elena Rossi", auth::Role::Contact, kestrel, "");

    auto as_maria = actor(maria, auth::Role::Contact, bakery, "Maria Lopez", "maria@harbourbakery.co.uk");
    auto as_jon = actor(jon, auth::Role::Contact, northwind, "Jon Park", "jon@northwind.example");
    auto as_elena = actor(elena, auth::Role::Contact, kestrel, "Elena Rossi", "elena@kestrel-legal.example");
    auto as_tom = actor(tom, auth::Role::Agent, {}, "Tom Becker", "tom@lifeline.test");
    auto as_priya = actor(priya, auth::Role::Agent, {}, "Priya Nair", "priya@lifeline.test");

    // On call: Tom and Priya take weeks in turn, handing off Monday 09:00 London time; the policy pages whoever is on
    // call, then Ana after 10 minutes, twice round. It is the default, so the bakery's emergency tickets page too.
    auto as_admin = actor(admin, auth::Role::Admin, {}, "Ana Silva", "admin@lifeline.test");
    schedule::ScheduleInput rota;
    rota.name = "Primary on-call";
    rota.time_zone = "Europe/London";
    schedule::LayerInput weeks;
    weeks.name = "Weekly";
    weeks.participant_emails = {"tom@lifeline.test", "priya@lifeline.test"};
    weeks.start = *schedule::parse_local_time("2026-11-02T09:00");
    rota.layers = {weeks};
    auto primary = must(core::sync_wait(desk.schedules.create(as_admin, rota)), "a schedule");
    escalation::PolicyInput emergency;
    emergency.name = "Emergencies";
    emergency.description = "Customers' outages and critical alerts, round the clock.";
    emergency.repeat = 1;
    emergency.is_default = true;
    emergency.levels = {escalation::LevelInput{{{"schedule", primary.id, ""}}, 600},
                        escalation::LevelInput{{{"user", 0, "admin@lifeline.test"}}, 600}};
    auto policy = must(core::sync_wait(desk.escalations.create_policy(as_admin, emergency)), "a policy");
    for (auto [who, phone] : {std::pair{as_tom, "+44 7700 900456"}, std::pair{as_priya, "+1 212 555 0148"}}) {
        auto sms = must(core::sync_wait(desk.escalations.add_contact_method(
                            who, who.user_id.value,
                            escalation::ContactMethod{0, 0, escalation::Channel::Sms, phone, "mobile", {}})),
                        "a contact method");
        auto voice = must(core::sync_wait(desk.escalations.add_contact_method(
                              who, who.user_id.value,
                              escalation::ContactMethod{0, 0, escalation::Channel::Voice, phone, "mobile", {}})),
                          "a contact method");
        must(core::sync_wait(desk.escalations.add_rule(
                 who, who.user_id.value, escalation::NotificationRule{0, 0, sms.id, std::chrono::seconds(0), {}})),
             "a notification rule");
        must(core::sync_wait(desk.escalations.add_rule(
                 who, who.user_id.value, escalation::NotificationRule{0, 0, voice.id, std::chrono::seconds(120), {}})),
             "a notification rule");
    }
    auto shop =
        must(core::sync_wait(desk.alerts.create_service(as_admin, "Bakery online shop", policy.id)), "a service");
    alert::AlertEvent down;
    down.summary = "checkout.harbourbakery.co.uk: HTTP 502 for 3 checks";
    down.source = "blackbox-exporter";
    down.severity = alert::AlertEvent::Severity::Critical;
    down.dedup_key = "shop-checkout-502";
    must(core::sync_wait(desk.alerts.ingest({down}, shop.integration_key)), "an alert");

    open(desk, as_elena, "Add a mailbox for our new paralegal",
         "Sofia starts on Monday; please set up sofia@kestrel-legal.example with the shared Contracts folder.", "P4");
    auto vpn =
        open(desk, as_jon, "VPN drops every few minutes at the warehouse",
             "Since Tuesday the VPN from the warehouse disconnects every 5-10 minutes. The office is fine.", "P2");
    must(core::sync_wait(desk.tickets.reply(
             as_priya, vpn,
             "Thanks Jon. Could you send me the model of the warehouse router? I'd like to check its "
             "firmware against a known keep-alive bug.")),
         "a reply");
    must(core::sync_wait(desk.tickets.set_status(as_priya, vpn, ticket::Status::WaitingOnCustomer)), "a status");
    auto slow = open(desk, as_maria, "Website slow since this morning",
                     "Pages take 10 seconds to load. Customers are phoning to ask if we are open.", "P2");
    must(core::sync_wait(
             desk.tickets.note(as_tom, slow, "CDN cache hit ratio dropped to 3% after the 06:00 deploy; purging.")),
         "a note");
    auto checkout = open(
        desk, as_maria, "Online shop checkout fails with an error",
        "Every order since 7am fails at payment with 'Something went wrong'. We are losing orders right now.", "P1");

    // An incident in progress: Tom commands it, the technical log has a finding, customers have had a briefing
    // that says when the next one comes.
    incident::DeclareInput outage;
    outage.title = "Online shop checkout failing at payment";
    outage.ticket_ids = {checkout.value};
    outage.keywords = {"checkout", "payment"};
    outage.impact.business = incident::BusinessImpact::Down;
    outage.impact.description = "cannot take orders";
    outage.impact.components = {"Bakery online shop"};
    auto declared = must(core::sync_wait(desk.incidents.declare(as_tom, outage)), "an incident");
    must(core::sync_wait(desk.incidents.post_update(
             as_tom, declared.id,
             incident::UpdateInput{incident::Channel::Technical,
                                   "Payment provider answers 502 for every authorisation since 06:58; their status "
                                   "page is green. Opened a case with them.",
                                   std::nullopt, ""})),
         "a note");
    must(core::sync_wait(desk.incidents.post_update(
             as_tom, declared.id,
             incident::UpdateInput{incident::Channel::Business,
                                   "Card payments on the online shop are failing. We have found where it breaks and "
                                   "are switching to the backup payment route. Phone orders still work.",
                                   desk.clock.now() + std::chrono::minutes(40),
                                   "the backup route needs about half an hour to activate"})),
         "a briefing");
    seed_status_page(desk, as_admin, as_tom, declared.id);
    spdlog::info("seeded the demo desk");
    return {"admin  admin@lifeline.test        (console)", "agent  tom@lifeline.test          (console)",
            "agent  priya@lifeline.test        (console)", "contact maria@harbourbakery.co.uk (portal, Harbour Bakery)",
            "contact jon@northwind.example     (portal, Northwind Outfitters)"};
}

}  // namespace lifeline::app
