#pragma once

// Module-private: the write job of a batch send, one writer per direction (backfill.hpp says
// what each does).

#include "ravenous/rooms/backfill.hpp"
#include "ravenous/storage/rooms_table.hpp"
#include "rooms/room_log.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ravenous::rooms::backfill {

// What the job writes: the request, its room, and the rows of its message events built before
// the job (aligned with batch.events; nullopt for state events, built inside it).
struct BatchPlan
{
    const storage::RoomRow& room;
    const BatchSend& batch;
    std::vector<std::optional<storage::EventRow>> rows;
    bool silent = false;                      // set on every row written
    std::optional<std::string> backfilled_by; // set on the rows of the bridge's own events
};

// The event as room_log appends it (the row's flags left to the writers).
NewEvent new_event(const BatchEvent& event);

// Each returns the ids in request order and the boundary before the batch.
BatchSent write_backward(storage::WriteTxn& txn, BatchPlan& plan);
BatchSent write_forward(storage::WriteTxn& txn, BatchPlan& plan);

} // namespace ravenous::rooms::backfill
