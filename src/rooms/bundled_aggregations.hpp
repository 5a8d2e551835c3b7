#pragma once

// Bundled aggregations (spec: "Aggregations of child events"): unsigned["m.relations"] with
// the latest edit ("m.replace", the whole replacement event) and the thread summary
// ("m.thread": latest_event, count, current_user_participated) of the events a read returns.

#include "ravenous/rooms/client_event.hpp"
#include "ravenous/storage/events_table.hpp"
#include "rooms/history_scan.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ravenous::rooms {

class BundledAggregations
{
public:
    // Looks up what these events get (inside the read transaction): thread summaries of those
    // that may be thread roots, then the latest edits of those and of the threads' latest
    // replies. Edits and replies the user may not see are left out; redacted events get no
    // edit; state events, edits and reactions get nothing.
    void load(storage::ReadTxn& txn, const std::vector<const storage::EventRow*>& rows,
              std::string_view user_id, const history::VisibleRanges& visible);
    // A summary the caller already has (/threads); load() then does not look it up again.
    void add_thread(storage::events::ThreadSummary summary, const history::VisibleRanges& visible);

    // client_event() plus unsigned["m.relations"] when the event has aggregations.
    nlohmann::json render(const storage::EventRow& row, const Viewer& viewer,
                          std::int64_t now_ms) const;
    nlohmann::json render_all(const std::vector<storage::EventRow>& rows, const Viewer& viewer,
                              std::int64_t now_ms) const;

private:
    std::unordered_map<std::string, storage::EventRow> edits_;
    std::unordered_map<std::string, storage::events::ThreadSummary> threads_;
};

// Pointers to the rows of several vectors (and single rows), for BundledAggregations::load.
std::vector<const storage::EventRow*>
row_pointers(std::initializer_list<const std::vector<storage::EventRow>*> lists,
             std::initializer_list<const storage::EventRow*> singles = {});

} // namespace ravenous::rooms
