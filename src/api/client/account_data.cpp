#include "ravenous/sync/account_data.hpp"

#include "api/client/room_params.hpp"
#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/errors.hpp"

namespace ravenous::api::client {

using nlohmann::json;

// PUT /_matrix/client/v3/user/{userId}/account_data/{type}
awaitable<Response> put_account_data(Context& ctx)
{
    json content = ctx.json_body();
    co_await ctx.services.account_data.put(ctx.identity().user_id, ctx.param("userId"), "",
                                           ctx.param("type"), std::move(content));
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/user/{userId}/account_data/{type}
awaitable<Response> get_account_data(Context& ctx)
{
    json content = co_await ctx.services.account_data.get(
        ctx.identity().user_id, ctx.param("userId"), "", ctx.param("type"));
    co_return Response::json(content);
}

// PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}
awaitable<Response> put_room_account_data(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json content = ctx.json_body();
    co_await ctx.services.account_data.put(ctx.identity().user_id, ctx.param("userId"), room_id,
                                           ctx.param("type"), std::move(content));
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}
awaitable<Response> get_room_account_data(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json content = co_await ctx.services.account_data.get(
        ctx.identity().user_id, ctx.param("userId"), room_id, ctx.param("type"));
    co_return Response::json(content);
}

// GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags
awaitable<Response> get_tags(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json tags = co_await ctx.services.account_data.tags(ctx.identity().user_id, ctx.param("userId"),
                                                        room_id);
    co_return Response::json(tags);
}

// PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}
awaitable<Response> put_tag(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    json content = ctx.json_body();
    if (content.contains("order") && !content["order"].is_number())
        throw matrix::errors::bad_json("'order' must be a number");
    std::optional<json> tag(std::move(content));
    co_await ctx.services.account_data.set_tag(ctx.identity().user_id, ctx.param("userId"), room_id,
                                               ctx.param("tag"), std::move(tag));
    co_return Response::json(json::object());
}

// DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}
awaitable<Response> delete_tag(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    std::optional<json> none;
    co_await ctx.services.account_data.set_tag(ctx.identity().user_id, ctx.param("userId"), room_id,
                                               ctx.param("tag"), std::move(none));
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
