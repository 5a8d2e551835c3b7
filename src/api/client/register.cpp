#include "api/client/handlers.hpp"

#include "ravenous/auth/accounts.hpp"
#include "ravenous/config/config.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using nlohmann::json;

// POST /_matrix/client/v3/register
// Only appservices register users, inside their namespace; the owner comes from the config.
awaitable<Response> post_register(Context& ctx)
{
    const json body = ctx.json_body(/*empty_is_object=*/true);
    const auto type = mj::optional_string(body, "type");
    // The spec puts `kind` in the query (mautrix-python sends ?kind=user); the body is read too,
    // as before.
    const auto query_kind = ctx.request.query_param("kind");
    const std::string kind = query_kind ? std::string(*query_kind)
                                        : mj::optional_string(body, "kind").value_or("user");
    if (kind == "guest")
        throw errors::forbidden("Guest access is disabled");
    if (kind != "user")  // Synapse's answer to an unknown kind
        throw matrix::MatrixError(400, matrix::ErrCode::M_UNRECOGNIZED,
                                  "Do not understand membership kind: " + kind);
    if (type != "m.login.application_service")
        throw errors::forbidden("Registration has been disabled. Only appservices may register.");
    // Without a token this is an ordinary registration, and that is disabled (as Synapse
    // answers); a wrong token is M_UNKNOWN_TOKEN, which bridges treat as fatal at start-up.
    if (!ctx.has_token())
        throw errors::forbidden("Registration has been disabled. Only appservices may register.");
    const auth::Identity* caller = co_await ctx.authenticate();
    if (!caller->appservice)
        throw errors::unknown_token("Registration needs an appservice token");

    const std::string& username = mj::require_string(body, "username");
    const bool inhibit_login = mj::optional_bool(body, "inhibit_login").value_or(false);
    auth::NewDevice device{mj::optional_string(body, "device_id"),
                           mj::optional_string(body, "initial_device_display_name"),
                           ctx.request.remote_address};
    auto result = co_await ctx.services.accounts.register_appservice_user(*caller, username,
                                                                          inhibit_login, device);
    json out = {{"user_id", result.user_id}, {"home_server", ctx.services.config.server_name}};
    if (result.session) {
        out["access_token"] = result.session->access_token;
        out["device_id"] = result.session->device_id;
    }
    co_return Response::json(out);
}

// GET /_matrix/client/v3/register/available
awaitable<Response> get_register_available(Context& ctx)
{
    // Nobody registers here but appservices, as Synapse answers with registration disabled.
    throw errors::forbidden("Registration has been disabled. Only appservices may register.");
}

} // namespace ravenous::api::client
