#pragma once

// Which parts of the log one appservice wants (module-private: the pusher's consumers).
//
// As Synapse and the spec say: an event whose sender or state_key is in the appservice's
// users namespace (or is its own sender), and every event of a room that matches its rooms
// namespace, has an alias in its aliases namespace, or has a joined member in its users
// namespace. Room answers are cached and dropped when a member or alias event of that room
// goes past: the consumer sees every event in order, so the cache cannot miss a change that
// it has not yet delivered.

#include "ravenous/appservice/registration.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/sqlite.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ravenous::appservice {

class Interest
{
public:
    Interest(std::shared_ptr<const Registration> registration, std::string server_name);

    // Called for every event in stream order, inside the consumer's read job; updates the
    // room cache from it before answering.
    bool wants_event(storage::ReadTxn& txn, const storage::EventRow& event);
    bool wants_room(storage::ReadTxn& txn, const std::string& room_id);
    bool wants_user(std::string_view user_id) const;
    // A deleted room: its cached answer goes (the consumer meets the deletion in stream order).
    void forget_room(const std::string& room_id) { rooms_.erase(room_id); }

private:
    bool compute_room(storage::ReadTxn& txn, const std::string& room_id) const;

    std::shared_ptr<const Registration> registration_;
    std::string server_name_;
    std::string sender_;
    // room id -> wanted. Bounded: cleared when it grows past a few times the rooms a big
    // account has, which costs one membership read per room afterwards.
    std::unordered_map<std::string, bool> rooms_;
};

} // namespace ravenous::appservice
