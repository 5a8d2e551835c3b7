// The writer thread: group commit of queued write jobs, each in its own SAVEPOINT.
#include "ravenous/storage/writer.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace ravenous::storage {

namespace asio = boost::asio;

namespace {

// How a finished job reaches its submitter: a coroutine resumed on its own executor, or a
// promise (run_blocking).
class Completion
{
public:
    virtual ~Completion() = default;
    virtual void complete(std::exception_ptr error) = 0;
};

template <class Handler>
class HandlerCompletion final : public Completion
{
public:
    explicit HandlerCompletion(Handler handler)
        : handler_(std::move(handler))
        // Counts as outstanding work, so the submitter's io_context does not run out of work
        // (and return from run()) while the job is queued.
        , work_(asio::prefer(asio::get_associated_executor(handler_),
                             asio::execution::outstanding_work.tracked))
    {
    }

    void complete(std::exception_ptr error) override
    {
        // The work guard travels with the handler and is released on the submitter's side,
        // after the handler has run: this thread never touches that executor again once the
        // post is done (its io_context may be gone as soon as the coroutine has resumed).
        auto executor = asio::get_associated_executor(handler_);
        asio::post(executor, [handler = std::move(handler_), work = std::move(work_),
                              error]() mutable { std::move(handler)(error); });
    }

private:
    Handler handler_;
    std::decay_t<decltype(asio::prefer(asio::get_associated_executor(std::declval<Handler&>()),
                                       asio::execution::outstanding_work.tracked))>
        work_;
};

class PromiseCompletion final : public Completion
{
public:
    explicit PromiseCompletion(std::promise<void> promise) : promise_(std::move(promise)) {}
    void complete(std::exception_ptr error) override
    {
        error ? promise_.set_exception(error) : promise_.set_value();
    }

private:
    std::promise<void> promise_;
};

struct Job
{
    std::function<void(WriteTxn&)> fn;
    std::unique_ptr<Completion> done;
};

// What one job of a batch produced.
struct Outcome
{
    std::exception_ptr error;
    std::vector<std::function<void()>> hooks;
};

} // namespace

struct Writer::Impl
{
    std::unique_ptr<Connection> conn;
    Options options;
    std::function<void(std::int64_t)> stream_listener;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> queue;   // admitted jobs, at most options.queue_capacity
    std::deque<Job> waiting; // parked submitters: non-empty only while the queue is full
    bool stopping = false;
    std::thread thread;
    std::thread::id thread_id;
    std::mutex stop_mutex;
    std::atomic<std::uint64_t> batches{0}, jobs{0}, failed_jobs{0}, waited{0};

    void submit(Job job);
    void loop();
    void run_batch(std::vector<Job>& batch);
    std::size_t run_transaction(std::vector<Job>& batch, std::size_t from,
                                std::vector<Outcome>& out);
    void run_job(Job& job, Outcome& out);
};

void Writer::Impl::submit(Job job)
{
    std::unique_lock lock{mutex};
    if (stopping) {
        lock.unlock();
        job.done->complete(std::make_exception_ptr(
            Error(SQLITE_MISUSE, SQLITE_MISUSE, "the storage writer is stopped")));
        return;
    }
    // FIFO: once anyone waits, newcomers wait behind them.
    if (waiting.empty() && queue.size() < options.queue_capacity) {
        queue.push_back(std::move(job));
        lock.unlock();
        wake.notify_one();
    } else {
        waiting.push_back(std::move(job));
        ++waited;
    }
}

void Writer::Impl::loop()
{
    pthread_setname_np(pthread_self(), "rv-writer");
    for (;;) {
        std::vector<Job> batch;
        {
            std::unique_lock lock{mutex};
            wake.wait(lock, [&] { return !queue.empty() || stopping; });
            if (queue.empty()) {
                break; // stopping, and everything accepted has run (waiting is empty too)
            }
            const auto n = std::min(options.max_batch, queue.size());
            batch.reserve(n);
            for (std::size_t i = 0; i < n; ++i) {
                batch.push_back(std::move(queue.front()));
                queue.pop_front();
            }
            while (!waiting.empty() && queue.size() < options.queue_capacity) {
                queue.push_back(std::move(waiting.front()));
                waiting.pop_front();
            }
        }
        run_batch(batch);
    }
    try {
        conn->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception& e) {
        spdlog::warn("storage: final WAL checkpoint failed: {}", e.what());
    }
    conn.reset();
}

void Writer::Impl::run_batch(std::vector<Job>& batch)
{
    std::vector<Outcome> out(batch.size());
    for (std::size_t next = 0; next < batch.size();) {
        next = run_transaction(batch, next, out);
    }
    jobs += batch.size();
    // Durable now: tell in-memory state, then wake the submitters.
    for (auto& outcome : out) {
        if (outcome.error) {
            continue;
        }
        for (auto& hook : outcome.hooks) {
            try {
                hook();
            } catch (const std::exception& e) {
                spdlog::error("storage: a commit hook threw: {}", e.what());
            }
        }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (out[i].error) {
            ++failed_jobs;
        }
        batch[i].done->complete(out[i].error);
    }
}

// Runs batch[from...] in one BEGIN IMMEDIATE ... COMMIT. Returns the index after the last job
// it handled: all of them, unless SQLite rolled the whole transaction back by itself (disk
// full, I/O error), in which case the jobs before that point fail too and the rest go into a
// new transaction.
std::size_t Writer::Impl::run_transaction(std::vector<Job>& batch, std::size_t from,
                                          std::vector<Outcome>& out)
{
    ++batches;
    const auto fail_from = [&](std::size_t first, std::size_t last, std::exception_ptr error) {
        for (std::size_t j = first; j < last; ++j) {
            if (!out[j].error) {
                out[j].error = error;
                out[j].hooks.clear();
            }
        }
    };
    try {
        conn->prepare("BEGIN IMMEDIATE").run();
    } catch (const std::exception&) {
        fail_from(from, batch.size(), std::current_exception());
        return batch.size();
    }
    for (std::size_t i = from; i < batch.size(); ++i) {
        run_job(batch[i], out[i]);
        if (out[i].error && !conn->in_transaction()) {
            fail_from(from, i, out[i].error);
            return i + 1;
        }
    }
    try {
        conn->prepare("COMMIT").run();
    } catch (const std::exception& e) {
        spdlog::error("storage: commit of a batch of {} jobs failed: {}", batch.size() - from,
                      e.what());
        auto error = std::current_exception();
        conn->reset_all();
        if (conn->in_transaction()) {
            try {
                conn->prepare("ROLLBACK").run();
            } catch (const std::exception& r) {
                spdlog::error("storage: rollback after a failed commit failed: {}", r.what());
            }
        }
        fail_from(from, batch.size(), error);
    }
    return batch.size();
}

void Writer::Impl::run_job(Job& job, Outcome& out)
{
    WriteTxn txn{*conn};
    txn.set_stream_listener(&stream_listener);
    try {
        conn->prepare("SAVEPOINT job").run();
        job.fn(txn);
        conn->reset_all();
        conn->prepare("RELEASE job").run();
        out.hooks = txn.take_commit_hooks();
        return;
    } catch (...) {
        out.error = std::current_exception(); // delivered to this job's submitter
    }
    txn.drop_commit_hooks();
    conn->reset_all();
    if (!conn->in_transaction()) {
        return; // SQLite already rolled everything back; run_transaction handles it
    }
    try {
        conn->prepare("ROLLBACK TO job").run();
        conn->prepare("RELEASE job").run();
    } catch (const std::exception& e) {
        // The savepoint cannot be restored: give up on the whole transaction.
        spdlog::error("storage: cannot roll back a failed job: {}", e.what());
        try {
            conn->prepare("ROLLBACK").run();
        } catch (const std::exception& r) {
            spdlog::error("storage: rollback failed: {}", r.what());
        }
    }
}

Writer::Writer(std::unique_ptr<Connection> conn, Options options)
    : impl_(std::make_unique<Impl>())
{
    impl_->conn = std::move(conn);
    impl_->options = options;
    impl_->options.queue_capacity = std::max<std::size_t>(1, options.queue_capacity);
    impl_->options.max_batch = std::max<std::size_t>(1, options.max_batch);
    impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
    impl_->thread_id = impl_->thread.get_id();
}

Writer::~Writer()
{
    try {
        stop();
    } catch (const std::exception& e) {
        spdlog::error("storage: stopping the writer failed: {}", e.what());
    }
}

asio::awaitable<void> Writer::run(std::function<void(WriteTxn&)> job)
{
    auto initiate = [impl = impl_.get()](auto handler, std::function<void(WriteTxn&)> fn) {
        using Handler = std::decay_t<decltype(handler)>;
        impl->submit(Job{std::move(fn),
                         std::make_unique<HandlerCompletion<Handler>>(std::move(handler))});
    };
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
        initiate, asio::use_awaitable, std::move(job));
}

void Writer::run_blocking(std::function<void(WriteTxn&)> job)
{
    if (std::this_thread::get_id() == impl_->thread_id) {
        throw std::logic_error("Writer::run_blocking called from the writer thread");
    }
    std::promise<void> promise;
    auto future = promise.get_future();
    impl_->submit(Job{std::move(job), std::make_unique<PromiseCompletion>(std::move(promise))});
    future.get();
}

void Writer::set_stream_listener(std::function<void(std::int64_t)> listener)
{
    impl_->stream_listener = std::move(listener);
}

void Writer::stop()
{
    std::lock_guard stop_lock{impl_->stop_mutex};
    {
        std::lock_guard lock{impl_->mutex};
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    if (impl_->thread.joinable()) {
        if (std::this_thread::get_id() == impl_->thread_id) {
            throw std::logic_error("Writer::stop called from the writer thread");
        }
        impl_->thread.join();
    }
}

Writer::Stats Writer::stats() const
{
    return Stats{impl_->batches.load(), impl_->jobs.load(), impl_->failed_jobs.load(),
                 impl_->waited.load()};
}

} // namespace ravenous::storage
