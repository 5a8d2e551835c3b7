#pragma once

// The pieces of a /sync response that other parts of the sync module provide, each a small
// function over one read snapshot. Positions: `since` is the stream position of the client's
// token (0 for an initial sync), `until` the one this response hands out; a section returns
// what changed in (since, until].

#include "ravenous/storage/sqlite.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ravenous::sync {
class EphemeralState;
}

namespace ravenous::sync::sections {

// account_data.cpp (global: {"events": [...]}; per room the same shape)
nlohmann::json global_account_data(storage::ReadTxn& txn, const std::string& user_id,
                                   std::int64_t since, std::int64_t until);
nlohmann::json room_account_data(storage::ReadTxn& txn, const std::string& user_id,
                                 const std::string& room_id, std::int64_t since, std::int64_t until);
// Rooms whose account data for this user changed in (since, until].
std::vector<std::string> rooms_with_account_data(storage::ReadTxn& txn, const std::string& user_id,
                                                 std::int64_t since, std::int64_t until);

// ephemeral.cpp: {"events": [m.typing (always, when anyone types or typing changed), m.receipt
// (receipts that changed in (since, until]; all of them for an initial sync)]}.
// m.read.private receipts are only shown to their own user.
nlohmann::json room_ephemeral(storage::ReadTxn& txn, EphemeralState& ephemeral,
                              const std::string& user_id, const std::string& room_id,
                              std::int64_t since, std::int64_t until);
// Rooms with receipt changes in (since, until].
std::vector<std::string> rooms_with_receipts(storage::ReadTxn& txn, std::int64_t since,
                                             std::int64_t until);
// Rooms with typing now (the caller includes them when the ephemeral serial moved).
std::vector<std::string> rooms_with_typing(EphemeralState& ephemeral);

// presence.cpp: {"events": [m.presence ...]} for the users the caller shares rooms with
// (for now: the caller itself and users whose presence changed).
nlohmann::json presence(EphemeralState& ephemeral, const std::string& user_id);

// push/unread_counts.cpp: {"notification_count": n, "highlight_count": h} for the events after
// the user's latest read receipt in the room, evaluated against the user's push rules, and the
// per-thread counts for unread_thread_notifications ({thread_id: {...}}).
struct UnreadCounts
{
    nlohmann::json room = {{"notification_count", 0}, {"highlight_count", 0}};
    nlohmann::json threads = nlohmann::json::object();
};
UnreadCounts unread_counts(storage::ReadTxn& txn, const std::string& user_id,
                           const std::string& room_id);
// Drops the cached counts of deleted rooms (every user's).
void forget_unread_counts(const std::vector<std::string>& room_ids);

} // namespace ravenous::sync::sections
