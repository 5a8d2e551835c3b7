#pragma once

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
    std::uint16_t port = 8008;  // 0: any free port (see Server::port)
};

// A Beast HTTP/1.1 server on Asio coroutines: one strand per connection, keep-alive,
// pipelined requests answered in order, per-phase timeouts, per-route body limits, CORS,
// one access-log line per request, and a graceful shutdown that finishes in-flight requests.
class Server
{
public:
    Server(boost::asio::io_context& ioc, const Router& router, ServerOptions options);
    ~Server();

    // Binds and starts accepting; throws std::system_error if the address cannot be bound.
    void start();
    std::uint16_t port() const;

    // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish
    // (their connections close after the response), then calls `on_drained` on the
    // io_context. Connections still busy after the grace period are closed forcibly.
    void shutdown(std::function<void()> on_drained);

    std::size_t active_connections() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace ravenous::http
