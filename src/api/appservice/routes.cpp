#include "ravenous/api/routes.hpp"

namespace ravenous::api {

std::span<const Endpoint> appservice_routes()
{
    return {};
}

} // namespace ravenous::api
