#include "api/client/room_params.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/matrix/json.hpp"

#include <charconv>

namespace ravenous::api::client {

const std::string& room_param(Context& ctx)
{
    const std::string& room_id = ctx.param("roomId");
    if (!matrix::is_valid_room_id(room_id))
        throw matrix::errors::invalid_param("Invalid room id: " + room_id);
    return room_id;
}

std::optional<std::int64_t> massaged_ts(Context& ctx)
{
    auto ts = ctx.request.query_param("ts");
    if (!ts || !ctx.identity().is_appservice())
        return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(ts->data(), ts->data() + ts->size(), value);
    if (ec != std::errc() || end != ts->data() + ts->size() || value < 0)
        throw matrix::errors::invalid_param("'ts' must be a timestamp in milliseconds");
    return value;
}

std::optional<std::string> reason(const nlohmann::json& body)
{
    return matrix::json::optional_string(body, "reason");
}

} // namespace ravenous::api::client
