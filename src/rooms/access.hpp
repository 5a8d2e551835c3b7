#pragma once

// Who may read what of a room: the membership checks shared by state and timeline reads.

#include "ravenous/storage/rooms_table.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ravenous::rooms {

struct ReadAccess
{
    storage::RoomRow room;
    std::string membership;  // the reader's current membership ("" if none)
    // The end of what the reader may see: nullopt while joined (or the room is
    // world_readable); the boundary just after their leave/ban event once they left.
    std::optional<std::int64_t> until;
};

// Throws 404 for an unknown room and 403 M_FORBIDDEN for a user who was never in it (unless
// the room is world_readable).
ReadAccess read_access(storage::ReadTxn& txn, std::string_view room_id, std::string_view user_id);

// Throws 403 unless the user is joined now.
storage::RoomRow require_joined(storage::ReadTxn& txn, std::string_view room_id,
                                std::string_view user_id);

} // namespace ravenous::rooms
