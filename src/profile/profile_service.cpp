#include "ravenous/profile/profile_service.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/users_table.hpp"

namespace ravenous::profile {

namespace errors = matrix::errors;
using boost::asio::awaitable;

namespace {
void require_self(const auth::Identity& caller, const std::string& user_id, const char* what)
{
    if (caller.user_id != user_id)
        throw errors::forbidden(std::string("You cannot set the ") + what + " of another user");
}
} // namespace

awaitable<std::optional<Profile>> ProfileService::get(std::string user_id)
{
    auto row = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::users::get(txn, user_id); });
    if (!row)
        co_return std::nullopt;
    co_return Profile{row->displayname, row->avatar_url};
}

awaitable<void> ProfileService::set_displayname(auth::Identity caller, std::string user_id,
                                                std::optional<std::string> value)
{
    require_self(caller, user_id, "display name");
    if (value && value->size() > max_displayname_length)
        throw errors::bad_json("Display name is too long (max 256)");
    co_await db_.writer().run(
        [&](storage::WriteTxn& txn) { storage::users::set_displayname(txn, user_id, value); });
}

awaitable<void> ProfileService::set_avatar_url(auth::Identity caller, std::string user_id,
                                               std::optional<std::string> value)
{
    require_self(caller, user_id, "avatar URL");
    if (value && value->size() > max_avatar_url_length)
        throw errors::bad_json("Avatar URL is too long (max 1000)");
    co_await db_.writer().run(
        [&](storage::WriteTxn& txn) { storage::users::set_avatar_url(txn, user_id, value); });
}

} // namespace ravenous::profile
