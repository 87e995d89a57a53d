#include "http/event_stream.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <charconv>

namespace lifeline::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Queued events are written together up to about this many bytes.
constexpr std::size_t kBatchBytes = 64 * 1024;

// Appends one line per line of `text` (CRLF, CR and LF all end one), each after `prefix`.
void append_lines(std::string& out, std::string_view prefix, std::string_view text)
{
    std::size_t start = 0;
    for (;;) {
        auto end = text.find_first_of("\r\n", start);
        out += prefix;
        out.append(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        out += '\n';
        if (end == std::string_view::npos) break;
        start = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
    }
}

std::optional<std::uint64_t> parse_id(std::string_view text)
{
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

const char* to_string(StreamEnd end)
{
    switch (end) {
    case StreamEnd::ClientGone: return "client_gone";
    case StreamEnd::ServerStopping: return "server_stopping";
    case StreamEnd::Lagging: return "lagging";
    case StreamEnd::Closed: return "closed";
    }
    return "closed";
}

std::string format_event(std::optional<std::uint64_t> id, std::string_view name, std::string_view data)
{
    std::string out;
    out.reserve(data.size() + name.size() + 40);
    if (id) {
        out += "id: ";
        out += std::to_string(*id);
        out += '\n';
    }
    if (!name.empty()) {
        out += "event: ";
        for (char c : name)
            out += (c == '\r' || c == '\n') ? ' ' : c;
        out += '\n';
    }
    append_lines(out, "data: ", data);
    out += '\n';
    return out;
}

std::string format_comment(std::string_view text)
{
    std::string out;
    append_lines(out, ": ", text);
    out += '\n';
    return out;
}

std::optional<std::uint64_t> requested_last_event_id(const Context& ctx)
{
    auto header = ctx.header("Last-Event-ID");
    if (!header.empty()) return parse_id(header);
    if (auto query = ctx.query_value("last_event_id")) return parse_id(*query);
    return std::nullopt;
}

// The read that notices the client leaving: an EventSource sends nothing after its request, so the read
// completes only when the connection closes (bytes that do arrive are discarded). Lives on the connection's
// executor, shared with the pending read.
struct EventStream::Watch {
    bool done = false;                           // the EventStream is gone: do not touch the socket
    bool gone = false;                           // the client left, or a write failed
    core::Subscription* subscription = nullptr;  // what pump() waits on; closed to wake it
    std::array<char, 512> buffer{};

    static void arm(const std::shared_ptr<Watch>& watch, tcp::socket& socket)
    {
        // No associated executor: the handler runs on the socket's, the connection's strand.
        socket.async_read_some(asio::buffer(watch->buffer),
                               [watch, &socket](const boost::system::error_code& ec, std::size_t) {
                                   if (watch->done) return;
                                   if (!ec) {
                                       arm(watch, socket);
                                       return;
                                   }
                                   watch->gone = true;
                                   if (watch->subscription) watch->subscription->close();
                               });
    }
};

EventStream::EventStream(boost::beast::tcp_stream& stream, const Context& ctx, StreamSettings settings)
    : stream_(stream), ctx_(ctx), settings_(settings), last_event_id_(requested_last_event_id(ctx)),
      watch_(std::make_shared<Watch>())
{
}

EventStream::~EventStream()
{
    watch_->done = true;
    watch_->subscription = nullptr;
}

bool EventStream::ended() const
{
    return stopped_ || watch_->gone;
}

StreamEnd EventStream::end_reason() const
{
    if (stopped_) return StreamEnd::ServerStopping;
    if (watch_->gone) return StreamEnd::ClientGone;
    if (lagging_) return StreamEnd::Lagging;
    return StreamEnd::Closed;
}

void EventStream::stop()
{
    stopped_ = true;
    if (watch_->subscription) watch_->subscription->close();
    stream_.cancel();  // a write in progress, and the watching read
}

asio::awaitable<bool> EventStream::write(std::string bytes, std::uint64_t events)
{
    if (ended()) co_return false;
    // Per write, so that the request's read deadline never applies to the stream and a client that stops
    // reading is cut off (the stream closes its socket on timeout).
    stream_.expires_after(settings_.write_timeout);
    boost::system::error_code ec;
    auto n = co_await asio::async_write(stream_, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        watch_->gone = true;
        co_return false;
    }
    if (started_) {
        bytes_ += n;
        events_ += events;
    }
    co_return !ended();
}

asio::awaitable<bool> EventStream::start()
{
    if (started_ || ended()) co_return started_ && !ended();
    std::string head = ctx_.request.version() == 10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n";
    head += "Server: lifeline\r\n"
            "Content-Type: text/event-stream\r\n"
            "Cache-Control: no-store\r\n"
            "X-Accel-Buffering: no\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "X-Request-Id: " +
            ctx_.request_id +
            "\r\n"
            "Connection: close\r\n\r\n";
    bool ok = co_await write(std::move(head), 0);
    started_ = true;  // the status line may have gone out even if the rest failed
    if (ok) Watch::arm(watch_, stream_.socket());
    co_return ok;
}

// Written as plain statements: with GCC 12 -O3, `if (!co_await start()) co_return false;
// co_return co_await write(format_event(...), 1);` trapped (ud2) when resumed.
asio::awaitable<bool> EventStream::send(const core::HubEvent& event)
{
    auto frame = format_event(event.id, event.name, event.data);
    bool ok = co_await start();
    if (ok) ok = co_await write(std::move(frame), 1);
    co_return ok;
}

asio::awaitable<bool> EventStream::send(std::string_view event_name, std::string_view data)
{
    auto frame = format_event(std::nullopt, event_name, data);
    bool ok = co_await start();
    if (ok) ok = co_await write(std::move(frame), 1);
    co_return ok;
}

asio::awaitable<bool> EventStream::comment(std::string_view text)
{
    auto frame = format_comment(text);
    bool ok = co_await start();
    if (ok) ok = co_await write(std::move(frame), 0);
    co_return ok;
}

asio::awaitable<StreamEnd> EventStream::pump(core::Subscription& subscription)
{
    using Status = core::Subscription::Status;
    bool open = co_await start();
    if (open) {
        watch_->subscription = &subscription;
        for (;;) {
            if (ended()) break;  // the client left before the watch could close the subscription
            auto next = co_await subscription.next(settings_.keep_alive);
            if (next.status == Status::Timeout) {
                bool written = co_await comment("keep-alive");
                if (!written) break;
                continue;
            }
            if (next.status != Status::Event) {
                lagging_ = next.status == Status::Lagging;
                break;
            }
            std::string frames;
            std::uint64_t count = 0;
            for (;;) {
                frames += format_event(next.event->id, next.event->name, next.event->data);
                ++count;
                if (frames.size() >= kBatchBytes) break;
                next = subscription.poll();
                if (next.status != Status::Event) break;
            }
            bool written = co_await write(std::move(frames), count);
            if (!written) break;
            if (next.status == Status::Lagging || next.status == Status::Closed) {
                lagging_ = next.status == Status::Lagging;
                break;
            }
        }
        watch_->subscription = nullptr;
    }
    subscription.close();
    co_return end_reason();
}

}  // namespace lifeline::http
