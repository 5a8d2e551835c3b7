#include "api/client/handlers.hpp"

#include "ravenous/auth/accounts.hpp"
#include "ravenous/config/config.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using nlohmann::json;

namespace {
constexpr std::string_view password_login = "m.login.password";
constexpr std::string_view appservice_login = "m.login.application_service";

// The user a login names: identifier {type: m.id.user, user} or the legacy top-level "user".
std::string login_user(const json& body)
{
    if (const json* identifier = mj::optional_object(body, "identifier")) {
        const auto& type = mj::require_string(*identifier, "type");
        if (type != "m.id.user")
            throw errors::unknown("Unknown login identifier type");
        return mj::require_string(*identifier, "user");
    }
    if (auto user = mj::optional_string(body, "user"))
        return *user;
    throw errors::missing_param("Missing parameter: 'identifier'");
}

auth::NewDevice new_device(const Context& ctx, const json& body)
{
    return {mj::optional_string(body, "device_id"),
            mj::optional_string(body, "initial_device_display_name"),
            ctx.request.remote_address};
}

json session_json(const Context& ctx, const auth::Session& session)
{
    return {{"user_id", session.user_id},
            {"access_token", session.access_token},
            {"device_id", session.device_id},
            {"home_server", ctx.services.config.server_name}};
}
} // namespace

// GET /_matrix/client/v3/login
awaitable<Response> get_login_flows(Context& ctx)
{
    json flows = json::array();
    for (auto type : {password_login, appservice_login})
        flows.push_back({{"type", type}});
    co_return Response::json({{"flows", flows}});
}

// POST /_matrix/client/v3/login
awaitable<Response> post_login(Context& ctx)
{
    const json body = ctx.json_body();
    const std::string& type = mj::require_string(body, "type");
    auto& accounts = ctx.services.accounts;
    if (type == password_login) {
        auto user = login_user(body);
        auto password = mj::require_string(body, "password");
        auto session = co_await accounts.login_password(std::move(user), std::move(password),
                                                        new_device(ctx, body));
        co_return Response::json(session_json(ctx, session));
    }
    if (type == appservice_login) {
        auto user = login_user(body);
        if (!ctx.has_token())
            throw errors::missing_token();
        const auth::Identity* caller = co_await ctx.authenticate();
        auto session = co_await accounts.login_appservice(*caller, std::move(user),
                                                          new_device(ctx, body));
        co_return Response::json(session_json(ctx, session));
    }
    throw errors::unknown("Unknown login type " + type);
}

// POST /_matrix/client/v3/logout
awaitable<Response> post_logout(Context& ctx)
{
    co_await ctx.services.accounts.logout(ctx.identity());
    co_return Response::json(json::object());
}

// POST /_matrix/client/v3/logout/all
awaitable<Response> post_logout_all(Context& ctx)
{
    co_await ctx.services.accounts.logout_all(ctx.identity());
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
