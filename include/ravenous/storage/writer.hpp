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

// The transaction a write job runs in. Each job runs in its own SAVEPOINT inside the batch's
// BEGIN IMMEDIATE ... COMMIT: a job that throws rolls back only itself.
class WriteTxn : public ReadTxn
{
public:
    explicit WriteTxn(Connection& conn) : ReadTxn(conn) {}

    // Runs after the batch that holds this job has committed (on the writer thread, before the
    // job's awaiter resumes); dropped if this job or the commit fails. Keep it short: it is
    // for telling in-memory state (the sync notifier, caches) what is now durable.
    void on_commit(std::function<void()> fn) { pending_.push_back(std::move(fn)); }

    std::vector<std::function<void()>> take_commit_hooks() { return std::move(pending_); }
    void drop_commit_hooks() { pending_.clear(); }

private:
    std::vector<std::function<void()>> pending_;
};

// One thread owns the only read-write connection and commits queued jobs in batches (group
// commit): a flood costs one fsync per batch, not per write. The queue is bounded: when it is
// full, `run` waits (back-pressure) instead of growing it.
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

    // Finishes every queued job, commits, checkpoints the WAL and stops the thread.
    void stop();

    struct Stats
    {
        std::uint64_t batches = 0;
        std::uint64_t jobs = 0;
    };
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::storage
