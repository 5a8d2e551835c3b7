#include "ravenous/api/routes.hpp"

#include "api/client/push_handlers.hpp"
#include "ravenous/http/limits.hpp"

namespace ravenous::api {

using namespace client;
using http::Method;

std::span<const Endpoint> push_routes()
{
    static constexpr std::size_t body = http::limits::default_body;
    static const Endpoint endpoints[] = {
        // clang-format off
        {Method::GET,    "/_matrix/client/v3/pushrules/",                                  Auth::access_token, body, &get_push_rules},
        {Method::GET,    "/_matrix/client/v3/pushrules",                                   Auth::access_token, body, &get_push_rules},
        {Method::GET,    "/_matrix/client/v3/pushrules/global/",                           Auth::access_token, body, &get_push_rules_global},
        {Method::GET,    "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}",            Auth::access_token, body, &get_push_rule},
        {Method::PUT,    "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}",            Auth::access_token, body, &put_push_rule},
        {Method::DELETE, "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}",            Auth::access_token, body, &delete_push_rule},
        {Method::GET,    "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled",    Auth::access_token, body, &get_push_rule_enabled},
        {Method::PUT,    "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled",    Auth::access_token, body, &put_push_rule_enabled},
        {Method::GET,    "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions",    Auth::access_token, body, &get_push_rule_actions},
        {Method::PUT,    "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions",    Auth::access_token, body, &put_push_rule_actions},
        {Method::GET,    "/_matrix/client/v3/notifications",                               Auth::access_token, body, &get_notifications},
        {Method::GET,    "/_matrix/client/v3/pushers",                                     Auth::access_token, body, &get_pushers},
        {Method::POST,   "/_matrix/client/v3/pushers/set",                                 Auth::access_token, body, &post_pushers_set},
        // clang-format on
    };
    return endpoints;
}

} // namespace ravenous::api
