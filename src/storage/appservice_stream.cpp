// appservice_cursors, and the log read in stream order for delivery to appservices.
#include "ravenous/storage/appservice_stream.hpp"

#include "storage/event_rows.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view get_cursor_sql =
    "SELECT stream_pos FROM appservice_cursors WHERE appservice_id = ?";
constexpr std::string_view set_cursor_sql =
    "INSERT INTO appservice_cursors (appservice_id, stream_pos) VALUES (?1, ?2) "
    "ON CONFLICT (appservice_id) DO UPDATE SET stream_pos = ?2";
// stream_pos is the rowid: a range scan of the table itself.
constexpr std::string_view stream_range_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.stream_pos > ?1 "
    "AND e.stream_pos <= ?2 ORDER BY e.stream_pos LIMIT ?3";

} // namespace

namespace appservice_cursors {

std::optional<std::int64_t> get(ReadTxn& txn, std::string_view appservice_id)
{
    auto& stmt = txn.prepare(get_cursor_sql).bind_all(appservice_id);
    if (!stmt.step())
        return std::nullopt;
    return stmt.column_int(0);
}

void set(WriteTxn& txn, std::string_view appservice_id, std::int64_t stream_pos)
{
    txn.prepare(set_cursor_sql).bind_all(appservice_id, stream_pos).run();
}

} // namespace appservice_cursors

namespace events {

std::vector<EventRow> stream_range(ReadTxn& txn, std::int64_t from, std::int64_t to, int limit)
{
    return detail::read_events(txn.prepare(stream_range_sql).bind_all(from, to, limit));
}

} // namespace events

} // namespace ravenous::storage
