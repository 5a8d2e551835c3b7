#pragma once

#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::storage {

// One stored change to a user's push rules (see schema/0003_push.sql).
struct PushRuleRow
{
    std::string kind;
    std::string rule_id;
    std::int64_t priority = 0;
    std::optional<std::string> rule; // JSON body of a user-defined rule; nullopt: predefined
    std::optional<bool> enabled;
    std::optional<std::string> actions; // JSON array; nullopt: the rule's own (predefined)
};

namespace push_rules {
// Every row of the user, user-defined rules of a kind highest priority first.
std::vector<PushRuleRow> of_user(ReadTxn& txn, std::string_view user_id);
std::optional<PushRuleRow> get(ReadTxn& txn, std::string_view user_id, std::string_view kind,
                               std::string_view rule_id);
// Inserts or replaces the row.
void put(WriteTxn& txn, std::string_view user_id, const PushRuleRow& row);
// False if there was no such row.
bool remove(WriteTxn& txn, std::string_view user_id, std::string_view kind,
            std::string_view rule_id);
void set_priority(WriteTxn& txn, std::string_view user_id, std::string_view kind,
                  std::string_view rule_id, std::int64_t priority);
// Records a change at a new stream position (allocated here) and returns it.
std::int64_t mark_changed(WriteTxn& txn, std::string_view user_id);
// The stream position of the user's last change; nullopt if they never changed anything.
std::optional<std::int64_t> changed_at(ReadTxn& txn, std::string_view user_id);
} // namespace push_rules

struct PusherRow
{
    std::string app_id;
    std::string pushkey;
    std::optional<std::string> device_id;
    std::string json; // the pusher as GET /pushers shows it
    std::int64_t created_ts = 0;
};

namespace pushers {
std::vector<PusherRow> of_user(ReadTxn& txn, std::string_view user_id);
// Inserts or replaces (user, app_id, pushkey).
void put(WriteTxn& txn, std::string_view user_id, const PusherRow& row);
bool remove(WriteTxn& txn, std::string_view user_id, std::string_view app_id,
            std::string_view pushkey);
} // namespace pushers

// What unread counts read besides the log: the user's read receipts in a room.
struct ReadReceipt
{
    std::string receipt_type; // m.read or m.read.private
    std::string thread_id;    // "" unthreaded, "main", or a thread root
    std::string event_id;
    std::int64_t topo = 0; // of the receipt's event (receipts on unknown events are left out)
};
namespace push_receipts {
std::vector<ReadReceipt> of_user(ReadTxn& txn, std::string_view room_id, std::string_view user_id);
} // namespace push_receipts

} // namespace ravenous::storage

namespace ravenous::storage::push_receipts {
// The topo of the event that gave the user their current membership of the room (the floor
// of unread counting when they have no receipt); nullopt if none.
std::optional<std::int64_t> membership_topo(ReadTxn& txn, std::string_view room_id,
                                            std::string_view user_id);
// The global log newest first: events with stream_pos < before (at most limit), any room.
std::vector<EventRow> recent_events(ReadTxn& txn, std::int64_t before, int limit);
} // namespace ravenous::storage::push_receipts
