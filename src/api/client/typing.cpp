#include "api/client/room_params.hpp"
#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/sync/typing_presence.hpp"

namespace ravenous::api::client {

using nlohmann::json;
namespace mj = matrix::json;

namespace {
// Synapse's default when a client says it types without a timeout.
constexpr std::int64_t default_typing_timeout_ms = 30'000;
} // namespace

// PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId}
awaitable<Response> put_typing(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body();
    auto typing = mj::optional_bool(body, "typing");
    if (!typing)
        throw matrix::errors::missing_param("Missing parameter: 'typing'");
    const auto timeout = mj::optional_int(body, "timeout").value_or(default_typing_timeout_ms);
    co_await sync::set_typing(ctx.services.db, ctx.services.ephemeral, ctx.identity().user_id,
                              ctx.param("userId"), room_id, *typing,
                              std::chrono::milliseconds(timeout));
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
