#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {

// One pending to-device message for one device. Each message has its own stream position.
struct ToDeviceRow
{
    std::int64_t stream_pos = 0;
    std::string user_id, device_id, sender, type, content_json;
};

// The to-device inbox (schema 0001 and 0004). A device's messages are also deleted with the
// device itself (a trigger in 0004), whichever path deletes it.
namespace to_device {

// Stores the row (its stream_pos already allocated, unique).
void insert(WriteTxn& txn, const ToDeviceRow& row);

// Messages with from < stream_pos <= to, oldest first, at most `limit`.
std::vector<ToDeviceRow> range(ReadTxn& txn, std::int64_t from, std::int64_t to, int limit);
// Removes these messages (an appservice acknowledged the transaction that carried them).
void remove(WriteTxn& txn, const std::vector<std::int64_t>& stream_positions);

// One device's messages with from < stream_pos <= to, oldest first, at most `limit`.
std::vector<ToDeviceRow> for_device(ReadTxn& txn, std::string_view user_id,
                                    std::string_view device_id, std::int64_t from,
                                    std::int64_t to, int limit);
// Whether the device has messages with stream_pos <= up_to (what a sync from up_to acknowledges).
bool any_up_to(ReadTxn& txn, std::string_view user_id, std::string_view device_id,
               std::int64_t up_to);
// Deletes the device's messages with stream_pos <= up_to; returns how many went.
int remove_up_to(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                 std::int64_t up_to);

// Records a sendToDevice transaction: true if it is new, false if this (sender, device key,
// event type, txnId) was already recorded (a retry: store nothing again). Also forgets the
// sender's transactions recorded before `forget_before_ts`.
bool record_txn(WriteTxn& txn, std::string_view user_id, std::string_view device_key,
                std::string_view event_type, std::string_view txn_id, std::int64_t now_ts,
                std::int64_t forget_before_ts);

} // namespace to_device

} // namespace ravenous::storage
