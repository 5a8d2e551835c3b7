#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::storage {

// One row of the log. `json` is the event as served to clients (without the per-request
// unsigned fields such as age and transaction_id).
struct EventRow
{
    std::int64_t stream_pos = 0;  // global order: what /sync follows
    std::string room_id;
    std::int64_t topo = 0;        // per-room order: what /messages follows
    std::string event_id;
    std::string type;
    std::optional<std::string> state_key;
    std::string sender;
    std::int64_t origin_server_ts = 0;
    std::string json;
    std::optional<std::string> redacted_by;
    std::optional<std::string> relates_to;
    std::optional<std::string> rel_type;
    std::optional<std::string> device_id;
    std::optional<std::string> txn_id;
    // Imported by a batch send: `silent` events count towards no unread or notification count
    // and are never pushed; `backfilled_by` names the appservice whose batch wrote the event
    // (never delivered back to it).
    bool silent = false;
    std::optional<std::string> backfilled_by;
};

enum class Direction { backward, forward };

// The stream counter: one global sequence for events and everything else /sync follows.
namespace stream {
// Allocates the next position (inside the caller's job savepoint: a job that throws gives
// its positions back, so committed positions have no gaps from failed jobs).
std::int64_t next(WriteTxn& txn);
std::int64_t current(ReadTxn& txn);
} // namespace stream

namespace events {
// Inserts the row as given (stream_pos and topo already allocated). relates_to/rel_type are
// content.m.relates_to's event_id/rel_type (what relations and threads are found by).
void insert(WriteTxn& txn, const EventRow& row);
// Where a room's events sit in topo order. createRoom's events take positions from
// creation_topo_base up; every later event is appended at live_topo_start or after. The gap
// between the two bands is where backfilled history goes (below the oldest later event), so
// history shows after "created the room" and never needs renumbering: 2^40 positions.
constexpr std::int64_t creation_topo_base = -(std::int64_t{1} << 40);
constexpr std::int64_t live_topo_start = 1;
// Upper end (exclusive) of the creation band: a createRoom writes far fewer events.
constexpr std::int64_t creation_topo_limit = creation_topo_base + (std::int64_t{1} << 20);
// History imported backwards (batch sends) sits between the bands, [creation_topo_limit,
// live_topo_start): it is part of the state at a boundary inside or below it, never of the
// state the live log continues from, and /sync treats it as there from the start.
constexpr bool in_history_band(std::int64_t topo)
{
    return topo >= creation_topo_limit && topo < live_topo_start;
}

// The next topological position at the end of the room's log: live_topo_start or after.
std::int64_t next_topo(WriteTxn& txn, std::string_view room_id);
// The next position of the room's creation band (createRoom's own events).
std::int64_t next_creation_topo(WriteTxn& txn, std::string_view room_id);

std::optional<EventRow> get(ReadTxn& txn, std::string_view event_id);
// Several at once (missing ids are left out); order not guaranteed.
std::vector<EventRow> get_many(ReadTxn& txn, const std::vector<std::string>& event_ids);

// A page of the room's log. Positions are boundaries: a boundary B separates events with
// topo < B from events with topo >= B. Backward: events with topo < from (and >= to, if
// given), newest first. Forward: events with topo >= from (and < to), oldest first. At most
// `limit` rows (none if limit <= 0). The next page starts at the last row's topo (backward)
// or at the last row's topo + 1 (forward).
std::vector<EventRow> page(ReadTxn& txn, std::string_view room_id, std::int64_t from,
                           Direction dir, int limit, std::optional<std::int64_t> to = std::nullopt);

// The boundary after the room's last event (max topo + 1; 1 for an empty room).
std::int64_t end_boundary(ReadTxn& txn, std::string_view room_id);
// The boundary before the room's first event (min topo; 1 for an empty room).
std::int64_t start_boundary(ReadTxn& txn, std::string_view room_id);
// The boundary just after the room's last event (largest topo) at or before a stream
// position; start_boundary if the room had no event then. The history band counts as written
// before any live event, whatever its stream positions: a position with no live event at or
// before it has its boundary after the whole band. Walks the room's topo index down from the
// end: costs the number of the room's live events after that position (a covering index
// scan, about 20,000 entries per ms), so it is cheap for recent positions.
std::int64_t boundary_at_stream(ReadTxn& txn, std::string_view room_id, std::int64_t stream_pos);

// The event closest to a timestamp (origin_server_ts): the last one at or before it
// (backward) or the first at or after it (forward); equal timestamps are ordered by topo.
std::optional<EventRow> closest_to_ts(ReadTxn& txn, std::string_view room_id, std::int64_t ts,
                                      Direction dir);

// Replaces the stored JSON with its redacted form and records the redaction event. Also clears
// relates_to/rel_type (the redacted content has no m.relates_to): a redacted edit, reaction or
// thread reply no longer counts in relations, edits or thread summaries (as in Synapse).
void set_redacted(WriteTxn& txn, std::string_view event_id, std::string_view redacted_json,
                  std::string_view redacted_by);

// Events of the room relating to `event_id` (optionally of one rel_type and event type), paged
// by topo boundaries exactly as `page` does (from, dir, limit, to).
std::vector<EventRow> relations(ReadTxn& txn, std::string_view room_id, std::string_view event_id,
                                const std::optional<std::string>& rel_type,
                                const std::optional<std::string>& event_type, std::int64_t from,
                                Direction dir, int limit,
                                std::optional<std::int64_t> to = std::nullopt);

// The latest m.replace edit of each of these events (for bundled aggregations), keyed by the
// edited event id; events without a valid edit are left out. Valid per the spec ("Validity
// of replacement events"): same room, same sender and same type as the original, neither has
// a state_key, the original is not itself an edit, and the edit has an m.new_content object
// (not checked for m.room.encrypted: it is inside the ciphertext). Latest per the spec and
// Synapse: the highest origin_server_ts, then the highest event_id.
std::vector<std::pair<std::string, EventRow>> latest_edits(ReadTxn& txn,
                                                           const std::vector<std::string>& ids);

struct ThreadSummary
{
    std::string root_id;
    std::int64_t count = 0;
    EventRow latest;
    bool participated = false;  // the given user sent the root or a reply
};
// Thread summaries for these roots (only roots that have replies), in the order given.
// `latest` is the reply with the largest topo.
std::vector<ThreadSummary> thread_summaries(ReadTxn& txn, const std::vector<std::string>& root_ids,
                                            std::string_view user_id);

// Thread roots of the room ordered by their latest reply, newest first: roots whose latest
// reply has topo < from. `participated_by`: only threads that user took part in (sent the
// root or a reply). The next page's `from` is the last root's latest reply topo (from
// thread_summaries, which bundling needs anyway); the first page's is end_boundary.
std::vector<EventRow> thread_roots(ReadTxn& txn, std::string_view room_id, std::int64_t from,
                                   int limit, const std::optional<std::string>& participated_by);

// The sender's own txn id lookup for idempotent sends.
std::optional<std::string> event_for_txn(ReadTxn& txn, std::string_view user_id,
                                         std::string_view device_id, std::string_view txn_id);
// Throws storage::Error (a unique violation) if the txn id is taken: look it up with
// event_for_txn in the same write job first.
void insert_txn(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                std::string_view txn_id, std::string_view event_id, std::int64_t ts);
} // namespace events

} // namespace ravenous::storage
