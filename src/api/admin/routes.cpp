#include "ravenous/api/routes.hpp"

namespace ravenous::api {

std::span<const Endpoint> admin_routes()
{
    return {};
}

} // namespace ravenous::api
