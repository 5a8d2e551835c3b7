// User erasure: each table with a user_id column, for a set of users given as one JSON array
// (json_each), so that thousands of puppets cost one statement per table, not one per user.
#include "ravenous/storage/user_erasure.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::storage {

namespace {

constexpr std::string_view non_owner_users_sql =
    "SELECT user_id, appservice_id FROM users WHERE is_owner = 0 ORDER BY user_id";

#define RAVENOUS_OF_USERS " WHERE user_id IN (SELECT value FROM json_each(?1))"
// Children before parents: devices would take access tokens and to-device messages with them
// by cascade and trigger, users their devices; by name, the erasure does not depend on it.
constexpr std::string_view user_tables_sql[] = {
    "DELETE FROM access_tokens" RAVENOUS_OF_USERS,
    "DELETE FROM to_device" RAVENOUS_OF_USERS,
    "DELETE FROM to_device_txns" RAVENOUS_OF_USERS,
    "DELETE FROM devices" RAVENOUS_OF_USERS,
    "DELETE FROM account_data" RAVENOUS_OF_USERS,
    "DELETE FROM receipts" RAVENOUS_OF_USERS,
    "DELETE FROM txn_ids" RAVENOUS_OF_USERS,
    "DELETE FROM filters" RAVENOUS_OF_USERS,
    "DELETE FROM push_rules" RAVENOUS_OF_USERS,
    "DELETE FROM push_rules_stream" RAVENOUS_OF_USERS,
    "DELETE FROM pushers" RAVENOUS_OF_USERS,
    "DELETE FROM profile_fields" RAVENOUS_OF_USERS,
};
constexpr std::string_view delete_users_sql = "DELETE FROM users" RAVENOUS_OF_USERS;
#undef RAVENOUS_OF_USERS
// The owner is never erased, whatever list the caller made.
constexpr std::string_view without_owner_sql =
    "SELECT value FROM json_each(?1) WHERE value NOT IN (SELECT user_id FROM users WHERE is_owner = 1)";

} // namespace

namespace user_erasure {

std::vector<LocalUser> non_owner_users(ReadTxn& txn)
{
    auto& stmt = txn.prepare(non_owner_users_sql);
    std::vector<LocalUser> users;
    while (stmt.step())
        users.push_back({stmt.column_text(0), stmt.column_optional_text(1)});
    return users;
}

std::int64_t remove_users(WriteTxn& txn, const std::vector<std::string>& user_ids)
{
    auto& filter = txn.prepare(without_owner_sql).bind_all(nlohmann::json(user_ids).dump());
    std::vector<std::string> erased;
    while (filter.step())
        erased.push_back(filter.column_text(0));
    if (erased.empty())
        return 0;
    const std::string users = nlohmann::json(erased).dump();
    for (auto sql : user_tables_sql)
        txn.prepare(sql).bind_all(users).run();
    txn.prepare(delete_users_sql).bind_all(users).run();
    return txn.conn().changes();
}

} // namespace user_erasure

} // namespace ravenous::storage
