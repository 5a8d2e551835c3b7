#include "ravenous/http/server.hpp"
#include "server_fixture.hpp"

namespace ravenous::http::testing {
namespace {

// What a test needs to watch a shutdown: the server, the drained event and whether the
// client had its response when on_drained ran.
struct Watch
{
    explicit Watch(asio::io_context& ioc) : drained(ioc, 1) {}
    Event drained;
    std::atomic<bool> response_received{false};
    std::atomic<bool> drained_after_response{false};
};

void start_shutdown(Server& server, std::shared_ptr<Watch> watch)
{
    server.shutdown([watch] {
        watch->drained_after_response = watch->response_received.load();
        watch->drained.try_send(boost::system::error_code{});
    });
}

class ShutdownTest : public ServerFixture
{
protected:
    ShutdownTest() : watch(std::make_shared<Watch>(ioc)) {}
    std::shared_ptr<Watch> watch;
};

asio::awaitable<void> in_flight_request_finishes(Server* server, std::uint16_t port,
                                                 std::shared_ptr<Gate> gate,
                                                 std::shared_ptr<Watch> watch)
{
    // An idle keep-alive connection: its closing shows that the drain has begun.
    auto idle = co_await connect(port);
    co_await send(*idle, get("/_matrix/client/v3/hello/x"));
    EXPECT_EQ(co_await status_of(*idle), 200);

    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/gated"));
    co_await wait_for(gate->started, op_deadline, "the handler to start");

    start_shutdown(*server, watch);
    EXPECT_TRUE(co_await closed_by_server(*idle));
    gate->release.try_send(boost::system::error_code{});
    auto response = co_await receive(*client);
    watch->response_received = true;
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(body_json(response)["gated"], "done");
    EXPECT_FALSE(response.keep_alive()) << "a draining server says Connection: close";
    EXPECT_TRUE(co_await closed_by_server(*client));
    client->stream.close();

    co_await wait_for(watch->drained, op_deadline, "on_drained");
    EXPECT_TRUE(watch->drained_after_response.load());
    EXPECT_EQ(server->active_connections(), 0u);
}

TEST_F(ShutdownTest, InFlightRequestGetsItsResponseThenDrains)
{
    run(in_flight_request_finishes(server.get(), port, gate, watch));
}

asio::awaitable<void> long_poll_wakes_up(Server* server, std::uint16_t port,
                                         std::shared_ptr<Gate> gate, std::shared_ptr<Watch> watch)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/long_poll"));
    co_await wait_for(gate->started, op_deadline, "the long poll to start");

    start_shutdown(*server, watch);
    auto response = co_await receive(*client); // long before the poll's 60 s
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(body_json(response)["woken_early"], true);
    EXPECT_FALSE(response.keep_alive());
    client->stream.close();
    co_await wait_for(watch->drained, 3s, "on_drained");
}

TEST_F(ShutdownTest, LongPollThatOptsInIsWokenByShutdown)
{
    run(long_poll_wakes_up(server.get(), port, gate, watch));
}

asio::awaitable<void> idle_connections_close(Server* server, std::uint16_t port,
                                             std::shared_ptr<Watch> watch)
{
    auto idle = co_await connect(port);
    co_await send(*idle, get("/_matrix/client/v3/hello/x"));
    EXPECT_EQ(co_await status_of(*idle), 200);
    // Accepted or still in the backlog when the acceptor closes: closed either way.
    auto never_spoke = co_await connect(port);

    start_shutdown(*server, watch);
    // Both close long before the idle timeout (75 s) and the grace period (5 s here).
    EXPECT_TRUE(co_await closed_by_server(*idle));
    EXPECT_TRUE(co_await closed_by_server(*never_spoke));
    co_await wait_for(watch->drained, 3s, "on_drained");
    EXPECT_EQ(server->active_connections(), 0u);
}

TEST_F(ShutdownTest, IdleConnectionsCloseAtOnce)
{
    run(idle_connections_close(server.get(), port, watch));
}

asio::awaitable<bool> connect_refused(std::uint16_t port)
{
    try {
        auto client = co_await connect(port);
    } catch (const boost::system::system_error&) {
        co_return true;
    }
    co_return false;
}

asio::awaitable<void> no_connections(Server* server, std::uint16_t port,
                                     std::shared_ptr<Watch> watch)
{
    start_shutdown(*server, watch);
    co_await wait_for(watch->drained, 3s, "on_drained");
    EXPECT_TRUE(co_await connect_refused(port)) << "the acceptor is closed before the drain ends";
    // A second shutdown after the drain still gets its callback.
    start_shutdown(*server, watch);
    co_await wait_for(watch->drained, 3s, "the second on_drained");
}

TEST_F(ShutdownTest, WithoutConnectionsDrainsAtOnce)
{
    run(no_connections(server.get(), port, watch));
}

class ShortGraceTest : public ServerFixture
{
protected:
    ShortGraceTest() : ServerFixture(100ms), watch(std::make_shared<Watch>(ioc)) {}
    std::shared_ptr<Watch> watch;
};

asio::awaitable<void> stuck_request_is_cut(Server* server, std::uint16_t port,
                                           std::shared_ptr<Gate> gate, std::shared_ptr<Watch> watch)
{
    auto client = co_await connect(port);
    co_await send(*client, get("/_matrix/client/v3/gated"));
    co_await wait_for(gate->started, op_deadline, "the handler to start");

    start_shutdown(*server, watch); // the gate is never released
    co_await wait_for(watch->drained, 3s, "on_drained after the grace period");
    EXPECT_TRUE(co_await closed_by_server(*client));
}

TEST_F(ShortGraceTest, StuckRequestIsClosedAfterGracePeriod)
{
    run(stuck_request_is_cut(server.get(), port, gate, watch));
}

} // namespace
} // namespace ravenous::http::testing
