#pragma once

// The room sections of /sync (rooms.join, rooms.invite, rooms.leave), one provider each, all
// reading the caller's one snapshot.

#include "ravenous/rooms/client_event.hpp"
#include "ravenous/storage/sqlite.hpp"
#include "sync/sync_filter.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ravenous::sync {

class EphemeralState;

struct SyncContext
{
    storage::ReadTxn& txn;
    EphemeralState& ephemeral;
    const SyncFilter& filter;
    const rooms::Viewer& viewer;
    std::int64_t now_ms = 0;
    std::int64_t since = 0; // 0 for an initial sync
    std::int64_t until = 0;
    bool full_state = false;
};

// rooms.join.<room>: `initial` for an initial sync of this room (no since, or newly joined).
// nullopt in an incremental sync when nothing in the room changed for the user (no events,
// state, ephemeral events or account data).
std::optional<nlohmann::json> joined_room(const SyncContext& ctx, const std::string& room_id,
                                          bool initial);
// rooms.invite.<room>: {"invite_state": {"events": [stripped state]}}.
nlohmann::json invited_room(const SyncContext& ctx, const std::string& room_id);
// rooms.leave.<room>: the timeline up to the leave and the state at its start.
std::optional<nlohmann::json> left_room(const SyncContext& ctx, const std::string& room_id,
                                        bool initial);

namespace detail {
// Timeline and state of a room between `since` and the end of the response (never past
// `leave_boundary`, a topological boundary), as joined_room and left_room send them:
// {"timeline": {...}, "state": {"events": [...]}}, whether anything is in them, and whether
// member events are among them (the summary is then sent again).
struct RoomBody
{
    nlohmann::json timeline;
    nlohmann::json state;
    bool has_events = false;
    bool members_changed = false;
};
RoomBody room_body(const SyncContext& ctx, const std::string& room_id, bool initial,
                   std::optional<std::int64_t> leave_boundary);
} // namespace detail

} // namespace ravenous::sync
