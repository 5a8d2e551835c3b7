// The reader pool: a few threads, each job on a read-only connection in one read transaction.
#include "ravenous/storage/reader_pool.hpp"

#include "ravenous/storage/database.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

namespace ravenous::storage {

namespace asio = boost::asio;

struct ReaderPool::Impl
{
    Impl(std::string p, std::size_t n) : path(std::move(p)), threads(n), pool(n) {}

    std::string path;
    std::size_t threads;
    asio::thread_pool pool;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> free; // idle connections, at most `threads` kept
    std::atomic<bool> stopped{false};
    std::mutex stop_mutex;

    std::unique_ptr<Connection> acquire();
    void release(std::unique_ptr<Connection> conn);
    std::exception_ptr execute(const std::function<void(ReadTxn&)>& job) noexcept;
};

std::unique_ptr<Connection> ReaderPool::Impl::acquire()
{
    {
        std::lock_guard lock{mutex};
        if (!free.empty()) {
            auto conn = std::move(free.back());
            free.pop_back();
            return conn;
        }
    }
    auto conn = std::make_unique<Connection>(path, Connection::Mode::read_only);
    apply_connection_pragmas(*conn, true);
    return conn;
}

void ReaderPool::Impl::release(std::unique_ptr<Connection> conn)
{
    std::lock_guard lock{mutex};
    if (free.size() < threads) {
        free.push_back(std::move(conn));
    }
}

// Runs `job` in BEGIN (deferred) ... COMMIT: its first read fixes the snapshot it sees.
std::exception_ptr ReaderPool::Impl::execute(const std::function<void(ReadTxn&)>& job) noexcept
{
    std::unique_ptr<Connection> conn;
    try {
        conn = acquire();
        conn->prepare("BEGIN").run();
        ReadTxn txn{*conn};
        job(txn);
        conn->reset_all();
        conn->prepare("COMMIT").run();
        release(std::move(conn));
        return nullptr;
    } catch (...) {
        auto error = std::current_exception();
        if (conn) {
            conn->reset_all();
            try {
                if (conn->in_transaction()) {
                    conn->prepare("ROLLBACK").run();
                }
                release(std::move(conn));
            } catch (const std::exception& e) {
                // The connection is in an unknown state: close it, the next job opens another.
                spdlog::warn("storage: dropping a reader connection: {}", e.what());
            }
        }
        return error;
    }
}

ReaderPool::ReaderPool(const std::string& path, std::size_t threads)
    : impl_(std::make_unique<Impl>(path, std::max<std::size_t>(1, threads)))
{
    // Open one connection now, so that a bad path fails at start-up rather than on first use.
    impl_->release(impl_->acquire());
}

ReaderPool::~ReaderPool()
{
    stop();
}

asio::awaitable<void> ReaderPool::run(std::function<void(ReadTxn&)> job)
{
    auto initiate = [impl = impl_.get()](auto handler, std::function<void(ReadTxn&)> fn) {
        if (impl->stopped) {
            auto error = std::make_exception_ptr(
                Error(SQLITE_MISUSE, SQLITE_MISUSE, "the storage reader pool is stopped"));
            auto executor = asio::get_associated_executor(handler);
            asio::post(executor, [handler = std::move(handler), error]() mutable {
                std::move(handler)(error);
            });
            return;
        }
        // Tracked: the caller's io_context keeps running while the read is under way.
        auto work = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        asio::post(impl->pool, [impl, fn = std::move(fn), handler = std::move(handler),
                                work = std::move(work)]() mutable {
            auto error = impl->execute(fn);
            // Resume the caller on its own executor (its strand), not on a pool thread. The
            // work guard goes along and is released there, after the handler has run.
            auto executor = asio::get_associated_executor(handler);
            asio::post(executor, [handler = std::move(handler), work = std::move(work),
                                  error]() mutable { std::move(handler)(error); });
        });
    };
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
        initiate, asio::use_awaitable, std::move(job));
}

void ReaderPool::run_blocking(std::function<void(ReadTxn&)> job)
{
    if (impl_->stopped) {
        throw Error(SQLITE_MISUSE, SQLITE_MISUSE, "the storage reader pool is stopped");
    }
    // On the calling thread, with a connection of its own: no pool thread is tied up and a
    // call from inside a pool job cannot deadlock.
    if (auto error = impl_->execute(job)) {
        std::rethrow_exception(error);
    }
}

void ReaderPool::stop()
{
    std::lock_guard stop_lock{impl_->stop_mutex};
    if (impl_->stopped.exchange(true)) {
        return;
    }
    impl_->pool.join(); // runs what was queued, then the threads exit
    std::lock_guard lock{impl_->mutex};
    impl_->free.clear();
}

} // namespace ravenous::storage
