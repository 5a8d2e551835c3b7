#include "api/admin/websocket_bridges.hpp"

#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/appservice/websocket_hub.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ravenous::api::admin {

namespace errors = matrix::errors;
namespace mj = matrix::json;
namespace registrations = ::ravenous::appservice;
using boost::asio::awaitable;
using http::Response;
using nlohmann::json;

namespace {

bool is_method(std::string_view method)
{
    return !method.empty() && method.size() <= 16 &&
           std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// {"name": "value"} or {"name": ["value", ...]} as the bridge reads headers: lists.
json header_lists(const json& headers)
{
    json out = json::object();
    for (const auto& [name, value] : headers.items()) {
        if (value.is_string()) {
            out[name] = json::array({value});
            continue;
        }
        const bool strings =
            value.is_array() &&
            std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
        if (!strings)
            throw errors::bad_json("'headers." + name + "' must be a string or a list of strings");
        out[name] = value;
    }
    return out;
}

// The http_proxy command's data, as mautrix's WebsocketHTTPProxy reads it.
json proxy_request(const json& body)
{
    const std::string& method = mj::require_string(body, "method");
    if (!is_method(method))
        throw errors::invalid_param("'method' must be an HTTP method in capitals, as GET");
    const std::string& path = mj::require_string(body, "path");
    if (!path.starts_with('/'))
        throw errors::invalid_param("'path' must start with '/'");
    json data = {{"method", method},
                 {"path", path},
                 {"query", mj::optional_string(body, "query").value_or("")},
                 {"headers", json::object()}};
    if (const json* headers = mj::optional_object(body, "headers"))
        data["headers"] = header_lists(*headers);
    // Any JSON; the bridge gets it as the request's body.
    if (auto it = body.find("body"); it != body.end() && !it->is_null())
        data["body"] = *it;
    return data;
}

json state_json(const registrations::BridgeState& state)
{
    json out = state.json.empty() ? json::object() : json::parse(state.json, nullptr, false);
    if (!out.is_object())
        out = json::object();
    // What the bridge sent stays as sent; a state too large to keep has its main fields.
    if (state.json.empty()) {
        out["state_event"] = state.state_event;
        if (!state.remote_id.empty())
            out["remote_id"] = state.remote_id;
        out["error"] = state.error;
        out["message"] = state.message;
        out["timestamp"] = state.timestamp;
    }
    out["received_ms"] = state.received_ms;
    return out;
}

} // namespace

json websocket_status_json(const registrations::WebSocketStatus& status)
{
    json remotes = json::array();
    for (const auto& state : status.remotes)
        remotes.push_back(state_json(state));
    json last_checkpoint = status.last_checkpoint.empty()
                               ? json(nullptr)
                               : json::parse(status.last_checkpoint, nullptr, false);
    return {
        {"connected", status.connected},
        {"process_id", status.process_id},
        {"remote_address", status.remote_address},
        {"since_ms", status.since_ms},
        {"connections", status.connections},
        {"last_close",
         status.last_close_code
             ? json{{"code", *status.last_close_code}, {"status", status.last_close_status}}
             : json(nullptr)},
        {"bridge_state", status.bridge ? state_json(*status.bridge) : json(nullptr)},
        {"remote_states", std::move(remotes)},
        {"checkpoints",
         {{"received", status.checkpoints},
          {"by_step_and_status", status.checkpoint_counts},
          {"last", last_checkpoint.is_discarded() ? json(nullptr) : last_checkpoint}}},
    };
}

// POST /_ravenous/admin/v1/appservices/{id}/proxy
// {method, path, query?, headers?, body?} -> the bridge's {status, headers, body}, through its
// WebSocket (mautrix's http_proxy command), for the bridges the server cannot reach over HTTP.
awaitable<Response> post_appservice_proxy(Context& ctx)
{
    const std::string& id = ctx.param("id");
    auto registration = ctx.services.appservices.find_by_id(id);
    if (!registration)
        throw errors::not_found("No appservice '" + id + "'");
    if (!registration->delivers_over_websocket())
        throw errors::invalid_param("Appservice '" + id +
                                    "' is reached over HTTP at its url, not over a WebSocket");
    json data = proxy_request(ctx.json_body());
    json answer = co_await ctx.services.pusher.websockets()->request(id, "http_proxy",
                                                                     std::move(data));
    const bool has_status = answer.is_object() && answer.contains("status") &&
                            answer["status"].is_number_integer();
    if (!has_status)
        throw matrix::MatrixError(502, matrix::ErrCode::M_UNKNOWN,
                                  "The bridge's answer has no status");
    // Go encodes a nil header map as null: the operator always gets an object.
    json headers = answer.value("headers", json::object());
    json out = {{"status", answer["status"]},
                {"headers", headers.is_object() ? std::move(headers) : json::object()},
                {"body", answer.value("body", json(nullptr))}};
    co_return Response::json(out);
}

} // namespace ravenous::api::admin
