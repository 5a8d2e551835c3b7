#include "ravenous/api/dispatch.hpp"

#include "ravenous/auth/authenticator.hpp"
#include "ravenous/config/config.hpp"
#include "ravenous/http/router.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/util/encoding.hpp"

#include <cctype>

namespace ravenous::api {

namespace errors = matrix::errors;

namespace {
// The token from "Authorization: Bearer <token>" or the legacy ?access_token=.
std::optional<std::string> access_token(const http::Request& request)
{
    if (auto header = request.header("authorization")) {
        constexpr std::string_view scheme = "bearer ";
        if (header->size() <= scheme.size())
            throw errors::missing_token("Invalid Authorization header.");
        for (std::size_t i = 0; i < scheme.size(); ++i)
            if (std::tolower(static_cast<unsigned char>((*header)[i])) != scheme[i])
                throw errors::missing_token("Invalid Authorization header.");
        return std::string(header->substr(scheme.size()));
    }
    if (auto param = request.query_param("access_token"))
        return std::string(*param);
    return std::nullopt;
}

void check_admin_token(const http::Request& request, const config::Config& config)
{
    if (config.admin_token.empty())
        throw errors::unrecognized("The operator API is disabled (no admin_token configured)");
    auto token = access_token(request);
    if (!token)
        throw errors::missing_token();
    if (!util::secrets_equal(*token, config.admin_token))
        throw errors::unknown_token();
}
} // namespace

const auth::Identity& Context::identity() const
{
    if (!identity_)
        throw std::logic_error("handler asked for an identity on a route without auth");
    return *identity_;
}

bool Context::has_token() const
{
    return access_token(request).has_value();
}

boost::asio::awaitable<const auth::Identity*> Context::authenticate()
{
    if (!identity_) {
        auth::Credentials credentials;
        credentials.access_token = access_token(request).value_or("");
        if (auto user = request.query_param("user_id"))
            credentials.asserted_user_id = std::string(*user);
        if (auto device = request.query_param("org.matrix.msc3202.device_id"))
            credentials.asserted_device_id = std::string(*device);
        else if (auto device = request.query_param("device_id"))
            credentials.asserted_device_id = std::string(*device);
        identity_ = co_await services.authenticator.authenticate(std::move(credentials));
    }
    co_return &*identity_;
}

nlohmann::json Context::json_body(bool empty_is_object) const
{
    return matrix::json::parse_object(request.body, empty_is_object);
}

void add_routes(http::Router& router, std::span<const Endpoint> endpoints, Services& services)
{
    for (const Endpoint& endpoint : endpoints) {
        // A capturing coroutine lambda is safe here: the router keeps this closure alive for
        // the server's lifetime, longer than any request.
        auto handler = [&services, fn = endpoint.handler,
                        auth = endpoint.auth](http::Request& request)
            -> boost::asio::awaitable<http::Response> {
            Context context(request, services);
            if (auth == Auth::access_token)
                co_await context.authenticate();
            else if (auth == Auth::admin_token)
                check_admin_token(request, services.config);
            co_return co_await fn(context);
        };
        router.add({endpoint.method, std::string(endpoint.path), endpoint.max_body,
                    std::move(handler), endpoint.legacy_r0});
    }
}

} // namespace ravenous::api
