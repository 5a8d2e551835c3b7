#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/sync/typing_presence.hpp"

namespace ravenous::api::client {

using nlohmann::json;
namespace mj = matrix::json;

// PUT /_matrix/client/v3/presence/{userId}/status
awaitable<Response> put_presence(Context& ctx)
{
    const json body = ctx.json_body();
    std::string presence = mj::require_string(body, "presence");
    auto status_msg = mj::optional_string(body, "status_msg");
    sync::set_presence(ctx.services.ephemeral, ctx.identity().user_id, ctx.param("userId"),
                       std::move(presence), std::move(status_msg));
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/presence/{userId}/status
awaitable<Response> get_presence(Context& ctx)
{
    json content =
        co_await sync::get_presence(ctx.services.db, ctx.services.ephemeral, ctx.param("userId"));
    co_return Response::json(content);
}

} // namespace ravenous::api::client
