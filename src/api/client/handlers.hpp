#pragma once

// Handlers of the client-server API, one group per spec area (one .cpp each).
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::client {

using boost::asio::awaitable;
using http::Response;

// versions.cpp
awaitable<Response> get_versions(Context& ctx);
awaitable<Response> get_well_known_client(Context& ctx);
awaitable<Response> get_capabilities(Context& ctx);

// login.cpp
awaitable<Response> get_login_flows(Context& ctx);
awaitable<Response> post_login(Context& ctx);
awaitable<Response> post_logout(Context& ctx);
awaitable<Response> post_logout_all(Context& ctx);

// account.cpp
awaitable<Response> get_whoami(Context& ctx);
awaitable<Response> post_password(Context& ctx);

// register.cpp
awaitable<Response> post_register(Context& ctx);
awaitable<Response> get_register_available(Context& ctx);

// devices.cpp
awaitable<Response> get_devices(Context& ctx);
awaitable<Response> get_device(Context& ctx);
awaitable<Response> put_device(Context& ctx);
awaitable<Response> delete_device(Context& ctx);
awaitable<Response> post_delete_devices(Context& ctx);

// profile.cpp
awaitable<Response> get_profile(Context& ctx);
awaitable<Response> get_displayname(Context& ctx);
awaitable<Response> put_displayname(Context& ctx);
awaitable<Response> get_avatar_url(Context& ctx);
awaitable<Response> put_avatar_url(Context& ctx);

} // namespace ravenous::api::client
