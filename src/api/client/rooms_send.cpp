#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/rooms/room_service.hpp"

namespace ravenous::api::client {

using nlohmann::json;

// PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}
awaitable<Response> put_send(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json content = ctx.json_body();
    auto event_id = co_await ctx.services.rooms.send_message(
        ctx.identity(), room_id, ctx.param("eventType"), std::move(content), ctx.param("txnId"),
        massaged_ts(ctx));
    co_return Response::json({{"event_id", event_id}});
}

// PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}
awaitable<Response> put_redact(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json body = ctx.json_body(/*empty_is_object=*/true);
    reason(body);  // M_BAD_JSON unless absent or a string
    auto event_id = co_await ctx.services.rooms.redact(ctx.identity(), room_id,
                                                       ctx.param("eventId"), std::move(body),
                                                       ctx.param("txnId"), massaged_ts(ctx));
    co_return Response::json({{"event_id", event_id}});
}

} // namespace ravenous::api::client
