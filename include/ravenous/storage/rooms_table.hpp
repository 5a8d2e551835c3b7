#pragma once

#include "ravenous/storage/events_table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::storage {

struct RoomRow
{
    std::string room_id;
    std::string room_version;
    std::string creator;
    bool is_public = false;
    std::int64_t created_ts = 0;
};

namespace rooms {
std::optional<RoomRow> get(ReadTxn& txn, std::string_view room_id);
// Throws storage::Error (a unique violation) if the room exists.
void insert(WriteTxn& txn, const RoomRow& row);
void set_public(WriteTxn& txn, std::string_view room_id, bool is_public);
// Deletes the room and, by cascade, its log, state, memberships, aliases and receipts.
// False if there was no such room. (txn_ids rows of its events stay: an event_for_txn hit
// may name an event that events::get no longer finds.)
bool remove(WriteTxn& txn, std::string_view room_id);
} // namespace rooms

// The current state: (room, type, state_key) -> the event that set it.
namespace current_state {
void set(WriteTxn& txn, std::string_view room_id, std::string_view type,
         std::string_view state_key, std::int64_t stream_pos);
std::optional<EventRow> get(ReadTxn& txn, std::string_view room_id, std::string_view type,
                            std::string_view state_key);
std::vector<EventRow> all(ReadTxn& txn, std::string_view room_id);
// State at a point of the log: the last state event per (type, state_key) with topo < boundary,
// in no particular order. `type`: only that event type (e.g. the members for /members?at=),
// which reads only that type's part of the index.
std::vector<EventRow> at(ReadTxn& txn, std::string_view room_id, std::int64_t boundary,
                         const std::optional<std::string>& type = std::nullopt);
// One key of the state at a point: the last such state event with topo < boundary.
std::optional<EventRow> get_at(ReadTxn& txn, std::string_view room_id, std::string_view type,
                               std::string_view state_key, std::int64_t boundary);
// The room's m.room.member events for this user (state_key = user) and its
// m.room.history_visibility events (state_key ""), oldest first (by topo): what a visibility
// check needs.
std::vector<EventRow> visibility_events(ReadTxn& txn, std::string_view room_id,
                                        std::string_view user_id);
} // namespace current_state

struct MemberRow
{
    std::string room_id;
    std::string user_id;
    std::string membership;
    std::int64_t stream_pos = 0;
    bool forgotten = false;
};

// Current membership per (room, user).
namespace memberships {
// Inserts or replaces the membership; a new membership event also clears `forgotten`.
void set(WriteTxn& txn, std::string_view room_id, std::string_view user_id,
         std::string_view membership, std::int64_t stream_pos);
std::optional<MemberRow> get(ReadTxn& txn, std::string_view room_id, std::string_view user_id);
// Rooms where the user's membership is the given one (not forgotten), sorted by room id.
std::vector<std::string> rooms_of(ReadTxn& txn, std::string_view user_id,
                                  std::string_view membership);
// Every membership row of the room (any membership, forgotten or not), sorted by user id.
std::vector<MemberRow> of_room(ReadTxn& txn, std::string_view room_id);
void forget(WriteTxn& txn, std::string_view room_id, std::string_view user_id);
std::int64_t count(ReadTxn& txn, std::string_view room_id, std::string_view membership);
} // namespace memberships

namespace aliases {
// False if the alias exists already (nothing written, the job goes on). A room that does not
// exist is a foreign key violation: storage::Error.
bool insert(WriteTxn& txn, std::string_view alias, std::string_view room_id,
            std::string_view creator, std::int64_t ts);
std::optional<std::pair<std::string, std::string>> get(ReadTxn& txn, std::string_view alias);  // room, creator
// False if there was no such alias.
bool remove(WriteTxn& txn, std::string_view alias);
// The room's aliases, sorted.
std::vector<std::string> of_room(ReadTxn& txn, std::string_view room_id);
} // namespace aliases

} // namespace ravenous::storage
