#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ravenous::storage {

class WriteTxn;

// A user's profile fields other than displayname and avatar_url (those live in users).
namespace profile_fields {
// (key, value as JSON text), by key.
std::vector<std::pair<std::string, std::string>> of_user(ReadTxn& txn, std::string_view user_id);
std::optional<std::string> get(ReadTxn& txn, std::string_view user_id, std::string_view key);
// Inserts or replaces; `value` is JSON text.
void put(WriteTxn& txn, std::string_view user_id, std::string_view key, std::string_view value);
void remove(WriteTxn& txn, std::string_view user_id, std::string_view key);
} // namespace profile_fields

} // namespace ravenous::storage
