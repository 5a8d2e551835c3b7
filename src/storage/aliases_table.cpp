// room_aliases: #alias:server -> room, with the user who created it (who may delete it).
#include "ravenous/storage/rooms_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view insert_sql =
    "INSERT INTO room_aliases (alias, room_id, creator, created_ts) VALUES (?, ?, ?, ?)";
constexpr std::string_view select_sql = "SELECT room_id, creator FROM room_aliases WHERE alias = ?";
constexpr std::string_view delete_sql = "DELETE FROM room_aliases WHERE alias = ?";
constexpr std::string_view of_room_sql =
    "SELECT alias FROM room_aliases WHERE room_id = ? ORDER BY alias";

} // namespace

namespace aliases {

bool insert(WriteTxn& txn, std::string_view alias, std::string_view room_id,
            std::string_view creator, std::int64_t ts)
{
    try {
        txn.prepare(insert_sql).bind_all(alias, room_id, creator, ts).run();
    } catch (const Error& e) {
        if (e.is_unique_violation()) {
            return false; // the statement alone was aborted; the job goes on
        }
        throw;
    }
    return true;
}

std::optional<std::pair<std::string, std::string>> get(ReadTxn& txn, std::string_view alias)
{
    auto& stmt = txn.prepare(select_sql).bind_all(alias);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return std::pair{stmt.column_text(0), stmt.column_text(1)};
}

bool remove(WriteTxn& txn, std::string_view alias)
{
    txn.prepare(delete_sql).bind_all(alias).run();
    return txn.conn().changes() > 0;
}

std::vector<std::string> of_room(ReadTxn& txn, std::string_view room_id)
{
    auto& stmt = txn.prepare(of_room_sql).bind_all(room_id);
    std::vector<std::string> aliases;
    while (stmt.step()) {
        aliases.push_back(stmt.column_text(0));
    }
    return aliases;
}

} // namespace aliases

} // namespace ravenous::storage
