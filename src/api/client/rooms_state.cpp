#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/room_reader.hpp"
#include "ravenous/rooms/room_service.hpp"

namespace ravenous::api::client {

namespace mj = matrix::json;
using nlohmann::json;

namespace {
// The state key from the path: absent (no trailing segment) means the empty key.
std::string state_key_param(Context& ctx)
{
    for (const auto& [name, value] : ctx.request.path_params)
        if (name == "stateKey")
            return value;
    return {};
}
} // namespace

// PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}
awaitable<Response> put_state(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json content = ctx.json_body();
    auto event_id = co_await ctx.services.rooms.send_state(
        ctx.identity(), room_id, ctx.param("eventType"), state_key_param(ctx), std::move(content),
        massaged_ts(ctx));
    co_return Response::json({{"event_id", event_id}});
}

// GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}
awaitable<Response> get_state_event(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    // ?format=event: the whole event, as Synapse answers (bridges read m.room.create so);
    // "content", the default, as the spec says.
    const auto format = ctx.request.query_param("format");
    if (format && *format != "content" && *format != "event")
        throw matrix::errors::invalid_param("'format' must be 'content' or 'event'");
    const bool whole = format && *format == "event";
    auto event = co_await ctx.services.room_reader.state_event(
        ctx.identity(), room_id, ctx.param("eventType"), state_key_param(ctx), whole);
    co_return Response::json(event);
}

// GET /_matrix/client/v3/rooms/{roomId}/state
awaitable<Response> get_room_state(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    co_return Response::json(co_await ctx.services.room_reader.state(ctx.identity(), room_id));
}

// GET /_matrix/client/v3/rooms/{roomId}/members
awaitable<Response> get_members(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    rooms::MembersQuery query;
    auto text = [&](std::string_view name) -> std::optional<std::string> {
        auto value = ctx.request.query_param(name);
        return value ? std::optional<std::string>(*value) : std::nullopt;
    };
    query.at = text("at");
    query.membership = text("membership");
    query.not_membership = text("not_membership");
    co_return Response::json(
        co_await ctx.services.room_reader.members(ctx.identity(), room_id, std::move(query)));
}

// GET /_matrix/client/v3/rooms/{roomId}/joined_members
awaitable<Response> get_joined_members(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    co_return Response::json(
        co_await ctx.services.room_reader.joined_members(ctx.identity(), room_id));
}

// GET /_matrix/client/v3/joined_rooms
awaitable<Response> get_joined_rooms(Context& ctx)
{
    auto rooms = co_await ctx.services.room_reader.joined_rooms(ctx.identity());
    co_return Response::json({{"joined_rooms", rooms}});
}

} // namespace ravenous::api::client
