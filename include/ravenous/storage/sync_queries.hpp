#pragma once

// What changed for one user between two stream positions: the reads an incremental /sync
// starts from, each costing what changed rather than what exists.

#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage::sync_queries {

struct RoomMembership
{
    std::string room_id;
    std::string membership;      // the user's current membership
    std::int64_t stream_pos = 0; // of that membership
};

// Rooms with events in (since, until] in which the user has a (not forgotten) membership now,
// sorted by room id. Reads the events of the range (by stream position), not the user's rooms.
std::vector<RoomMembership> rooms_with_events(ReadTxn& txn, std::string_view user_id,
                                              std::int64_t since, std::int64_t until);

// The user's memberships that changed in (since, until] (the current ones), sorted by room id.
// Rooms deleted in the range that the user was in count as a leave (stream_pos 0: the room's
// log is gone).
std::vector<RoomMembership> membership_changes(ReadTxn& txn, std::string_view user_id,
                                               std::int64_t since, std::int64_t until);

// The room's state at a boundary (as current_state::at) without the m.room.member events:
// what a lazy-loading sync starts from, without reading the membership history of the room.
std::vector<EventRow> state_at_without_members(ReadTxn& txn, std::string_view room_id,
                                               std::int64_t boundary);

} // namespace ravenous::storage::sync_queries
