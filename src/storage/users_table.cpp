// users: every local user (the owner, appservice senders and puppets).
#include "ravenous/storage/users_table.hpp"

namespace ravenous::storage {

namespace {

constexpr std::string_view select_sql =
    "SELECT user_id, password_hash, appservice_id, is_owner, deactivated, displayname, "
    "avatar_url, created_ts FROM users WHERE user_id = ?";
constexpr std::string_view exists_sql = "SELECT 1 FROM users WHERE user_id = ?";
constexpr std::string_view insert_sql =
    "INSERT INTO users (user_id, password_hash, appservice_id, is_owner, deactivated, "
    "displayname, avatar_url, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id) DO NOTHING";
constexpr std::string_view set_password_sql =
    "UPDATE users SET password_hash = ? WHERE user_id = ?";
constexpr std::string_view set_displayname_sql =
    "UPDATE users SET displayname = ? WHERE user_id = ?";
constexpr std::string_view set_avatar_sql = "UPDATE users SET avatar_url = ? WHERE user_id = ?";
constexpr std::string_view count_sql = "SELECT count(*) FROM users";

} // namespace

namespace users {

std::optional<UserRow> get(ReadTxn& txn, std::string_view user_id)
{
    auto& stmt = txn.prepare(select_sql).bind_all(user_id);
    if (!stmt.step()) {
        return std::nullopt;
    }
    UserRow row;
    row.user_id = stmt.column_text(0);
    row.password_hash = stmt.column_optional_text(1);
    row.appservice_id = stmt.column_optional_text(2);
    row.is_owner = stmt.column_int(3) != 0;
    row.deactivated = stmt.column_int(4) != 0;
    row.displayname = stmt.column_optional_text(5);
    row.avatar_url = stmt.column_optional_text(6);
    row.created_ts = stmt.column_int(7);
    return row;
}

bool exists(ReadTxn& txn, std::string_view user_id)
{
    return txn.prepare(exists_sql).bind_all(user_id).step();
}

bool insert(WriteTxn& txn, const UserRow& row)
{
    txn.prepare(insert_sql)
        .bind_all(row.user_id, row.password_hash, row.appservice_id, int{row.is_owner},
                  int{row.deactivated}, row.displayname, row.avatar_url, row.created_ts)
        .run();
    return txn.conn().changes() == 1;
}

void set_password_hash(WriteTxn& txn, std::string_view user_id, std::string_view hash)
{
    txn.prepare(set_password_sql).bind_all(hash, user_id).run();
}

void set_displayname(WriteTxn& txn, std::string_view user_id,
                     const std::optional<std::string>& name)
{
    txn.prepare(set_displayname_sql).bind_all(name, user_id).run();
}

void set_avatar_url(WriteTxn& txn, std::string_view user_id, const std::optional<std::string>& url)
{
    txn.prepare(set_avatar_sql).bind_all(url, user_id).run();
}

std::int64_t count(ReadTxn& txn)
{
    auto& stmt = txn.prepare(count_sql);
    stmt.step();
    return stmt.column_int(0);
}

} // namespace users

} // namespace ravenous::storage
