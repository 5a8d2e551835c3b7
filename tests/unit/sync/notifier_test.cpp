#include "ravenous/sync/notifier.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <thread>

namespace ravenous::sync {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs a wait on its own io_context thread; the test acts from the main thread.
struct Waiting
{
    asio::io_context ioc;
    std::future<Position> result;
    std::thread thread;

    Waiting(Notifier& notifier, Position since, std::chrono::milliseconds timeout)
    {
        result = asio::co_spawn(asio::make_strand(ioc), notifier.wait_after(since, timeout),
                                asio::use_future);
        thread = std::thread([this] { ioc.run(); });
    }
    ~Waiting() { thread.join(); }
};

void wait_until_registered(Notifier& notifier, std::size_t count)
{
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (notifier.waiting() < count && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    ASSERT_EQ(notifier.waiting(), count);
}

TEST(Notifier, ReturnsAtOnceWhenAlreadyAhead)
{
    Notifier notifier(5);
    Waiting wait(notifier, {3, 0}, 60s);
    ASSERT_EQ(wait.result.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(wait.result.get().stream, 5);
}

TEST(Notifier, StreamAdvanceWakesAWaiter)
{
    Notifier notifier(5);
    Waiting wait(notifier, {5, 0}, 60s);
    wait_until_registered(notifier, 1);
    notifier.advance_stream(6);
    ASSERT_EQ(wait.result.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(wait.result.get().stream, 6);
    EXPECT_EQ(notifier.waiting(), 0u);
}

TEST(Notifier, EphemeralChangeWakesAWaiter)
{
    Notifier notifier(5);
    Waiting wait(notifier, notifier.current(), 60s);
    wait_until_registered(notifier, 1);
    notifier.advance_ephemeral();
    ASSERT_EQ(wait.result.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(wait.result.get().ephemeral, 1);
}

TEST(Notifier, TimeoutReturnsTheUnchangedPosition)
{
    Notifier notifier(5);
    Waiting wait(notifier, {5, 0}, 50ms);
    ASSERT_EQ(wait.result.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(wait.result.get().stream, 5);
}

TEST(Notifier, OlderPositionsNeverLowerIt)
{
    Notifier notifier(5);
    notifier.advance_stream(3);
    EXPECT_EQ(notifier.current().stream, 5);
}

TEST(Notifier, ShutdownAnswersEveryWaiter)
{
    Notifier notifier(5);
    Waiting first(notifier, {5, 0}, 60s);
    Waiting second(notifier, {5, 0}, 60s);
    wait_until_registered(notifier, 2);
    notifier.shutdown();
    EXPECT_EQ(first.result.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(second.result.wait_for(5s), std::future_status::ready);
    Waiting later(notifier, {5, 0}, 60s);
    EXPECT_EQ(later.result.wait_for(5s), std::future_status::ready);
}

} // namespace
} // namespace ravenous::sync
