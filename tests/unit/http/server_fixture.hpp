#pragma once

// The in-process server used by server_test.cpp and server_shutdown_test.cpp: a tiny router,
// a Server on an ephemeral port, an io_context run by two threads, and a raw HTTP client
// whose every operation has a deadline.

#include "ravenous/http/router.hpp"
#include "ravenous/http/server.hpp"
#include "ravenous/matrix/errors.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

namespace ravenous::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

inline constexpr auto op_deadline = 5s;    // each client operation
inline constexpr auto test_deadline = 15s; // a whole test

using Event = asio::experimental::concurrent_channel<void(boost::system::error_code)>;
using BeastResponse = bhttp::response<bhttp::string_body>;

// Lets a test hold a handler in flight: the handler reports `started`, then waits for `release`.
struct Gate
{
    explicit Gate(asio::io_context& ioc) : started(ioc, 1), release(ioc, 1) {}
    Event started;
    Event release;
};

// Throws (ending the test coroutine) if `event` does not fire within `deadline`.
inline asio::awaitable<void> wait_for(Event& event, std::chrono::milliseconds deadline,
                                      std::string what)
{
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer{co_await asio::this_coro::executor, deadline};
    auto result = co_await (event.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                            timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (result.index() != 0)
        throw std::runtime_error("timed out waiting for " + what);
}

// --- handlers -------------------------------------------------------------------------------

inline asio::awaitable<Response> hello(Request& request)
{
    nlohmann::json query = nlohmann::json::object();
    for (const auto& [key, value] : request.query)
        query[key] = value;
    co_return Response::json({{"hello", request.path_param("name")},
                              {"query", query},
                              {"request_id", request.request_id}});
}

inline asio::awaitable<Response> echo(Request& request)
{
    co_return Response::json({{"body", request.body}}, 201);
}

inline asio::awaitable<Response> forbidden(Request&)
{
    throw matrix::errors::forbidden("You are not invited to this room.");
    co_return Response::empty();
}

inline asio::awaitable<Response> boom(Request&)
{
    throw std::runtime_error("SQLITE_CORRUPT: secret detail");
    co_return Response::empty();
}

inline asio::awaitable<Response> slow(Request& request)
{
    asio::steady_timer timer{co_await asio::this_coro::executor, 50ms};
    co_await timer.async_wait(asio::use_awaitable);
    co_return Response::json({{"slow", request.path_param("name")}});
}

inline asio::awaitable<Response> gated(std::shared_ptr<Gate> gate)
{
    gate->started.try_send(boost::system::error_code{});
    co_await gate->release.async_receive(asio::use_awaitable);
    co_return Response::json({{"gated", "done"}});
}

// A long poll that opts into the server's shutdown wake-up (`total` cancellation).
inline asio::awaitable<Response> long_poll(std::shared_ptr<Gate> gate)
{
    co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    gate->started.try_send(boost::system::error_code{});
    asio::steady_timer poll_timeout{co_await asio::this_coro::executor, 60s};
    auto [ec] = co_await poll_timeout.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await asio::this_coro::reset_cancellation_state(); // or the next co_await throws
    co_return Response::json({{"woken_early", ec == asio::error::operation_aborted}});
}

// --- fixture --------------------------------------------------------------------------------

class ServerFixture : public ::testing::Test
{
protected:
    explicit ServerFixture(std::chrono::milliseconds grace = 5s);
    ~ServerFixture() override;

    // Runs `test` on a strand while two threads run the io_context; fails the test if it
    // throws or does not finish within test_deadline.
    void run(asio::awaitable<void> test);

    asio::io_context ioc;
    Router router;
    std::shared_ptr<Gate> gate = std::make_shared<Gate>(ioc);
    std::unique_ptr<Server> server;
    std::uint16_t port = 0;
};

inline ServerFixture::ServerFixture(std::chrono::milliseconds grace)
{
    router.add({Method::GET, "/_matrix/client/v3/hello/{name}", 1024, &hello});
    router.add({Method::PUT, "/_matrix/client/v3/echo", 1024, &echo});
    router.add({Method::GET, "/_matrix/client/v3/forbidden", 1024, &forbidden});
    router.add({Method::GET, "/_matrix/client/v3/boom", 1024, &boom});
    router.add({Method::GET, "/_matrix/client/v3/slow/{name}", 1024, &slow});
    router.add({Method::GET, "/_matrix/client/v3/gated", 1024,
                [gate = gate](Request&) { return gated(gate); }});
    router.add({Method::GET, "/_matrix/client/v3/long_poll", 1024,
                [gate = gate](Request&) { return long_poll(gate); }});
    server = std::make_unique<Server>(ioc, router, ServerOptions{"127.0.0.1", 0, grace});
    server->start();
    port = server->port();
}

inline ServerFixture::~ServerFixture()
{
    ioc.stop();
    server.reset();
}

inline void ServerFixture::run(asio::awaitable<void> test)
{
    std::atomic<bool> done{false};
    std::exception_ptr failure;
    asio::co_spawn(asio::make_strand(ioc), std::move(test), [&](std::exception_ptr error) {
        failure = error;
        done = true;
        ioc.stop();
    });
    std::thread second{[this] { ioc.run_for(test_deadline); }};
    ioc.run_for(test_deadline);
    second.join();
    ASSERT_TRUE(done.load()) << "the test did not finish within its deadline";
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            FAIL() << "test coroutine threw: " << e.what();
        }
    }
}

// --- client ---------------------------------------------------------------------------------

struct Client
{
    explicit Client(const asio::any_io_executor& executor) : stream(executor) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
};

inline asio::awaitable<std::unique_ptr<Client>> connect(std::uint16_t port)
{
    // (No co_await inside the initialiser: GCC 12 destroys such temporaries twice.)
    const auto executor = co_await asio::this_coro::executor;
    auto client = std::make_unique<Client>(executor);
    client->stream.expires_after(op_deadline);
    co_await client->stream.async_connect(
        asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    co_return client;
}

inline asio::awaitable<void> send(Client& client, std::string raw)
{
    client.stream.expires_after(op_deadline);
    co_await asio::async_write(client.stream, asio::buffer(raw), asio::use_awaitable);
}

inline asio::awaitable<BeastResponse> receive(Client& client, bool head = false)
{
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    client.stream.expires_after(op_deadline);
    co_await bhttp::async_read(client.stream, client.buffer, parser, asio::use_awaitable);
    co_return parser.release();
}

// The status of the next response (no temporaries left in the caller's co_await).
inline asio::awaitable<int> status_of(Client& client)
{
    auto response = co_await receive(client);
    co_return response.result_int();
}

inline asio::awaitable<bool> closed_by_server(Client& client)
{
    char byte = 0;
    client.stream.expires_after(op_deadline);
    auto [ec, n] = co_await client.stream.async_read_some(asio::buffer(&byte, 1),
                                                          asio::as_tuple(asio::use_awaitable));
    co_return ec == asio::error::eof || ec == asio::error::connection_reset;
}

inline std::string get(std::string_view target, std::string_view extra_headers = "")
{
    return "GET " + std::string{target} + " HTTP/1.1\r\nHost: test\r\n" +
           std::string{extra_headers} + "\r\n";
}

inline nlohmann::json body_json(const BeastResponse& response)
{
    return nlohmann::json::parse(response.body());
}

} // namespace ravenous::http::testing
