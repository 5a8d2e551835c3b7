#include "api/admin/rooms.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/rooms/room_deletion.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::admin {

using boost::asio::awaitable;
using http::Response;
using nlohmann::json;

// DELETE /_ravenous/admin/v1/rooms/{roomId}
awaitable<Response> delete_room(Context& ctx)
{
    const auto& room_id = client::room_param(ctx);
    co_await ctx.services.room_deletion.delete_room_as_operator(room_id);
    co_return Response::json(json::object());
}

// POST /_ravenous/admin/v1/appservices/{id}/erase
awaitable<Response> post_appservice_erase(Context& ctx)
{
    const std::string id = ctx.param("id");
    const auto erased = co_await ctx.services.room_deletion.erase_appservice(id);
    json out = json::object();
    out["appservice"] = id;
    out["rooms_deleted"] = erased.rooms;
    out["users_deleted"] = erased.users;
    out["events_deleted"] = erased.events;
    co_return Response::json(out);
}

} // namespace ravenous::api::admin
