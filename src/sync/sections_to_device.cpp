// to_device of /sync: the syncing device's pending to-device messages.

#include "sync/sections_to_device.hpp"

#include "ravenous/storage/to_device_table.hpp"

namespace ravenous::sync::sections {

using nlohmann::json;

json to_device(storage::ReadTxn& txn, const std::string& user_id,
               const std::optional<std::string>& device_id, std::int64_t since,
               std::int64_t& until)
{
    json events = json::array();
    if (!device_id)
        return json{{"events", std::move(events)}};
    // One more than the cap: tells whether the response must end early.
    auto rows = storage::to_device::for_device(txn, user_id, *device_id, since, until,
                                               max_to_device_per_sync + 1);
    if (rows.size() > std::size_t(max_to_device_per_sync)) {
        rows.resize(max_to_device_per_sync);
        until = rows.back().stream_pos;
    }
    for (const auto& row : rows)
        events.push_back(json{{"sender", row.sender},
                              {"type", row.type},
                              {"content", json::parse(row.content_json)}});
    return json{{"events", std::move(events)}};
}

} // namespace ravenous::sync::sections
