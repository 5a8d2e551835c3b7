#include "api/appservice/bridge_manager.hpp"

#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/runtime_registrations.hpp"
#include "ravenous/appservice/websocket_hub.hpp"
#include "ravenous/auth/authenticator.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/matrix/json.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::appservice {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using boost::asio::awaitable;
using http::Response;
using nlohmann::json;
namespace registrations = ::ravenous::appservice;

namespace {

// Only the owner, with their own token, manages bridges: not another user, and not a bridge
// (not even one double-puppeting the owner). Returns the bridge name from the path.
const std::string& authorised_bridge(Context& ctx)
{
    const auth::Identity& who = ctx.identity();
    if (!who.is_owner || who.is_appservice())
        throw errors::forbidden("Only the owner, with their own access token, manages bridges");
    const std::string& username = ctx.param("username");
    const auto owner = matrix::parse_user_id(ctx.services.authenticator.owner_user_id());
    // The owner's localpart is accepted as it is, even outside the bridge-name grammar.
    if (!owner || username != owner->localpart) {
        if (!registrations::is_valid_bridge_name(username))
            throw errors::invalid_param("{username} must match ^[a-z0-9=.-]{1,32}$");
        throw errors::forbidden("Bridges of '" + username + "' are not yours to manage");
    }
    const std::string& bridge = ctx.param("bridge");
    if (!registrations::is_valid_bridge_name(bridge))
        throw errors::invalid_param("{bridge} must match ^[a-z0-9=.-]{1,32}$");
    return bridge;
}

std::shared_ptr<const registrations::Registration> find(Context& ctx,
                                                                 const std::string& bridge)
{
    auto registration = ctx.services.appservice_registrations.find_bridge(bridge);
    if (!registration)
        throw errors::not_found("No appservice for the bridge '" + bridge + "'");
    return registration;
}

} // namespace

// PUT /_matrix/asmux/mxauth/appservice/{username}/{bridge}
awaitable<Response> put_bridge_appservice(Context& ctx)
{
    const std::string& bridge = authorised_bridge(ctx);
    const json body = ctx.json_body();
    registrations::BridgeRequest request;
    request.username = ctx.param("username");
    request.bridge = bridge;
    request.address = mj::optional_string(body, "address");
    request.push = mj::optional_bool(body, "push").value_or(false);
    request.self_hosted = mj::optional_bool(body, "self_hosted").value_or(false);
    auto stored = co_await ctx.services.appservice_registrations.put_bridge(std::move(request));
    co_return Response::json(registrations::to_json(*stored.registration),
                             stored.created ? 201 : 200);
}

// GET /_matrix/asmux/mxauth/appservice/{username}/{bridge}
awaitable<Response> get_bridge_appservice(Context& ctx)
{
    const std::string& bridge = authorised_bridge(ctx);
    co_return Response::json(registrations::to_json(*find(ctx, bridge)));
}

// POST /_matrix/asmux/mxauth/appservice/{username}/{bridge}/exec/{command}
// The answer's data with 200; errors as the operator's proxy has them (503, 504, 502).
awaitable<Response> post_bridge_exec(Context& ctx)
{
    const std::string& bridge = authorised_bridge(ctx);
    const std::string& command = ctx.param("command");
    if (!registrations::is_bridge_command(command))
        throw errors::invalid_param("'" + command + "' is not a command a bridge is sent");
    auto registration = find(ctx, bridge);
    // As the operator's proxy answers it: a bridge pushed to over HTTP has no connection here.
    if (!registration->delivers_over_websocket())
        throw errors::invalid_param("Bridge '" + bridge +
                                    "' is reached over HTTP at its address, not over a WebSocket");
    json body = ctx.json_body(true);
    json answer = co_await ctx.services.pusher.websockets()->request(registration->id, command,
                                                                     std::move(body));
    co_return Response::json(answer);
}

// DELETE /_matrix/asmux/mxauth/appservice/{username}/{bridge}
// 204 as mautrix-asmux answered; bbctl accepts any 2xx.
awaitable<Response> delete_bridge_appservice(Context& ctx)
{
    const std::string bridge = authorised_bridge(ctx);
    co_await ctx.services.appservice_registrations.remove(find(ctx, bridge)->id);
    co_return Response::empty(204);
}

} // namespace ravenous::api::appservice
