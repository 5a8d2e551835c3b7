#include "ravenous/sync/receipts.hpp"

#include "api/client/room_params.hpp"
#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

namespace ravenous::api::client {

using nlohmann::json;
namespace mj = matrix::json;

// POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}
awaitable<Response> post_receipt(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body(/*empty_is_object=*/true);
    if (body.contains("thread_id") && !body["thread_id"].is_string())
        throw matrix::errors::invalid_param("thread_id field must be a non-empty string");
    auto thread_id = mj::optional_string(body, "thread_id");
    co_await ctx.services.receipts.post_receipt(ctx.identity().user_id, room_id,
                                                ctx.param("receiptType"), ctx.param("eventId"),
                                                std::move(thread_id));
    co_return Response::json(json::object());
}

sync::ReceiptService::Markers read_markers_body(const json& body)
{
    sync::ReceiptService::Markers markers;
    markers.fully_read = mj::optional_string(body, "m.fully_read");
    markers.read = mj::optional_string(body, "m.read");
    markers.read_private = mj::optional_string(body, "m.read.private");
    return markers;
}

// POST /_matrix/client/v3/rooms/{roomId}/read_markers
awaitable<Response> post_read_markers(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body();
    co_await ctx.services.receipts.set_read_markers(ctx.identity().user_id, room_id,
                                                    read_markers_body(body));
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
