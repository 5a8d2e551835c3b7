// Send-to-device: PUT /sendToDevice (store, idempotently) and the acknowledgement a /sync makes.

#include "ravenous/sync/to_device.hpp"

#include "ravenous/config/config.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/rooms/client_event.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/devices_table.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/to_device_table.hpp"
#include "ravenous/util/time.hpp"

#include <algorithm>

namespace ravenous::sync::to_device {

namespace errors = matrix::errors;
using boost::asio::awaitable;
using nlohmann::json;

namespace {

// How long a sendToDevice txnId is remembered. A client retries within seconds or minutes
// (Synapse keeps its transaction cache for 30 minutes); keeping a day bounds the table.
constexpr std::int64_t txn_memory_ms = 24 * 60 * 60 * 1000;

bool is_local(const config::Config& config, const std::string& user_id)
{
    if (user_id == config.owner.user_id)
        return true;
    const auto parsed = matrix::parse_user_id(user_id);
    return parsed && parsed->server_name == config.server_name;
}

// Stores the message once per addressed device that exists now (none for an unknown user or
// device: skipped without an error, as the spec's "known devices" implies).
void store_for(storage::WriteTxn& txn, const Outgoing& message, const std::string& sender,
               const std::string& event_type, const std::string& content_json)
{
    std::vector<std::string> device_ids;
    if (message.device_id == "*") {
        for (auto& device : storage::devices::list(txn, message.user_id))
            device_ids.push_back(std::move(device.device_id));
    } else if (storage::devices::get(txn, message.user_id, message.device_id)) {
        device_ids.push_back(message.device_id);
    }
    for (auto& device_id : device_ids)
        storage::to_device::insert(txn, storage::ToDeviceRow{storage::stream::next(txn),
                                                             message.user_id, std::move(device_id),
                                                             sender, event_type, content_json});
}

} // namespace

std::vector<Outgoing> parse_messages(const json& body)
{
    const auto messages = body.find("messages");
    if (messages == body.end())
        throw errors::bad_json("Missing 'messages'");
    if (!messages->is_object())
        throw errors::bad_json("'messages' must be an object");
    std::vector<Outgoing> out;
    for (const auto& [user_id, by_device] : messages->items()) {
        if (!matrix::is_valid_user_id(user_id))
            throw errors::invalid_param("Invalid user ID: " + user_id);
        if (!by_device.is_object())
            throw errors::bad_json("'messages." + user_id + "' must be an object");
        for (const auto& [device_id, content] : by_device.items()) {
            if (!content.is_object())
                throw errors::bad_json("'messages." + user_id + "." + device_id +
                                       "' must be an object");
            out.push_back(Outgoing{user_id, device_id, content});
        }
    }
    return out;
}

awaitable<void> send(storage::Database& db, const config::Config& config, auth::Identity sender,
                     std::string event_type, std::string txn_id, json body)
{
    auto messages = parse_messages(body);
    // Only local recipients are stored (nothing federates); dropped here, before the job.
    std::erase_if(messages,
                  [&](const Outgoing& message) { return !is_local(config, message.user_id); });
    std::vector<std::string> contents;
    contents.reserve(messages.size());
    for (const auto& message : messages)
        contents.push_back(message.content.dump());
    const auto device_key = rooms::device_key(sender);
    const auto now = util::now_ms();

    // One job: the transaction id is recorded with the messages it stored, so a retry that
    // races the first attempt either sees both or neither.
    co_await db.writer().run([&](storage::WriteTxn& txn) {
        if (!storage::to_device::record_txn(txn, sender.user_id, device_key, event_type, txn_id,
                                            now, now - txn_memory_ms))
            return;
        for (std::size_t i = 0; i < messages.size(); ++i)
            store_for(txn, messages[i], sender.user_id, event_type, contents[i]);
    });
}

awaitable<void> acknowledge(storage::Database& db, std::string user_id, std::string device_id,
                            std::int64_t since)
{
    const bool pending = co_await db.readers().read([&](storage::ReadTxn& txn) {
        return storage::to_device::any_up_to(txn, user_id, device_id, since);
    });
    if (!pending)
        co_return;
    co_await db.writer().run([&](storage::WriteTxn& txn) {
        // A token from beyond the stream (forged, or from another database) acknowledges
        // nothing that was never handed out.
        const auto up_to = std::min(since, storage::stream::current(txn));
        storage::to_device::remove_up_to(txn, user_id, device_id, up_to);
    });
}

} // namespace ravenous::sync::to_device
