#pragma once

// A server-side WebSocket (RFC 6455) after a route asked for the upgrade, without Beast: the
// handler returns Response::websocket(upgrade); the session answers the handshake on its
// connection and runs `upgrade->run` with this facade for as long as the connection lives.
//
// Threading: read() belongs to the run coroutine (one reader, on the connection's strand);
// send() and close() are thread-safe. Outgoing messages go through one writer and a bounded
// queue: a peer that does not read cannot make the server buffer without limit.

#include "ravenous/http/request.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ravenous::http {

// Close codes of RFC 6455 section 7.4.1 that the server sends itself.
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t too_big = 1009;
inline constexpr std::uint16_t service_restart = 1012;
} // namespace close_code

class WebSocket
{
public:
    struct Impl;
    explicit WebSocket(std::shared_ptr<Impl> impl);
    ~WebSocket();

    // The next text message (binary ones are skipped); nullopt once the connection has ended,
    // whoever closed it. A message over the upgrade's max_message closes it with 1009.
    boost::asio::awaitable<std::optional<std::string>> read();

    // Queues a text message. False when the connection is closing or closed, or when the
    // queue is full: the peer is not reading, and the connection is then closed with 1008.
    bool send(std::string text);
    // Sends a close frame after the messages already queued; later sends are refused. The
    // first call wins. read() ends once the peer answers (or the close times out).
    void close(std::uint16_t code, std::string reason);
    bool is_open() const;

    const std::string& remote_address() const;

private:
    std::shared_ptr<Impl> impl_;
};

// What a handler hands to Response::websocket().
struct WebSocketUpgrade
{
    // Runs on the connection's strand once the handshake is answered; the connection closes
    // when it returns (a close frame with 1000 if it is still open).
    std::function<boost::asio::awaitable<void>(std::shared_ptr<WebSocket>)> run;
    std::size_t max_message = 1024 * 1024;  // incoming
    std::size_t max_queued = 64;            // outgoing messages not yet written
    // What the server's graceful shutdown closes the connection with.
    std::uint16_t shutdown_code = close_code::going_away;
    std::string shutdown_reason;
};

// A GET asking for a WebSocket (Connection: upgrade, Upgrade: websocket, a key and version
// 13): what the session can accept. Routes check it to answer anything else with an error.
bool is_websocket_upgrade(const Request& request);

} // namespace ravenous::http
