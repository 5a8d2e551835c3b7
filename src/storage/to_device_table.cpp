// to_device: the per-device inbox of to-device messages, and sendToDevice's transaction ids.
#include "ravenous/storage/to_device_table.hpp"

#include <algorithm>

namespace ravenous::storage {

namespace {

constexpr std::string_view insert_sql =
    "INSERT INTO to_device (user_id, device_id, sender, type, content, stream_pos) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view range_sql =
    "SELECT stream_pos, user_id, device_id, sender, type, content FROM to_device "
    "WHERE stream_pos > ? AND stream_pos <= ? ORDER BY stream_pos LIMIT ?";
constexpr std::string_view remove_sql = "DELETE FROM to_device WHERE stream_pos = ?";
constexpr std::string_view for_device_sql =
    "SELECT stream_pos, user_id, device_id, sender, type, content FROM to_device "
    "WHERE user_id = ? AND device_id = ? AND stream_pos > ? AND stream_pos <= ? "
    "ORDER BY stream_pos LIMIT ?";
constexpr std::string_view any_up_to_sql =
    "SELECT 1 FROM to_device WHERE user_id = ? AND device_id = ? AND stream_pos <= ? LIMIT 1";
constexpr std::string_view remove_up_to_sql =
    "DELETE FROM to_device WHERE user_id = ? AND device_id = ? AND stream_pos <= ?";
constexpr std::string_view insert_txn_sql =
    "INSERT INTO to_device_txns (user_id, device_key, event_type, txn_id, created_ts) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view forget_txns_sql =
    "DELETE FROM to_device_txns WHERE user_id = ? AND created_ts < ?";

ToDeviceRow read_row(Statement& stmt)
{
    return {stmt.column_int(0),  stmt.column_text(1), stmt.column_text(2),
            stmt.column_text(3), stmt.column_text(4), stmt.column_text(5)};
}

std::vector<ToDeviceRow> read_rows(Statement& stmt)
{
    std::vector<ToDeviceRow> rows;
    while (stmt.step())
        rows.push_back(read_row(stmt));
    return rows;
}

} // namespace

namespace to_device {

void insert(WriteTxn& txn, const ToDeviceRow& row)
{
    txn.prepare(insert_sql)
        .bind_all(row.user_id, row.device_id, row.sender, row.type, row.content_json,
                  row.stream_pos)
        .run();
}

std::vector<ToDeviceRow> range(ReadTxn& txn, std::int64_t from, std::int64_t to, int limit)
{
    if (limit <= 0)
        return {};
    return read_rows(txn.prepare(range_sql).bind_all(from, to, limit));
}

void remove(WriteTxn& txn, const std::vector<std::int64_t>& stream_positions)
{
    for (const auto position : stream_positions)
        txn.prepare(remove_sql).bind_all(position).run();
}

std::vector<ToDeviceRow> for_device(ReadTxn& txn, std::string_view user_id,
                                    std::string_view device_id, std::int64_t from,
                                    std::int64_t to, int limit)
{
    if (limit <= 0)
        return {};
    return read_rows(txn.prepare(for_device_sql).bind_all(user_id, device_id, from, to, limit));
}

bool any_up_to(ReadTxn& txn, std::string_view user_id, std::string_view device_id,
               std::int64_t up_to)
{
    return txn.prepare(any_up_to_sql).bind_all(user_id, device_id, up_to).step();
}

int remove_up_to(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                 std::int64_t up_to)
{
    txn.prepare(remove_up_to_sql).bind_all(user_id, device_id, up_to).run();
    return txn.conn().changes();
}

bool record_txn(WriteTxn& txn, std::string_view user_id, std::string_view device_key,
                std::string_view event_type, std::string_view txn_id, std::int64_t now_ts,
                std::int64_t forget_before_ts)
{
    txn.prepare(forget_txns_sql).bind_all(user_id, forget_before_ts).run();
    txn.prepare(insert_txn_sql).bind_all(user_id, device_key, event_type, txn_id, now_ts).run();
    return txn.conn().changes() > 0;
}

} // namespace to_device

} // namespace ravenous::storage
