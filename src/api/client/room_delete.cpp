// Beeper's room deletion ("yeet"), as bridges call it when com.beeper.room_yeeting is
// advertised: the room and everything in it are gone for everyone at once.

#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/rooms/room_deletion.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::client {

using nlohmann::json;

// POST /_matrix/client/unstable/com.beeper.yeet/rooms/{roomId}/delete
awaitable<Response> post_room_delete(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    ctx.json_body(/*empty_is_object=*/true);  // bridges send no body; anything else is {}
    co_await ctx.services.room_deletion.delete_room(ctx.identity(), room_id);
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
