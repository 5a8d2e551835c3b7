#pragma once

// Deleting a room and everything that names it, and the tombstone left in its place
// (schema/0008_room_deletion.sql). Runs inside one write job: all or nothing.

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {

struct DeletedRoom
{
    std::string room_id;
    std::int64_t stream_pos = 0;  // the deletion's own position
    std::int64_t deleted_ts = 0;
    std::string deleted_by;
    // Whom /sync tells: user -> 0 if joined, invited or knocking at the deletion, else the
    // stream position of their leave or ban (told only to a client that has not seen it).
    std::map<std::string, std::int64_t> members;
};

namespace room_deletion {

// Deletes every row of the room: its events, current state, memberships, receipts, aliases
// (the directory is the alias table), every user's account data of the room (tags
// included), the send-transaction records of its events, room-specific push rules (their
// owners' rules are marked changed, so /sync sends the new set), media references, then the
// room row. Returns the number of events deleted; nothing happens for an unknown room (the
// caller checks first). Costs about one row write per event and per index entry of it.
std::int64_t remove_room(WriteTxn& txn, std::string_view room_id);

void insert_tombstone(WriteTxn& txn, const DeletedRoom& room);
bool is_deleted(ReadTxn& txn, std::string_view room_id);

// Rooms deleted in (since, until] that the user was in, or left after `since`; unordered.
std::vector<std::string> rooms_of_user(ReadTxn& txn, std::string_view user_id, std::int64_t since,
                                       std::int64_t until);
// Every room deleted in (since, until]; unordered.
std::vector<std::string> in_range(ReadTxn& txn, std::int64_t since, std::int64_t until);

// The rooms one of `user_ids` created, or where one of them is joined or invited now: what an
// appservice's users are part of. Sorted, without duplicates.
std::vector<std::string> rooms_of_users(ReadTxn& txn, const std::vector<std::string>& user_ids);

} // namespace room_deletion

} // namespace ravenous::storage
