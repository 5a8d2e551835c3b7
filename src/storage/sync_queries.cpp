// Incremental /sync reads: rooms with new events and membership changes in a stream range.
#include "ravenous/storage/sync_queries.hpp"

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/room_deletion.hpp"
#include "storage/event_rows.hpp"

#include <algorithm>

namespace ravenous::storage::sync_queries {

namespace {

// The events of the range by their primary key, each room joined to the user's membership
// row by its primary key: the cost follows the number of new events. Backfilled history is
// never news: /sync shows it only to those who paginate back into it.
constexpr std::string_view rooms_with_events_sql =
    "SELECT m.room_id, m.membership, m.stream_pos FROM memberships m "
    "WHERE m.user_id = ?1 AND m.forgotten = 0 AND m.room_id IN "
    "(SELECT DISTINCT room_id FROM events WHERE stream_pos > ?2 AND stream_pos <= ?3 "
    "AND " RAVENOUS_NOT_HISTORY("topo") ") "
    "ORDER BY m.room_id";
constexpr std::string_view membership_changes_sql =
    "SELECT room_id, membership, stream_pos FROM memberships "
    "WHERE user_id = ? AND stream_pos > ? AND stream_pos <= ? ORDER BY room_id";

// Two ranges of events_state_by_room around the member events: the types before and after
// m.room.member (?3), each grouped to its last event per key before the boundary (?2).
constexpr std::string_view state_without_members_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM ("
    "  SELECT s.stream_pos AS pos, max(s.topo) FROM events s"
    "  WHERE s.room_id = ?1 AND s.type < ?3 AND s.state_key IS NOT NULL AND s.topo < ?2"
    "  AND " RAVENOUS_STATE_AT_TOPO("s.topo", "?2")
    "  GROUP BY s.type, s.state_key"
    "  UNION ALL"
    "  SELECT s.stream_pos AS pos, max(s.topo) FROM events s"
    "  WHERE s.room_id = ?1 AND s.type > ?3 AND s.state_key IS NOT NULL AND s.topo < ?2"
    "  AND " RAVENOUS_STATE_AT_TOPO("s.topo", "?2")
    "  GROUP BY s.type, s.state_key"
    ") m JOIN events e ON e.stream_pos = m.pos";

std::vector<RoomMembership> collect(Statement& stmt)
{
    std::vector<RoomMembership> out;
    while (stmt.step())
        out.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_int(2)});
    return out;
}

} // namespace

std::vector<RoomMembership> rooms_with_events(ReadTxn& txn, std::string_view user_id,
                                              std::int64_t since, std::int64_t until)
{
    return collect(txn.prepare(rooms_with_events_sql).bind_all(user_id, since, until));
}

std::vector<RoomMembership> membership_changes(ReadTxn& txn, std::string_view user_id,
                                               std::int64_t since, std::int64_t until)
{
    auto changes = collect(txn.prepare(membership_changes_sql).bind_all(user_id, since, until));
    // A deleted room has no membership rows left: its tombstone says who was in it.
    auto deleted = room_deletion::rooms_of_user(txn, user_id, since, until);
    if (deleted.empty())
        return changes;
    for (auto& room_id : deleted)
        changes.push_back({std::move(room_id), std::string(matrix::leave), 0});
    std::sort(changes.begin(), changes.end(),
              [](const auto& a, const auto& b) { return a.room_id < b.room_id; });
    return changes;
}

std::vector<EventRow> state_at_without_members(ReadTxn& txn, std::string_view room_id,
                                               std::int64_t boundary)
{
    auto& stmt = txn.prepare(state_without_members_sql)
                     .bind_all(room_id, boundary, matrix::event_types::m_room_member);
    return detail::read_events(stmt);
}

} // namespace ravenous::storage::sync_queries
