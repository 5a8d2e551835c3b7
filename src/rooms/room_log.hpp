#pragma once

// The one way an event enters a room's log (inside a write job): authorise against the
// current state, validate, allocate positions, store, and move current state and memberships.

#include "ravenous/rooms/auth_rules.hpp"
#include "ravenous/storage/rooms_table.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ravenous::rooms {

struct NewEvent
{
    NewEvent(std::string type, std::optional<std::string> state_key, std::string sender,
             nlohmann::json content)
        : type(std::move(type)), state_key(std::move(state_key)), sender(std::move(sender)),
          content(std::move(content))
    {
    }

    std::string type;
    std::optional<std::string> state_key;
    std::string sender;
    nlohmann::json content = nlohmann::json::object();
    std::optional<std::string> redacts;     // m.room.redaction: the target event
    std::optional<std::string> device_key;  // with txn_id: for idempotency and transaction_id
    std::optional<std::string> txn_id;      // as the client sent it (unsigned.transaction_id)
    std::string txn_scope;                  // what the txn id is unique within (endpoint, room)
    std::optional<std::int64_t> ts;         // origin_server_ts; now if absent
    bool creation = false;                  // written by createRoom: the creation band of topo
    // Batch sends: the event id the bridge chose (a new one if absent) and the row's flags
    // (storage::EventRow's silent and backfilled_by).
    std::optional<std::string> event_id;
    bool silent = false;
    std::optional<std::string> backfilled_by;
};

struct Appended
{
    std::string event_id;
    std::int64_t stream_pos = 0;
    bool deduplicated = false;  // an identical state event was current already
};

std::string new_room_id(std::string_view server_name);
std::string new_event_id();

// Loads the room or throws 404 M_NOT_FOUND.
storage::RoomRow require_room(storage::ReadTxn& txn, std::string_view room_id);

// The row of a new event, positions not yet allocated (stream_pos and topo 0): its JSON as
// served (event_id, room_id, sender, type, origin_server_ts, content, state_key, redacts, and
// `unsigned_fields` as "unsigned" when not empty) and its derived columns. Throws 413
// M_TOO_LARGE over max_event_bytes. Checks nothing else: validate_event and the auth rules
// are the caller's.
storage::EventRow event_row(std::string_view room_id, const NewEvent& event,
                            nlohmann::json unsigned_fields = nlohmann::json::object());

// What the auth rules need to judge `event` if it were appended now (current state).
AuthContext auth_context(storage::ReadTxn& txn, const storage::RoomRow& room,
                         const NewEvent& event);

// Appends an event after checking the auth rules (unless `authorised` says the caller has
// already, as room creation does for its first events). Redactions are applied to their
// target here too.
Appended append_event(storage::WriteTxn& txn, const storage::RoomRow& room, NewEvent event,
                      bool authorised = false);

// The content of a user's member event: membership plus their profile (as Synapse does).
nlohmann::json member_content(storage::ReadTxn& txn, std::string_view user_id,
                              std::string_view membership);
// Adds the user's displayname and avatar_url where a join, invite or knock lacks them
// (Synapse does so for every member event, whichever endpoint it comes through).
void add_profile(storage::ReadTxn& txn, std::string_view user_id, nlohmann::json& content);

} // namespace ravenous::rooms
