// current_state: (room, type, state_key) -> the stream_pos of the event that set it; and state
// at an older point of the log, computed from the events themselves (events_state_by_room).
#include "ravenous/storage/rooms_table.hpp"

#include "ravenous/matrix/event_types.hpp"
#include "storage/event_rows.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view set_sql =
    "INSERT INTO current_state (room_id, type, state_key, stream_pos) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (room_id, type, state_key) DO UPDATE SET stream_pos = excluded.stream_pos";
constexpr std::string_view get_sql = "SELECT " RAVENOUS_EVENT_COLUMNS " FROM current_state c "
                                     "JOIN events e ON e.stream_pos = c.stream_pos "
                                     "WHERE c.room_id = ? AND c.type = ? AND c.state_key = ?";
constexpr std::string_view all_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM current_state c "
    "JOIN events e ON e.stream_pos = c.stream_pos WHERE c.room_id = ?";

// One covering pass over the room's range of events_state_by_room, which is already grouped
// by (type, state_key); max() makes the bare column s.stream_pos come from the row with the
// largest topo below the boundary (SQLite's documented bare-column rule). Then one rowid
// lookup per key. ?1 room, ?2 boundary, ?3 type (typed variant). Backfilled history counts
// only at boundaries inside or below it (RAVENOUS_STATE_AT_TOPO, on index columns alone).
constexpr std::string_view at_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM ("
    "  SELECT s.stream_pos AS pos, max(s.topo) FROM events s"
    "  WHERE s.room_id = ?1 AND s.state_key IS NOT NULL AND s.topo < ?2"
    "  AND " RAVENOUS_STATE_AT_TOPO("s.topo", "?2")
    "  GROUP BY s.type, s.state_key"
    ") m JOIN events e ON e.stream_pos = m.pos";
constexpr std::string_view at_of_type_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM ("
    "  SELECT s.stream_pos AS pos, max(s.topo) FROM events s"
    "  WHERE s.room_id = ?1 AND s.type = ?3 AND s.state_key IS NOT NULL AND s.topo < ?2"
    "  AND " RAVENOUS_STATE_AT_TOPO("s.topo", "?2")
    "  GROUP BY s.type, s.state_key"
    ") m JOIN events e ON e.stream_pos = m.pos";
constexpr std::string_view get_at_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 AND e.type = ?2 "
    "AND e.state_key = ?3 AND e.topo < ?4 AND " RAVENOUS_STATE_AT_TOPO("e.topo", "?4")
    " ORDER BY e.topo DESC LIMIT 1";

// Two ranges of events_state_by_room merged in topo order. ?1 room, ?2 m.room.member,
// ?3 user, ?4 m.room.history_visibility.
constexpr std::string_view visibility_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e "
    "WHERE e.room_id = ?1 AND e.type = ?2 AND e.state_key = ?3 "
    "UNION ALL "
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e "
    "WHERE e.room_id = ?1 AND e.type = ?4 AND e.state_key = '' "
    "ORDER BY topo";

} // namespace

namespace current_state {

void set(WriteTxn& txn, std::string_view room_id, std::string_view type, std::string_view state_key,
         std::int64_t stream_pos)
{
    txn.prepare(set_sql).bind_all(room_id, type, state_key, stream_pos).run();
}

std::optional<EventRow> get(ReadTxn& txn, std::string_view room_id, std::string_view type,
                            std::string_view state_key)
{
    return detail::read_optional_event(txn.prepare(get_sql).bind_all(room_id, type, state_key));
}

std::vector<EventRow> all(ReadTxn& txn, std::string_view room_id)
{
    return detail::read_events(txn.prepare(all_sql).bind_all(room_id));
}

std::vector<EventRow> at(ReadTxn& txn, std::string_view room_id, std::int64_t boundary,
                         const std::optional<std::string>& type)
{
    auto& stmt = type ? txn.prepare(at_of_type_sql).bind_all(room_id, boundary, *type)
                      : txn.prepare(at_sql).bind_all(room_id, boundary);
    return detail::read_events(stmt);
}

std::optional<EventRow> get_at(ReadTxn& txn, std::string_view room_id, std::string_view type,
                               std::string_view state_key, std::int64_t boundary)
{
    return detail::read_optional_event(
        txn.prepare(get_at_sql).bind_all(room_id, type, state_key, boundary));
}

std::vector<EventRow> visibility_events(ReadTxn& txn, std::string_view room_id,
                                        std::string_view user_id)
{
    auto& stmt = txn.prepare(visibility_sql)
                     .bind_all(room_id, matrix::event_types::m_room_member, user_id,
                               matrix::event_types::m_room_history_visibility);
    return detail::read_events(stmt);
}

} // namespace current_state

} // namespace ravenous::storage
