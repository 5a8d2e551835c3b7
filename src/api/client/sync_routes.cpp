#include "ravenous/api/routes.hpp"

#include "api/client/sync_handlers.hpp"
#include "ravenous/http/limits.hpp"

namespace ravenous::api {

using namespace client;
using http::Method;

std::span<const Endpoint> sync_routes()
{
    static constexpr std::size_t body = http::limits::default_body;
    static const Endpoint endpoints[] = {
        // clang-format off
        {Method::GET,    "/_matrix/client/v3/sync",                              Auth::access_token, body, &get_sync},
        {Method::POST,   "/_matrix/client/v3/user/{userId}/filter",              Auth::access_token, body, &post_filter},
        {Method::GET,    "/_matrix/client/v3/user/{userId}/filter/{filterId}",   Auth::access_token, body, &get_filter},
        {Method::GET,    "/_matrix/client/v3/user/{userId}/account_data/{type}", Auth::access_token, body, &get_account_data},
        {Method::PUT,    "/_matrix/client/v3/user/{userId}/account_data/{type}", Auth::access_token, body, &put_account_data},
        {Method::GET,    "/_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}", Auth::access_token, body, &get_room_account_data},
        {Method::PUT,    "/_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}", Auth::access_token, body, &put_room_account_data},
        {Method::GET,    "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags", Auth::access_token, body, &get_tags},
        {Method::PUT,    "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}", Auth::access_token, body, &put_tag},
        {Method::DELETE, "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}", Auth::access_token, body, &delete_tag},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}", Auth::access_token, body, &post_receipt},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/read_markers",       Auth::access_token, body, &post_read_markers},
        {Method::PUT,    "/_matrix/client/v3/rooms/{roomId}/typing/{userId}",    Auth::access_token, body, &put_typing},
        {Method::GET,    "/_matrix/client/v3/presence/{userId}/status",          Auth::access_token, body, &get_presence},
        {Method::PUT,    "/_matrix/client/v3/presence/{userId}/status",          Auth::access_token, body, &put_presence},
        {Method::PUT,    "/_matrix/client/v3/sendToDevice/{eventType}/{txnId}",  Auth::access_token, http::limits::large_json_body, &put_send_to_device},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
