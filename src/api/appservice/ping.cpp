#include "api/appservice/ping.hpp"

#include "ravenous/appservice/ping.hpp"
#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/registration.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

#include <boost/asio/this_coro.hpp>
#include <nlohmann/json.hpp>

namespace ravenous::api::appservice {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using boost::asio::awaitable;
using http::Response;

// POST /_matrix/client/v1/appservice/{appserviceId}/ping
awaitable<Response> post_appservice_ping(Context& ctx)
{
    const auth::Identity& caller = ctx.identity();
    if (!caller.appservice)
        throw errors::forbidden("Only application services can use the appservice ping");
    if (caller.appservice->id != ctx.param("appserviceId"))
        throw errors::forbidden("Provided access token is not the appservice's as_token");
    const nlohmann::json body = ctx.json_body();
    auto transaction_id = mj::optional_string(body, "transaction_id");

    auto executor = co_await boost::asio::this_coro::executor;
    const auto duration = co_await ::ravenous::appservice::ping(
        executor, caller.appservice, std::move(transaction_id));
    // It answered: a consumer backing off after failed transactions may try again now.
    ctx.services.pusher.poke(caller.appservice->id);
    co_return Response::json({{"duration_ms", duration.count()}});
}

} // namespace ravenous::api::appservice
