#pragma once

#include "ravenous/api/services.hpp"
#include "ravenous/auth/identity.hpp"
#include "ravenous/http/request.hpp"
#include "ravenous/http/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace ravenous::http {
class Router;
}

namespace ravenous::api {

// How a route authenticates before its handler runs.
enum class Auth
{
    none,          // public, or the handler calls Context::authenticate itself
    access_token,  // user or appservice token; the handler gets an Identity
    admin_token,   // the operator's admin_token
};

// What a handler gets: the request, the services, and (per the route's Auth) who calls.
class Context
{
public:
    Context(http::Request& request, Services& services) : request(request), services(services) {}

    http::Request& request;
    Services& services;

    // The caller; only valid on routes with Auth::access_token or after authenticate().
    const auth::Identity& identity() const;
    // Authenticates now (for routes whose auth depends on the body, e.g. login and register).
    // Throws M_MISSING_TOKEN / M_UNKNOWN_TOKEN / M_FORBIDDEN.
    boost::asio::awaitable<const auth::Identity*> authenticate();
    // True if the request carries any access token.
    bool has_token() const;

    // The body as a JSON object (M_NOT_JSON / M_BAD_JSON); an empty body counts as {} only
    // when allowed.
    nlohmann::json json_body(bool empty_is_object = false) const;
    // A path parameter (percent-decoded by the router).
    const std::string& param(std::string_view name) const { return request.path_param(name); }

private:
    std::optional<auth::Identity> identity_;
};

using HandlerFn = boost::asio::awaitable<http::Response> (*)(Context&);

// One line of a route table.
struct Endpoint
{
    http::Method method;
    std::string_view path;
    Auth auth;
    std::size_t max_body;
    HandlerFn handler;
    bool legacy_r0 = true;  // also served under /_matrix/client/r0/
};

// Adds the endpoints to the router, each wrapped so that it authenticates per its Auth
// before calling the handler.
void add_routes(http::Router& router, std::span<const Endpoint> endpoints, Services& services);

} // namespace ravenous::api
