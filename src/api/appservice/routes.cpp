#include "ravenous/api/routes.hpp"

#include "api/appservice/ping.hpp"
#include "ravenous/http/limits.hpp"

namespace ravenous::api {

using namespace appservice;
using http::Method;
namespace limits = http::limits;

std::span<const Endpoint> appservice_routes()
{
    static constexpr std::size_t body = limits::default_body;
    static const Endpoint endpoints[] = {
        // clang-format off
        {Method::POST,   "/_matrix/client/v1/appservice/{appserviceId}/ping",    Auth::access_token, body, &post_appservice_ping, false},
        {Method::POST,   "/_matrix/client/unstable/fi.mau.msc2659/appservice/{appserviceId}/ping", Auth::access_token, body, &post_appservice_ping, false},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
