#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::storage {

class WriteTxn;

struct DeviceRow
{
    std::string user_id;
    std::string device_id;
    std::optional<std::string> display_name;
    std::optional<std::int64_t> last_seen_ts;
    std::optional<std::string> last_seen_ip;
    std::int64_t created_ts = 0;
};

namespace devices {
std::optional<DeviceRow> get(ReadTxn& txn, std::string_view user_id, std::string_view device_id);
std::vector<DeviceRow> list(ReadTxn& txn, std::string_view user_id);
// Inserts the device, or keeps the existing one (its display name is left unchanged).
// Returns true if it was new.
bool upsert(WriteTxn& txn, const DeviceRow& row);
// False if there is no such device.
bool set_display_name(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                      const std::optional<std::string>& name);
void touch(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
           std::int64_t ts, std::string_view ip);
// Removes the device and (by cascade) its access tokens. False if there was none.
bool remove(WriteTxn& txn, std::string_view user_id, std::string_view device_id);
// Removes every device of the user except `keep` (if given); returns how many went.
int remove_all(WriteTxn& txn, std::string_view user_id, const std::optional<std::string>& keep);
} // namespace devices

struct TokenRow
{
    std::string user_id;
    std::string device_id;
};

// Access tokens, keyed by their hash (the token itself is never stored).
namespace access_tokens {
std::optional<TokenRow> find(ReadTxn& txn, std::string_view token_hash);
void insert(WriteTxn& txn, std::string_view token_hash, std::string_view user_id,
            std::string_view device_id, std::int64_t created_ts);
void remove(WriteTxn& txn, std::string_view token_hash);
// Removes every token of a device except the one given (used on password change).
int remove_for_device(WriteTxn& txn, std::string_view user_id, std::string_view device_id,
                      const std::optional<std::string>& keep_hash);
} // namespace access_tokens

} // namespace ravenous::storage
