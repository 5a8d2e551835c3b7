#pragma once

// Send-to-device messaging: PUT /sendToDevice stores one message per recipient device, each at
// its own stream position; /sync hands them to the device (sync/sections_to_device.cpp) and
// deletes them once the device syncs past them.
//
// Free functions over the database rather than a service object: there is no state to hold
// beyond the database and the configuration the caller already has.

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ravenous::config {
struct Config;
}
namespace ravenous::storage {
class Database;
}

namespace ravenous::sync::to_device {

// One message of a request: to one device, or to every device of the user ("*").
struct Outgoing
{
    std::string user_id;
    std::string device_id; // or "*"
    nlohmann::json content;
};

// The body's `messages` ({userId: {deviceId | "*": content}}) checked and flattened. Throws
// 400 M_BAD_JSON when `messages` is missing or not a map of maps of objects, and 400
// M_INVALID_PARAM for a key that is not a user id (as Synapse).
std::vector<Outgoing> parse_messages(const nlohmann::json& body);

// PUT /sendToDevice/{eventType}/{txnId}: validates everything first (a refused request stores
// nothing), then one write job records the transaction and stores one message per device, each
// at its own stream position. A retried transaction — same sender, device key
// (rooms::device_key: the device, or the appservice for a bare as_token), event type and txnId
// — stores nothing again. Recipients that are not local (neither the owner nor on
// server_name), unknown users and unknown devices are skipped silently; "*" means the devices
// the user has when the job runs.
boost::asio::awaitable<void> send(storage::Database& db, const config::Config& config,
                                  auth::Identity sender, std::string event_type,
                                  std::string txn_id, nlohmann::json body);

// A /sync from `since` acknowledges what the device was given up to there: deletes its messages
// with stream_pos <= since (never past the current stream position). Costs one read, and a
// write job only when there is something to delete.
boost::asio::awaitable<void> acknowledge(storage::Database& db, std::string user_id,
                                         std::string device_id, std::int64_t since);

} // namespace ravenous::sync::to_device
