#pragma once

#include "ravenous/http/limits.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace ravenous::http {

class Router;

struct ServerOptions
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 8008; // 0: any free port (see Server::port)
    // How long shutdown() waits for in-flight requests before closing their connections.
    std::chrono::milliseconds shutdown_grace = limits::shutdown_grace;
};

// A Beast HTTP/1.1 server on Asio coroutines: one strand per connection, keep-alive,
// pipelined requests answered in order, per-phase timeouts, per-route body limits, CORS,
// one access-log line per request, and a graceful shutdown that finishes in-flight requests.
//
// Threading: any number of threads may run the io_context; each connection runs on its own
// strand. The router must outlive the io_context's run (sessions borrow it).
class Server
{
public:
    Server(boost::asio::io_context& ioc, const Router& router, ServerOptions options);
    // Stops accepting (if shutdown() was not called); connections are not waited for.
    // Destroy the server before its io_context.
    ~Server();

    // Binds and starts accepting; throws std::system_error if the address cannot be bound.
    void start();
    std::uint16_t port() const;

    // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish
    // (their connections close after the response, which says "Connection: close"), then
    // posts `on_drained` to the io_context once every connection is gone. Connections still
    // busy after the grace period are closed forcibly (their handler's pending operation gets
    // a terminal cancellation) and `on_drained` is posted then. Callable from any thread;
    // later calls only add their callback.
    //
    // In-flight handlers also receive a `total` cancellation when the drain starts. The
    // default cancellation filter of a coroutine ignores it; a long poll that wants to return
    // early opts in with
    //   co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    // and, after its wait ended with operation_aborted, resets the state again before its
    // next co_await (or it throws operation_aborted there).
    void shutdown(std::function<void()> on_drained);

    std::size_t active_connections() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace ravenous::http
