#include "ravenous/api/routes.hpp"

#include "api/client/handlers.hpp"
#include "ravenous/http/limits.hpp"

namespace ravenous::api {

using namespace client;
using http::Method;
namespace limits = http::limits;

std::span<const Endpoint> client_routes()
{
    static constexpr std::size_t body = limits::default_body;
    static const Endpoint endpoints[] = {
        // clang-format off
        {Method::GET,    "/_matrix/client/versions",                         Auth::none,         body, &get_versions, false},
        {Method::GET,    "/.well-known/matrix/client",                       Auth::none,         body, &get_well_known_client, false},
        {Method::GET,    "/_matrix/client/v3/capabilities",                  Auth::access_token, body, &get_capabilities},

        {Method::GET,    "/_matrix/client/v3/login",                         Auth::none,         body, &get_login_flows},
        {Method::POST,   "/_matrix/client/v3/login",                         Auth::none,         body, &post_login},
        {Method::POST,   "/_matrix/client/v3/logout",                        Auth::access_token, body, &post_logout},
        {Method::POST,   "/_matrix/client/v3/logout/all",                    Auth::access_token, body, &post_logout_all},
        {Method::POST,   "/_matrix/client/v3/register",                      Auth::none,         body, &post_register},
        {Method::GET,    "/_matrix/client/v3/register/available",            Auth::none,         body, &get_register_available},

        {Method::GET,    "/_matrix/client/v3/account/whoami",                Auth::access_token, body, &get_whoami},
        {Method::POST,   "/_matrix/client/v3/account/password",              Auth::access_token, body, &post_password},

        {Method::GET,    "/_matrix/client/v3/devices",                       Auth::access_token, body, &get_devices},
        {Method::GET,    "/_matrix/client/v3/devices/{deviceId}",            Auth::access_token, body, &get_device},
        {Method::PUT,    "/_matrix/client/v3/devices/{deviceId}",            Auth::access_token, body, &put_device},
        {Method::DELETE, "/_matrix/client/v3/devices/{deviceId}",            Auth::access_token, body, &delete_device},
        {Method::POST,   "/_matrix/client/v3/delete_devices",                Auth::access_token, body, &post_delete_devices},

        {Method::GET,    "/_matrix/client/v3/profile/{userId}",              Auth::none,         body, &get_profile},
        {Method::GET,    "/_matrix/client/v3/profile/{userId}/displayname",  Auth::none,         body, &get_displayname},
        {Method::PUT,    "/_matrix/client/v3/profile/{userId}/displayname",  Auth::access_token, body, &put_displayname},
        {Method::GET,    "/_matrix/client/v3/profile/{userId}/avatar_url",   Auth::none,         body, &get_avatar_url},
        {Method::PUT,    "/_matrix/client/v3/profile/{userId}/avatar_url",   Auth::access_token, body, &put_avatar_url},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
