// memberships: the current membership per (room, user), moved by every m.room.member event.
#include "ravenous/storage/rooms_table.hpp"

namespace ravenous::storage {

namespace {

// A new membership event un-forgets the room (the spec's forget lasts until the next one).
constexpr std::string_view upsert_sql =
    "INSERT INTO memberships (room_id, user_id, membership, stream_pos, forgotten) "
    "VALUES (?, ?, ?, ?, 0) ON CONFLICT (room_id, user_id) DO UPDATE SET "
    "membership = excluded.membership, stream_pos = excluded.stream_pos, forgotten = 0";
constexpr std::string_view select_sql =
    "SELECT room_id, user_id, membership, stream_pos, forgotten FROM memberships "
    "WHERE room_id = ? AND user_id = ?";
constexpr std::string_view rooms_of_sql =
    "SELECT room_id FROM memberships WHERE user_id = ? AND membership = ? AND forgotten = 0 "
    "ORDER BY room_id";
constexpr std::string_view of_room_sql =
    "SELECT room_id, user_id, membership, stream_pos, forgotten FROM memberships "
    "WHERE room_id = ? ORDER BY user_id";
constexpr std::string_view forget_sql =
    "UPDATE memberships SET forgotten = 1 WHERE room_id = ? AND user_id = ?";
constexpr std::string_view count_sql =
    "SELECT count(*) FROM memberships WHERE room_id = ? AND membership = ?";

MemberRow read_member(const Statement& stmt)
{
    MemberRow row;
    row.room_id = stmt.column_text(0);
    row.user_id = stmt.column_text(1);
    row.membership = stmt.column_text(2);
    row.stream_pos = stmt.column_int(3);
    row.forgotten = stmt.column_int(4) != 0;
    return row;
}

} // namespace

namespace memberships {

void set(WriteTxn& txn, std::string_view room_id, std::string_view user_id,
         std::string_view membership, std::int64_t stream_pos)
{
    txn.prepare(upsert_sql).bind_all(room_id, user_id, membership, stream_pos).run();
}

std::optional<MemberRow> get(ReadTxn& txn, std::string_view room_id, std::string_view user_id)
{
    auto& stmt = txn.prepare(select_sql).bind_all(room_id, user_id);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return read_member(stmt);
}

std::vector<std::string> rooms_of(ReadTxn& txn, std::string_view user_id,
                                  std::string_view membership)
{
    auto& stmt = txn.prepare(rooms_of_sql).bind_all(user_id, membership);
    std::vector<std::string> rooms;
    while (stmt.step()) {
        rooms.push_back(stmt.column_text(0));
    }
    return rooms;
}

std::vector<MemberRow> of_room(ReadTxn& txn, std::string_view room_id)
{
    auto& stmt = txn.prepare(of_room_sql).bind_all(room_id);
    std::vector<MemberRow> rows;
    while (stmt.step()) {
        rows.push_back(read_member(stmt));
    }
    return rows;
}

void forget(WriteTxn& txn, std::string_view room_id, std::string_view user_id)
{
    txn.prepare(forget_sql).bind_all(room_id, user_id).run();
}

std::int64_t count(ReadTxn& txn, std::string_view room_id, std::string_view membership)
{
    auto& stmt = txn.prepare(count_sql).bind_all(room_id, membership);
    stmt.step();
    return stmt.column_int(0);
}

} // namespace memberships

} // namespace ravenous::storage
