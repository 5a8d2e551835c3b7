#include "api/client/handlers.hpp"

#include "ravenous/config/config.hpp"
#include "ravenous/matrix/room_versions.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::client {

using nlohmann::json;

// GET /_matrix/client/versions
awaitable<Response> get_versions(Context& ctx)
{
    // The spec versions whose client-visible behaviour this server implements. mautrix
    // bridges need at least v1.4.
    static const json body = {
        {"versions",
         {"r0.0.1", "r0.1.0", "r0.2.0", "r0.3.0", "r0.4.0", "r0.5.0", "r0.6.0", "r0.6.1", "v1.1",
          "v1.2", "v1.3", "v1.4", "v1.5", "v1.6"}},
        // The appservice ping (MSC2659): ".stable" tells mautrix to use the v1 path below
        // spec v1.7.
        {"unstable_features",
         {
             {"fi.mau.msc2659", true},
             {"fi.mau.msc2659.stable", true},
             // Beeper's extensions, as mautrix-go reads them (one line each, added with the
             // feature).
             {"com.beeper.room_yeeting", true},               // com.beeper.yeet room deletion
             {"com.beeper.batch_sending", true},              // com.beeper.backfill batch_send
             {"com.beeper.room_create_autojoin_invites", true},  // createRoom's joins
             {"com.beeper.arbitrary_profile_meta", true},     // PATCH /profile/{userId}
             {"com.beeper.account_data_mute", true},          // com.beeper.mute room data
             {"com.beeper.inbox_state", true},                // com.beeper.inbox inbox_state
             {"com.beeper.msc4169", true},                    // redactions sent as events
             // Beeper's own homeserver: what a bridge with `software: hungry` requires, once
             // all of the above and the WebSocket transport (fi.mau.as_sync) work.
             {"com.beeper.hungry", true},
         }},
    };
    co_return Response::json(body);
}

// GET /.well-known/matrix/client
awaitable<Response> get_well_known_client(Context& ctx)
{
    co_return Response::json({{"m.homeserver", {{"base_url", ctx.services.config.base_url()}}}});
}

// GET /_matrix/client/v3/capabilities
awaitable<Response> get_capabilities(Context& ctx)
{
    json versions = json::object();
    for (auto version : matrix::supported_room_versions)
        versions[std::string(version)] = "stable";
    co_return Response::json({{"capabilities",
                               {
                                   {"m.change_password", {{"enabled", true}}},
                                   {"m.set_displayname", {{"enabled", true}}},
                                   {"m.set_avatar_url", {{"enabled", true}}},
                                   {"m.3pid_changes", {{"enabled", false}}},
                                   {"m.get_login_token", {{"enabled", false}}},
                                   {"m.room_versions",
                                    {{"default", std::string(matrix::default_room_version)},
                                     {"available", versions}}},
                               }}});
}

} // namespace ravenous::api::client
