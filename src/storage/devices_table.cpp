// devices and access_tokens (tokens are keyed by their hash and cascade with their device).
#include "ravenous/storage/devices_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view select_device_sql =
    "SELECT user_id, device_id, display_name, last_seen_ts, last_seen_ip, created_ts "
    "FROM devices WHERE user_id = ? AND device_id = ?";
constexpr std::string_view list_devices_sql =
    "SELECT user_id, device_id, display_name, last_seen_ts, last_seen_ip, created_ts "
    "FROM devices WHERE user_id = ? ORDER BY device_id";
constexpr std::string_view insert_device_sql =
    "INSERT INTO devices (user_id, device_id, display_name, last_seen_ts, last_seen_ip, "
    "created_ts) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, device_id) DO NOTHING";
constexpr std::string_view set_display_name_sql =
    "UPDATE devices SET display_name = ? WHERE user_id = ? AND device_id = ?";
constexpr std::string_view touch_sql =
    "UPDATE devices SET last_seen_ts = ?, last_seen_ip = ? WHERE user_id = ? AND device_id = ?";
constexpr std::string_view delete_device_sql =
    "DELETE FROM devices WHERE user_id = ? AND device_id = ?";
// ?2 is the device to keep, or NULL to remove them all.
constexpr std::string_view delete_devices_sql =
    "DELETE FROM devices WHERE user_id = ?1 AND (?2 IS NULL OR device_id <> ?2)";

constexpr std::string_view find_token_sql =
    "SELECT user_id, device_id FROM access_tokens WHERE token_hash = ?";
constexpr std::string_view insert_token_sql =
    "INSERT INTO access_tokens (token_hash, user_id, device_id, created_ts) VALUES (?, ?, ?, ?)";
constexpr std::string_view delete_token_sql = "DELETE FROM access_tokens WHERE token_hash = ?";
constexpr std::string_view delete_device_tokens_sql =
    "DELETE FROM access_tokens WHERE user_id = ?1 AND device_id = ?2 "
    "AND (?3 IS NULL OR token_hash <> ?3)";

DeviceRow read_device(const Statement& stmt)
{
    DeviceRow row;
    row.user_id = stmt.column_text(0);
    row.device_id = stmt.column_text(1);
    row.display_name = stmt.column_optional_text(2);
    row.last_seen_ts = stmt.column_optional_int(3);
    row.last_seen_ip = stmt.column_optional_text(4);
    row.created_ts = stmt.column_int(5);
    return row;
}

} // namespace

namespace devices {

std::optional<DeviceRow> get(ReadTxn& txn, std::string_view user_id, std::string_view device_id)
{
    auto& stmt = txn.prepare(select_device_sql).bind_all(user_id, device_id);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return read_device(stmt);
}

std::vector<DeviceRow> list(ReadTxn& txn, std::string_view user_id)
{
    auto& stmt = txn.prepare(list_devices_sql).bind_all(user_id);
    std::vector<DeviceRow> rows;
    while (stmt.step()) {
        rows.push_back(read_device(stmt));
    }
    return rows;
}

bool upsert(WriteTxn& txn, const DeviceRow& row)
{
    txn.prepare(insert_device_sql)
        .bind_all(row.user_id, row.device_id, row.display_name, row.last_seen_ts,
                  row.last_seen_ip, row.created_ts)
        .run();
    return txn.conn().changes() == 1;
}

bool set_display_name(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                      const std::optional<std::string>& name)
{
    txn.prepare(set_display_name_sql).bind_all(name, user_id, device_id).run();
    return txn.conn().changes() > 0;
}

void touch(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
           std::int64_t ts, std::string_view ip)
{
    txn.prepare(touch_sql).bind_all(ts, ip, user_id, device_id).run();
}

bool remove(WriteTxn& txn, std::string_view user_id, std::string_view device_id)
{
    txn.prepare(delete_device_sql).bind_all(user_id, device_id).run();
    return txn.conn().changes() > 0;
}

int remove_all(WriteTxn& txn, std::string_view user_id, const std::optional<std::string>& keep)
{
    txn.prepare(delete_devices_sql).bind_all(user_id, keep).run();
    return txn.conn().changes();
}

} // namespace devices

namespace access_tokens {

std::optional<TokenRow> find(ReadTxn& txn, std::string_view token_hash)
{
    auto& stmt = txn.prepare(find_token_sql).bind_all(token_hash);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return TokenRow{stmt.column_text(0), stmt.column_text(1)};
}

void insert(WriteTxn& txn, std::string_view token_hash, std::string_view user_id,
            std::string_view device_id, std::int64_t created_ts)
{
    txn.prepare(insert_token_sql).bind_all(token_hash, user_id, device_id, created_ts).run();
}

void remove(WriteTxn& txn, std::string_view token_hash)
{
    txn.prepare(delete_token_sql).bind_all(token_hash).run();
}

int remove_for_device(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                      const std::optional<std::string>& keep_hash)
{
    txn.prepare(delete_device_tokens_sql).bind_all(user_id, device_id, keep_hash).run();
    return txn.conn().changes();
}

} // namespace access_tokens

} // namespace ravenous::storage
