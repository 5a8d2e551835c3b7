#pragma once

// The to_device section of /sync (sections_to_device.cpp).

#include "ravenous/storage/sqlite.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ravenous::sync::sections {

// At most this many to-device messages per /sync response (as Synapse).
inline constexpr int max_to_device_per_sync = 100;

// {"events": [{sender, type, content}, ...]}: the device's messages with since < stream_pos <=
// until, oldest first. When more than max_to_device_per_sync are pending, lowers `until` to the
// position of the last one sent: the whole response (every section) then ends there and its
// next_batch carries that position, so the next sync starts right after the last message
// given. Nothing is skipped (a later since acknowledges only what was given) and nothing is
// repeated. Keeping next_batch at the stream's end instead would make the next since
// acknowledge, and delete, messages never sent. Each message has its own stream position
// (sync/to_device.cpp), so cutting after one message cuts exactly there.
// Empty for a caller without a device (a bare appservice token).
nlohmann::json to_device(storage::ReadTxn& txn, const std::string& user_id,
                         const std::optional<std::string>& device_id, std::int64_t since,
                         std::int64_t& until);

} // namespace ravenous::sync::sections
