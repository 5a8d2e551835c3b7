#pragma once

// Module-private helpers of the timeline reads: what part of a room's log one user may see,
// and a bounded scan of the log through it.

#include "ravenous/rooms/event_filter.hpp"
#include "ravenous/storage/events_table.hpp"
#include "rooms/access.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::rooms::history {

// How many pages of raw rows one request may read before it answers with what it has (and a
// token to continue from): a filter that matches little must not make a request unbounded.
inline constexpr int max_raw_pages = 10;

// Topological positions [begin, end).
struct TopoRange
{
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

// The parts of a room's log one user may see, as sorted, disjoint, non-adjacent ranges of
// topological positions. Built from rooms::VisibilityFilter: visibility only changes at the
// user's membership events and at m.room.history_visibility events, so each stretch between
// two such events is visible or not as a whole, and the change events themselves are
// evaluated on their own (the user always sees their own membership events).
class VisibleRanges
{
public:
    static VisibleRanges load(storage::ReadTxn& txn, const ReadAccess& access,
                              std::string_view user_id);

    bool contains(std::int64_t topo) const;
    // The nearest visible range with events before `boundary` (topo < boundary), its end
    // clipped to `boundary`; nullopt if nothing visible lies before it.
    std::optional<TopoRange> below(std::int64_t boundary) const;
    // The nearest visible range with events at or after `boundary`, its begin clipped to it.
    std::optional<TopoRange> above(std::int64_t boundary) const;
    const std::vector<TopoRange>& ranges() const { return ranges_; }

    // For tests and callers that build ranges themselves (adjacent ranges are merged).
    void add(TopoRange range);

private:
    std::vector<TopoRange> ranges_;
};

struct ScanResult
{
    std::vector<storage::EventRow> rows; // in the direction of the scan
    std::int64_t next = 0;               // the boundary to continue from
    bool more = false;                   // visible events may lie beyond `next` that way
};

// Reads the room's log from the boundary `from` in direction `dir`, keeping the visible events
// that match the filter, until `limit` of them, the `to` boundary, the end of what the user may
// see, or max_raw_pages pages of raw rows. Invisible stretches are skipped without reading.
ScanResult scan(storage::ReadTxn& txn, std::string_view room_id, const VisibleRanges& visible,
                const RoomEventFilter& filter, std::int64_t from, storage::Direction dir, int limit,
                std::optional<std::int64_t> to = std::nullopt);

// The boundary a client's token names in this room; 400 M_INVALID_PARAM naming the query
// parameter if it is malformed.
std::int64_t parse_boundary(storage::ReadTxn& txn, std::string_view room_id, std::string_view token,
                            std::string_view param);

// The first event the user may see at or after (forward) / before (backward) a boundary.
std::optional<storage::EventRow> first_visible(storage::ReadTxn& txn, std::string_view room_id,
                                               const VisibleRanges& visible, std::int64_t from,
                                               storage::Direction dir);

// The room's event `event_id` if the user may see it; nullopt otherwise (unknown, another
// room, or invisible).
std::optional<storage::EventRow> visible_event(storage::ReadTxn& txn, std::string_view room_id,
                                               const VisibleRanges& visible,
                                               std::string_view event_id);

} // namespace ravenous::rooms::history
