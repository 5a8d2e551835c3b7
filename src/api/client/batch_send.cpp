// Batch send (bridges importing history): Beeper's com.beeper.backfill endpoint, and the MSC2716
// one that legacy Python bridges call. Both parse the events strictly, check every sender (and
// mark_read_by) against identity assertion's rules, and make one call to the backfill service.

#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "ravenous/appservice/registration.hpp"
#include "ravenous/auth/authenticator.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/backfill.hpp"
#include "ravenous/rooms/tokens.hpp"

#include <set>

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace mj = matrix::json;
using nlohmann::json;

namespace {

const std::string& required_string(const json& object, std::string_view field)
{
    const auto it = object.find(field);
    if (it == object.end() || !it->is_string())
        throw errors::bad_json("'" + std::string(field) + "' must be a string");
    return it->get_ref<const std::string&>();
}

rooms::BatchEvent parse_event(const json& value, const std::string& room_id, bool state)
{
    if (!value.is_object())
        throw errors::bad_json("must be an object");
    rooms::BatchEvent event;
    event.sender = required_string(value, "sender");
    if (!matrix::is_valid_user_id(event.sender))
        throw errors::invalid_param("invalid sender '" + event.sender + "'");
    event.type = required_string(value, "type");
    const auto content = value.find("content");
    if (content == value.end() || !content->is_object())
        throw errors::bad_json("'content' must be an object");
    event.content = *content;
    event.state_key = mj::optional_string(value, "state_key");
    if (state && !event.state_key)
        throw errors::bad_json("'state_key' must be a string");
    event.origin_server_ts = mj::optional_int(value, "origin_server_ts");
    if (event.origin_server_ts && *event.origin_server_ts < 0)
        throw errors::bad_json("'origin_server_ts' must be a timestamp");
    event.event_id = mj::optional_string(value, "event_id");
    if (event.event_id && !matrix::is_valid_event_id(*event.event_id))
        throw errors::invalid_param("invalid event_id '" + *event.event_id + "'");
    if (auto room = mj::optional_string(value, "room_id"); room && *room != room_id)
        throw errors::invalid_param("'room_id' is not the room of the request");
    return event;
}

// body[field]: an array of events (absent: none, when allowed); errors name the event.
std::vector<rooms::BatchEvent> parse_events(const json& body, std::string_view field,
                                            const std::string& room_id, bool required,
                                            bool state)
{
    const json* array = mj::optional_array(body, field);
    if (!array) {
        if (required)
            throw errors::bad_json("'" + std::string(field) + "' must be an array");
        return {};
    }
    std::vector<rooms::BatchEvent> events;
    events.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
        try {
            events.push_back(parse_event((*array)[i], room_id, state));
        } catch (const matrix::MatrixError& e) {
            throw matrix::MatrixError(e.status(), e.code(),
                                      std::string(field) + "[" + std::to_string(i) +
                                          "]: " + e.message());
        }
    }
    return events;
}

// Whom the caller may act as in a batch: with an appservice token, whom it could assert with
// ?user_id= (its sender, its puppets, created on first use as identity assertion does, and the
// owner if it may double-puppet them): the same check, made once per user of the batch;
// anyone else only themselves.
awaitable<void> check_acting_users(Context& ctx, const rooms::BatchSend& batch)
{
    std::set<std::string> users;
    for (const auto* list : {&batch.state_events_at_start, &batch.events})
        for (const auto& event : *list)
            users.insert(event.sender);
    if (batch.mark_read_by) {
        if (!matrix::is_valid_user_id(*batch.mark_read_by))
            throw errors::invalid_param("invalid mark_read_by '" + *batch.mark_read_by + "'");
        users.insert(*batch.mark_read_by);
    }
    const auth::Identity& caller = ctx.identity();
    for (const auto& user : users) {
        if (!caller.appservice) {
            if (user != caller.user_id)
                throw errors::forbidden("Without an application service token a batch can only "
                                        "hold your own events");
            continue;
        }
        auth::Credentials assertion;
        assertion.access_token = caller.appservice->as_token;
        assertion.asserted_user_id = user;
        co_await ctx.services.authenticator.authenticate(std::move(assertion));
    }
}

} // namespace

// POST /_matrix/client/unstable/com.beeper.backfill/rooms/{roomId}/batch_send
awaitable<Response> post_batch_send(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body();
    rooms::BatchSend batch;
    batch.events = parse_events(body, "events", room_id, /*required=*/true, /*state=*/false);
    if (mj::optional_bool(body, "forward").value_or(false))
        batch.direction = rooms::BatchDirection::forward;
    else if (mj::optional_bool(body, "forward_if_no_messages").value_or(false))
        batch.direction = rooms::BatchDirection::forward_if_no_messages;
    batch.send_notification = mj::optional_bool(body, "send_notification").value_or(false);
    batch.mark_read_by = mj::optional_string(body, "mark_read_by");
    co_await check_acting_users(ctx, batch);
    auto sent = co_await ctx.services.backfill.batch_send(ctx.identity(), room_id, std::move(batch));
    co_return Response::json({{"event_ids", std::move(sent.event_ids)}});
}

// POST /_matrix/client/unstable/org.matrix.msc2716/rooms/{roomId}/batch_send
//   ?prev_event_id=&batch_id=&com.beeper.new_messages=true&com.beeper.mark_read_by=@u
// prev_event_id and batch_id place nothing here: a backward batch always goes below the
// room's history so far (what the bridge means by passing the last next_batch_id back).
awaitable<Response> post_msc2716_batch_send(Context& ctx)
{
    const auto& room_id = room_param(ctx);
    if (auto prev = ctx.request.query_param("prev_event_id");
        prev && !matrix::is_valid_event_id(*prev))
        throw errors::invalid_param("Invalid prev_event_id");
    const json body = ctx.json_body();
    rooms::BatchSend batch;
    batch.state_events_at_start = parse_events(body, "state_events_at_start", room_id,
                                               /*required=*/false, /*state=*/true);
    batch.events = parse_events(body, "events", room_id, /*required=*/true, /*state=*/false);
    // New messages (a forward batch) notify as any send would.
    if (ctx.request.query_param("com.beeper.new_messages") == "true") {
        batch.direction = rooms::BatchDirection::forward;
        batch.send_notification = true;
    }
    if (auto reader = ctx.request.query_param("com.beeper.mark_read_by"))
        batch.mark_read_by = std::string(*reader);
    co_await check_acting_users(ctx, batch);
    auto sent = co_await ctx.services.backfill.batch_send(ctx.identity(), room_id, std::move(batch));
    // No insertion or batch events exist here: mautrix-python's response type requires their
    // ids, so they name the batch's first and last events.
    const std::string first = sent.event_ids.empty() ? std::string() : sent.event_ids.front();
    const std::string last = sent.event_ids.empty() ? std::string() : sent.event_ids.back();
    json out = {{"state_event_ids", std::move(sent.state_event_ids)},
                {"event_ids", std::move(sent.event_ids)},
                {"next_batch_id", rooms::tokens::topo(sent.start)},
                {"insertion_event_id", first},
                {"batch_event_id", last},
                {"base_insertion_event_id", first}};
    co_return Response::json(std::move(out));
}

} // namespace ravenous::api::client
