#include "api/client/handlers.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/profile/profile_service.hpp"
#include "ravenous/rooms/room_service.hpp"

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using nlohmann::json;

namespace {
const std::string& user_param(Context& ctx)
{
    const std::string& user_id = ctx.param("userId");
    if (!matrix::is_valid_user_id(user_id))
        throw errors::invalid_param("Invalid user id");
    return user_id;
}

awaitable<profile::Profile> existing_profile(Context& ctx)
{
    auto found = co_await ctx.services.profiles.get(user_param(ctx));
    if (!found)
        throw errors::not_found("Profile was not found");
    co_return *found;
}

json field_json(std::string_view name, const std::optional<std::string>& value)
{
    // Synapse leaves an unset field out rather than answering 404.
    json out = json::object();
    if (value)
        out[std::string(name)] = *value;
    return out;
}

// The new value of a profile field: a string, or null to clear it.
std::optional<std::string> field_value(const json& body, const char* name)
{
    if (!body.contains(name))
        throw errors::missing_param(std::string("Missing parameter: '") + name + "'");
    return mj::optional_string(body, name);
}
} // namespace

// GET /_matrix/client/v3/profile/{userId}
awaitable<Response> get_profile(Context& ctx)
{
    auto found = co_await existing_profile(ctx);
    co_return Response::json(found.to_json());
}

// GET /_matrix/client/v3/profile/{userId}/{keyName}
awaitable<Response> get_profile_field(Context& ctx)
{
    auto found = co_await existing_profile(ctx);
    const std::string& key = ctx.param("keyName");
    const json profile = found.to_json();
    // As MSC4133 answers a field that is not set.
    if (!profile.contains(key))
        throw errors::not_found("The profile has no field '" + key + "'");
    co_return Response::json({{key, profile.at(key)}});
}

// PATCH /_matrix/client/v3/profile/{userId} (Beeper's arbitrary profile meta)
awaitable<Response> patch_profile(Context& ctx)
{
    const auto& user_id = user_param(ctx);
    json body = ctx.json_body();
    const bool names_changed =
        co_await ctx.services.profiles.patch(ctx.identity(), user_id, std::move(body));
    if (names_changed)
        co_await ctx.services.rooms.propagate_profile(user_id);
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/profile/{userId}/displayname
awaitable<Response> get_displayname(Context& ctx)
{
    auto found = co_await existing_profile(ctx);
    co_return Response::json(field_json("displayname", found.displayname));
}

// GET /_matrix/client/v3/profile/{userId}/avatar_url
awaitable<Response> get_avatar_url(Context& ctx)
{
    auto found = co_await existing_profile(ctx);
    co_return Response::json(field_json("avatar_url", found.avatar_url));
}

// PUT /_matrix/client/v3/profile/{userId}/displayname
awaitable<Response> put_displayname(Context& ctx)
{
    const auto& user_id = user_param(ctx);
    const json body = ctx.json_body();
    auto value = field_value(body, "displayname");
    co_await ctx.services.profiles.set_displayname(ctx.identity(), user_id, std::move(value));
    co_await ctx.services.rooms.propagate_profile(user_id);
    co_return Response::json(json::object());
}

// PUT /_matrix/client/v3/profile/{userId}/avatar_url
awaitable<Response> put_avatar_url(Context& ctx)
{
    const auto& user_id = user_param(ctx);
    const json body = ctx.json_body();
    auto value = field_value(body, "avatar_url");
    co_await ctx.services.profiles.set_avatar_url(ctx.identity(), user_id, std::move(value));
    co_await ctx.services.rooms.propagate_profile(user_id);
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
