#include "api/client/handlers.hpp"

#include "ravenous/auth/authenticator.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/room_service.hpp"
#include "api/client/room_params.hpp"

#include <algorithm>

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

// Whom the caller may join to the room it creates (com.beeper.initial_members, auto-joined
// invitees): itself; and for an appservice, the owner (whom every bridge serves; Hungryserv
// joins them the same way) and its own users, by identity assertion's rules. Throws 403
// M_FORBIDDEN / 400 M_INVALID_PARAM.
void check_may_join(Context& ctx, const std::string& user)
{
    const auth::Identity& caller = ctx.identity();
    if (user == caller.user_id)
        return;
    if (!caller.appservice)
        throw errors::forbidden("Only an application service may join other users to the rooms "
                                "it creates");
    if (user == ctx.services.authenticator.owner_user_id())
        return;
    ctx.services.authenticator.check_appservice_user(*caller.appservice, user);
}

bool may_join(Context& ctx, const std::string& user)
{
    try {
        check_may_join(ctx, user);
        return true;
    } catch (const matrix::MatrixError&) {
        return false;
    }
}

// What mautrix bridges add on Beeper (com.beeper.bridge_name and com.beeper.bridge_account_id
// are accepted and ignored).
void beeper_fields(Context& ctx, const json& body, rooms::CreateRoomRequest& request)
{
    for (auto& user : string_list(body, "com.beeper.initial_members")) {
        if (std::find(request.initial_members.begin(), request.initial_members.end(), user) !=
            request.initial_members.end())
            continue;
        check_may_join(ctx, user);
        request.initial_members.push_back(std::move(user));
    }
    // Invitees the caller could have listed in initial_members are joined; others stay invited.
    if (mj::optional_bool(body, "com.beeper.auto_join_invites").value_or(false))
        for (const auto& invitee : request.invite)
            if (may_join(ctx, invitee))
                request.auto_join.push_back(invitee);
    auto local_id = mj::optional_string(body, "com.beeper.local_room_id");
    auto mau_id = mj::optional_string(body, "fi.mau.room_id");
    if (local_id && mau_id && *local_id != *mau_id)
        throw errors::invalid_param("'com.beeper.local_room_id' and 'fi.mau.room_id' differ");
    request.room_id = local_id ? local_id : mau_id;
    // The creation's timestamp, as ?ts= gives it (appservices only).
    if (auto ts = mj::optional_int(body, "fi.mau.origin_server_ts");
        ts && ctx.identity().is_appservice()) {
        if (*ts < 0)
            throw errors::invalid_param("'fi.mau.origin_server_ts' must be a timestamp");
        request.ts = *ts;
    }
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
    beeper_fields(ctx, body, request);
    auto room_id = co_await ctx.services.rooms.create_room(ctx.identity(), std::move(request));
    co_return Response::json({{"room_id", room_id}});
}

} // namespace ravenous::api::client
