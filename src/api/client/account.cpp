#include "api/client/handlers.hpp"

#include "ravenous/auth/accounts.hpp"
#include "ravenous/auth/uia.hpp"
#include "ravenous/matrix/json.hpp"

namespace ravenous::api::client {

namespace mj = matrix::json;
using nlohmann::json;

// GET /_matrix/client/v3/account/whoami
awaitable<Response> get_whoami(Context& ctx)
{
    const auto& who = ctx.identity();
    json body = {{"user_id", who.user_id}, {"is_guest", false}};
    if (who.device_id)
        body["device_id"] = *who.device_id;
    co_return Response::json(body);
}

// POST /_matrix/client/v3/account/password
awaitable<Response> post_password(Context& ctx)
{
    const json body = ctx.json_body();
    // Validate the request's shape before asking for authentication.
    const std::string& new_password = mj::require_string(body, "new_password");
    const bool logout_devices = mj::optional_bool(body, "logout_devices").value_or(true);
    co_await ctx.services.uia.require(ctx.identity(), mj::optional_object(body, "auth"));
    co_await ctx.services.accounts.change_password(ctx.identity(), new_password, logout_devices);
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
