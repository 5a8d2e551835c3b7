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
    static constexpr std::size_t event = limits::event_body;
    static const Endpoint endpoints[] = {
        // clang-format off
        {Method::GET,    "/_matrix/client/versions",                         Auth::none,         body, &get_versions, false},
        {Method::GET,    "/.well-known/matrix/client",                       Auth::none,         body, &get_well_known_client, false},
        {Method::GET,    "/_matrix/client/v3/capabilities",                  Auth::access_token, body, &get_capabilities},
        {Method::GET,    "/_matrix/client/v1/media/config",                  Auth::access_token, body, &get_media_config, false},
        {Method::GET,    "/_matrix/media/v3/config",                         Auth::access_token, body, &get_media_config, false},
        {Method::GET,    "/_matrix/media/r0/config",                         Auth::access_token, body, &get_media_config, false},

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
        {Method::GET,    "/_matrix/client/v3/profile/{userId}/{keyName}",    Auth::none,         body, &get_profile_field},
        {Method::PATCH,  "/_matrix/client/v3/profile/{userId}",              Auth::access_token, body, &patch_profile},
        {Method::PUT,    "/_matrix/client/unstable/com.beeper.inbox/user/{userId}/rooms/{roomId}/inbox_state", Auth::access_token, body, &put_inbox_state, false},
        {Method::GET,    "/_matrix/client/unstable/com.beeper.timesync",     Auth::access_token, body, &get_timesync, false},

        {Method::POST,   "/_matrix/client/v3/createRoom",                    Auth::access_token, body, &post_create_room},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/join",           Auth::access_token, body, &post_room_join},
        {Method::POST,   "/_matrix/client/v3/join/{roomIdOrAlias}",          Auth::access_token, body, &post_join},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/leave",          Auth::access_token, body, &post_leave},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/forget",         Auth::access_token, body, &post_forget},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/invite",         Auth::access_token, body, &post_invite},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/kick",           Auth::access_token, body, &post_kick},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/ban",            Auth::access_token, body, &post_ban},
        {Method::POST,   "/_matrix/client/v3/rooms/{roomId}/unban",          Auth::access_token, body, &post_unban},

        {Method::PUT,    "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}", Auth::access_token, event, &put_state},
        {Method::PUT,    "/_matrix/client/v3/rooms/{roomId}/state/{eventType}", Auth::access_token, event, &put_state},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}", Auth::access_token, body, &get_state_event},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/state/{eventType}", Auth::access_token, body, &get_state_event},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/state",          Auth::access_token, body, &get_room_state},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/members",        Auth::access_token, body, &get_members},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/joined_members", Auth::access_token, body, &get_joined_members},
        {Method::GET,    "/_matrix/client/v3/joined_rooms",                  Auth::access_token, body, &get_joined_rooms},

        {Method::PUT,    "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}", Auth::access_token, event, &put_send},
        {Method::PUT,    "/_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}", Auth::access_token, body, &put_redact},
        {Method::POST,   "/_matrix/client/unstable/com.beeper.backfill/rooms/{roomId}/batch_send", Auth::access_token, limits::large_json_body, &post_batch_send, false},
        {Method::POST,   "/_matrix/client/unstable/org.matrix.msc2716/rooms/{roomId}/batch_send", Auth::access_token, limits::large_json_body, &post_msc2716_batch_send, false},

        {Method::PUT,    "/_matrix/client/v3/directory/room/{roomAlias}",    Auth::access_token, body, &put_alias},
        {Method::GET,    "/_matrix/client/v3/directory/room/{roomAlias}",    Auth::none,         body, &get_alias},
        {Method::DELETE, "/_matrix/client/v3/directory/room/{roomAlias}",    Auth::access_token, body, &delete_alias},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/aliases",        Auth::access_token, body, &get_room_aliases},

        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/messages",       Auth::access_token, body, &get_messages},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/context/{eventId}", Auth::access_token, body, &get_context},
        {Method::GET,    "/_matrix/client/v3/rooms/{roomId}/event/{eventId}", Auth::access_token, body, &get_event},
        {Method::GET,    "/_matrix/client/v1/rooms/{roomId}/timestamp_to_event", Auth::access_token, body, &get_timestamp_to_event, false},
        {Method::GET,    "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}", Auth::access_token, body, &get_relations, false},
        {Method::GET,    "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}", Auth::access_token, body, &get_relations, false},
        {Method::GET,    "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}", Auth::access_token, body, &get_relations, false},
        {Method::GET,    "/_matrix/client/v1/rooms/{roomId}/threads",        Auth::access_token, body, &get_threads, false},

        {Method::POST,   "/_matrix/client/unstable/com.beeper.yeet/rooms/{roomId}/delete", Auth::access_token, body, &post_room_delete, false},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
