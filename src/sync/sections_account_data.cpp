// /sync sections: global and per-room account data (tags and m.fully_read included: they are
// room account data).
#include "ravenous/storage/account_data_table.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/push/ruleset.hpp"
#include "ravenous/storage/push_rules_table.hpp"
#include "sync/sections.hpp"

namespace ravenous::sync::sections {

using nlohmann::json;

namespace {
json events_of(storage::ReadTxn& txn, const std::string& user_id, const std::string& room_id,
               std::int64_t since, std::int64_t until)
{
    json events = json::array();
    for (auto& row : storage::account_data::changed(txn, user_id, room_id, since, until)) {
        json event = json::object();
        event["type"] = std::move(row.type);
        event["content"] = json::parse(row.content);
        events.push_back(std::move(event));
    }
    json out = json::object();
    out["events"] = std::move(events);
    return out;
}
} // namespace

json global_account_data(storage::ReadTxn& txn, const std::string& user_id, std::int64_t since,
                         std::int64_t until)
{
    json out = events_of(txn, user_id, "", since, until);
    // Push rules live in their own tables but reach clients as the m.push_rules account data.
    const auto changed = storage::push_rules::changed_at(txn, user_id);
    if (since == 0 || (changed && *changed > since && *changed <= until))
    {
        json rules = {{"type", matrix::literals::m_push_rules},
                      {"content", push::push_rules_account_data(txn, user_id)}};
        out["events"].push_back(std::move(rules));
    }
    return out;
}

json room_account_data(storage::ReadTxn& txn, const std::string& user_id,
                       const std::string& room_id, std::int64_t since, std::int64_t until)
{
    return events_of(txn, user_id, room_id, since, until);
}

std::vector<std::string> rooms_with_account_data(storage::ReadTxn& txn, const std::string& user_id,
                                                 std::int64_t since, std::int64_t until)
{
    return storage::account_data::rooms_changed(txn, user_id, since, until);
}

} // namespace ravenous::sync::sections
