#include "ravenous/sync/account_data.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/storage/account_data_table.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/room_deletion.hpp"
#include "ravenous/matrix/event_types.hpp"

namespace ravenous::sync {

namespace literals = matrix::literals;

namespace errors = matrix::errors;
using nlohmann::json;

namespace {
void require_own(const std::string& caller, const std::string& user_id, std::string_view what)
{
    if (caller != user_id)
        throw errors::forbidden("Cannot " + std::string(what) + " account data for other users.");
}

// Account data of a room that never existed is stored (as Synapse does); of a deleted one it
// would outlive the deletion.
void require_not_deleted(storage::ReadTxn& txn, const std::string& room_id)
{
    if (!room_id.empty() && storage::room_deletion::is_deleted(txn, room_id))
        throw errors::not_found("Room " + room_id + " was deleted");
}

json stored_tags(storage::ReadTxn& txn, const std::string& user_id, const std::string& room_id)
{
    auto stored = storage::account_data::get(txn, user_id, room_id, literals::m_tag);
    json tags = json::object();
    if (stored) {
        json content = json::parse(*stored);
        if (content.contains("tags") && content["tags"].is_object())
            tags = std::move(content["tags"]);
    }
    return tags;
}
} // namespace

boost::asio::awaitable<void> AccountDataService::put(std::string caller, std::string user_id,
                                                     std::string room_id, std::string type,
                                                     json content)
{
    require_own(caller, user_id, "add");
    if (type == literals::m_fully_read || type == literals::m_push_rules)
        throw matrix::MatrixError(405, matrix::ErrCode::M_BAD_JSON,
                                  "Cannot set " + type + " through this API.");
    if (!content.is_object())
        throw errors::bad_json("Content must be a JSON object.");
    const std::string text = content.dump();
    co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        require_not_deleted(txn, room_id);
        storage::account_data::put(txn, user_id, room_id, type, text, storage::stream::next(txn));
    });
}

boost::asio::awaitable<json> AccountDataService::get(std::string caller, std::string user_id,
                                                     std::string room_id, std::string type)
{
    require_own(caller, user_id, "get");
    auto stored = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        return storage::account_data::get(txn, user_id, room_id, type);
    });
    if (!stored)
        throw errors::not_found("Account data not found");
    co_return json::parse(*stored);
}

boost::asio::awaitable<json> AccountDataService::tags(std::string caller, std::string user_id,
                                                      std::string room_id)
{
    require_own(caller, user_id, "get");
    json tags = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return stored_tags(txn, user_id, room_id); });
    json out = json::object();
    out["tags"] = std::move(tags);
    co_return out;
}

boost::asio::awaitable<void> AccountDataService::set_tag(std::string caller, std::string user_id,
                                                         std::string room_id, std::string tag,
                                                         std::optional<json> content)
{
    require_own(caller, user_id, "add");
    co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        require_not_deleted(txn, room_id);
        json tags = stored_tags(txn, user_id, room_id);
        if (content) {
            tags[tag] = *content;
        } else {
            tags.erase(tag);
        }
        json stored = json::object();
        stored["tags"] = std::move(tags);
        storage::account_data::put(txn, user_id, room_id, literals::m_tag, stored.dump(),
                                   storage::stream::next(txn));
    });
}

} // namespace ravenous::sync
