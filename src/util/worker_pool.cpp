#include "ravenous/util/worker_pool.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace ravenous::util {

struct WorkerPool::Impl
{
    std::string name;
    asio::thread_pool pool;
    Impl(std::string n, std::size_t threads) : name(std::move(n)), pool(threads) {}
};

WorkerPool::WorkerPool(std::string name, std::size_t threads)
    : impl_(std::make_unique<Impl>(std::move(name), threads == 0 ? 1 : threads))
{
}

WorkerPool::~WorkerPool()
{
    stop();
}

asio::awaitable<void> WorkerPool::run(std::function<void()> fn)
{
    auto initiation = [this](auto handler, std::function<void()> work) {
        asio::post(impl_->pool, [work = std::move(work), handler = std::move(handler)]() mutable {
            std::exception_ptr error;
            try {
                work();
            } catch (...) {
                error = std::current_exception();
            }
            // Resume the awaiting coroutine on its own executor (its strand), never here.
            auto executor = asio::get_associated_executor(handler);
            asio::post(executor, [handler = std::move(handler), error]() mutable {
                std::move(handler)(error);
            });
        });
    };
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
        initiation, asio::use_awaitable, std::move(fn));
}

void WorkerPool::stop()
{
    if (impl_) {
        impl_->pool.join();
    }
}

} // namespace ravenous::util
