// Stored /sync filters.

#include "ravenous/sync/filters.hpp"

#include "ravenous/storage/database.hpp"
#include "ravenous/storage/filters_table.hpp"
#include "sync/sync_filter.hpp"

namespace ravenous::sync {

using boost::asio::awaitable;
using nlohmann::json;

awaitable<std::string> FilterStore::create(std::string user_id, json filter)
{
    SyncFilter::from_json(filter); // throws M_BAD_JSON naming the field
    const std::string text = filter.dump();
    co_return co_await db_.writer().submit(
        [&](storage::WriteTxn& txn) { return storage::filters::insert(txn, user_id, text); });
}

awaitable<std::optional<json>> FilterStore::get(std::string user_id, std::string filter_id)
{
    auto text = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::filters::get(txn, user_id, filter_id); });
    if (!text)
        co_return std::nullopt;
    co_return json::parse(*text);
}

} // namespace ravenous::sync
