#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/room_service.hpp"

namespace ravenous::api::client {

namespace mj = matrix::json;
using nlohmann::json;

namespace {
awaitable<Response> membership_action(Context& ctx, rooms::MembershipAction action)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body();
    auto target = mj::require_string(body, "user_id");
    co_await ctx.services.rooms.change_membership(ctx.identity(), room_id, action,
                                                  std::move(target), reason(body));
    co_return Response::json(json::object());
}
} // namespace

// POST /_matrix/client/v3/rooms/{roomId}/join
awaitable<Response> post_room_join(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body(/*empty_is_object=*/true);
    auto joined = co_await ctx.services.rooms.join(ctx.identity(), room_id, reason(body));
    co_return Response::json({{"room_id", joined}});
}

// POST /_matrix/client/v3/join/{roomIdOrAlias}
awaitable<Response> post_join(Context& ctx)
{
    const json body = ctx.json_body(/*empty_is_object=*/true);
    auto joined = co_await ctx.services.rooms.join(ctx.identity(), ctx.param("roomIdOrAlias"),
                                                   reason(body));
    co_return Response::json({{"room_id", joined}});
}

// POST /_matrix/client/v3/rooms/{roomId}/leave
awaitable<Response> post_leave(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body(/*empty_is_object=*/true);
    co_await ctx.services.rooms.leave(ctx.identity(), room_id, reason(body));
    co_return Response::json(json::object());
}

// POST /_matrix/client/v3/rooms/{roomId}/forget
awaitable<Response> post_forget(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    ctx.json_body(/*empty_is_object=*/true);
    co_await ctx.services.rooms.forget(ctx.identity(), room_id);
    co_return Response::json(json::object());
}

// POST /_matrix/client/v3/rooms/{roomId}/invite
awaitable<Response> post_invite(Context& ctx)
{
    co_return co_await membership_action(ctx, rooms::MembershipAction::invite);
}

// POST /_matrix/client/v3/rooms/{roomId}/kick
awaitable<Response> post_kick(Context& ctx)
{
    co_return co_await membership_action(ctx, rooms::MembershipAction::kick);
}

// POST /_matrix/client/v3/rooms/{roomId}/ban
awaitable<Response> post_ban(Context& ctx)
{
    co_return co_await membership_action(ctx, rooms::MembershipAction::ban);
}

// POST /_matrix/client/v3/rooms/{roomId}/unban
awaitable<Response> post_unban(Context& ctx)
{
    co_return co_await membership_action(ctx, rooms::MembershipAction::unban);
}

} // namespace ravenous::api::client
