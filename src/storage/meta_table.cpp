// meta: small key/value facts about this database.
#include "ravenous/storage/meta_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view select_sql = "SELECT value FROM meta WHERE key = ?";
constexpr std::string_view upsert_sql =
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

} // namespace

namespace meta {

std::optional<std::string> get(ReadTxn& txn, std::string_view key)
{
    auto& stmt = txn.prepare(select_sql).bind_all(key);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return stmt.column_text(0);
}

void put(WriteTxn& txn, std::string_view key, std::string_view value)
{
    txn.prepare(upsert_sql).bind_all(key, value).run();
}

} // namespace meta

} // namespace ravenous::storage
