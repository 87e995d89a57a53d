// The subscriber policy: address normalisation with clear messages, per-channel pacing, who wants an update, and
// the messages (List-Unsubscribe headers, the short SMS with its link, the webhook's JSON).
#include "status/subscriber.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lifeline::status {
namespace {

using Channel = SubscriberChannel;

std::string message_of(const core::Result<std::string>& r)
{
    return r ? std::string() : r.error().fields().at(0).message;
}

TEST(SubscriberAddress, EmailIsTrimmedAndLowerCased)
{
    EXPECT_EQ(*normalise_address(Channel::Email, "  Ana@Example.COM "), "ana@example.com");
    auto bad = normalise_address(Channel::Email, "ana.example.com");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().fields().at(0).field, "address");
    EXPECT_NE(message_of(bad).find("is not an email address"), std::string::npos);
    EXPECT_FALSE(normalise_address(Channel::Email, "a@b.c, other@x.y"));
    EXPECT_EQ(message_of(normalise_address(Channel::Email, "   ")), "is required");
}

TEST(SubscriberAddress, PhoneMustBeE164AfterSeparatorsAreDropped)
{
    EXPECT_EQ(*normalise_address(Channel::Sms, "+44 (20) 7946-0958"), "+442079460958");
    for (const auto* bad : {"020 7946 0958", "+0 20 7946 0958", "+44 20 79x6 0958", "+1234567", "+1234567890123456"})
        EXPECT_NE(message_of(normalise_address(Channel::Sms, bad)).find("international format"), std::string::npos)
            << bad;
}

TEST(SubscriberAddress, WebhookMustBeAnHttpUrlWithAHost)
{
    EXPECT_EQ(*normalise_address(Channel::Webhook, " https://hooks.example/x?y=1 "), "https://hooks.example/x?y=1");
    EXPECT_TRUE(normalise_address(Channel::Webhook, "HTTP://10.0.0.1:8080/"));
    EXPECT_NE(message_of(normalise_address(Channel::Webhook, "ftp://x.example/")).find("https://"), std::string::npos);
    EXPECT_NE(message_of(normalise_address(Channel::Webhook, "https:///path")).find("no host"), std::string::npos);
    EXPECT_FALSE(normalise_address(Channel::Webhook, "https://x.example/a b"));
    EXPECT_FALSE(normalise_address(Channel::Webhook, "https://x.example/" + std::string(2000, 'a')));
}

TEST(SubscriberPacing, EachChannelKeepsItsOwnRate)
{
    ChannelRates rates;
    rates.email_per_second = 100;
    rates.sms_per_second = 2;
    const core::UtcTime start{};
    EXPECT_EQ(paced(rates, Channel::Email, 0, start), start);
    EXPECT_EQ(paced(rates, Channel::Email, 250, start), start + std::chrono::milliseconds(2500));
    EXPECT_EQ(paced(rates, Channel::Sms, 5, start), start + std::chrono::milliseconds(2500));
    rates.webhook_per_second = 0;  // a zero rate must not divide by zero
    EXPECT_EQ(paced(rates, Channel::Webhook, 3, start), start + std::chrono::seconds(3));
}

TEST(SubscriberWants, AllComponentsOrAnyOfTheChosenOnes)
{
    Subscriber all;
    EXPECT_TRUE(all.wants({}));
    Subscriber some;
    some.all_components = false;
    some.component_ids = {2, 5};
    EXPECT_TRUE(some.wants({1, 5}));
    EXPECT_FALSE(some.wants({1, 3}));
    EXPECT_FALSE(some.wants({}));
}

struct Fixture {
    PageIdentity page{"Acme Status", "https://status.acme.example"};
    PublicIncident incident;
    PublicUpdate update;
    Subscriber subscriber;
    Fixture()
    {
        incident.id = 7;
        incident.name = "Checkout <failing>";
        incident.component_ids = {3};
        update.id = 11;
        update.status = IncidentStatus::Identified;
        update.body = std::string(300, 'x');
        update.affected = {{3, "Checkout", ComponentStatus::Operational, ComponentStatus::MajorOutage}};
        subscriber.token = "tok123";
    }
};

TEST(SubscriberMessage, EmailHasOneClickUnsubscribeHeadersAndTheLinkInTheBody)
{
    Fixture f;
    auto m = update_message(f.page, f.subscriber, f.incident, f.update);
    EXPECT_EQ(m.subject, "[Acme Status] Checkout <failing>: Identified");
    ASSERT_EQ(m.headers.size(), 2u);
    EXPECT_EQ(m.headers[0], "List-Unsubscribe: <https://status.acme.example/status/unsubscribe/tok123>");
    EXPECT_EQ(m.headers[1], "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    EXPECT_NE(m.body.find("Unsubscribe: https://status.acme.example/status/unsubscribe/tok123"), std::string::npos);
    EXPECT_NE(m.body.find("Affected: Checkout"), std::string::npos);
    EXPECT_NE(m.body.find("https://status.acme.example/status/incidents/7"), std::string::npos);
}

TEST(SubscriberMessage, SmsIsShortAndKeepsTheWholeLink)
{
    Fixture f;
    f.subscriber.channel = Channel::Sms;
    auto m = update_message(f.page, f.subscriber, f.incident, f.update);
    EXPECT_LE(m.body.size(), 160u) << "one SMS segment";
    EXPECT_TRUE(m.body.ends_with("Stop: https://status.acme.example/status/unsubscribe/tok123")) << m.body;
    EXPECT_TRUE(m.headers.empty());
}

TEST(SubscriberMessage, WebhookIsStatuspageLikeJson)
{
    Fixture f;
    f.subscriber.channel = Channel::Webhook;
    auto m = update_message(f.page, f.subscriber, f.incident, f.update);
    auto o = boost::json::parse(m.body).as_object();
    EXPECT_EQ(o.at("meta").at("unsubscribe"), "https://status.acme.example/status/unsubscribe/tok123");
    const auto& incident = o.at("incident").as_object();
    EXPECT_EQ(incident.at("id"), "7");
    EXPECT_EQ(incident.at("name"), "Checkout <failing>");
    const auto& update = incident.at("incident_updates").as_array().at(0).as_object();
    EXPECT_EQ(update.at("status"), "identified");
    EXPECT_EQ(update.at("affected_components").as_array().at(0).at("new_status"), "major_outage");
}

}  // namespace
}  // namespace lifeline::status
