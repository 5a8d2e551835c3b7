#pragma once

// Erasing local users (an erased bridge's bot and puppets) with everything that is theirs
// alone. Runs inside the caller's write job.

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::storage {

struct LocalUser
{
    std::string user_id;
    std::optional<std::string> appservice_id;  // the appservice that registered it
};

namespace user_erasure {

// Every local user except the owner: what an appservice's erasure picks its users from.
std::vector<LocalUser> non_owner_users(ReadTxn& txn);

// Deletes the users (never the owner, whatever the list says) with their devices,
// access tokens, profiles (in the user row), account data, receipts, to-device inboxes and
// send-transaction records, filters, push rules and pushers. What they wrote into rooms that
// outlive them (events, a membership of leave) stays: it is those rooms' history. Returns the
// number of user rows deleted.
std::int64_t remove_users(WriteTxn& txn, const std::vector<std::string>& user_ids);

} // namespace user_erasure

} // namespace ravenous::storage
