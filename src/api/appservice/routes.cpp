#include "ravenous/api/routes.hpp"

#include "api/appservice/as_sync.hpp"
#include "api/appservice/bridge_manager.hpp"
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
        {Method::PUT,    "/_matrix/asmux/mxauth/appservice/{username}/{bridge}", Auth::access_token, body, &put_bridge_appservice, false},
        {Method::GET,    "/_matrix/asmux/mxauth/appservice/{username}/{bridge}", Auth::access_token, body, &get_bridge_appservice, false},
        {Method::DELETE, "/_matrix/asmux/mxauth/appservice/{username}/{bridge}", Auth::access_token, body, &delete_bridge_appservice, false},
        {Method::POST,   "/_matrix/asmux/mxauth/appservice/{username}/{bridge}/exec/{command}", Auth::access_token, body, &post_bridge_exec, false},
        {Method::GET,    "/_matrix/client/unstable/fi.mau.as_sync",               Auth::access_token, body, &get_as_sync, false},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
