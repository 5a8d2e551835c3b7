#pragma once

// The operator API's deletions (admin_token): one room, or a whole bridge with its rooms and
// users.
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::admin {

boost::asio::awaitable<http::Response> delete_room(Context& ctx);
boost::asio::awaitable<http::Response> post_appservice_erase(Context& ctx);

} // namespace ravenous::api::admin
