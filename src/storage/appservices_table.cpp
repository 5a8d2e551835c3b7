// appservices: registrations made at run time (operator and bridge-manager APIs).
#include "ravenous/storage/appservices_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view list_sql =
    "SELECT id, registration FROM appservices ORDER BY id";
// A replaced registration keeps its created_ts.
constexpr std::string_view upsert_sql =
    "INSERT INTO appservices (id, registration, created_ts) VALUES (?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET registration = excluded.registration";
constexpr std::string_view delete_sql = "DELETE FROM appservices WHERE id = ?";
// The cursor belongs to the registration: a later appservice with the same id starts afresh.
constexpr std::string_view delete_cursor_sql =
    "DELETE FROM appservice_cursors WHERE appservice_id = ?";

} // namespace

namespace appservices {

std::vector<AppserviceRow> list(ReadTxn& txn)
{
    auto& stmt = txn.prepare(list_sql);
    std::vector<AppserviceRow> rows;
    while (stmt.step()) {
        rows.push_back(AppserviceRow{stmt.column_text(0), stmt.column_text(1)});
    }
    return rows;
}

void put(WriteTxn& txn, std::string_view id, std::string_view registration_json, std::int64_t ts)
{
    txn.prepare(upsert_sql).bind_all(id, registration_json, ts).run();
}

bool remove(WriteTxn& txn, std::string_view id)
{
    txn.prepare(delete_sql).bind_all(id).run();
    const bool removed = txn.conn().changes() > 0;
    txn.prepare(delete_cursor_sql).bind_all(id).run();
    return removed;
}

} // namespace appservices

} // namespace ravenous::storage
