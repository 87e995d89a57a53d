// Runs LmtpServer in-process on loopback with a recording MailSink and talks to it with the real swaks client and
// with raw sockets for the edge cases.
#include "intake/email/lmtp_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using lifeline::core::Error;
using lifeline::core::Ok;
using lifeline::core::Status;
using lifeline::intake::email::LmtpLimits;
using lifeline::intake::email::LmtpServer;
using lifeline::intake::email::MailSink;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Records every delivery; answers Ok unless an outcome was set for a recipient; can wait before answering.
class RecordingSink : public MailSink {
public:
    struct Delivery {
        std::string raw;
        std::string envelope_from;
        std::vector<std::string> recipients;
        Clock::time_point stored_at;
    };

    void set_outcome(const std::string& recipient, Status status)
    {
        std::lock_guard lock(mutex_);
        outcomes_.insert_or_assign(recipient, std::move(status));
    }
    void set_delay(std::chrono::milliseconds delay)
    {
        std::lock_guard lock(mutex_);
        delay_ = delay;
    }
    void throw_on(const std::string& recipient)
    {
        std::lock_guard lock(mutex_);
        throw_on_ = recipient;
    }
    std::vector<Delivery> deliveries()
    {
        std::lock_guard lock(mutex_);
        return deliveries_;
    }

    asio::awaitable<std::vector<Status>> deliver(std::string raw, std::string envelope_from,
                                                 std::vector<std::string> recipients) override
    {
        std::chrono::milliseconds delay;
        std::string throw_on;
        {
            std::lock_guard lock(mutex_);
            delay = delay_;
            throw_on = throw_on_;
        }
        if (delay.count() > 0) {
            asio::steady_timer timer(co_await asio::this_coro::executor);
            timer.expires_after(delay);
            co_await timer.async_wait(asio::use_awaitable);
        }
        for (const auto& r : recipients)
            if (r == throw_on) throw std::runtime_error("the store exploded");
        std::vector<Status> out;
        std::lock_guard lock(mutex_);
        for (const auto& r : recipients) {
            auto it = outcomes_.find(r);
            if (it == outcomes_.end())
                out.emplace_back(Ok{});
            else
                out.push_back(it->second);
        }
        deliveries_.push_back({std::move(raw), std::move(envelope_from), std::move(recipients), Clock::now()});
        co_return out;
    }

private:
    std::mutex mutex_;
    std::map<std::string, Status> outcomes_;
    std::chrono::milliseconds delay_{0};
    std::string throw_on_;
    std::vector<Delivery> deliveries_;
};

LmtpLimits test_limits()
{
    LmtpLimits limits;
    limits.hostname = "lmtp.test";
    limits.command_timeout = std::chrono::seconds(10);
    return limits;
}

// An LmtpServer on 127.0.0.1:<free port>, run by two background io_context threads as in the app.
class Harness {
public:
    explicit Harness(LmtpLimits limits = test_limits()) : server_(io_, sink_, std::move(limits))
    {
        auto endpoint = server_.listen("127.0.0.1", 0);
        if (!endpoint) throw std::runtime_error(endpoint.error().message());
        port_ = endpoint->port();
        server_.start();
        for (auto& thread : threads_)
            thread = std::thread([this] { io_.run(); });
    }
    ~Harness()
    {
        shutdown(std::chrono::seconds(1));
        work_.reset();
        io_.stop();
        for (auto& thread : threads_)
            thread.join();
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    // Starts LmtpServer::shutdown on the io_context; the future completes with it.
    std::future<void> begin_shutdown(std::chrono::seconds grace)
    {
        shut_down_ = true;
        return asio::co_spawn(io_, server_.shutdown(grace), asio::use_future);
    }
    void shutdown(std::chrono::seconds grace)
    {
        if (!shut_down_) begin_shutdown(grace).get();
    }

    std::uint16_t port() const { return port_; }
    RecordingSink& sink() { return sink_; }

private:
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
    RecordingSink sink_;
    LmtpServer server_;
    std::uint16_t port_ = 0;
    bool shut_down_ = false;
    std::thread threads_[2];
};

// A blocking loopback client with timeouts on every read.
class Client {
public:
    explicit Client(std::uint16_t port)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error("socket() failed");
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("connect() failed");
    }
    ~Client() { ::close(fd_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void send(std::string_view data)
    {
        while (!data.empty()) {
            auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send() failed");
            data.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // The next line without its line ending, or nullopt on end of stream or timeout.
    std::optional<std::string> line(std::chrono::milliseconds timeout = 5s)
    {
        auto deadline = Clock::now() + timeout;
        for (;;) {
            auto newline = buffer_.find('\n');
            if (newline != std::string::npos) {
                auto out = buffer_.substr(0, newline);
                buffer_.erase(0, newline + 1);
                if (!out.empty() && out.back() == '\r') out.pop_back();
                return out;
            }
            if (!fill(deadline)) return std::nullopt;
        }
    }

    // One reply; the lines of a multi-line reply are joined with '\n'. Empty on end of stream or timeout.
    std::string reply(std::chrono::milliseconds timeout = 5s)
    {
        std::string out;
        for (;;) {
            auto next = line(timeout);
            if (!next) return out;
            if (!out.empty()) out += '\n';
            out += *next;
            if (next->size() < 4 || (*next)[3] != '-') return out;
        }
    }

    // The code and enhanced status of the next reply, e.g. "250 2.1.0".
    std::string code(std::chrono::milliseconds timeout = 5s) { return reply(timeout).substr(0, 9); }

    // True when the server closes the connection within `timeout` without sending anything more.
    bool closed(std::chrono::milliseconds timeout = 5s)
    {
        if (!buffer_.empty()) return false;
        return !fill(Clock::now() + timeout) && eof_;
    }

    // True when nothing arrives for `duration`.
    bool silent_for(std::chrono::milliseconds duration)
    {
        if (!buffer_.empty()) return false;
        return !fill(Clock::now() + duration) && !eof_;
    }

private:
    bool fill(Clock::time_point deadline)
    {
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (remaining.count() < 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(remaining.count())) <= 0) return false;
        char chunk[65536];
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            eof_ = true;
            return false;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    std::string buffer_;
    bool eof_ = false;
};

// Connects, reads the greeting and says LHLO.
std::unique_ptr<Client> greeted_client(const Harness& harness)
{
    auto client = std::make_unique<Client>(harness.port());
    EXPECT_EQ(client->reply(), "220 lmtp.test LMTP server ready");
    client->send("LHLO client.test\r\n");
    EXPECT_EQ(client->code(), "250-lmtp.");
    return client;
}

// Dot-stuffs `content` (which ends in CRLF) and appends the terminating line.
std::string stuffed(const std::string& content)
{
    std::string out;
    bool at_line_start = true;
    for (char c : content) {
        if (at_line_start && c == '.') out += '.';
        out += c;
        at_line_start = c == '\n';
    }
    return out + ".\r\n";
}

std::string message_of_size(std::size_t bytes)
{
    std::string out = "From: sender@example.org\r\nTo: desk@example.com\r\nSubject: sized\r\n\r\n";
    std::size_t n = 0;
    while (out.size() < bytes) {
        // Every seventh line starts with a dot so that stuffing is exercised throughout.
        std::string line = (n % 7 == 0 ? "." : "") + std::string("line ") + std::to_string(n) + " " +
                           std::string(60, static_cast<char>('a' + n % 26)) + "\r\n";
        out += line;
        ++n;
    }
    return out;
}

// Compares long texts without printing them whole.
::testing::AssertionResult same_text(const std::string& actual, const std::string& expected)
{
    if (actual == expected) return ::testing::AssertionSuccess();
    std::size_t at = 0;
    while (at < actual.size() && at < expected.size() && actual[at] == expected[at])
        ++at;
    return ::testing::AssertionFailure() << "sizes " << actual.size() << " and " << expected.size()
                                         << "; first difference at byte " << at << ": got \"" << actual.substr(at, 40)
                                         << "\", expected \"" << expected.substr(at, 40) << "\"";
}

struct CommandResult {
    int exit_code = -1;
    std::string output;
};

CommandResult run(const std::string& command)
{
    auto output_file = std::filesystem::path(::testing::TempDir()) / "lmtp_command_output.txt";
    int status = std::system((command + " > " + output_file.string() + " 2>&1").c_str());
    std::ifstream in(output_file);
    std::stringstream text;
    text << in.rdbuf();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

std::string write_file(const std::string& name, const std::string& content)
{
    auto path = std::filesystem::path(::testing::TempDir()) / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
}

std::string swaks(const Harness& harness, const std::string& recipients, const std::string& data_file)
{
    return "swaks --server 127.0.0.1 --port " + std::to_string(harness.port()) +
           " --protocol LMTP --helo client.test --from sender@example.org --to " + recipients + " --data @" +
           data_file + " --pipeline --timeout 20";
}

TEST(Lmtp, SwaksDeliversToTwoRecipientsWithPipelining)
{
    Harness harness;
    auto message = "From: sender@example.org\r\nTo: a@example.com\r\nSubject: from swaks\r\n\r\nHello desk.\r\n"
                   ".a line starting with a dot\r\n";
    auto file = write_file("swaks_two.eml", message);
    auto result = run(swaks(harness, "a@example.com,b@example.com", file));
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("PIPELINING"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("250 2.0.0 <a@example.com> delivered"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("250 2.0.0 <b@example.com> delivered"), std::string::npos) << result.output;
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].envelope_from, "sender@example.org");
    EXPECT_EQ(deliveries[0].recipients, (std::vector<std::string>{"a@example.com", "b@example.com"}));
    EXPECT_NE(deliveries[0].raw.find("Subject: from swaks\r\n"), std::string::npos) << deliveries[0].raw;
    EXPECT_NE(deliveries[0].raw.find("\r\n.a line starting with a dot\r\n"), std::string::npos) << deliveries[0].raw;
}

TEST(Lmtp, SwaksSeesPerRecipientFailure)
{
    Harness harness;
    harness.sink().set_outcome("gone@example.com", Error::not_found("no such queue: gone@example.com"));
    auto file = write_file("swaks_fail.eml", "Subject: partly\r\n\r\nbody\r\n");
    auto result = run(swaks(harness, "a@example.com,gone@example.com", file));
    // swaks marks a failed reply with "<**" but exits 0 while at least one recipient was accepted.
    EXPECT_NE(result.output.find("<-  250 2.0.0 <a@example.com> delivered"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("<** 550 5.1.1 no such queue: gone@example.com"), std::string::npos) << result.output;
}

TEST(Lmtp, SwaksDeliversFourKilobyteAndOneMegabyteMessages)
{
    Harness harness;
    for (std::size_t size : {std::size_t{4 * 1024}, std::size_t{1024 * 1024}}) {
        auto message = message_of_size(size);
        auto file = write_file("swaks_sized.eml", message);
        auto result = run(swaks(harness, "a@example.com", file));
        EXPECT_EQ(result.exit_code, 0) << result.output.substr(0, 2000);
    }
    // swaks ends the content with an extra CRLF before the terminating dot.
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_TRUE(same_text(deliveries[0].raw, message_of_size(4 * 1024) + "\r\n"));
    EXPECT_TRUE(same_text(deliveries[1].raw, message_of_size(1024 * 1024) + "\r\n"));
}

TEST(Lmtp, LhloAdvertisesExtensions)
{
    Harness harness;
    Client client(harness.port());
    EXPECT_EQ(client.reply(), "220 lmtp.test LMTP server ready");
    client.send("LHLO client.test\r\n");
    EXPECT_EQ(client.reply(), "250-lmtp.test\n250-PIPELINING\n250-ENHANCEDSTATUSCODES\n250-SIZE 52428800\n"
                              "250-8BITMIME\n250 SMTPUTF8");
}

TEST(Lmtp, PipelinedTransactionGetsOneReplyPerRecipient)
{
    Harness harness;
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<sender@example.org> BODY=8BITMIME SIZE=100\r\nRCPT TO:<a@example.com>\r\n"
                 "RCPT TO:<b@example.com>\r\nDATA\r\n");
    EXPECT_EQ(client->code(), "250 2.1.0");
    EXPECT_EQ(client->code(), "250 2.1.5");
    EXPECT_EQ(client->code(), "250 2.1.5");
    EXPECT_EQ(client->code(), "354 Start");
    client->send("Subject: hi\r\n\r\nbody\r\n.\r\n");
    EXPECT_EQ(client->reply(), "250 2.0.0 <a@example.com> delivered");
    EXPECT_EQ(client->reply(), "250 2.0.0 <b@example.com> delivered");
    client->send("QUIT\r\n");
    EXPECT_EQ(client->code(), "221 2.0.0");
    EXPECT_TRUE(client->closed());
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].raw, "Subject: hi\r\n\r\nbody\r\n");
}

TEST(Lmtp, WholeSessionInOneWriteIsAnsweredInOrder)
{
    Harness harness;
    Client client(harness.port());
    client.send("LHLO client.test\r\nMAIL FROM:<>\r\nRCPT TO:<a@example.com>\r\nDATA\r\nSubject: one\r\n\r\n1\r\n.\r\n"
                "MAIL FROM:<s@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nSubject: two\r\n\r\n2\r\n.\r\n"
                "QUIT\r\n");
    EXPECT_EQ(client.code(), "220 lmtp.");
    EXPECT_EQ(client.code(), "250-lmtp.");
    for (const char* expected : {"250 2.1.0", "250 2.1.5", "354 Start", "250 2.0.0", "250 2.1.0", "250 2.1.5",
                                 "354 Start", "250 2.0.0", "221 2.0.0"})
        EXPECT_EQ(client.code(), expected);
    EXPECT_TRUE(client.closed());
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_EQ(deliveries[0].envelope_from, "");
    EXPECT_EQ(deliveries[0].raw, "Subject: one\r\n\r\n1\r\n");
    EXPECT_EQ(deliveries[1].envelope_from, "s@example.org");
    EXPECT_EQ(deliveries[1].recipients, std::vector<std::string>{"b@example.com"});
}

TEST(Lmtp, DotStuffingRoundTrips)
{
    Harness harness;
    auto client = greeted_client(harness);
    std::string content = "Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle . dot\r\n.\r\nlast.\r\n";
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 2; ++i)
        client->reply();
    EXPECT_EQ(client->code(), "354 Start");
    client->send(stuffed(content));
    EXPECT_EQ(client->code(), "250 2.0.0");
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].raw, content);
}

TEST(Lmtp, TerminatorSplitAcrossWritesIsRecognised)
{
    Harness harness;
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i)
        client->reply();
    for (const char* piece : {"Subject: split\r\n\r\nab", "c\r\n.", ".x\r\n", ".", "\r"}) {
        client->send(piece);
        EXPECT_TRUE(client->silent_for(30ms)) << "after " << piece;
    }
    client->send("\n");
    EXPECT_EQ(client->code(), "250 2.0.0");
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].raw, "Subject: split\r\n\r\nabc\r\n.x\r\n");
}

TEST(Lmtp, BareLineFeedsAreAccepted)
{
    Harness harness;
    Client client(harness.port());
    client.reply();
    client.send("LHLO sloppy\nMAIL FROM:<s@example.org>\nRCPT TO:<a@example.com>\nDATA\n");
    EXPECT_EQ(client.code(), "250-lmtp.");
    EXPECT_EQ(client.code(), "250 2.1.0");
    EXPECT_EQ(client.code(), "250 2.1.5");
    EXPECT_EQ(client.code(), "354 Start");
    client.send("Subject: lf\n\n..dot\nbody\n.\n");
    EXPECT_EQ(client.code(), "250 2.0.0");
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].raw, "Subject: lf\n\n.dot\nbody\n");
}

TEST(Lmtp, FourKilobyteAndOneMegabyteMessagesArriveIntact)
{
    Harness harness;
    auto client = greeted_client(harness);
    for (std::size_t size : {std::size_t{4 * 1024}, std::size_t{1024 * 1024}}) {
        auto content = message_of_size(size);
        client->send("MAIL FROM:<s@example.org> SIZE=" + std::to_string(content.size()) +
                     "\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
        EXPECT_EQ(client->code(), "250 2.1.0");
        EXPECT_EQ(client->code(), "250 2.1.5");
        EXPECT_EQ(client->code(), "354 Start");
        client->send(stuffed(content));
        EXPECT_EQ(client->code(), "250 2.0.0");
    }
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_TRUE(same_text(deliveries[0].raw, message_of_size(4 * 1024)));
    EXPECT_TRUE(same_text(deliveries[1].raw, message_of_size(1024 * 1024)));
}

TEST(Lmtp, SizeParameterOverTheLimitGets552)
{
    auto limits = test_limits();
    limits.max_message_bytes = 1000;
    Harness harness(limits);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org> SIZE=1001\r\n");
    EXPECT_EQ(client->code(), "552 5.3.4");
    client->send("MAIL FROM:<s@example.org> SIZE=lots\r\n");
    EXPECT_EQ(client->code(), "501 5.5.4");
    client->send("MAIL FROM:<s@example.org> SIZE=1000\r\n");
    EXPECT_EQ(client->code(), "250 2.1.0");
}

TEST(Lmtp, OversizeMessageIsDiscardedWith552PerRecipient)
{
    auto limits = test_limits();
    limits.max_message_bytes = 1000;
    Harness harness(limits);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i)
        client->reply();
    EXPECT_EQ(client->code(), "354 Start");
    client->send(stuffed(message_of_size(5000)));
    EXPECT_EQ(client->code(), "552 5.3.4");
    EXPECT_EQ(client->code(), "552 5.3.4");
    client->send("NOOP\r\n");
    EXPECT_EQ(client->code(), "250 2.0.0");
    EXPECT_TRUE(harness.sink().deliveries().empty());
}

TEST(Lmtp, TooManyRecipientsGet452)
{
    auto limits = test_limits();
    limits.max_recipients = 2;
    Harness harness(limits);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
                 "RCPT TO:<c@example.com>\r\nDATA\r\n");
    EXPECT_EQ(client->code(), "250 2.1.0");
    EXPECT_EQ(client->code(), "250 2.1.5");
    EXPECT_EQ(client->code(), "250 2.1.5");
    EXPECT_EQ(client->code(), "452 4.5.3");
    EXPECT_EQ(client->code(), "354 Start");
    client->send("Subject: x\r\n\r\nx\r\n.\r\n");
    EXPECT_EQ(client->reply(), "250 2.0.0 <a@example.com> delivered");
    EXPECT_EQ(client->reply(), "250 2.0.0 <b@example.com> delivered");
    client->send("NOOP\r\n");
    EXPECT_EQ(client->code(), "250 2.0.0");
}

TEST(Lmtp, OutOfSequenceCommandsGet503)
{
    Harness harness;
    Client client(harness.port());
    client.reply();
    client.send("MAIL FROM:<s@example.org>\r\n");
    EXPECT_EQ(client.code(), "503 5.5.1");
    client.send("LHLO client.test\r\n");
    client.reply();
    client.send("RCPT TO:<a@example.com>\r\n");
    EXPECT_EQ(client.code(), "503 5.5.1");
    client.send("DATA\r\n");
    EXPECT_EQ(client.code(), "503 5.5.1");
    client.send("MAIL FROM:<s@example.org>\r\nMAIL FROM:<t@example.org>\r\nDATA\r\n");
    EXPECT_EQ(client.code(), "250 2.1.0");
    EXPECT_EQ(client.code(), "503 5.5.1");
    EXPECT_EQ(client.code(), "503 5.5.1");  // no recipients yet
    client.send("RSET\r\nRCPT TO:<a@example.com>\r\n");
    EXPECT_EQ(client.code(), "250 2.0.0");
    EXPECT_EQ(client.code(), "503 5.5.1");
}

TEST(Lmtp, HeloAndEhloAreRejected)
{
    Harness harness;
    Client client(harness.port());
    client.reply();
    client.send("HELO client.test\r\n");
    auto reply = client.reply();
    EXPECT_EQ(reply.substr(0, 9), "500 5.5.1");
    EXPECT_NE(reply.find("LHLO"), std::string::npos);
    client.send("EHLO client.test\r\n");
    EXPECT_EQ(client.code(), "500 5.5.1");
    client.send("MAIL FROM:<s@example.org>\r\n");
    EXPECT_EQ(client.code(), "503 5.5.1");
    client.send("LHLO client.test\r\n");
    EXPECT_EQ(client.code(), "250-lmtp.");
}

TEST(Lmtp, BadSyntaxAndUnknownCommandsAreRejected)
{
    Harness harness;
    auto client = greeted_client(harness);
    client->send("FROB\r\n\r\nEXPN staff\r\nVRFY a@example.com\r\nMAIL TO:<x@y>\r\nMAIL FROM:<unterminated\r\n"
                 "MAIL FROM:<s@example.org> RET=HDRS\r\nMAIL FROM:<s@example.org> BODY=BINARYMIME\r\n"
                 "MAIL FROM: <s@example.org>\r\nRCPT TO:<>\r\nRCPT TO:<a@example.com> NOTIFY=NEVER\r\n"
                 "RCPT TO:<@relay.example:a@example.com>\r\nLHLO\r\n");
    for (const char* expected :
         {"500 5.5.2", "500 5.5.2", "502 5.5.1", "252 2.5.2", "501 5.5.4", "501 5.1.7", "555 5.5.4", "555 5.5.4",
          "250 2.1.0", "501 5.1.3", "555 5.5.4", "250 2.1.5", "501 5.5.4"})
        EXPECT_EQ(client->code(), expected);
}

TEST(Lmtp, LongCommandLineGets500AndTheSessionContinues)
{
    Harness harness;
    auto client = greeted_client(harness);
    client->send("NOOP " + std::string(5000, 'x') + "\r\nNOOP\r\n");
    EXPECT_EQ(client->code(), "500 5.5.6");
    EXPECT_EQ(client->code(), "250 2.0.0");
    // Longer than one read, so the server drops it while it arrives instead of buffering it.
    client->send("NOOP " + std::string(300 * 1024, 'y') + "\r\nNOOP\r\n");
    EXPECT_EQ(client->code(), "500 5.5.6");
    EXPECT_EQ(client->code(), "250 2.0.0");
}

TEST(Lmtp, IdleConnectionTimesOutWith421)
{
    auto limits = test_limits();
    limits.command_timeout = std::chrono::seconds(1);
    Harness harness(limits);
    auto client = greeted_client(harness);
    auto started = Clock::now();
    EXPECT_EQ(client->code(3s), "421 4.4.2");
    EXPECT_GE(Clock::now() - started, 900ms);
    EXPECT_TRUE(client->closed());
}

TEST(Lmtp, StalledMessageTimesOutWith421AndIsNotDelivered)
{
    auto limits = test_limits();
    limits.command_timeout = std::chrono::seconds(1);
    Harness harness(limits);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nDATA\r\nSubject: half\r\n");
    for (int i = 0; i < 3; ++i)
        client->reply();
    EXPECT_EQ(client->code(3s), "421 4.4.2");
    EXPECT_TRUE(client->closed());
    EXPECT_TRUE(harness.sink().deliveries().empty());
}

TEST(Lmtp, MixedRecipientOutcomesGetOneReplyEach)
{
    Harness harness;
    harness.sink().set_outcome("busy@example.com", Error::unavailable("the database is busy"));
    harness.sink().set_outcome("gone@example.com", Error::not_found("no such queue"));
    harness.sink().set_outcome("bad@example.com", Error::invalid("the message has no headers\r\nat all"));
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<ok@example.com>\r\nRCPT TO:<busy@example.com>\r\n"
                 "RCPT TO:<gone@example.com>\r\nRCPT TO:<bad@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 6; ++i)
        client->reply();
    client->send("Subject: mixed\r\n\r\nx\r\n.\r\n");
    EXPECT_EQ(client->reply(), "250 2.0.0 <ok@example.com> delivered");
    EXPECT_EQ(client->reply(), "451 4.3.0 the database is busy");
    EXPECT_EQ(client->reply(), "550 5.1.1 no such queue");
    EXPECT_EQ(client->reply(), "554 5.6.0 the message has no headers  at all");
    client->send("NOOP\r\n");
    EXPECT_EQ(client->code(), "250 2.0.0");
}

TEST(Lmtp, SinkExceptionGives451ForEveryRecipient)
{
    Harness harness;
    harness.sink().throw_on("boom@example.com");
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<boom@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 4; ++i)
        client->reply();
    client->send("Subject: boom\r\n\r\nx\r\n.\r\n");
    EXPECT_EQ(client->code(), "451 4.3.0");
    EXPECT_EQ(client->code(), "451 4.3.0");
    client->send("NOOP\r\n");
    EXPECT_EQ(client->code(), "250 2.0.0");
}

TEST(Lmtp, DeliveredReplyWaitsForTheSink)
{
    Harness harness;
    harness.sink().set_delay(600ms);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i)
        client->reply();
    auto sent = Clock::now();
    client->send("Subject: slow\r\n\r\nx\r\n.\r\n");
    EXPECT_TRUE(client->silent_for(300ms));
    EXPECT_TRUE(harness.sink().deliveries().empty());
    EXPECT_EQ(client->code(), "250 2.0.0");
    auto answered = Clock::now();
    EXPECT_GE(answered - sent, 600ms);
    auto deliveries = harness.sink().deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_LE(deliveries[0].stored_at, answered);
}

TEST(Lmtp, ShutdownClosesIdleConnectionsWith421)
{
    Harness harness;
    auto idle = greeted_client(harness);
    auto mid_transaction = greeted_client(harness);
    mid_transaction->send("MAIL FROM:<s@example.org>\r\n");
    EXPECT_EQ(mid_transaction->code(), "250 2.1.0");
    auto started = Clock::now();
    harness.shutdown(std::chrono::seconds(5));
    EXPECT_LT(Clock::now() - started, 2s);
    EXPECT_EQ(idle->code(), "421 4.3.2");
    EXPECT_TRUE(idle->closed());
    EXPECT_EQ(mid_transaction->code(), "421 4.3.2");
    EXPECT_TRUE(mid_transaction->closed());
    EXPECT_THROW(Client late(harness.port()), std::runtime_error);
}

TEST(Lmtp, ShutdownWaitsForInFlightDelivery)
{
    Harness harness;
    harness.sink().set_delay(500ms);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i)
        client->reply();
    client->send("Subject: in flight\r\n\r\nx\r\n.\r\n");
    EXPECT_TRUE(client->silent_for(100ms));
    auto done = harness.begin_shutdown(std::chrono::seconds(5));
    EXPECT_EQ(client->code(), "250 2.0.0");
    EXPECT_EQ(client->code(), "421 4.3.2");
    EXPECT_TRUE(client->closed());
    EXPECT_EQ(done.wait_for(2s), std::future_status::ready);
    EXPECT_EQ(harness.sink().deliveries().size(), 1u);
}

TEST(Lmtp, ShutdownClosesBusyConnectionsAfterGrace)
{
    Harness harness;
    harness.sink().set_delay(3000ms);
    auto client = greeted_client(harness);
    client->send("MAIL FROM:<s@example.org>\r\nRCPT TO:<a@example.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i)
        client->reply();
    client->send("Subject: too slow\r\n\r\nx\r\n.\r\n");
    EXPECT_TRUE(client->silent_for(100ms));
    auto started = Clock::now();
    harness.shutdown(std::chrono::seconds(1));
    EXPECT_LT(Clock::now() - started, 2s);
    EXPECT_TRUE(client->closed(1s));
}

TEST(Lmtp, ConnectionsOverTheLimitAreRefused)
{
    auto limits = test_limits();
    limits.max_connections = 1;
    Harness harness(limits);
    auto first = greeted_client(harness);
    Client second(harness.port());
    EXPECT_EQ(second.code(), "421 4.3.2");
    EXPECT_TRUE(second.closed());
    first->send("QUIT\r\n");
    EXPECT_EQ(first->code(), "221 2.0.0");
    EXPECT_TRUE(first->closed());
    // The slot is free again once the first connection has gone.
    for (int attempt = 0; attempt < 50; ++attempt) {
        Client third(harness.port());
        auto greeting = third.code();
        if (greeting == "220 lmtp.") return;
        std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "the connection slot was not released";
}

TEST(Lmtp, ListenReportsBadAddressesAndPortsInUse)
{
    Harness harness;
    asio::io_context io;
    RecordingSink sink;
    LmtpServer other(io, sink, test_limits());
    auto bad = other.listen("not-an-ip", 0);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code(), lifeline::core::ErrorCode::InvalidArgument);
    auto taken = other.listen("127.0.0.1", harness.port());
    ASSERT_FALSE(taken.ok());
    EXPECT_EQ(taken.error().code(), lifeline::core::ErrorCode::Unavailable);
}

}  // namespace
