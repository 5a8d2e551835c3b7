#pragma once

// What a batch send asks of the log before it writes (the rows themselves go in through
// events::insert, positions allocated by the caller).

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ravenous::storage::backfill {

// The smallest topo of the room above its creation band: its oldest backfilled event, or its
// first live one; nullopt when the room has nothing but its creation. A backward batch goes
// just below it.
std::optional<std::int64_t> oldest_after_creation(ReadTxn& txn, std::string_view room_id);

// Does the room have a message (an event without a state key) outside its creation band?
bool has_messages(ReadTxn& txn, std::string_view room_id);

// The room of each of these event ids that is stored (ids not stored are left out).
std::unordered_map<std::string, std::string> rooms_of_events(ReadTxn& txn,
                                                             const std::vector<std::string>& ids);

} // namespace ravenous::storage::backfill
