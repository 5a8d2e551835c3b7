// rooms.invite of /sync: the stripped state of the rooms the user is invited to.

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "sync/rooms_providers.hpp"

#include <array>

namespace ravenous::sync {

using nlohmann::json;

namespace {

// What an invitee may see of the room before joining (the spec's recommended stripped state).
constexpr std::array<std::string_view, 6> stripped_types = {
    matrix::m_room_create, matrix::m_room_join_rules,      matrix::m_room_name,
    matrix::m_room_avatar, matrix::m_room_canonical_alias, matrix::m_room_encryption,
};

json stripped(const storage::EventRow& row)
{
    const json event = json::parse(row.json);
    return json{{"type", row.type},
                {"state_key", row.state_key.value_or("")},
                {"sender", row.sender},
                {"content", event.value("content", json::object())}};
}

} // namespace

json invited_room(const SyncContext& ctx, const std::string& room_id)
{
    json events = json::array();
    for (auto type : stripped_types)
        if (auto row = storage::current_state::get(ctx.txn, room_id, type, ""))
            events.push_back(ctx.filter.project(stripped(*row)));
    if (auto invite = storage::current_state::get(ctx.txn, room_id, matrix::m_room_member,
                                                  ctx.viewer.user_id))
        events.push_back(ctx.filter.project(stripped(*invite)));
    return json{{"invite_state", {{"events", std::move(events)}}}};
}

} // namespace ravenous::sync
