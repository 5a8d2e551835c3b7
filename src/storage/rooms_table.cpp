// rooms: one row per room; deleting it deletes, by cascade, everything of the room (log,
// current state, memberships, aliases, receipts).
#include "ravenous/storage/rooms_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view select_sql =
    "SELECT room_id, room_version, creator, is_public, created_ts FROM rooms WHERE room_id = ?";
constexpr std::string_view insert_sql =
    "INSERT INTO rooms (room_id, room_version, creator, is_public, created_ts) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view set_public_sql = "UPDATE rooms SET is_public = ? WHERE room_id = ?";
constexpr std::string_view delete_sql = "DELETE FROM rooms WHERE room_id = ?";

} // namespace

namespace rooms {

std::optional<RoomRow> get(ReadTxn& txn, std::string_view room_id)
{
    auto& stmt = txn.prepare(select_sql).bind_all(room_id);
    if (!stmt.step()) {
        return std::nullopt;
    }
    RoomRow row;
    row.room_id = stmt.column_text(0);
    row.room_version = stmt.column_text(1);
    row.creator = stmt.column_text(2);
    row.is_public = stmt.column_int(3) != 0;
    row.created_ts = stmt.column_int(4);
    return row;
}

void insert(WriteTxn& txn, const RoomRow& row)
{
    txn.prepare(insert_sql)
        .bind_all(row.room_id, row.room_version, row.creator, int{row.is_public}, row.created_ts)
        .run();
}

void set_public(WriteTxn& txn, std::string_view room_id, bool is_public)
{
    txn.prepare(set_public_sql).bind_all(int{is_public}, room_id).run();
}

bool remove(WriteTxn& txn, std::string_view room_id)
{
    txn.prepare(delete_sql).bind_all(room_id).run();
    return txn.conn().changes() > 0; // the room row itself; cascaded rows are not counted
}

} // namespace rooms

} // namespace ravenous::storage
