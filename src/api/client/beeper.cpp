// Beeper's unstable client endpoints: the inbox state of a room and the server's clock.

#include "api/client/handlers.hpp"

#include "api/client/room_params.hpp"
#include "api/client/sync_handlers.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/sync/account_data.hpp"
#include "ravenous/sync/receipts.hpp"
#include "ravenous/util/time.hpp"

namespace ravenous::api::client {

namespace errors = matrix::errors;
namespace literals = matrix::literals;
namespace mj = matrix::json;
using nlohmann::json;

namespace {
// "done": {"at_delta": ms, "at_order": int}, both optional integers, kept as sent.
std::optional<json> done_body(const json& body)
{
    const json* done = mj::optional_object(body, "done");
    if (!done)
        return std::nullopt;
    json out = json::object();
    for (const char* key : {"at_delta", "at_order"})
        if (auto value = mj::optional_int(*done, key))
            out[key] = *value;
    return out;
}
} // namespace

// PUT /_matrix/client/unstable/com.beeper.inbox/user/{userId}/rooms/{roomId}/inbox_state
//
// read_markers does what POST /read_markers does (and answers its errors: 404 for an unknown
// room, 403 unless joined, whatever the rest of the body holds); marked_unread becomes the
// m.marked_unread room account data, and MSC2867's com.famedly.marked_unread that older
// clients read; done becomes com.beeper.inbox.done with the time it was set (updated_ts).
// Nothing is written unless the body is valid and the read markers were accepted.
awaitable<Response> put_inbox_state(Context& ctx)
{
    const std::string& user_id = ctx.identity().user_id;
    if (ctx.param("userId") != user_id)
        throw errors::forbidden("Cannot set the inbox state of another user");
    const auto& room_id = room_param(ctx);
    const json body = ctx.json_body(/*empty_is_object=*/true);
    const auto marked_unread = mj::optional_bool(body, "marked_unread");
    auto done = done_body(body);
    const json* markers = mj::optional_object(body, "read_markers");
    auto read_markers = markers ? read_markers_body(*markers) : sync::ReceiptService::Markers{};

    co_await ctx.services.receipts.set_read_markers(user_id, room_id, std::move(read_markers));
    auto& account_data = ctx.services.account_data;
    if (marked_unread) {
        const json unread = {{"unread", *marked_unread}};
        static constexpr std::string_view types[] = {literals::m_marked_unread,
                                                     literals::com_famedly_marked_unread};
        for (const auto type : types)
            co_await account_data.put(user_id, user_id, room_id, std::string(type), unread);
    }
    if (done) {
        (*done)["updated_ts"] = util::now_ms();
        co_await account_data.put(user_id, user_id, room_id,
                                  std::string(literals::com_beeper_inbox_done), std::move(*done));
    }
    co_return Response::json(json::object());
}

// GET /_matrix/client/unstable/com.beeper.timesync
awaitable<Response> get_timesync(Context&)
{
    co_return Response::json({{"time_ms", util::now_ms()}});
}

} // namespace ravenous::api::client
