#pragma once

#include "ravenous/storage/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ravenous::storage {

class WriteTxn;

struct UserRow
{
    std::string user_id;
    std::optional<std::string> password_hash;
    std::optional<std::string> appservice_id;
    bool is_owner = false;
    bool deactivated = false;
    std::optional<std::string> displayname;
    std::optional<std::string> avatar_url;
    std::int64_t created_ts = 0;
};

namespace users {
std::optional<UserRow> get(ReadTxn& txn, std::string_view user_id);
bool exists(ReadTxn& txn, std::string_view user_id);
// False if the user already exists (nothing written).
bool insert(WriteTxn& txn, const UserRow& row);
void set_password_hash(WriteTxn& txn, std::string_view user_id, std::string_view hash);
void set_displayname(WriteTxn& txn, std::string_view user_id, const std::optional<std::string>& name);
void set_avatar_url(WriteTxn& txn, std::string_view user_id, const std::optional<std::string>& url);
std::int64_t count(ReadTxn& txn);
} // namespace users

} // namespace ravenous::storage
