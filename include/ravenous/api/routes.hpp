#pragma once

#include "ravenous/api/dispatch.hpp"

#include <span>

namespace ravenous::api {

// The route tables, one per API surface.
std::span<const Endpoint> client_routes();
// /sync, filters, account data, receipts, typing, presence (api/client/sync_routes.cpp).
std::span<const Endpoint> sync_routes();
// Push rules, notifications, pushers (api/client/push_routes.cpp).
std::span<const Endpoint> push_routes();
// What bridges call beyond the client API: appservice ping, the Beeper bridge-manager
// registration API (api/appservice/routes.cpp).
std::span<const Endpoint> appservice_routes();
// The operator API under /_ravenous/admin/v1 (api/admin/routes.cpp).
std::span<const Endpoint> admin_routes();

} // namespace ravenous::api
