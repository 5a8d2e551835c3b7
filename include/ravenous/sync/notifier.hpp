#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

namespace ravenous::sync {

// Where a user's view of the server stands: the global stream position (everything durable:
// events, account data, receipts...) and the in-memory ephemeral serial (typing, presence),
// which starts again at 0 with the process.
struct Position
{
    std::int64_t stream = 0;
    std::int64_t ephemeral = 0;

    bool after(const Position& other) const
    {
        return stream > other.stream || ephemeral > other.ephemeral;
    }
};

// Wakes waiting /sync long polls the moment something they could see is committed: the
// writer reports each new stream position after commit, typing and presence bump the
// ephemeral serial. No polling: waiters sleep on a timer that a change cancels.
class Notifier
{
public:
    explicit Notifier(std::int64_t stream_position);
    ~Notifier();

    Position current() const;

    // Thread-safe. Never lowers a position.
    void advance_stream(std::int64_t position);
    void advance_ephemeral();

    // Returns as soon as current() is after `since`, or when the timeout passes, or when
    // shutdown() is called; returns the position then.
    boost::asio::awaitable<Position> wait_after(Position since, std::chrono::milliseconds timeout);

    // Answers every waiting poll now and every later one at once (draining for SIGTERM).
    void shutdown();

    std::size_t waiting() const;
    bool draining() const { return shutting_down_; }

private:
    struct Waiter;
    void wake(bool all);

    std::atomic<std::int64_t> stream_;
    std::atomic<std::int64_t> ephemeral_{0};
    std::atomic<bool> shutting_down_{false};
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<Waiter>> waiters_;
};

} // namespace ravenous::sync
