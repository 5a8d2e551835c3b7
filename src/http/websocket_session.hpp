#pragma once

#include "connections.hpp"
#include "ravenous/http/websocket.hpp"
#include "wire.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>

// The session's side of a WebSocket upgrade (module-private).
namespace ravenous::http::detail {

// Answers the handshake of `message` on `connection` (Beast writes its own 400 or 426 when the
// request is not a valid upgrade). Null when it failed; the connection then just closes.
// From then on a drain of `registry` closes the WebSocket with the upgrade's shutdown code.
boost::asio::awaitable<std::shared_ptr<WebSocket>> accept_websocket(
    std::shared_ptr<Connection> connection, const BeastRequest& message,
    const WebSocketUpgrade& upgrade, const ConnectionRegistry& registry);

// Runs the upgrade's handler, then closes the WebSocket if it is still open and waits (up to
// the closing handshake's timeout) for the peer's close frame.
boost::asio::awaitable<void> run_websocket(std::shared_ptr<WebSocket> socket,
                                           std::shared_ptr<const WebSocketUpgrade> upgrade);

} // namespace ravenous::http::detail
