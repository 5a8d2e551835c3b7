#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {

// A user's receipt of one type in one thread of a room (thread_id "" = unthreaded).
struct ReceiptRow
{
    std::string room_id;
    std::string user_id;
    std::string receipt_type;
    std::string thread_id;
    std::string event_id;
    std::int64_t ts = 0;
    std::int64_t stream_pos = 0;
};

namespace receipts {
// Inserts or replaces the row for (room, user, receipt_type, thread_id).
void put(WriteTxn& txn, const ReceiptRow& row);
std::optional<ReceiptRow> get(ReadTxn& txn, std::string_view room_id, std::string_view user_id,
                              std::string_view receipt_type, std::string_view thread_id);
// The room's receipts with since < stream_pos <= until, oldest first.
std::vector<ReceiptRow> in_room(ReadTxn& txn, std::string_view room_id, std::int64_t since,
                                std::int64_t until);
// Rooms with receipts with since < stream_pos <= until.
std::vector<std::string> rooms_changed(ReadTxn& txn, std::int64_t since, std::int64_t until);
} // namespace receipts

} // namespace ravenous::storage
