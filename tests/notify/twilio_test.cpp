// TwilioClient against a real local stand-in for Twilio's REST API (tests/support/twilio_standin.py); Twilio's
// webhook signatures against Twilio's documented example and the stand-in's independent Python implementation;
// post_webhook() against a small HTTP listener in this file, its signature checked with OpenSSL (the sender uses
// libsodium).
#include "notify/provider/twilio.hpp"
#include "notify/provider/webhook.hpp"
#include "support/twilio_standin.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lifeline::notify {
namespace {

using Outcome = Delivery::Outcome;
using Params = std::vector<std::pair<std::string, std::string>>;
using testing::TwilioStandIn;

// ---------------------------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server on 127.0.0.1: one request per connection, answered with a configurable status after an
// optional delay, and recorded.

struct Received {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
};

class Listener {
public:
    Listener()
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket failed");
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 16) != 0)
            throw std::runtime_error("bind/listen failed");
        socklen_t size = sizeof address;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~Listener()
    {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }

    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    void answer(int status, std::string body = "", std::chrono::milliseconds delay = {})
    {
        std::lock_guard lock(mutex_);
        status_ = status;
        answer_body_ = std::move(body);
        delay_ = delay;
    }
    std::vector<Received> received() const
    {
        std::lock_guard lock(mutex_);
        return received_;
    }
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const
    {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
    }

private:
    void run()
    {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) continue;
            serve(client);
            ::close(client);
        }
    }

    void serve(int client)
    {
        timeval tv{5, 0};
        ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string data;
        char buffer[4096];
        std::size_t head_end = std::string::npos;
        while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
            const auto n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) return;
            data.append(buffer, static_cast<std::size_t>(n));
        }
        Received request;
        std::size_t line_end = data.find("\r\n");
        const std::string request_line = data.substr(0, line_end);
        const auto first_space = request_line.find(' ');
        request.method = request_line.substr(0, first_space);
        request.target = request_line.substr(first_space + 1, request_line.rfind(' ') - first_space - 1);
        for (std::size_t at = line_end + 2; at < head_end;) {
            const auto end = data.find("\r\n", at);
            const auto line = data.substr(at, end - at);
            const auto colon = line.find(':');
            auto name = line.substr(0, colon);
            for (auto& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            auto value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            request.headers[name] = value;
            at = end + 2;
        }
        const std::size_t length =
            request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
        request.body = data.substr(head_end + 4);
        while (request.body.size() < length) {
            const auto n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) return;
            request.body.append(buffer, static_cast<std::size_t>(n));
        }

        int status;
        std::string body;
        std::chrono::milliseconds delay;
        {
            std::lock_guard lock(mutex_);
            received_.push_back(request);
            status = status_;
            body = answer_body_;
            delay = delay_;
        }
        changed_.notify_all();
        if (delay.count() > 0) std::this_thread::sleep_for(delay);
        const std::string response =
            "HTTP/1.1 " + std::to_string(status) +
            " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n\r\n" + body;
        ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
    }

    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<Received> received_;
    int status_ = 200;
    std::string answer_body_;
    std::chrono::milliseconds delay_{0};
    std::thread thread_;
};

// application/x-www-form-urlencoded → (name, value) pairs, in order.
Params parse_form(const std::string& body)
{
    auto decode = [](std::string_view text) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '+') {
                out.push_back(' ');
            } else if (text[i] == '%' && i + 2 < text.size()) {
                out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
                i += 2;
            } else {
                out.push_back(text[i]);
            }
        }
        return out;
    };
    Params out;
    std::string_view rest(body);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        const auto equals = pair.find('=');
        out.emplace_back(decode(pair.substr(0, equals)),
                         equals == std::string_view::npos ? std::string() : decode(pair.substr(equals + 1)));
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    return out;
}

std::string value_of(const Params& params, const std::string& name)
{
    for (const auto& [key, value] : params)
        if (key == name) return value;
    return {};
}

// ---------------------------------------------------------------------------------------------------------------
// TwilioClient against the stand-in.

class TwilioClientTest : public ::testing::Test {
protected:
    TwilioConfig config(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const
    {
        TwilioConfig c;
        c.base_url = standin.base_url();
        c.account_sid = standin.account_sid();
        c.auth_token = standin.auth_token();
        c.from_number = "+15005550006";
        c.timeout = timeout;
        return c;
    }

    TwilioStandIn standin;
};

TEST_F(TwilioClientTest, SendsAnSmsThatTwilioRecordsWithTheSidItAnswered)
{
    TwilioClient client(config());
    const std::string body = "LL-42 Disk full on db1 & <web> — reply ACK 42 (100% sure) +more";
    const auto delivery = client.send_sms("+15551230001", body);
    ASSERT_EQ(delivery.outcome, Outcome::Sent) << delivery.detail;
    EXPECT_EQ(delivery.provider_id.size(), 34u);
    EXPECT_EQ(delivery.provider_id.rfind("SM", 0), 0u) << delivery.provider_id;
    EXPECT_NE(delivery.detail.find(delivery.provider_id), std::string::npos) << delivery.detail;

    ASSERT_TRUE(standin.wait_for(1));
    const auto requests = standin.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].kind, "sms");
    EXPECT_EQ(requests[0].to, "+15551230001");
    EXPECT_EQ(requests[0].from, "+15005550006");
    EXPECT_EQ(requests[0].body, body);
    EXPECT_EQ(requests[0].sid, delivery.provider_id);
}

TEST_F(TwilioClientTest, PlacesACallWithTheTwimlRecorded)
{
    TwilioClient client(config());
    const auto twiml = twiml_say("Lifeline: incident 7 on <checkout> & payments is critical.");
    const auto delivery = client.place_call("+15551230002", twiml);
    ASSERT_EQ(delivery.outcome, Outcome::Sent) << delivery.detail;
    EXPECT_EQ(delivery.provider_id.rfind("CA", 0), 0u) << delivery.provider_id;
    EXPECT_EQ(delivery.provider_id.size(), 34u);

    const auto requests = standin.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].kind, "call");
    EXPECT_EQ(requests[0].to, "+15551230002");
    EXPECT_EQ(requests[0].from, "+15005550006");
    EXPECT_EQ(requests[0].body, twiml);
    EXPECT_EQ(requests[0].sid, delivery.provider_id);
}

TEST_F(TwilioClientTest, WrongAuthTokenIsPermanentAndNamesTwiliosMessage)
{
    auto c = config();
    c.auth_token = "not-the-token";
    const auto delivery = TwilioClient(c).send_sms("+15551230001", "hello");
    EXPECT_EQ(delivery.outcome, Outcome::PermanentFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("401"), std::string::npos) << delivery.detail;
    EXPECT_NE(delivery.detail.find("Authenticate"), std::string::npos) << delivery.detail;
    EXPECT_NE(delivery.detail.find("20003"), std::string::npos) << delivery.detail;
    EXPECT_EQ(delivery.detail.find("not-the-token"), std::string::npos) << delivery.detail;
    EXPECT_TRUE(standin.requests().empty());
}

TEST_F(TwilioClientTest, MissingRecipientIsPermanentWithTwiliosValidationMessage)
{
    const auto delivery = TwilioClient(config()).send_sms("", "hello");
    EXPECT_EQ(delivery.outcome, Outcome::PermanentFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("400"), std::string::npos) << delivery.detail;
    EXPECT_NE(delivery.detail.find("A 'To' phone number is required."), std::string::npos) << delivery.detail;
    EXPECT_NE(delivery.detail.find("21604"), std::string::npos) << delivery.detail;
}

TEST_F(TwilioClientTest, ServerErrorsAndRateLimitsAreTransientAndARetrySucceeds)
{
    TwilioClient client(config());
    standin.fail_next(500, 1);
    auto delivery = client.send_sms("+15551230001", "first try");
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("500"), std::string::npos) << delivery.detail;

    standin.fail_next(429, 1);
    delivery = client.place_call("+15551230001", twiml_say("second try"));
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("429"), std::string::npos) << delivery.detail;

    standin.fail_next(503, 1);
    delivery = client.send_sms("+15551230001", "third try");
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_TRUE(standin.requests().empty());

    delivery = client.send_sms("+15551230001", "fourth try");
    EXPECT_EQ(delivery.outcome, Outcome::Sent) << delivery.detail;
    ASSERT_EQ(standin.requests().size(), 1u);
    EXPECT_EQ(standin.requests()[0].body, "fourth try");
}

TEST_F(TwilioClientTest, AHangLongerThanTheTimeoutIsTransientTimedOut)
{
    standin.hang_next(3);
    const auto started = std::chrono::steady_clock::now();
    const auto delivery = TwilioClient(config(std::chrono::milliseconds(500))).send_sms("+15551230001", "slow");
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("timed out"), std::string::npos) << delivery.detail;
    EXPECT_LT(took, std::chrono::milliseconds(2500));
}

TEST(TwilioClient, ConnectionRefusedIsTransient)
{
    // A port that was free a moment ago: nothing listens there.
    int port;
    {
        Listener probe;
        port = std::stoi(probe.url("").substr(std::string("http://127.0.0.1:").size()));
    }
    TwilioConfig c;
    c.base_url = "http://127.0.0.1:" + std::to_string(port);
    c.account_sid = "AC00000000000000000000000000000000";
    c.auth_token = "token";
    c.from_number = "+15005550006";
    const auto delivery = TwilioClient(c).send_sms("+15551230001", "hello");
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("could not connect"), std::string::npos) << delivery.detail;
}

TEST(TwilioClient, UnconfiguredClientRefusesWithoutSending)
{
    TwilioConfig c;
    EXPECT_FALSE(c.enabled());
    c.account_sid = "AC1";
    c.auth_token = "t";
    EXPECT_FALSE(c.enabled());
    const auto delivery = TwilioClient(c).send_sms("+15551230001", "hello");
    EXPECT_EQ(delivery.outcome, Outcome::PermanentFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("not configured"), std::string::npos) << delivery.detail;
    c.from_number = "+15005550006";
    EXPECT_TRUE(c.enabled());
}

TEST_F(TwilioClientTest, ConcurrentSendsFromSeveralThreadsAllArrive)
{
    const TwilioClient client(config());
    constexpr int kThreads = 4;
    constexpr int kEach = 5;
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::set<std::string> sids;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const auto delivery = client.send_sms("+1555123" + std::to_string(1000 + t),
                                                      "t" + std::to_string(t) + "-" + std::to_string(i));
                if (delivery.outcome != Outcome::Sent) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(mutex);
                sids.insert(delivery.provider_id);
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(sids.size(), static_cast<std::size_t>(kThreads * kEach));
    ASSERT_TRUE(standin.wait_for(kThreads * kEach));
    std::set<std::string> bodies;
    for (const auto& request : standin.requests())
        bodies.insert(request.body);
    EXPECT_EQ(bodies.size(), static_cast<std::size_t>(kThreads * kEach));
    EXPECT_TRUE(bodies.count("t3-4"));
}

TEST(Twiml, SayEscapesTheTextAndRepeats)
{
    EXPECT_EQ(twiml_say("Disk <full> & \"db\" 'one'\x01", 2),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
              "<Say>Disk &lt;full&gt; &amp; &quot;db&quot; &apos;one&apos; </Say><Pause length=\"1\"/>"
              "<Say>Disk &lt;full&gt; &amp; &quot;db&quot; &apos;one&apos; </Say></Response>");
    EXPECT_EQ(twiml_say("hi", 0), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>hi</Say></Response>");
}

// ---------------------------------------------------------------------------------------------------------------
// X-Twilio-Signature.

// The example in Twilio's request-validation documentation (twilio-php's docs/usage/validation.rst, "Validate
// Incoming Requests"): auth token 12345, this URL and these POST fields sign to RSOYDt4T1cUTdK1PDd93/VVr8B8=.
TEST(TwilioSignature, MatchesTwiliosDocumentedExample)
{
    const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const Params params{{"CallSid", "CA1234567890ABCDE"},
                        {"Caller", "+14158675309"},
                        {"Digits", "1234"},
                        {"From", "+14158675309"},
                        {"To", "+18005551212"}};
    EXPECT_EQ(twilio_signature("12345", url, params), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    EXPECT_TRUE(valid_twilio_signature("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    // The same example as Twilio's security page gives it later, with other numbers and the fields out of order
    // (the signature sorts them).
    const Params shuffled{{"To", "+18005551212"},
                          {"Digits", "1234"},
                          {"From", "+12349013030"},
                          {"CallSid", "CA1234567890ABCDE"},
                          {"Caller", "+12349013030"}};
    EXPECT_EQ(twilio_signature("12345", url, shuffled), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(TwilioSignature, RejectsAChangedParameterUrlOrHeader)
{
    const std::string token = "12345";
    const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const Params params{{"CallSid", "CA1234567890ABCDE"},
                        {"Caller", "+14158675309"},
                        {"Digits", "1234"},
                        {"From", "+14158675309"},
                        {"To", "+18005551212"}};
    const auto good = twilio_signature(token, url, params);
    ASSERT_TRUE(valid_twilio_signature(token, url, params, good));

    auto changed = params;
    changed[2].second = "1235";
    EXPECT_FALSE(valid_twilio_signature(token, url, changed, good));
    auto added = params;
    added.emplace_back("Body", "");
    EXPECT_FALSE(valid_twilio_signature(token, url, added, good));
    EXPECT_FALSE(valid_twilio_signature(token, "https://mycompany.com/myapp.php?foo=1&bar=3", params, good));
    EXPECT_FALSE(valid_twilio_signature(token, "http://mycompany.com/myapp.php?foo=1&bar=2", params, good));
    EXPECT_FALSE(valid_twilio_signature("12346", url, params, good));

    auto flipped = good;
    flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(valid_twilio_signature(token, url, params, flipped));
    EXPECT_FALSE(valid_twilio_signature(token, url, params, good.substr(0, good.size() - 1)));
    EXPECT_FALSE(valid_twilio_signature(token, url, params, good + "="));
    EXPECT_FALSE(valid_twilio_signature(token, url, params, ""));
    EXPECT_FALSE(valid_twilio_signature("", url, params, twilio_signature("", url, params)));
}

// The stand-in signs an inbound SMS with its own Python implementation; ours must accept exactly that.
TEST_F(TwilioClientTest, SignatureAgreesWithTheStandInsIndependentImplementation)
{
    Listener lifeline;
    lifeline.answer(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    const auto url = lifeline.url("/api/v1/integrations/twilio/sms?desk=main&x=a+b");
    const std::string body = "ACK 42 & ü — 100% +more=yes";

    const auto result = standin.simulate_inbound_sms(url, "+15551230001", "+15005550006", body);
    ASSERT_EQ(result.status, 200) << result.error;
    EXPECT_EQ(result.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    ASSERT_TRUE(lifeline.wait_for(1));
    auto request = lifeline.received()[0];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/api/v1/integrations/twilio/sms?desk=main&x=a+b");
    const auto params = parse_form(request.body);
    EXPECT_EQ(value_of(params, "Body"), body);
    EXPECT_EQ(value_of(params, "From"), "+15551230001");
    EXPECT_EQ(value_of(params, "To"), "+15005550006");
    EXPECT_EQ(value_of(params, "AccountSid"), standin.account_sid());
    EXPECT_EQ(value_of(params, "NumMedia"), "0");
    EXPECT_EQ(value_of(params, "MessageSid").rfind("SM", 0), 0u);
    const auto header = request.headers["x-twilio-signature"];
    ASSERT_FALSE(header.empty());
    EXPECT_EQ(twilio_signature(standin.auth_token(), url, params), header);
    EXPECT_TRUE(valid_twilio_signature(standin.auth_token(), url, params, header));

    const auto forged = standin.simulate_inbound_sms(url, "+15551230001", "+15005550006", body, true);
    ASSERT_EQ(forged.status, 200) << forged.error;
    ASSERT_TRUE(lifeline.wait_for(2));
    request = lifeline.received()[1];
    const auto forged_params = parse_form(request.body);
    EXPECT_FALSE(
        valid_twilio_signature(standin.auth_token(), url, forged_params, request.headers["x-twilio-signature"]));
}

// ---------------------------------------------------------------------------------------------------------------
// post_webhook().

std::string hmac_sha256_hex(const std::string& key, const std::string& data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &size);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 0x0f]);
    }
    return out;
}

TEST(Webhook, PostsSignedJsonThatTheReceiverCanVerify)
{
    Listener receiver;
    receiver.answer(204);
    const std::string body = R"({"event":"incident.triggered","incident":{"number":7,"title":"Checkout down – ü"}})";
    const auto delivery =
        post_webhook({receiver.url("/hooks/T000/SECRETPATH?token=abc"), body, "whsec_test"}, std::chrono::seconds(5));
    ASSERT_EQ(delivery.outcome, Outcome::Sent) << delivery.detail;
    EXPECT_TRUE(delivery.provider_id.empty());
    EXPECT_EQ(delivery.detail.find("SECRETPATH"), std::string::npos) << delivery.detail;
    EXPECT_EQ(delivery.detail.find("abc"), std::string::npos) << delivery.detail;

    auto received = receiver.received();
    ASSERT_EQ(received.size(), 1u);
    auto& request = received[0];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/hooks/T000/SECRETPATH?token=abc");
    EXPECT_EQ(request.body, body);
    EXPECT_EQ(request.headers["content-type"], "application/json");
    const auto timestamp = request.headers["x-lifeline-timestamp"];
    ASSERT_FALSE(timestamp.empty());
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_LE(std::abs(std::stoll(timestamp) - now), 60);
    EXPECT_EQ(request.headers["x-lifeline-signature"],
              "sha256=" + hmac_sha256_hex("whsec_test", timestamp + "." + body));
    EXPECT_EQ(webhook_signature("whsec_test", timestamp, body), request.headers["x-lifeline-signature"]);
    // A different secret or body would not verify.
    EXPECT_NE(request.headers["x-lifeline-signature"],
              "sha256=" + hmac_sha256_hex("whsec_other", timestamp + "." + body));
}

TEST(Webhook, UnsignedWithoutASecret)
{
    Listener receiver;
    const auto delivery = post_webhook({receiver.url("/hook"), "{}", ""}, std::chrono::seconds(5));
    ASSERT_EQ(delivery.outcome, Outcome::Sent) << delivery.detail;
    auto received = receiver.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].headers.count("x-lifeline-signature"), 0u);
    EXPECT_EQ(received[0].headers.count("x-lifeline-timestamp"), 1u);
}

TEST(Webhook, ClassifiesTheReceiversAnswer)
{
    Listener receiver;
    const WebhookPost post{receiver.url("/hook"), R"({"a":1})", "s"};
    receiver.answer(500, "oops");
    auto delivery = post_webhook(post, std::chrono::seconds(5));
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("500"), std::string::npos) << delivery.detail;

    receiver.answer(429);
    EXPECT_EQ(post_webhook(post, std::chrono::seconds(5)).outcome, Outcome::TransientFailure);
    receiver.answer(503);
    EXPECT_EQ(post_webhook(post, std::chrono::seconds(5)).outcome, Outcome::TransientFailure);

    receiver.answer(404, "no such hook");
    delivery = post_webhook(post, std::chrono::seconds(5));
    EXPECT_EQ(delivery.outcome, Outcome::PermanentFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("404"), std::string::npos) << delivery.detail;

    receiver.answer(410);
    EXPECT_EQ(post_webhook(post, std::chrono::seconds(5)).outcome, Outcome::PermanentFailure);
    receiver.answer(301);
    EXPECT_EQ(post_webhook(post, std::chrono::seconds(5)).outcome, Outcome::PermanentFailure);
    EXPECT_EQ(receiver.received().size(), 6u);
}

TEST(Webhook, TimeoutAndRefusedConnectionAreTransient)
{
    Listener receiver;
    receiver.answer(200, "", std::chrono::milliseconds(1500));
    auto delivery = post_webhook({receiver.url("/slow"), "{}", ""}, std::chrono::milliseconds(300));
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
    EXPECT_NE(delivery.detail.find("timed out"), std::string::npos) << delivery.detail;

    int port;
    {
        Listener probe;
        port = std::stoi(probe.url("").substr(std::string("http://127.0.0.1:").size()));
    }
    delivery = post_webhook({"http://127.0.0.1:" + std::to_string(port) + "/hook", "{}", ""}, std::chrono::seconds(5));
    EXPECT_EQ(delivery.outcome, Outcome::TransientFailure) << delivery.detail;
}

TEST(Webhook, OnlyHttpUrls)
{
    for (const std::string url : {"ftp://127.0.0.1/hook", "file:///etc/passwd", "gopher://x", "127.0.0.1:80/x", "",
                                  "http://", "http://exa mple.com/"}) {
        const auto delivery = post_webhook({url, "{}", "s"}, std::chrono::seconds(1));
        EXPECT_EQ(delivery.outcome, Outcome::PermanentFailure) << url << ": " << delivery.detail;
    }
}

}  // namespace
}  // namespace lifeline::notify
