#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace ravenous::storage {

// A few threads, each with its own read-only connection (WAL lets them read while the writer
// commits). Each call runs in one read transaction: a consistent snapshot.
class ReaderPool
{
public:
    ReaderPool(const std::string& path, std::size_t threads);
    ~ReaderPool();
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    boost::asio::awaitable<void> run(std::function<void(ReadTxn&)> job);

    template <class F>
    boost::asio::awaitable<std::invoke_result_t<F, ReadTxn&>> read(F fn)
    {
        using R = std::invoke_result_t<F, ReadTxn&>;
        if constexpr (std::is_void_v<R>) {
            co_await run(std::move(fn));
        } else {
            std::optional<R> result;
            co_await run([&](ReadTxn& txn) { result.emplace(fn(txn)); });
            co_return std::move(*result);
        }
    }

    // Synchronous read from a non-network thread (start-up, tests).
    void run_blocking(std::function<void(ReadTxn&)> job);

    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::storage
