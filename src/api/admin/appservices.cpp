#include "api/admin/appservices.hpp"

#include "api/admin/websocket_bridges.hpp"
#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/appservice/runtime_registrations.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ravenous::api::admin {

namespace errors = matrix::errors;
namespace registrations = ::ravenous::appservice;
using boost::asio::awaitable;
using http::Response;
using nlohmann::json;

namespace {

// Ids of run-time registrations appear in URLs (this API's, the ping endpoint's): keep them
// to characters that need no escaping.
bool is_valid_id(std::string_view id)
{
    return !id.empty() && id.size() <= 255 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '=' || c == '-';
    });
}

// The registration as bridges read it, plus where it comes from.
json entry(const registrations::Registration& registration)
{
    json out = registrations::to_json(registration);
    if (registration.from_file()) {
        out["source"] = "file";
        out["file"] = registration.source;
    } else if (const auto& bridge = registration.bridge_manager) {
        out["source"] = "bridge_manager";
        out["bridge_manager"] = registrations::to_json(*bridge);
    } else {
        out["source"] = "operator";
    }
    return out;
}

json delivery(const std::vector<registrations::DeliveryStatus>& statuses, std::string_view id)
{
    auto it = std::find_if(statuses.begin(), statuses.end(),
                           [&](const auto& status) { return status.appservice_id == id; });
    if (it == statuses.end())
        return nullptr;
    json out = {
        {"cursor", it->cursor},
        {"stream_head", it->stream_head},
        {"transactions_sent", it->transactions_sent},
        {"failures_in_a_row", it->failures_in_a_row},
        {"last_error", it->last_error ? json(*it->last_error) : json(nullptr)},
        {"transport", it->websocket ? "websocket" : "http"},
    };
    if (it->websocket)
        out["websocket"] = websocket_status_json(*it->websocket);
    return out;
}

bool is_json(const http::Request& request)
{
    auto type = request.header("content-type");
    return type && type->starts_with("application/json");
}

// JSON (strictly, by Content-Type) or YAML; problems name their keys.
std::shared_ptr<const registrations::Registration> parse_body(Context& ctx, const std::string& id)
{
    std::string text = ctx.request.body;
    if (is_json(ctx.request))
        text = matrix::json::parse_object(text).dump();  // M_NOT_JSON / M_BAD_JSON
    auto parsed = registrations::parse_registration_yaml(
        text, std::string(registrations::runtime_source), id);
    if (!parsed.registration) {
        std::string message;
        for (const auto& problem : parsed.problems)
            message += (message.empty() ? "" : "; ") + problem;
        auto error = parsed.syntax_error ? errors::not_json("Not a registration (YAML or JSON "
                                                            "mapping): " + message)
                                         : errors::bad_json("Invalid registration: " + message);
        throw error.with("problems", parsed.problems);
    }
    if (parsed.registration->id != id)
        throw errors::invalid_param("The registration's id '" + parsed.registration->id +
                                    "' differs from the path's '" + id + "'");
    return parsed.registration;
}

} // namespace

// GET /_ravenous/admin/v1/appservices
awaitable<Response> get_appservices(Context& ctx)
{
    auto list = json::array();
    for (const auto& registration : *ctx.services.appservices.snapshot())
        list.push_back(entry(*registration));
    co_return Response::json({{"appservices", std::move(list)}});
}

// GET /_ravenous/admin/v1/appservices/{id}
awaitable<Response> get_appservice(Context& ctx)
{
    const std::string& id = ctx.param("id");
    auto registration = ctx.services.appservices.find_by_id(id);
    if (!registration)
        throw errors::not_found("No appservice '" + id + "'");
    json out = entry(*registration);
    out["delivery"] = delivery(ctx.services.pusher.status(), id);
    co_return Response::json(out);
}

// PUT /_ravenous/admin/v1/appservices/{id}
awaitable<Response> put_appservice(Context& ctx)
{
    const std::string& id = ctx.param("id");
    if (!is_valid_id(id))
        throw errors::invalid_param("An appservice id is 1 to 255 of [A-Za-z0-9._=-]");
    auto registration = parse_body(ctx, id);
    auto stored = co_await ctx.services.appservice_registrations.put(std::move(registration));
    co_return Response::json(entry(*stored.registration), stored.created ? 201 : 200);
}

// DELETE /_ravenous/admin/v1/appservices/{id}
awaitable<Response> delete_appservice(Context& ctx)
{
    co_await ctx.services.appservice_registrations.remove(ctx.param("id"));
    co_return Response::json(json::object());
}

} // namespace ravenous::api::admin
