#include "rooms/access.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "rooms/room_log.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::rooms {

namespace errors = matrix::errors;

namespace {
bool world_readable(storage::ReadTxn& txn, std::string_view room_id)
{
    auto row = storage::current_state::get(txn, room_id, matrix::m_room_history_visibility, "");
    if (!row)
        return false;
    return nlohmann::json::parse(row->json)["content"].value("history_visibility", "") ==
           matrix::history_visibility::world_readable;
}
} // namespace

ReadAccess read_access(storage::ReadTxn& txn, std::string_view room_id, std::string_view user_id)
{
    ReadAccess access{require_room(txn, room_id), {}, std::nullopt};
    auto member = storage::memberships::get(txn, room_id, user_id);
    access.membership = member ? member->membership : std::string();
    if (access.membership == matrix::join || world_readable(txn, room_id))
        return access;
    // A forgotten room's history is gone for that user until they are back in the room.
    if (member && member->forgotten)
        throw errors::forbidden("You aren't a member of the room");
    if (access.membership == matrix::leave || access.membership == matrix::ban) {
        // They may still read up to the moment they left.
        access.until = storage::events::boundary_at_stream(txn, room_id, member->stream_pos);
        return access;
    }
    throw errors::forbidden("You aren't a member of the room");
}

storage::RoomRow require_joined(storage::ReadTxn& txn, std::string_view room_id,
                                std::string_view user_id)
{
    auto room = require_room(txn, room_id);
    auto member = storage::memberships::get(txn, room_id, user_id);
    if (!member || member->membership != matrix::join)
        throw errors::forbidden("You aren't a member of the room");
    return room;
}

} // namespace ravenous::rooms
