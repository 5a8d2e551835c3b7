#include "appservice/transaction.hpp"

#include "ravenous/rooms/client_event.hpp"

#include "ravenous/storage/appservice_stream.hpp"
#include "ravenous/storage/receipts_table.hpp"
#include "ravenous/storage/room_deletion.hpp"
#include "ravenous/storage/to_device_table.hpp"
#include "ravenous/sync/ephemeral.hpp"

#include <algorithm>
#include <map>

namespace ravenous::appservice {

using nlohmann::json;

namespace {

// The event as the bridge reads it: as a client reads it (with unsigned.age), plus
// unsigned.transaction_id when the bridge itself sent it (mautrix copies it into its message
// status events): through its token, or through a device of one of its puppets.
json bridge_event(const storage::EventRow& row, const Registration& registration,
                  const Interest& interest, const BuildInput& input)
{
    json event = rooms::client_event(row, rooms::Viewer{}, input.now_ms);
    if (row.txn_id && row.device_id) {
        const bool by_its_token = *row.device_id == "as:" + registration.id;
        const bool by_its_puppet =
            row.sender != input.owner_user_id && interest.wants_user(row.sender);
        if (by_its_token || by_its_puppet)
            event["unsigned"]["transaction_id"] = *row.txn_id;
    }
    return event;
}

// Lowers `to` so that at most `limit` positioned items stay, and drops the rest.
template <class T, class Position>
void cap(std::vector<T>& items, std::size_t limit, std::int64_t& to, Position position)
{
    if (items.size() > limit)
        to = std::min(to, position(items[limit - 1]));
    std::erase_if(items, [&](const T& item) { return position(item) > to; });
}

json receipt_edus(const std::vector<storage::ReceiptRow>& rows)
{
    std::map<std::string, json> by_room;
    for (const auto& row : rows) {
        json receipt = {{"ts", row.ts}};
        if (!row.thread_id.empty())
            receipt["thread_id"] = row.thread_id;
        auto& content = by_room[row.room_id];
        content[row.event_id][row.receipt_type][row.user_id] = std::move(receipt);
    }
    json edus = json::array();
    for (auto& [room_id, content] : by_room)
        edus.push_back({{"type", "m.receipt"}, {"room_id", room_id}, {"content", content}});
    return edus;
}

// Typing and presence as they are now, for what changed since the last transaction. They
// are state, not a queue: while a bridge is away only the latest of each is kept.
void add_memory_ephemeral(storage::ReadTxn& txn, Interest& interest,
                          sync::EphemeralState& ephemeral, const BuildInput& input,
                          std::size_t limit, json& edus)
{
    for (const auto& room_id : ephemeral.typing_rooms_since(input.ephemeral_since)) {
        if (edus.size() >= limit)
            return;
        if (!interest.wants_room(txn, room_id))
            continue;
        edus.push_back({{"type", "m.typing"},
                        {"room_id", room_id},
                        {"content", {{"user_ids", ephemeral.typing_in(room_id)}}}});
    }
    for (const auto& user_id : ephemeral.presence_users(input.ephemeral_since)) {
        if (edus.size() >= limit)
            return;
        if (user_id != input.owner_user_id && !interest.wants_user(user_id))
            continue;
        edus.push_back({{"type", "m.presence"},
                        {"sender", user_id},
                        {"content", ephemeral.presence_content(user_id)}});
    }
}

} // namespace

Transaction build_transaction(storage::ReadTxn& txn, Interest& interest,
                              const Registration& registration, sync::EphemeralState& ephemeral,
                              const BuildInput& input, const TransactionLimits& limits)
{
    Transaction out;
    out.from = input.from;
    out.ephemeral_to = input.ephemeral_now;

    auto rows = storage::events::stream_range(txn, input.from, input.head, limits.scan);
    std::int64_t to = static_cast<int>(rows.size()) < limits.scan ? input.head
                                                                   : rows.back().stream_pos;
    // Rooms deleted up to there have no events left to ask about; their cached answers go.
    for (const auto& room_id : storage::room_deletion::in_range(txn, input.from, to))
        interest.forget_room(room_id);
    std::vector<storage::EventRow> wanted;
    for (auto& row : rows) {
        if (wanted.size() > limits.events)
            break;
        if (interest.wants_event(txn, row))
            wanted.push_back(std::move(row));
    }
    auto event_position = [](const storage::EventRow& row) { return row.stream_pos; };
    cap(wanted, limits.events, to, event_position);

    std::vector<storage::ReceiptRow> receipts;
    if (registration.receive_ephemeral) {
        for (const auto& room_id : storage::receipts::rooms_changed(txn, input.from, to)) {
            if (!interest.wants_room(txn, room_id))
                continue;
            auto in_room = storage::receipts::in_room(txn, room_id, input.from, to);
            receipts.insert(receipts.end(), in_room.begin(), in_room.end());
        }
        std::sort(receipts.begin(), receipts.end(),
                  [](const auto& a, const auto& b) { return a.stream_pos < b.stream_pos; });
        cap(receipts, limits.ephemeral, to,
            [](const storage::ReceiptRow& row) { return row.stream_pos; });
    }
    // To-device messages for its users' devices (MSC2409 with MSC3202: bridges with end-to-end
    // encryption). Read in steps: unwanted ones (the owner's own devices) do not count.
    std::vector<storage::ToDeviceRow> to_device;
    if (registration.msc3202) {
        auto rows = storage::to_device::range(txn, input.from, to, limits.scan);
        if (static_cast<int>(rows.size()) == limits.scan)
            to = std::min(to, rows.back().stream_pos);
        for (auto& row : rows)
            if (row.stream_pos <= to && interest.wants_user(row.user_id))
                to_device.push_back(std::move(row));
        cap(to_device, limits.to_device, to,
            [](const storage::ToDeviceRow& row) { return row.stream_pos; });
    }
    // Each cap may have lowered `to`: what lies beyond it goes in the next transaction.
    std::erase_if(wanted, [&](const auto& row) { return row.stream_pos > to; });
    std::erase_if(receipts, [&](const auto& row) { return row.stream_pos > to; });
    out.to = to;

    json events = json::array();
    for (const auto& row : wanted)
        events.push_back(bridge_event(row, registration, interest, input));
    json edus = receipt_edus(receipts);
    const bool memory_changed = input.ephemeral_now > input.ephemeral_since;
    const std::size_t durable_edus = edus.size();
    if (registration.receive_ephemeral && memory_changed)
        add_memory_ephemeral(txn, interest, ephemeral, input, limits.ephemeral, edus);
    const bool has_memory_edus = edus.size() > durable_edus;

    json to_device_events = json::array();
    for (const auto& row : to_device) {
        to_device_events.push_back({{"type", row.type},
                                    {"sender", row.sender},
                                    {"to_user_id", row.user_id},
                                    {"to_device_id", row.device_id},
                                    {"content", json::parse(row.content_json)}});
        out.to_device_positions.push_back(row.stream_pos);
    }

    if (events.empty() && edus.empty() && to_device_events.empty())
        return out;
    out.event_count = events.size();
    out.txn_id = std::to_string(out.from) + "-" + std::to_string(out.to);
    if (has_memory_edus)
        out.txn_id += "-e" + std::to_string(input.boot_id) + "." +
                      std::to_string(input.ephemeral_now);
    // Go bridges read the stable keys, older Python ones the unstable ones: send both.
    out.body["events"] = std::move(events);
    if (registration.receive_ephemeral) {
        out.body["de.sorunome.msc2409.ephemeral"] = edus;
        out.body["ephemeral"] = std::move(edus);
    }
    if (registration.msc3202) {
        out.body["de.sorunome.msc2409.to_device"] = to_device_events;
        out.body["to_device"] = std::move(to_device_events);
    }
    return out;
}

} // namespace ravenous::appservice
