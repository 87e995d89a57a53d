#include "support/smtp_sink.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#ifndef LIFELINE_SMTP_SINK_SCRIPT
#define LIFELINE_SMTP_SINK_SCRIPT nullptr
#endif

namespace lifeline::testing {

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) : options_(std::move(options)), port_(options_.port)
{
    start();
}

void SmtpSink::start()
{
    std::vector<std::string> args{python_interpreter(),
                                  support_script("LIFELINE_SMTP_SINK", LIFELINE_SMTP_SINK_SCRIPT, "smtp_sink.py"),
                                  "--dir",
                                  directory(),
                                  "--port",
                                  std::to_string(port_)};
    for (const auto& address : options_.fail_recipients) {
        args.push_back("--fail-rcpt");
        args.push_back(address);
    }
    if (options_.tempfail_first > 0) {
        args.push_back("--tempfail-first");
        args.push_back(std::to_string(options_.tempfail_first));
    }
    child_.start(std::move(args));
    // The script prints one line, "LISTENING <port>", and nothing else on stdout.
    port_ = child_.read_port("LISTENING ");
}

void SmtpSink::stop()
{
    child_.stop();
}

void SmtpSink::restart()
{
    stop();
    start();
}

std::vector<SinkMessage> SmtpSink::messages() const
{
    std::vector<int> numbers;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(directory(), ec)) {
        if (entry.path().extension() != ".json") continue;
        const auto stem = entry.path().stem().string();
        if (stem.empty() || !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        numbers.push_back(std::stoi(stem));
    }
    std::sort(numbers.begin(), numbers.end());

    std::vector<SinkMessage> out;
    for (int number : numbers) {
        const fs::path base = fs::path(directory()) / std::to_string(number);
        const auto envelope = boost::json::parse(read_file(base.string() + ".json")).as_object();
        SinkMessage message;
        message.envelope_from = std::string(envelope.at("mail_from").as_string());
        for (const auto& recipient : envelope.at("rcpt_tos").as_array())
            message.recipients.emplace_back(recipient.as_string());
        message.raw = read_file(base.string() + ".eml");
        out.push_back(std::move(message));
    }
    return out;
}

bool SmtpSink::wait_for(std::size_t count, std::chrono::milliseconds timeout) const
{
    return wait_until([&] { return messages().size() >= count; }, timeout);
}

}  // namespace lifeline::testing
