#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <string>

namespace ravenous::util {

// A fixed set of threads for blocking or CPU-heavy work (SQLite reads, Argon2id), so that
// nothing of the kind runs on a network thread. `run` executes the function on the pool and
// resumes the awaiting coroutine on its own executor, rethrowing what the function threw.
class WorkerPool
{
public:
    WorkerPool(std::string name, std::size_t threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    boost::asio::awaitable<void> run(std::function<void()> fn);

    // Runs `fn` and returns its result; R must be movable.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<F>> call(F fn)
    {
        using R = std::invoke_result_t<F>;
        if constexpr (std::is_void_v<R>) {
            co_await run(std::move(fn));
        } else {
            std::optional<R> result;
            co_await run([&] { result.emplace(fn()); });
            co_return std::move(*result);
        }
    }

    // Waits for queued work to finish and joins the threads.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ravenous::util
