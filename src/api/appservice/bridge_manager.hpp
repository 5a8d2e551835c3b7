#pragma once

// The bridge-manager API (Beeper's Hungryserv, as bbctl calls it): the owner registers,
// reads and deletes bridges' appservices with their own access token.
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::appservice {

boost::asio::awaitable<http::Response> put_bridge_appservice(Context& ctx);
boost::asio::awaitable<http::Response> get_bridge_appservice(Context& ctx);
boost::asio::awaitable<http::Response> delete_bridge_appservice(Context& ctx);
// Sends the body to the bridge's WebSocket as a command and returns its answer (as
// mautrix-asmux and Hungryserv do).
boost::asio::awaitable<http::Response> post_bridge_exec(Context& ctx);

} // namespace ravenous::api::appservice
