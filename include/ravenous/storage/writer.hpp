#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

namespace ravenous::storage {

// One thread owns the only read-write connection and commits queued jobs in batches (group
// commit): a flood costs one fsync per batch, not per write. The queue is bounded: when it is
// full, `run` waits (back-pressure) instead of growing it: the submitter stays suspended in a
// FIFO waiting list (one entry per suspended coroutine, so bounded by the requests in flight)
// and is admitted when the writer frees space. Batching is natural: whatever queued up while
// the previous batch ran goes into the next one (up to max_batch); there is no linger timer.
//
// Lifetime: completions are posted to the submitter's executor, so an io_context that submits
// must outlive the Writer's thread (stop the Database before destroying the io_context).
class Writer
{
public:
    struct Options
    {
        std::size_t queue_capacity = 1024;
        std::size_t max_batch = 256;
    };
    Writer(std::unique_ptr<Connection> conn, Options options);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Runs `job` on the writer thread inside a batch transaction and resumes the caller on its
    // own executor once the batch has committed, rethrowing what the job (or the commit) threw.
    // Jobs are synchronous and short: nothing in them awaits.
    boost::asio::awaitable<void> run(std::function<void(WriteTxn&)> job);

    template <class F>
    boost::asio::awaitable<std::invoke_result_t<F, WriteTxn&>> submit(F fn)
    {
        using R = std::invoke_result_t<F, WriteTxn&>;
        if constexpr (std::is_void_v<R>) {
            co_await run(std::move(fn));
        } else {
            std::optional<R> result;
            co_await run([&](WriteTxn& txn) { result.emplace(fn(txn)); });
            co_return std::move(*result);
        }
    }

    // Runs a job synchronously from a non-network thread (start-up, tests): blocks the caller.
    void run_blocking(std::function<void(WriteTxn&)> job);

    // Called (on the writer thread) with every stream position a committed job allocated:
    // how the sync notifier learns of new events the moment they are durable. Set it before
    // the first job.
    void set_stream_listener(std::function<void(std::int64_t)> listener);

    // Finishes every queued job, commits, checkpoints the WAL and stops the thread. Idempotent;
    // later submissions fail with storage::Error. Must not be called from a commit hook.
    void stop();

    struct Stats
    {
        std::uint64_t batches = 0;       // committed or failed transactions
        std::uint64_t jobs = 0;          // jobs run (successful or not)
        std::uint64_t failed_jobs = 0;   // jobs that threw, or whose commit failed
        std::uint64_t waited = 0;        // submissions that found the queue full and waited
    };
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::storage
