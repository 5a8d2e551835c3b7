#include "api/client/handlers.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/room_service.hpp"
#include "api/client/room_params.hpp"

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using nlohmann::json;

namespace {

std::vector<std::string> string_list(const json& body, std::string_view field)
{
    std::vector<std::string> out;
    if (const json* list = mj::optional_array(body, field)) {
        for (const auto& item : *list) {
            if (!item.is_string())
                throw errors::bad_json("'" + std::string(field) + "' must be a list of strings");
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

std::vector<rooms::StateEventSpec> initial_state(const json& body)
{
    std::vector<rooms::StateEventSpec> out;
    if (const json* list = mj::optional_array(body, "initial_state")) {
        for (const auto& item : *list) {
            if (!item.is_object())
                throw errors::bad_json("'initial_state' must be a list of objects");
            out.push_back({mj::require_string(item, "type"),
                           mj::optional_string(item, "state_key").value_or(""),
                           mj::require_object(item, "content")});
        }
    }
    return out;
}

std::optional<json> optional_object_copy(const json& body, std::string_view field)
{
    const json* value = mj::optional_object(body, field);
    return value ? std::optional<json>(*value) : std::nullopt;
}

} // namespace

// POST /_matrix/client/v3/createRoom
awaitable<Response> post_create_room(Context& ctx)
{
    const json body = ctx.json_body(/*empty_is_object=*/true);
    rooms::CreateRoomRequest request;
    request.preset = mj::optional_string(body, "preset");
    request.visibility = mj::optional_string(body, "visibility");
    if (request.visibility && *request.visibility != "public" && *request.visibility != "private")
        throw errors::bad_json("'visibility' must be 'public' or 'private'");
    request.name = mj::optional_string(body, "name");
    request.topic = mj::optional_string(body, "topic");
    request.invite = string_list(body, "invite");
    request.is_direct = mj::optional_bool(body, "is_direct").value_or(false);
    request.initial_state = initial_state(body);
    request.power_level_content_override = optional_object_copy(body, "power_level_content_override");
    request.creation_content = optional_object_copy(body, "creation_content");
    request.room_version = mj::optional_string(body, "room_version");
    request.room_alias_name = mj::optional_string(body, "room_alias_name");
    request.ts = massaged_ts(ctx);
    auto room_id = co_await ctx.services.rooms.create_room(ctx.identity(), std::move(request));
    co_return Response::json({{"room_id", room_id}});
}

} // namespace ravenous::api::client
