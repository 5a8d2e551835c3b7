// rooms.leave of /sync: rooms the user left, was kicked or banned from, with the timeline up
// to that moment, and rooms deleted while the user was in them.

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "sync/rooms_providers.hpp"
#include "sync/sections.hpp"

namespace ravenous::sync {

using nlohmann::json;

namespace {
// A deleted room (storage/room_deletion.hpp): nothing of it is left to show but the leave.
json deleted_room()
{
    json room = json::object();
    room["timeline"] = {{"events", json::array()}, {"limited", false}};
    room["state"] = {{"events", json::array()}};
    room["account_data"] = {{"events", json::array()}};
    return room;
}
} // namespace

std::optional<json> left_room(const SyncContext& ctx, const std::string& room_id, bool initial)
{
    const auto member =
        storage::current_state::get(ctx.txn, room_id, matrix::m_room_member, ctx.viewer.user_id);
    if (!member && !storage::rooms::get(ctx.txn, room_id))
        return deleted_room();
    if (!member)
        return std::nullopt;
    // Up to and including the leave (or kick, or ban) event.
    auto body = detail::room_body(ctx, room_id, initial, member->topo + 1);
    json room = json::object();
    room["timeline"] = std::move(body.timeline);
    room["state"] = std::move(body.state);
    room["account_data"] =
        ctx.filter.filter_events(sections::room_account_data(ctx.txn, ctx.viewer.user_id, room_id,
                                                             initial ? 0 : ctx.since, ctx.until),
                                 ctx.filter.room.account_data, room_id);
    return room;
}

} // namespace ravenous::sync
