#include "ravenous/sync/typing_presence.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/users_table.hpp"
#include "ravenous/sync/ephemeral.hpp"
#include "rooms/access.hpp"

namespace ravenous::sync {

namespace errors = matrix::errors;

boost::asio::awaitable<void> set_typing(storage::Database& db, EphemeralState& ephemeral,
                                        std::string caller, std::string user_id,
                                        std::string room_id, bool typing,
                                        std::chrono::milliseconds timeout)
{
    if (caller != user_id)
        throw errors::forbidden("Cannot set another user's typing state");
    co_await db.readers().run(
        [&](storage::ReadTxn& txn) { rooms::require_joined(txn, room_id, user_id); });
    ephemeral.set_typing(room_id, user_id, typing, timeout);
}

void set_presence(EphemeralState& ephemeral, const std::string& caller, const std::string& user_id,
                  std::string presence, std::optional<std::string> status_msg)
{
    if (caller != user_id)
        throw errors::forbidden("Cannot set presence state for other users");
    if (!EphemeralState::is_valid_presence(presence))
        throw errors::invalid_param("Invalid presence state: " + presence);
    ephemeral.set_presence(user_id, std::move(presence), std::move(status_msg));
}

boost::asio::awaitable<nlohmann::json> get_presence(storage::Database& db,
                                                    EphemeralState& ephemeral, std::string user_id)
{
    const bool known = co_await db.readers().read(
        [&](storage::ReadTxn& txn) { return storage::users::exists(txn, user_id); });
    if (!known)
        throw errors::not_found("Presence information not found: unknown user");
    co_return ephemeral.presence_content(user_id);
}

} // namespace ravenous::sync
