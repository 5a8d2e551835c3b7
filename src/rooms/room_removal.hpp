#pragma once

// The part of a room's deletion that runs inside a write job, shared by the deletion of one
// room and the erasure of a bridge (module-private).

#include "ravenous/storage/rooms_table.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ravenous::rooms::detail {

// Deletes the room (which exists) with everything naming it and leaves its tombstone at a new
// stream position, so that /sync tells the `members` who were joined, invited or knocking.
// Returns the events deleted.
std::int64_t remove_room(storage::WriteTxn& txn, const std::string& room_id,
                         const std::vector<storage::MemberRow>& members,
                         const std::string& deleted_by);

} // namespace ravenous::rooms::detail
