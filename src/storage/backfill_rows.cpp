// The reads a batch send makes inside its write job: where the room's history begins, whether
// it has messages, and which of the bridge's event ids are taken.
#include "ravenous/storage/backfill_rows.hpp"

#include "ravenous/storage/events_table.hpp"

namespace ravenous::storage::backfill {

namespace {

// Both walk events_by_room_topo up from the end of the creation band (?2).
constexpr std::string_view oldest_after_creation_sql =
    "SELECT topo FROM events WHERE room_id = ?1 AND topo >= ?2 ORDER BY topo ASC LIMIT 1";
constexpr std::string_view first_message_sql =
    "SELECT 1 FROM events WHERE room_id = ?1 AND topo >= ?2 AND state_key IS NULL LIMIT 1";
constexpr std::string_view room_of_event_sql = "SELECT room_id FROM events WHERE event_id = ?1";

} // namespace

std::optional<std::int64_t> oldest_after_creation(ReadTxn& txn, std::string_view room_id)
{
    auto& stmt =
        txn.prepare(oldest_after_creation_sql).bind_all(room_id, events::creation_topo_limit);
    if (!stmt.step())
        return std::nullopt;
    return stmt.column_int(0);
}

bool has_messages(ReadTxn& txn, std::string_view room_id)
{
    return txn.prepare(first_message_sql).bind_all(room_id, events::creation_topo_limit).step();
}

std::unordered_map<std::string, std::string> rooms_of_events(ReadTxn& txn,
                                                             const std::vector<std::string>& ids)
{
    std::unordered_map<std::string, std::string> rooms;
    for (const auto& id : ids) {
        auto& stmt = txn.prepare(room_of_event_sql).bind_all(id);
        if (stmt.step())
            rooms.emplace(id, stmt.column_text(0));
    }
    return rooms;
}

} // namespace ravenous::storage::backfill
