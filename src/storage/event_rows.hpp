#pragma once
// Module-private: what every query returning rows of the log shares (events, relations,
// current_state): the column list, in the order read_event expects, and the readers.

#include "ravenous/storage/events_table.hpp"

#include <vector>

// The columns of an EventRow, for a query that names the events table `e`. A macro so that
// queries stay constexpr string literals: "SELECT " RAVENOUS_EVENT_COLUMNS " FROM events e ...".
#define RAVENOUS_EVENT_COLUMNS                                                                     \
    "e.stream_pos, e.room_id, e.topo, e.event_id, e.type, e.state_key, e.sender, "                 \
    "e.origin_server_ts, e.json, e.redacted_by, e.relates_to, e.rel_type, e.device_id, "           \
    "e.txn_id, e.silent, e.backfilled_by"

// The topo bands of events_table.hpp as SQL literals (events_table.cpp checks that they agree):
// the history band is [RAVENOUS_HISTORY_TOPO_START, RAVENOUS_LIVE_TOPO_START).
#define RAVENOUS_HISTORY_TOPO_START "-1099510579200"
#define RAVENOUS_LIVE_TOPO_START "1"
// Is the event at `topo` (an SQL expression) outside the history band?
#define RAVENOUS_NOT_HISTORY(topo)                                                                 \
    "(" topo " >= " RAVENOUS_LIVE_TOPO_START " OR " topo " < " RAVENOUS_HISTORY_TOPO_START ")"
// A state-at query's filter: does the event at `topo` count in the state at `boundary` (both
// SQL expressions)? History (backward batch sends) counts only for boundaries inside or below
// it: it is history only, and the live log goes on from the state as it was without it.
#define RAVENOUS_STATE_AT_TOPO(topo, boundary)                                                     \
    "(" boundary " <= " RAVENOUS_LIVE_TOPO_START " OR " RAVENOUS_NOT_HISTORY(topo) ")"

namespace ravenous::storage::detail {

// How many columns RAVENOUS_EVENT_COLUMNS selects (the index of the next one).
inline constexpr int event_columns = 16;

// The row at the statement's current position, from column `first` on.
EventRow read_event(const Statement& stmt, int first = 0);

// Steps the statement to its end, collecting one row per step (columns from 0).
std::vector<EventRow> read_events(Statement& stmt);

// Steps once: the row if there is one.
std::optional<EventRow> read_optional_event(Statement& stmt);

} // namespace ravenous::storage::detail
