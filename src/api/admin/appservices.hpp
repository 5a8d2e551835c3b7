#pragma once

// The operator API's appservice endpoints (admin_token): list, read, add or replace (JSON or
// YAML), delete.
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::admin {

boost::asio::awaitable<http::Response> get_appservices(Context& ctx);
boost::asio::awaitable<http::Response> get_appservice(Context& ctx);
boost::asio::awaitable<http::Response> put_appservice(Context& ctx);
boost::asio::awaitable<http::Response> delete_appservice(Context& ctx);

} // namespace ravenous::api::admin
