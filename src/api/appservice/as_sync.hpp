#pragma once

// The WebSocket that bridges which cannot be reached over HTTP open to receive their
// transactions (fi.mau.as_sync, as mautrix bridges speak it; appservice/websocket_hub.hpp).
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::appservice {

boost::asio::awaitable<http::Response> get_as_sync(Context& ctx);

} // namespace ravenous::api::appservice
