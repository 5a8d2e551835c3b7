#pragma once

// Handlers of push rules, notifications and pushers (push_handlers.cpp).
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::client {

using boost::asio::awaitable;
using http::Response;

awaitable<Response> get_push_rules(Context& ctx);
awaitable<Response> get_push_rules_global(Context& ctx);
awaitable<Response> get_push_rule(Context& ctx);
awaitable<Response> put_push_rule(Context& ctx);
awaitable<Response> delete_push_rule(Context& ctx);
awaitable<Response> get_push_rule_enabled(Context& ctx);
awaitable<Response> put_push_rule_enabled(Context& ctx);
awaitable<Response> get_push_rule_actions(Context& ctx);
awaitable<Response> put_push_rule_actions(Context& ctx);
awaitable<Response> get_notifications(Context& ctx);
awaitable<Response> get_pushers(Context& ctx);
awaitable<Response> post_pushers_set(Context& ctx);

} // namespace ravenous::api::client
