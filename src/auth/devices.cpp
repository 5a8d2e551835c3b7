#include "ravenous/auth/devices.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/storage/database.hpp"

namespace ravenous::auth {

using boost::asio::awaitable;

awaitable<std::vector<storage::DeviceRow>> DeviceService::list(std::string user_id)
{
    co_return co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::devices::list(txn, user_id); });
}

awaitable<std::optional<storage::DeviceRow>> DeviceService::get(std::string user_id,
                                                               std::string device_id)
{
    co_return co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::devices::get(txn, user_id, device_id); });
}

awaitable<void> DeviceService::rename(std::string user_id, std::string device_id,
                                      std::optional<std::string> display_name)
{
    if (display_name && display_name->size() > 100)
        throw matrix::errors::invalid_param("display_name is too long (max 100)");
    const bool found = co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        return storage::devices::set_display_name(txn, user_id, device_id, display_name);
    });
    if (!found)
        throw matrix::errors::not_found("Device not found");
}

awaitable<void> DeviceService::remove(std::string user_id, std::vector<std::string> device_ids)
{
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        for (const auto& device_id : device_ids)
            storage::devices::remove(txn, user_id, device_id);
    });
}

} // namespace ravenous::auth
