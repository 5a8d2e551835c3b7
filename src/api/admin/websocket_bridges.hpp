#pragma once

// The operator API's view of WebSocket bridges: their connection and reports in
// GET /_ravenous/admin/v1/appservices/{id}, and requests to their own HTTP API (provisioning)
// through the connection.
#include "ravenous/api/dispatch.hpp"

#include <nlohmann/json_fwd.hpp>

namespace ravenous::appservice {
struct WebSocketStatus;
}

namespace ravenous::api::admin {

boost::asio::awaitable<http::Response> post_appservice_proxy(Context& ctx);

// "websocket" in an appservice's delivery status.
nlohmann::json websocket_status_json(const ::ravenous::appservice::WebSocketStatus& status);

} // namespace ravenous::api::admin
