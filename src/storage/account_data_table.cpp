// account_data: a user's global (room_id '') and per-room account data, one row per type.
#include "ravenous/storage/account_data_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view upsert_sql =
    "INSERT INTO account_data (user_id, room_id, type, content, stream_pos) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = excluded.content, "
    "stream_pos = excluded.stream_pos";
constexpr std::string_view select_sql =
    "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND type = ?";
constexpr std::string_view changed_sql =
    "SELECT room_id, type, content, stream_pos FROM account_data "
    "WHERE user_id = ? AND room_id = ? AND stream_pos > ? AND stream_pos <= ? "
    "ORDER BY stream_pos";
constexpr std::string_view rooms_changed_sql =
    "SELECT DISTINCT room_id FROM account_data "
    "WHERE user_id = ? AND room_id != '' AND stream_pos > ? AND stream_pos <= ? ORDER BY room_id";

} // namespace

namespace account_data {

void put(WriteTxn& txn, std::string_view user_id, std::string_view room_id, std::string_view type,
         std::string_view content, std::int64_t stream_pos)
{
    txn.prepare(upsert_sql).bind_all(user_id, room_id, type, content, stream_pos).run();
}

std::optional<std::string> get(ReadTxn& txn, std::string_view user_id, std::string_view room_id,
                               std::string_view type)
{
    auto& stmt = txn.prepare(select_sql).bind_all(user_id, room_id, type);
    if (!stmt.step())
        return std::nullopt;
    return stmt.column_text(0);
}

std::vector<AccountDataRow> changed(ReadTxn& txn, std::string_view user_id,
                                    std::string_view room_id, std::int64_t since,
                                    std::int64_t until)
{
    auto& stmt = txn.prepare(changed_sql).bind_all(user_id, room_id, since, until);
    std::vector<AccountDataRow> rows;
    while (stmt.step())
        rows.push_back(
            {stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_int(3)});
    return rows;
}

std::vector<std::string> rooms_changed(ReadTxn& txn, std::string_view user_id, std::int64_t since,
                                       std::int64_t until)
{
    auto& stmt = txn.prepare(rooms_changed_sql).bind_all(user_id, since, until);
    std::vector<std::string> rooms;
    while (stmt.step())
        rooms.push_back(stmt.column_text(0));
    return rooms;
}

} // namespace account_data

} // namespace ravenous::storage
