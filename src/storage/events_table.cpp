// events (the log: stream_pos is the global order, topo the per-room order), stream_counter
// and txn_ids. Relations and threads are in event_relations.cpp.
#include "ravenous/storage/events_table.hpp"

#include "storage/event_rows.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace ravenous::storage {

namespace {

constexpr std::string_view next_stream_sql =
    "UPDATE stream_counter SET pos = pos + 1 WHERE id = 1 RETURNING pos";
constexpr std::string_view current_stream_sql = "SELECT pos FROM stream_counter WHERE id = 1";

constexpr std::string_view insert_sql =
    "INSERT INTO events (stream_pos, room_id, topo, event_id, type, state_key, sender, "
    "origin_server_ts, json, redacted_by, relates_to, rel_type, device_id, txn_id, silent, "
    "backfilled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view get_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.event_id = ?";

// Boundaries: ?3 is the other end (INT64_MIN/MAX when absent), a range bound rather than an
// "?3 IS NULL OR" filter so that the index scan stops there instead of at the room's end.
constexpr std::string_view page_backward_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 AND e.topo < ?2 "
    "AND e.topo >= ?3 ORDER BY e.topo DESC LIMIT ?4";
constexpr std::string_view page_forward_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 AND e.topo >= ?2 "
    "AND e.topo < ?3 ORDER BY e.topo ASC LIMIT ?4";
constexpr std::string_view last_topo_sql =
    "SELECT e.topo FROM events e WHERE e.room_id = ? ORDER BY e.topo DESC LIMIT 1";
constexpr std::string_view first_topo_sql =
    "SELECT e.topo FROM events e WHERE e.room_id = ? ORDER BY e.topo ASC LIMIT 1";
// Walks the room's topo index down from the end (covering: the index holds stream_pos, the
// rowid) to the first event at or before the position, within the live band (topo >= ?3):
// costs the room's events after it. The unary + keeps the planner off a rowid range scan over
// every room's events.
constexpr std::string_view last_topo_at_stream_sql =
    "SELECT e.topo FROM events e WHERE e.room_id = ?1 AND +e.stream_pos <= ?2 "
    "AND e.topo >= ?3 ORDER BY e.topo DESC LIMIT 1";
// The last event below ?2 (the end of the history band).
constexpr std::string_view last_topo_below_sql =
    "SELECT e.topo FROM events e WHERE e.room_id = ?1 AND e.topo < ?2 "
    "ORDER BY e.topo DESC LIMIT 1";
// The stream position of the room's first event by topo: its m.room.create, its oldest write.
constexpr std::string_view first_stream_sql =
    "SELECT e.stream_pos FROM events e WHERE e.room_id = ?1 ORDER BY e.topo ASC LIMIT 1";

constexpr std::string_view closest_before_ts_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 "
    "AND e.origin_server_ts <= ?2 ORDER BY e.origin_server_ts DESC, e.topo DESC LIMIT 1";
constexpr std::string_view closest_after_ts_sql =
    "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e WHERE e.room_id = ?1 "
    "AND e.origin_server_ts >= ?2 ORDER BY e.origin_server_ts ASC, e.topo ASC LIMIT 1";

// The redacted JSON no longer carries content.m.relates_to, so the derived relation columns
// go too: a redacted edit, reaction or thread reply stops counting (as in Synapse).
constexpr std::string_view set_redacted_sql =
    "UPDATE events SET json = ?1, redacted_by = ?2, relates_to = NULL, rel_type = NULL "
    "WHERE event_id = ?3";

constexpr std::string_view select_txn_sql =
    "SELECT event_id FROM txn_ids WHERE user_id = ? AND device_id = ? AND txn_id = ?";
constexpr std::string_view insert_txn_sql =
    "INSERT INTO txn_ids (user_id, device_id, txn_id, event_id, created_ts) "
    "VALUES (?, ?, ?, ?, ?)";

std::optional<std::int64_t> single_int(Statement& stmt)
{
    if (!stmt.step()) {
        return std::nullopt;
    }
    return stmt.column_int(0);
}

// event_rows.hpp spells the bands for SQL: they must be these.
constexpr std::int64_t sql_literal(std::string_view text)
{
    const bool negative = !text.empty() && text.front() == '-';
    std::int64_t value = 0;
    for (char c : text.substr(negative ? 1 : 0))
        value = value * 10 + (c - '0');
    return negative ? -value : value;
}
static_assert(sql_literal(RAVENOUS_HISTORY_TOPO_START) == events::creation_topo_limit);
static_assert(sql_literal(RAVENOUS_LIVE_TOPO_START) == events::live_topo_start);

} // namespace

namespace detail {

EventRow read_event(const Statement& stmt, int first)
{
    EventRow row;
    row.stream_pos = stmt.column_int(first);
    row.room_id = stmt.column_text(first + 1);
    row.topo = stmt.column_int(first + 2);
    row.event_id = stmt.column_text(first + 3);
    row.type = stmt.column_text(first + 4);
    row.state_key = stmt.column_optional_text(first + 5);
    row.sender = stmt.column_text(first + 6);
    row.origin_server_ts = stmt.column_int(first + 7);
    row.json = stmt.column_text(first + 8);
    row.redacted_by = stmt.column_optional_text(first + 9);
    row.relates_to = stmt.column_optional_text(first + 10);
    row.rel_type = stmt.column_optional_text(first + 11);
    row.device_id = stmt.column_optional_text(first + 12);
    row.txn_id = stmt.column_optional_text(first + 13);
    row.silent = stmt.column_int(first + 14) != 0;
    row.backfilled_by = stmt.column_optional_text(first + 15);
    return row;
}

std::vector<EventRow> read_events(Statement& stmt)
{
    std::vector<EventRow> rows;
    while (stmt.step()) {
        rows.push_back(read_event(stmt));
    }
    return rows;
}

std::optional<EventRow> read_optional_event(Statement& stmt)
{
    if (!stmt.step()) {
        return std::nullopt;
    }
    return read_event(stmt);
}

} // namespace detail

namespace stream {

std::int64_t next(WriteTxn& txn)
{
    auto& stmt = txn.prepare(next_stream_sql);
    if (!stmt.step()) {
        throw Error(SQLITE_CORRUPT, SQLITE_CORRUPT, "stream_counter has no row",
                    std::string{next_stream_sql});
    }
    const auto pos = stmt.column_int(0);
    stmt.run(); // finish the statement: RETURNING has already applied the update
    txn.stream_position_allocated(pos);
    return pos;
}

std::int64_t current(ReadTxn& txn)
{
    return single_int(txn.prepare(current_stream_sql)).value_or(0);
}

} // namespace stream

namespace events {

void insert(WriteTxn& txn, const EventRow& row)
{
    txn.prepare(insert_sql)
        .bind_all(row.stream_pos, row.room_id, row.topo, row.event_id, row.type, row.state_key,
                  row.sender, row.origin_server_ts, row.json, row.redacted_by, row.relates_to,
                  row.rel_type, row.device_id, row.txn_id, std::int64_t{row.silent ? 1 : 0},
                  row.backfilled_by)
        .run();
}

std::int64_t next_topo(WriteTxn& txn, std::string_view room_id)
{
    return std::max(end_boundary(txn, room_id), live_topo_start);
}

std::int64_t next_creation_topo(WriteTxn& txn, std::string_view room_id)
{
    auto last = single_int(txn.prepare(last_topo_sql).bind_all(room_id));
    const std::int64_t next = last ? *last + 1 : creation_topo_base;
    if (next >= creation_topo_limit)
        throw std::runtime_error("room creation band is full");
    return next;
}

std::optional<EventRow> get(ReadTxn& txn, std::string_view event_id)
{
    return detail::read_optional_event(txn.prepare(get_sql).bind_all(event_id));
}

std::vector<EventRow> get_many(ReadTxn& txn, const std::vector<std::string>& event_ids)
{
    std::vector<EventRow> rows;
    rows.reserve(event_ids.size());
    for (const auto& id : event_ids) {
        if (auto row = get(txn, id)) {
            rows.push_back(std::move(*row));
        }
    }
    return rows;
}

std::vector<EventRow> page(ReadTxn& txn, std::string_view room_id, std::int64_t from, Direction dir,
                           int limit, std::optional<std::int64_t> to)
{
    if (limit <= 0) {
        return {}; // LIMIT -1 would mean "no limit" to SQLite
    }
    using limits = std::numeric_limits<std::int64_t>;
    auto& stmt = dir == Direction::backward
                     ? txn.prepare(page_backward_sql)
                           .bind_all(room_id, from, to.value_or(limits::min()), limit)
                     : txn.prepare(page_forward_sql)
                           .bind_all(room_id, from, to.value_or(limits::max()), limit);
    return detail::read_events(stmt);
}

std::int64_t end_boundary(ReadTxn& txn, std::string_view room_id)
{
    const auto last = single_int(txn.prepare(last_topo_sql).bind_all(room_id));
    return last ? *last + 1 : 1;
}

std::int64_t start_boundary(ReadTxn& txn, std::string_view room_id)
{
    return single_int(txn.prepare(first_topo_sql).bind_all(room_id)).value_or(1);
}

std::int64_t boundary_at_stream(ReadTxn& txn, std::string_view room_id, std::int64_t stream_pos)
{
    const auto live = single_int(
        txn.prepare(last_topo_at_stream_sql).bind_all(room_id, stream_pos, live_topo_start));
    if (live)
        return *live + 1;
    // No live event yet: after the creation band and all the history there is, even history
    // imported later (a since token from before a backward batch must not reach into it).
    const auto first = single_int(txn.prepare(first_stream_sql).bind_all(room_id));
    if (!first || *first > stream_pos)
        return start_boundary(txn, room_id);
    const auto last = single_int(txn.prepare(last_topo_below_sql).bind_all(room_id, live_topo_start));
    return last ? *last + 1 : start_boundary(txn, room_id);
}

std::optional<EventRow> closest_to_ts(ReadTxn& txn, std::string_view room_id, std::int64_t ts,
                                      Direction dir)
{
    const auto sql = dir == Direction::backward ? closest_before_ts_sql : closest_after_ts_sql;
    return detail::read_optional_event(txn.prepare(sql).bind_all(room_id, ts));
}

void set_redacted(WriteTxn& txn, std::string_view event_id, std::string_view redacted_json,
                  std::string_view redacted_by)
{
    txn.prepare(set_redacted_sql).bind_all(redacted_json, redacted_by, event_id).run();
}

std::optional<std::string> event_for_txn(ReadTxn& txn, std::string_view user_id,
                                         std::string_view device_id, std::string_view txn_id)
{
    auto& stmt = txn.prepare(select_txn_sql).bind_all(user_id, device_id, txn_id);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return stmt.column_text(0);
}

void insert_txn(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                std::string_view txn_id, std::string_view event_id, std::int64_t ts)
{
    txn.prepare(insert_txn_sql).bind_all(user_id, device_id, txn_id, event_id, ts).run();
}

} // namespace events

} // namespace ravenous::storage
