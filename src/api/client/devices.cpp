#include "api/client/handlers.hpp"

#include "ravenous/auth/devices.hpp"
#include "ravenous/auth/uia.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using nlohmann::json;

namespace {
json device_json(const storage::DeviceRow& row)
{
    json out = {{"device_id", row.device_id}};
    if (row.display_name)
        out["display_name"] = *row.display_name;
    if (row.last_seen_ts)
        out["last_seen_ts"] = *row.last_seen_ts;
    if (row.last_seen_ip)
        out["last_seen_ip"] = *row.last_seen_ip;
    return out;
}
} // namespace

// GET /_matrix/client/v3/devices
awaitable<Response> get_devices(Context& ctx)
{
    auto rows = co_await ctx.services.devices.list(ctx.identity().user_id);
    json devices = json::array();
    for (const auto& row : rows)
        devices.push_back(device_json(row));
    co_return Response::json({{"devices", devices}});
}

// GET /_matrix/client/v3/devices/{deviceId}
awaitable<Response> get_device(Context& ctx)
{
    auto row = co_await ctx.services.devices.get(ctx.identity().user_id, ctx.param("deviceId"));
    if (!row)
        throw errors::not_found("Device not found");
    co_return Response::json(device_json(*row));
}

// PUT /_matrix/client/v3/devices/{deviceId}
awaitable<Response> put_device(Context& ctx)
{
    const json body = ctx.json_body(/*empty_is_object=*/true);
    auto name = mj::optional_string(body, "display_name");
    co_await ctx.services.devices.rename(ctx.identity().user_id, ctx.param("deviceId"),
                                         std::move(name));
    co_return Response::json(json::object());
}

// DELETE /_matrix/client/v3/devices/{deviceId}
awaitable<Response> delete_device(Context& ctx)
{
    const json body = ctx.json_body(/*empty_is_object=*/true);
    const auto& who = ctx.identity();
    auto row = co_await ctx.services.devices.get(who.user_id, ctx.param("deviceId"));
    if (!row)
        throw errors::not_found("Device not found");
    co_await ctx.services.uia.require(who, mj::optional_object(body, "auth"));
    // (GCC 12 miscompiles a braced list as a coroutine call's argument.)
    std::vector<std::string> ids(1, ctx.param("deviceId"));
    co_await ctx.services.devices.remove(who.user_id, std::move(ids));
    co_return Response::json(json::object());
}

// POST /_matrix/client/v3/delete_devices
awaitable<Response> post_delete_devices(Context& ctx)
{
    const json body = ctx.json_body();
    const json* ids = mj::optional_array(body, "devices");
    if (!ids)
        throw errors::missing_param("Missing parameter: 'devices'");
    std::vector<std::string> device_ids;
    for (const auto& id : *ids) {
        if (!id.is_string())
            throw errors::bad_json("'devices' must be an array of strings");
        device_ids.push_back(id.get<std::string>());
    }
    co_await ctx.services.uia.require(ctx.identity(), mj::optional_object(body, "auth"));
    co_await ctx.services.devices.remove(ctx.identity().user_id, std::move(device_ids));
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
