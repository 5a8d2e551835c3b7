#include "ravenous/sync/notifier.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ravenous::sync {

namespace asio = boost::asio;

struct Notifier::Waiter
{
    Position since;
    asio::steady_timer timer;
    Waiter(Position s, asio::any_io_executor executor) : since(s), timer(std::move(executor)) {}
};

Notifier::Notifier(std::int64_t stream_position) : stream_(stream_position) {}

Notifier::~Notifier() = default;

Position Notifier::current() const
{
    return {stream_.load(), ephemeral_.load()};
}

void Notifier::advance_stream(std::int64_t position)
{
    auto seen = stream_.load();
    while (position > seen && !stream_.compare_exchange_weak(seen, position)) {
    }
    wake(false);
}

void Notifier::advance_ephemeral()
{
    ++ephemeral_;
    wake(false);
}

void Notifier::shutdown()
{
    shutting_down_ = true;
    wake(true);
}

std::size_t Notifier::waiting() const
{
    std::lock_guard lock(mutex_);
    return waiters_.size();
}

void Notifier::wake(bool all)
{
    const Position now = current();
    std::lock_guard lock(mutex_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
        if (all || now.after((*it)->since)) {
            // A timer is only touched on its own executor (the waiting session's strand).
            auto waiter = *it;
            asio::post(waiter->timer.get_executor(), [waiter] { waiter->timer.cancel(); });
            it = waiters_.erase(it);
        } else {
            ++it;
        }
    }
}

asio::awaitable<Position> Notifier::wait_after(Position since, std::chrono::milliseconds timeout)
{
    if (current().after(since) || shutting_down_ || timeout.count() <= 0)
        co_return current();
    auto waiter = std::make_shared<Waiter>(since, co_await asio::this_coro::executor);
    waiter->timer.expires_after(timeout);
    {
        std::lock_guard lock(mutex_);
        waiters_.push_back(waiter);
    }
    // A change between the first check and the registration would otherwise be missed.
    if (!current().after(since) && !shutting_down_)
        co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    {
        std::lock_guard lock(mutex_);
        waiters_.remove(waiter);
    }
    co_return current();
}

} // namespace ravenous::sync
