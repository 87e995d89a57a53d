// Awaiting a write from a coroutine: the continuation resumes on the caller's executor.
#pragma once

#include "storage/database.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

namespace lifeline::storage {

// Submits `work` to the writer and resumes the awaiting coroutine once it is durably committed.
inline boost::asio::awaitable<core::Status> write(Database& db, Database::Work work)
{
    return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(core::Status)>(
        [&db](auto handler, Database::Work w) {
            auto executor = boost::asio::get_associated_executor(handler);
            // Database::Done is copyable; the coroutine's handler is move-only, so share it.
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            db.submit_write(std::move(w), [shared, executor](core::Status status) {
                boost::asio::post(executor, [shared, status = std::move(status)]() mutable {
                    std::move (*shared)(std::move(status));
                });
            });
        },
        boost::asio::use_awaitable, std::move(work));
}

}  // namespace lifeline::storage
