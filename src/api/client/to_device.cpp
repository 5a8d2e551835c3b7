// PUT /sendToDevice.

#include "ravenous/sync/to_device.hpp"

#include "api/client/sync_handlers.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::client {

// PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}
awaitable<Response> put_send_to_device(Context& ctx)
{
    nlohmann::json body = ctx.json_body();
    co_await sync::to_device::send(ctx.services.db, ctx.services.config, ctx.identity(),
                                   ctx.param("eventType"), ctx.param("txnId"), std::move(body));
    co_return Response::json(nlohmann::json::object());
}

} // namespace ravenous::api::client
