#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/config/config.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/room_reader.hpp"
#include "ravenous/rooms/room_service.hpp"

namespace ravenous::api::client {

namespace mj = matrix::json;
using nlohmann::json;

// PUT /_matrix/client/v3/directory/room/{roomAlias}
awaitable<Response> put_alias(Context& ctx)
{
    const json body = ctx.json_body();
    auto room_id = mj::require_string(body, "room_id");
    co_await ctx.services.rooms.put_alias(ctx.identity(), ctx.param("roomAlias"), room_id);
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/directory/room/{roomAlias}
awaitable<Response> get_alias(Context& ctx)
{
    auto room_id = co_await ctx.services.rooms.resolve_alias(ctx.param("roomAlias"));
    co_return Response::json(
        {{"room_id", room_id}, {"servers", {ctx.services.config.server_name}}});
}

// DELETE /_matrix/client/v3/directory/room/{roomAlias}
awaitable<Response> delete_alias(Context& ctx)
{
    co_await ctx.services.rooms.delete_alias(ctx.identity(), ctx.param("roomAlias"));
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/rooms/{roomId}/aliases
awaitable<Response> get_room_aliases(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    auto aliases = co_await ctx.services.room_reader.aliases(ctx.identity(), room_id);
    co_return Response::json({{"aliases", aliases}});
}

} // namespace ravenous::api::client
