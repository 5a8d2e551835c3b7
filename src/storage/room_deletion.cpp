// Room deletion: every row that names the room, table by table, then the tombstone.
#include "ravenous/storage/room_deletion.hpp"

#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/push_rules_table.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::storage {

namespace {

// Before the events: the records are found through them (txn_ids_by_event).
constexpr std::string_view delete_txn_ids_sql =
    "DELETE FROM txn_ids WHERE event_id IN (SELECT event_id FROM events WHERE room_id = ?1)";
// The `!= ''` lets the partial index account_data_by_room serve the query.
constexpr std::string_view delete_account_data_sql =
    "DELETE FROM account_data WHERE room_id = ?1 AND room_id != ''";
// A room's own push rules: the "room" kind is keyed by the room id, and clients mute a room
// with an "override" rule of the same id.
constexpr std::string_view room_push_rule_users_sql =
    "SELECT DISTINCT user_id FROM push_rules WHERE rule_id = ?1 AND kind IN ('room', 'override')";
constexpr std::string_view delete_push_rules_sql =
    "DELETE FROM push_rules WHERE rule_id = ?1 AND kind IN ('room', 'override')";
// The tables that reference rooms(room_id) would go by cascade with the room row; deleting
// them by name keeps the deletion whole even on a connection without foreign keys, and each
// one is served by an index led by room_id.
constexpr std::string_view delete_events_sql = "DELETE FROM events WHERE room_id = ?1";
constexpr std::string_view room_tables_sql[] = {
    "DELETE FROM receipts WHERE room_id = ?1",
    "DELETE FROM current_state WHERE room_id = ?1",
    "DELETE FROM memberships WHERE room_id = ?1",
    "DELETE FROM room_aliases WHERE room_id = ?1",
    "DELETE FROM rooms WHERE room_id = ?1",
};

constexpr std::string_view insert_tombstone_sql =
    "INSERT INTO deleted_rooms (room_id, stream_pos, deleted_ts, deleted_by, members) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view is_deleted_sql = "SELECT 1 FROM deleted_rooms WHERE room_id = ?";
// Both through deleted_rooms_by_stream: every incremental /sync asks. (No ORDER BY: with it,
// SQLite may walk the primary key, every tombstone, to spare a sort of nearly nothing.)
constexpr std::string_view rooms_of_user_sql =
    "SELECT d.room_id FROM deleted_rooms d, json_each(d.members) m "
    "WHERE d.stream_pos > ?2 AND d.stream_pos <= ?3 AND m.key = ?1 "
    "AND (m.value = 0 OR m.value > ?2)";
constexpr std::string_view in_range_sql =
    "SELECT room_id FROM deleted_rooms WHERE stream_pos > ? AND stream_pos <= ?";
// Rooms has no index on creator: one pass over the rooms (thousands at most); memberships
// through memberships_by_user, per user.
constexpr std::string_view rooms_of_users_sql =
    "SELECT room_id FROM rooms WHERE creator IN (SELECT value FROM json_each(?1)) "
    "UNION "
    "SELECT room_id FROM memberships WHERE membership IN (?2, ?3) "
    "AND user_id IN (SELECT value FROM json_each(?1)) "
    "ORDER BY 1";

// Media is issue #9. When media rows name the rooms they were sent in, this is where the
// room's references are dropped (the files themselves are the media module's to collect).
void remove_media_references(WriteTxn& txn, std::string_view room_id) {}

void remove_push_rules(WriteTxn& txn, std::string_view room_id)
{
    std::vector<std::string> users;
    auto& select = txn.prepare(room_push_rule_users_sql).bind_all(room_id);
    while (select.step())
        users.push_back(select.column_text(0));
    if (users.empty())
        return;
    txn.prepare(delete_push_rules_sql).bind_all(room_id).run();
    for (const auto& user_id : users)
        push_rules::mark_changed(txn, user_id);
}

std::vector<std::string> texts(Statement& stmt)
{
    std::vector<std::string> out;
    while (stmt.step())
        out.push_back(stmt.column_text(0));
    return out;
}

} // namespace

namespace room_deletion {

std::int64_t remove_room(WriteTxn& txn, std::string_view room_id)
{
    txn.prepare(delete_txn_ids_sql).bind_all(room_id).run();
    txn.prepare(delete_account_data_sql).bind_all(room_id).run();
    remove_push_rules(txn, room_id);
    remove_media_references(txn, room_id);
    txn.prepare(delete_events_sql).bind_all(room_id).run();
    const std::int64_t events = txn.conn().changes();
    for (auto sql : room_tables_sql)
        txn.prepare(sql).bind_all(room_id).run();
    return events;
}

void insert_tombstone(WriteTxn& txn, const DeletedRoom& room)
{
    const std::string members = nlohmann::json(room.members).dump();
    txn.prepare(insert_tombstone_sql)
        .bind_all(room.room_id, room.stream_pos, room.deleted_ts, room.deleted_by, members)
        .run();
}

bool is_deleted(ReadTxn& txn, std::string_view room_id)
{
    return txn.prepare(is_deleted_sql).bind_all(room_id).step();
}

std::vector<std::string> rooms_of_user(ReadTxn& txn, std::string_view user_id, std::int64_t since,
                                       std::int64_t until)
{
    return texts(txn.prepare(rooms_of_user_sql).bind_all(user_id, since, until));
}

std::vector<std::string> in_range(ReadTxn& txn, std::int64_t since, std::int64_t until)
{
    return texts(txn.prepare(in_range_sql).bind_all(since, until));
}

std::vector<std::string> rooms_of_users(ReadTxn& txn, const std::vector<std::string>& user_ids)
{
    const std::string users = nlohmann::json(user_ids).dump();
    return texts(txn.prepare(rooms_of_users_sql)
                     .bind_all(users, matrix::membership::join, matrix::membership::invite));
}

} // namespace room_deletion

} // namespace ravenous::storage
