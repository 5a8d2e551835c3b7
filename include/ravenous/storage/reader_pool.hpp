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
// commits). Each call runs in one read transaction (BEGIN ... COMMIT): a consistent snapshot.
// The caller resumes on its own executor; an io_context that awaits reads must outlive the
// pool's threads (stop the Database before destroying the io_context).
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

    // Synchronous read from a non-network thread (start-up, tests). Runs on the calling
    // thread with a connection from the pool's free list.
    void run_blocking(std::function<void(ReadTxn&)> job);

    // Runs what was queued, joins the threads and closes the connections. Idempotent; later
    // calls fail with storage::Error.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::storage
