#pragma once

#include "ravenous/auth/identity.hpp"
#include "ravenous/storage/devices_table.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ravenous::storage {
class Database;
}

namespace ravenous::auth {

// A user's devices (sessions): list, rename, delete.
class DeviceService
{
public:
    explicit DeviceService(storage::Database& db) : db_(db) {}

    boost::asio::awaitable<std::vector<storage::DeviceRow>> list(std::string user_id);
    boost::asio::awaitable<std::optional<storage::DeviceRow>> get(std::string user_id,
                                                                  std::string device_id);
    // M_NOT_FOUND if the device does not exist.
    boost::asio::awaitable<void> rename(std::string user_id, std::string device_id,
                                        std::optional<std::string> display_name);
    // Deletes the devices (and their tokens); unknown ids are ignored, as the spec says.
    boost::asio::awaitable<void> remove(std::string user_id, std::vector<std::string> device_ids);

private:
    storage::Database& db_;
};

} // namespace ravenous::auth
