// profile_fields: what PATCH /profile/{userId} adds to a profile besides its name and avatar.
#include "ravenous/storage/profile_fields_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view of_user_sql =
    "SELECT key, value FROM profile_fields WHERE user_id = ? ORDER BY key";
constexpr std::string_view get_sql =
    "SELECT value FROM profile_fields WHERE user_id = ? AND key = ?";
constexpr std::string_view put_sql =
    "INSERT INTO profile_fields (user_id, key, value) VALUES (?, ?, ?) "
    "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value";
constexpr std::string_view remove_sql =
    "DELETE FROM profile_fields WHERE user_id = ? AND key = ?";

} // namespace

namespace profile_fields {

std::vector<std::pair<std::string, std::string>> of_user(ReadTxn& txn, std::string_view user_id)
{
    auto& stmt = txn.prepare(of_user_sql).bind_all(user_id);
    std::vector<std::pair<std::string, std::string>> fields;
    while (stmt.step())
        fields.emplace_back(stmt.column_text(0), stmt.column_text(1));
    return fields;
}

std::optional<std::string> get(ReadTxn& txn, std::string_view user_id, std::string_view key)
{
    auto& stmt = txn.prepare(get_sql).bind_all(user_id, key);
    if (!stmt.step())
        return std::nullopt;
    return stmt.column_text(0);
}

void put(WriteTxn& txn, std::string_view user_id, std::string_view key, std::string_view value)
{
    txn.prepare(put_sql).bind_all(user_id, key, value).run();
}

void remove(WriteTxn& txn, std::string_view user_id, std::string_view key)
{
    txn.prepare(remove_sql).bind_all(user_id, key).run();
}

} // namespace profile_fields

} // namespace ravenous::storage
