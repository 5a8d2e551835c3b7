// POST /user/{userId}/filter and GET /user/{userId}/filter/{filterId}.

#include "ravenous/sync/filters.hpp"

#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/errors.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::client {

namespace errors = matrix::errors;
using nlohmann::json;

namespace {

void require_own_user(Context& ctx, std::string_view action)
{
    if (ctx.param("userId") != ctx.identity().user_id)
        throw errors::forbidden("Cannot " + std::string(action) + " filters for other users");
}

} // namespace

awaitable<Response> post_filter(Context& ctx)
{
    require_own_user(ctx, "create");
    json body = ctx.json_body();
    auto id = co_await ctx.services.filters.create(ctx.identity().user_id, std::move(body));
    co_return Response::json(json{{"filter_id", id}});
}

awaitable<Response> get_filter(Context& ctx)
{
    require_own_user(ctx, "get");
    auto filter = co_await ctx.services.filters.get(ctx.identity().user_id, ctx.param("filterId"));
    if (!filter)
        throw errors::not_found("No such filter");
    co_return Response::json(std::move(*filter));
}

} // namespace ravenous::api::client
