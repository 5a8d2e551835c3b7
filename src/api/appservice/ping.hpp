#pragma once

// The appservice ping (client-server API v1.7): a bridge asks the server to call it back.
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::appservice {

boost::asio::awaitable<http::Response> post_appservice_ping(Context& ctx);

} // namespace ravenous::api::appservice
