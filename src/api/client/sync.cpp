// GET /sync.

#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/sync/sync_service.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace ravenous::api::client {

namespace errors = matrix::errors;

awaitable<Response> get_sync(Context& ctx)
{
    sync::SyncRequest request;
    const auto& query = ctx.request;
    if (auto since = query.query_param("since"))
        request.since = std::string(*since);
    if (auto filter = query.query_param("filter")) {
        std::string text(*filter);
        // A client that percent-encodes the filter twice works in Synapse, so here too.
        if (text.starts_with('%'))
            if (auto decoded = http::percent_decode(text))
                text = *decoded;
        request.filter = std::move(text);
    }
    if (auto full_state = query.query_param("full_state")) {
        if (*full_state == "true")
            request.full_state = true;
        else if (*full_state != "false")
            throw errors::invalid_param(
                "Query parameter 'full_state' must be one of ['true', 'false']");
    }
    if (auto presence = query.query_param("set_presence"))
        request.set_presence = std::string(*presence);
    if (auto timeout = query.query_param("timeout")) {
        std::int64_t ms = 0;
        auto [end, ec] = std::from_chars(timeout->data(), timeout->data() + timeout->size(), ms);
        if (timeout->empty() || ec != std::errc() || end != timeout->data() + timeout->size() ||
            ms < 0)
            throw errors::invalid_param("Query parameter 'timeout' must be a non-negative integer");
        request.timeout = std::chrono::milliseconds(ms);
    }
    co_return Response::json(co_await ctx.services.sync.sync(ctx.identity(), std::move(request)));
}

} // namespace ravenous::api::client
