#include "api/client/handlers.hpp"
#include "api/client/room_params.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/rooms/event_filter.hpp"
#include "ravenous/rooms/timeline.hpp"

#include <charconv>

namespace ravenous::api::client {

namespace errors = matrix::errors;
using nlohmann::json;
using storage::Direction;

namespace {

std::optional<std::string> text_param(Context& ctx, std::string_view name)
{
    auto value = ctx.request.query_param(name);
    return value ? std::optional<std::string>(*value) : std::nullopt;
}

std::optional<std::string> path_param(Context& ctx, std::string_view name)
{
    for (const auto& [key, value] : ctx.request.path_params)
        if (key == name)
            return value;
    return std::nullopt;
}

// A non-negative integer query parameter (Synapse's parse_integer): 400 M_INVALID_PARAM if it
// is not one or below `min`.
std::optional<std::int64_t> integer_param(Context& ctx, std::string_view name, std::int64_t min = 0)
{
    auto value = ctx.request.query_param(name);
    if (!value)
        return std::nullopt;
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (ec != std::errc() || end != value->data() + value->size() || value->empty())
        throw errors::invalid_param("Query parameter '" + std::string(name) +
                                    "' must be an integer");
    if (number < min)
        throw errors::invalid_param("Query parameter '" + std::string(name) + "' must be " +
                                    (min == 0 ? "a non-negative" : "a positive") + " integer");
    return number;
}

// ?limit= with a default, clamped to the largest page (Synapse: MAX_LIMIT).
int limit_param(Context& ctx, int fallback, std::int64_t min)
{
    auto limit = integer_param(ctx, "limit", min);
    return int(std::min<std::int64_t>(limit.value_or(fallback), rooms::max_history_limit));
}

// ?dir=b|f; `fallback` when absent (nullopt: the parameter is required).
Direction dir_param(Context& ctx, std::optional<Direction> fallback)
{
    auto value = ctx.request.query_param("dir");
    if (!value) {
        if (!fallback)
            throw errors::missing_param("Missing required query parameter 'dir'");
        return *fallback;
    }
    if (*value == "b")
        return Direction::backward;
    if (*value == "f")
        return Direction::forward;
    throw errors::invalid_param("Query parameter 'dir' must be one of ['b', 'f']");
}

// ?filter= as a JSON RoomEventFilter (an empty value counts as none, as in Synapse).
std::optional<rooms::RoomEventFilter> filter_param(Context& ctx)
{
    auto value = ctx.request.query_param("filter");
    if (!value || value->empty())
        return std::nullopt;
    // Synapse percent-decodes the filter once more: a client that encodes it twice works
    // there, so it works here ("%7B..." cannot be JSON anyway).
    if (value->starts_with('%'))
        if (auto decoded = http::percent_decode(*value))
            return rooms::RoomEventFilter::parse(*decoded);
    return rooms::RoomEventFilter::parse(*value);
}

std::optional<bool> bool_param(Context& ctx, std::string_view name)
{
    auto value = ctx.request.query_param(name);
    if (!value)
        return std::nullopt;
    if (*value == "true")
        return true;
    if (*value == "false")
        return false;
    throw errors::invalid_param("Query parameter '" + std::string(name) +
                                "' must be one of ['true', 'false']");
}

} // namespace

// GET /_matrix/client/v3/rooms/{roomId}/messages
awaitable<Response> get_messages(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    rooms::MessagesQuery query;
    query.from = text_param(ctx, "from");
    query.to = text_param(ctx, "to");
    // The spec says `dir` is required; Synapse defaults it to forward, and so do we so that
    // a client that leaves it out sees what it would see there.
    query.dir = dir_param(ctx, Direction::forward);
    auto filter = filter_param(ctx);
    if (filter)
        query.filter = std::move(*filter);
    // The query's limit wins; else the filter's; else 10.
    const int fallback =
        int(std::min<std::int64_t>(query.filter.limit.value_or(10), rooms::max_history_limit));
    query.limit = limit_param(ctx, fallback, 0);
    co_return Response::json(
        co_await ctx.services.timeline.messages(ctx.identity(), room_id, std::move(query)));
}

// GET /_matrix/client/v3/rooms/{roomId}/context/{eventId}
awaitable<Response> get_context(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const int limit = limit_param(ctx, 10, 0);
    auto filter = filter_param(ctx).value_or(rooms::RoomEventFilter{});
    co_return Response::json(co_await ctx.services.timeline.context(
        ctx.identity(), room_id, ctx.param("eventId"), limit, std::move(filter)));
}

// GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}
awaitable<Response> get_event(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    co_return Response::json(
        co_await ctx.services.timeline.event(ctx.identity(), room_id, ctx.param("eventId")));
}

// GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event
awaitable<Response> get_timestamp_to_event(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    auto ts = integer_param(ctx, "ts");
    if (!ts)
        throw errors::missing_param("Missing required query parameter 'ts'");
    const Direction dir = dir_param(ctx, std::nullopt);
    co_return Response::json(
        co_await ctx.services.timeline.timestamp_to_event(ctx.identity(), room_id, *ts, dir));
}

// GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]
awaitable<Response> get_relations(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    rooms::RelationsQuery query;
    query.rel_type = path_param(ctx, "relType");
    query.event_type = path_param(ctx, "eventType");
    query.from = text_param(ctx, "from");
    query.to = text_param(ctx, "to");
    query.dir = dir_param(ctx, Direction::backward);
    query.limit = limit_param(ctx, 5, 1);
    query.recurse = bool_param(ctx, "recurse");
    co_return Response::json(co_await ctx.services.timeline.relations(
        ctx.identity(), room_id, ctx.param("eventId"), std::move(query)));
}

// GET /_matrix/client/v1/rooms/{roomId}/threads
awaitable<Response> get_threads(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    bool participated = false;
    if (auto include = ctx.request.query_param("include")) {
        if (*include == "participated")
            participated = true;
        else if (*include != "all")
            throw errors::invalid_param("Query parameter 'include' must be one of ['all', "
                                        "'participated']");
    }
    const int limit = limit_param(ctx, 5, 1);
    co_return Response::json(co_await ctx.services.timeline.threads(
        ctx.identity(), room_id, participated, text_param(ctx, "from"), limit));
}

} // namespace ravenous::api::client
