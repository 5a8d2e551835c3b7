#include "ravenous/api/routes.hpp"

#include "api/admin/appservices.hpp"
#include "api/admin/websocket_bridges.hpp"
#include "api/admin/rooms.hpp"
#include "ravenous/http/limits.hpp"

namespace ravenous::api {

using namespace admin;
using http::Method;
namespace limits = http::limits;

std::span<const Endpoint> admin_routes()
{
    static constexpr std::size_t body = limits::default_body;
    static const Endpoint endpoints[] = {
        // clang-format off
        {Method::GET,    "/_ravenous/admin/v1/appservices",      Auth::admin_token, body, &get_appservices, false},
        {Method::GET,    "/_ravenous/admin/v1/appservices/{id}", Auth::admin_token, body, &get_appservice, false},
        {Method::PUT,    "/_ravenous/admin/v1/appservices/{id}", Auth::admin_token, body, &put_appservice, false},
        {Method::DELETE, "/_ravenous/admin/v1/appservices/{id}", Auth::admin_token, body, &delete_appservice, false},
        {Method::POST,   "/_ravenous/admin/v1/appservices/{id}/proxy", Auth::admin_token, limits::large_json_body, &post_appservice_proxy, false},
        {Method::POST,   "/_ravenous/admin/v1/appservices/{id}/erase", Auth::admin_token, body, &post_appservice_erase, false},
        {Method::DELETE, "/_ravenous/admin/v1/rooms/{roomId}",   Auth::admin_token, body, &delete_room, false},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
