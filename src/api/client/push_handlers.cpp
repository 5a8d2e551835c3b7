#include "api/client/push_handlers.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/push/push_rules.hpp"
#include "ravenous/push/ruleset.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace ravenous::api::client {

namespace errors = matrix::errors;
using nlohmann::json;

namespace {

// {kind} of the path: one of the five kinds (Synapse: 400 M_UNRECOGNIZED otherwise).
std::string kind_param(Context& ctx)
{
    const std::string& kind = ctx.param("kind");
    if (!push::is_rule_kind(kind))
        throw matrix::MatrixError(400, matrix::ErrCode::M_UNRECOGNIZED, "Unknown push rule kind");
    return kind;
}

std::optional<std::string> query(Context& ctx, std::string_view name)
{
    auto value = ctx.request.query_param(name);
    return value ? std::optional<std::string>(*value) : std::nullopt;
}

std::optional<std::int64_t> integer_query(Context& ctx, std::string_view name)
{
    auto value = ctx.request.query_param(name);
    if (!value)
        return std::nullopt;
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (ec != std::errc() || end != value->data() + value->size() || value->empty() || number < 0)
        throw errors::invalid_param("Query parameter '" + std::string(name) +
                                    "' must be a non-negative integer");
    return number;
}

} // namespace

// GET /_matrix/client/v3/pushrules/
awaitable<Response> get_push_rules(Context& ctx)
{
    auto rules = co_await ctx.services.push_rules.rules(ctx.identity().user_id);
    co_return Response::json(rules);
}

// GET /_matrix/client/v3/pushrules/global/
awaitable<Response> get_push_rules_global(Context& ctx)
{
    auto rules = co_await ctx.services.push_rules.rules(ctx.identity().user_id);
    co_return Response::json(rules.at("global"));
}

// GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
awaitable<Response> get_push_rule(Context& ctx)
{
    std::string kind = kind_param(ctx);
    auto rule = co_await ctx.services.push_rules.rule(ctx.identity().user_id, std::move(kind),
                                                      ctx.param("ruleId"));
    co_return Response::json(rule);
}

// PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
awaitable<Response> put_push_rule(Context& ctx)
{
    std::string kind = kind_param(ctx);
    json body = ctx.json_body();
    co_await ctx.services.push_rules.put_rule(ctx.identity().user_id, std::move(kind),
                                              ctx.param("ruleId"), std::move(body),
                                              query(ctx, "before"), query(ctx, "after"));
    co_return Response::json(json::object());
}

// DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
awaitable<Response> delete_push_rule(Context& ctx)
{
    std::string kind = kind_param(ctx);
    co_await ctx.services.push_rules.delete_rule(ctx.identity().user_id, std::move(kind),
                                                 ctx.param("ruleId"));
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled
awaitable<Response> get_push_rule_enabled(Context& ctx)
{
    std::string kind = kind_param(ctx);
    auto rule = co_await ctx.services.push_rules.rule(ctx.identity().user_id, std::move(kind),
                                                      ctx.param("ruleId"));
    json out = json::object();
    out["enabled"] = rule.value("enabled", true);
    co_return Response::json(out);
}

// PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled
awaitable<Response> put_push_rule_enabled(Context& ctx)
{
    std::string kind = kind_param(ctx);
    const json body = ctx.json_body();
    const auto enabled = body.find("enabled");
    if (enabled == body.end())
        throw errors::missing_param("Missing parameter: 'enabled'");
    if (!enabled->is_boolean())
        throw errors::bad_json("'enabled' must be a boolean");
    const bool value = enabled->get<bool>();
    co_await ctx.services.push_rules.set_enabled(ctx.identity().user_id, std::move(kind),
                                                 ctx.param("ruleId"), value);
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions
awaitable<Response> get_push_rule_actions(Context& ctx)
{
    std::string kind = kind_param(ctx);
    auto rule = co_await ctx.services.push_rules.rule(ctx.identity().user_id, std::move(kind),
                                                      ctx.param("ruleId"));
    json out = json::object();
    out["actions"] = rule.value("actions", json::array());
    co_return Response::json(out);
}

// PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions
awaitable<Response> put_push_rule_actions(Context& ctx)
{
    std::string kind = kind_param(ctx);
    json body = ctx.json_body();
    if (!body.contains("actions"))
        throw errors::missing_param("Missing parameter: 'actions'");
    json actions = std::move(body.at("actions"));
    co_await ctx.services.push_rules.set_actions(ctx.identity().user_id, std::move(kind),
                                                 ctx.param("ruleId"), std::move(actions));
    co_return Response::json(json::object());
}

// GET /_matrix/client/v3/notifications
awaitable<Response> get_notifications(Context& ctx)
{
    const auto from = integer_query(ctx, "from");
    const int limit = static_cast<int>(
        std::clamp<std::int64_t>(integer_query(ctx, "limit").value_or(20), 1, 100));
    const bool only_highlight = query(ctx, "only").value_or("") == "highlight";
    auto out = co_await ctx.services.push_rules.notifications(ctx.identity().user_id, from, limit,
                                                              only_highlight);
    co_return Response::json(out);
}

// GET /_matrix/client/v3/pushers
awaitable<Response> get_pushers(Context& ctx)
{
    auto out = co_await ctx.services.push_rules.pushers(ctx.identity().user_id);
    co_return Response::json(out);
}

// POST /_matrix/client/v3/pushers/set
awaitable<Response> post_pushers_set(Context& ctx)
{
    json body = ctx.json_body();
    const auth::Identity& who = ctx.identity();
    co_await ctx.services.push_rules.set_pusher(who.user_id, who.device_id.value_or(""),
                                                std::move(body));
    co_return Response::json(json::object());
}

} // namespace ravenous::api::client
