// receipts: the latest receipt per (room, user, receipt type, thread); rows go with their room.
#include "ravenous/storage/receipts_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view upsert_sql =
    "INSERT INTO receipts (room_id, user_id, receipt_type, thread_id, event_id, ts, stream_pos) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (room_id, user_id, receipt_type, thread_id) DO UPDATE SET "
    "event_id = excluded.event_id, ts = excluded.ts, stream_pos = excluded.stream_pos";
constexpr std::string_view select_sql =
    "SELECT room_id, user_id, receipt_type, thread_id, event_id, ts, stream_pos FROM receipts "
    "WHERE room_id = ? AND user_id = ? AND receipt_type = ? AND thread_id = ?";
constexpr std::string_view in_room_sql =
    "SELECT room_id, user_id, receipt_type, thread_id, event_id, ts, stream_pos FROM receipts "
    "WHERE room_id = ? AND stream_pos > ? AND stream_pos <= ? ORDER BY stream_pos";
constexpr std::string_view rooms_changed_sql =
    "SELECT DISTINCT room_id FROM receipts WHERE stream_pos > ? AND stream_pos <= ? "
    "ORDER BY room_id";

ReceiptRow read_row(Statement& stmt)
{
    return {stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
            stmt.column_text(4), stmt.column_int(5),  stmt.column_int(6)};
}

} // namespace

namespace receipts {

void put(WriteTxn& txn, const ReceiptRow& row)
{
    txn.prepare(upsert_sql)
        .bind_all(row.room_id, row.user_id, row.receipt_type, row.thread_id, row.event_id, row.ts,
                  row.stream_pos)
        .run();
}

std::optional<ReceiptRow> get(ReadTxn& txn, std::string_view room_id, std::string_view user_id,
                              std::string_view receipt_type, std::string_view thread_id)
{
    auto& stmt = txn.prepare(select_sql).bind_all(room_id, user_id, receipt_type, thread_id);
    if (!stmt.step())
        return std::nullopt;
    return read_row(stmt);
}

std::vector<ReceiptRow> in_room(ReadTxn& txn, std::string_view room_id, std::int64_t since,
                                std::int64_t until)
{
    auto& stmt = txn.prepare(in_room_sql).bind_all(room_id, since, until);
    std::vector<ReceiptRow> rows;
    while (stmt.step())
        rows.push_back(read_row(stmt));
    return rows;
}

std::vector<std::string> rooms_changed(ReadTxn& txn, std::int64_t since, std::int64_t until)
{
    auto& stmt = txn.prepare(rooms_changed_sql).bind_all(since, until);
    std::vector<std::string> rooms;
    while (stmt.step())
        rooms.push_back(stmt.column_text(0));
    return rooms;
}

} // namespace receipts

} // namespace ravenous::storage
