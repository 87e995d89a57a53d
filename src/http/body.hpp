// The body type of every Response (a Beast Body). A response either owns its bytes (rendered for this request) or
// shares immutable bytes with every other response that serves them (a cached document, http/public/document_cache):
// shared bytes are written from where they lie, so serving a cached document copies nothing.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace lifeline::http {

struct Body {
    class value_type {
    public:
        value_type() = default;

        // Owns `bytes`; shared bytes, if any, are let go.
        value_type& operator=(std::string bytes)
        {
            owned_ = std::move(bytes);
            shared_.reset();
            return *this;
        }
        // Shares `bytes` (not null), which must never change: they stay alive at least as long as this body.
        void share(std::shared_ptr<const std::string> bytes)
        {
            owned_.clear();
            shared_ = std::move(bytes);
        }

        std::string_view view() const { return shared_ ? std::string_view(*shared_) : std::string_view(owned_); }
        std::size_t size() const { return view().size(); }
        bool empty() const { return view().empty(); }
        bool shared() const { return shared_ != nullptr; }
        void clear()
        {
            owned_.clear();
            shared_.reset();
        }

    private:
        std::string owned_;
        std::shared_ptr<const std::string> shared_;
    };

    // For Content-Length (message::prepare_payload).
    static std::uint64_t size(const value_type& body) { return body.size(); }

    // Hands the serializer the bytes in one buffer (owned or shared alike); Beast writes it after the header in the
    // same gathered write.
    class writer {
    public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body)
        {
        }
        void init(boost::beast::error_code& ec) { ec = {}; }
        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec)
        {
            ec = {};
            auto bytes = body_.view();
            return {{const_buffers_type(bytes.data(), bytes.size()), false}};
        }

    private:
        const value_type& body_;
    };
};

}  // namespace lifeline::http
