#pragma once

// What the appservice pusher reads and writes: the log in stream order and each
// appservice's durable cursor on it.

#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ravenous::storage {

namespace appservice_cursors {
// Everything up to this stream position was delivered to (or not of interest to) the
// appservice; nullopt for an appservice that never had a consumer.
std::optional<std::int64_t> get(ReadTxn& txn, std::string_view appservice_id);
void set(WriteTxn& txn, std::string_view appservice_id, std::int64_t stream_pos);
} // namespace appservice_cursors

namespace events {
// Events with from < stream_pos <= to in stream order, at most `limit`.
std::vector<EventRow> stream_range(ReadTxn& txn, std::int64_t from, std::int64_t to, int limit);
} // namespace events

} // namespace ravenous::storage
