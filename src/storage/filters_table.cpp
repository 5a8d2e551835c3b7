// filters: the /sync filters users store.
#include "ravenous/storage/filters_table.hpp"

namespace ravenous::storage::filters {

namespace {

constexpr std::string_view next_id_sql =
    "SELECT COALESCE(MAX(CAST(filter_id AS INTEGER)) + 1, 0) FROM filters WHERE user_id = ?";
constexpr std::string_view insert_sql =
    "INSERT INTO filters (user_id, filter_id, json) VALUES (?, ?, ?)";
constexpr std::string_view select_sql =
    "SELECT json FROM filters WHERE user_id = ? AND filter_id = ?";

} // namespace

std::string insert(WriteTxn& txn, std::string_view user_id, std::string_view json)
{
    auto& next = txn.prepare(next_id_sql).bind_all(user_id);
    const std::int64_t id = next.step() ? next.column_int(0) : 0;
    const std::string filter_id = std::to_string(id);
    txn.prepare(insert_sql).bind_all(user_id, filter_id, json).run();
    return filter_id;
}

std::optional<std::string> get(ReadTxn& txn, std::string_view user_id, std::string_view filter_id)
{
    auto& stmt = txn.prepare(select_sql).bind_all(user_id, filter_id);
    if (!stmt.step())
        return std::nullopt;
    return stmt.column_text(0);
}

} // namespace ravenous::storage::filters
