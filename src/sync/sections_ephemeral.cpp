// /sync sections: a room's ephemeral events, m.typing (in memory) and m.receipt (stored).
#include "ravenous/storage/receipts_table.hpp"
#include "ravenous/sync/ephemeral.hpp"
#include "sync/sections.hpp"
#include "ravenous/matrix/event_types.hpp"

#include <algorithm>

namespace ravenous::sync::sections {

namespace literals = matrix::literals;

using nlohmann::json;

namespace {
json typing_event(const std::vector<std::string>& users)
{
    json event = json::object();
    event["type"] = literals::m_typing;
    event["content"] = json::object();
    event["content"]["user_ids"] = users;
    return event;
}

// {event_id: {receipt_type: {user_id: {ts, thread_id?}}}}; null when there is nothing to show.
json receipt_event(storage::ReadTxn& txn, const std::string& user_id, const std::string& room_id,
                   std::int64_t since, std::int64_t until)
{
    json content = json::object();
    for (const auto& row : storage::receipts::in_room(txn, room_id, since, until)) {
        if (row.receipt_type == literals::m_read_private && row.user_id != user_id)
            continue;
        json receipt = json::object();
        receipt["ts"] = row.ts;
        if (!row.thread_id.empty())
            receipt["thread_id"] = row.thread_id;
        content[row.event_id][row.receipt_type][row.user_id] = std::move(receipt);
    }
    if (content.empty())
        return nullptr;
    json event = json::object();
    event["type"] = literals::m_receipt;
    event["content"] = std::move(content);
    return event;
}
} // namespace

// m.typing is included when someone types in the room now or typed earlier in this process
// (so that a list that became empty reaches the client).
json room_ephemeral(storage::ReadTxn& txn, EphemeralState& ephemeral, const std::string& user_id,
                    const std::string& room_id, std::int64_t since, std::int64_t until)
{
    json events = json::array();
    const auto typing = ephemeral.typing_in(room_id);
    const auto rooms = ephemeral.typing_rooms();
    if (!typing.empty() || std::find(rooms.begin(), rooms.end(), room_id) != rooms.end())
        events.push_back(typing_event(typing));
    json receipts = receipt_event(txn, user_id, room_id, since, until);
    if (!receipts.is_null())
        events.push_back(std::move(receipts));
    json out = json::object();
    out["events"] = std::move(events);
    return out;
}

std::vector<std::string> rooms_with_receipts(storage::ReadTxn& txn, std::int64_t since,
                                             std::int64_t until)
{
    return storage::receipts::rooms_changed(txn, since, until);
}

// Every room where anyone typed in this process: typing_rooms_since(serial) on EphemeralState
// gives the precise list for a caller that knows the client's ephemeral serial.
std::vector<std::string> rooms_with_typing(EphemeralState& ephemeral)
{
    return ephemeral.typing_rooms();
}

} // namespace ravenous::sync::sections
