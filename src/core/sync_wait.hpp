// Runs one coroutine to completion on a private io_context. For the CLI, seeding and tests only:
// never call it on an I/O thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace lifeline::core {

template <class T>
T sync_wait(boost::asio::awaitable<T> work)
{
    boost::asio::io_context io;
    std::optional<T> out;
    auto wrapper = [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(work)); };
    boost::asio::co_spawn(io, wrapper(), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
    io.run();
    return std::move(*out);
}

}  // namespace lifeline::core
