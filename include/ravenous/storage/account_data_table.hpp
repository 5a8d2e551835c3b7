#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {

// One piece of a user's account data: global (room_id "") or for one room.
struct AccountDataRow
{
    std::string room_id;
    std::string type;
    std::string content; // a JSON object, verbatim
    std::int64_t stream_pos = 0;
};

namespace account_data {
// Inserts or replaces (user, room, type) with the content at this stream position.
void put(WriteTxn& txn, std::string_view user_id, std::string_view room_id, std::string_view type,
         std::string_view content, std::int64_t stream_pos);
std::optional<std::string> get(ReadTxn& txn, std::string_view user_id, std::string_view room_id,
                               std::string_view type);
// The user's rows of one room ("" for global) with since < stream_pos <= until, oldest first.
std::vector<AccountDataRow> changed(ReadTxn& txn, std::string_view user_id,
                                    std::string_view room_id, std::int64_t since,
                                    std::int64_t until);
// The rooms (not "") with rows of the user with since < stream_pos <= until.
std::vector<std::string> rooms_changed(ReadTxn& txn, std::string_view user_id, std::int64_t since,
                                       std::int64_t until);
} // namespace account_data

} // namespace ravenous::storage
