#pragma once

#include "ravenous/api/dispatch.hpp"

#include <span>

namespace ravenous::api {

// The route tables, one per API surface.
std::span<const Endpoint> client_routes();

} // namespace ravenous::api
