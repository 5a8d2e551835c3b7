// Room aliases: "#localpart:server_name" -> room id.

#include "ravenous/rooms/room_service.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/rooms/power_levels.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/room_log.hpp"

namespace ravenous::rooms {

namespace errors = matrix::errors;
using boost::asio::awaitable;

namespace {

void check_alias(std::string_view alias, std::string_view server_name)
{
    const auto colon = alias.find(':');
    if (alias.size() < 4 || alias.size() > 255 || alias.front() != '#' ||
        colon == std::string_view::npos || colon == 1)
        throw errors::invalid_param("Invalid room alias: " + std::string(alias));
    if (alias.substr(colon + 1) != server_name)
        throw errors::invalid_param("Room alias must be on this server (" +
                                    std::string(server_name) + ")");
}

} // namespace

awaitable<void> RoomService::put_alias(auth::Identity caller, std::string alias, std::string room_id)
{
    check_alias(alias, server_name_);
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        require_room(txn, room_id);
        auto member = storage::memberships::get(txn, room_id, caller.user_id);
        if (!member || member->membership != matrix::join)
            throw errors::forbidden("You are not in the room");
        if (!storage::aliases::insert(txn, alias, room_id, caller.user_id, util::now_ms()))
            throw matrix::MatrixError(409, matrix::ErrCode::M_UNKNOWN,
                                      "Room alias " + alias + " already exists");
    });
}

awaitable<std::string> RoomService::resolve_alias(std::string alias)
{
    check_alias(alias, server_name_);
    auto found = co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return storage::aliases::get(txn, alias); });
    if (!found)
        throw errors::not_found("Room alias " + alias + " not found");
    co_return found->first;
}

awaitable<void> RoomService::delete_alias(auth::Identity caller, std::string alias)
{
    check_alias(alias, server_name_);
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        auto found = storage::aliases::get(txn, alias);
        if (!found)
            throw errors::not_found("Room alias " + alias + " not found");
        const auto& [room_id, creator] = *found;
        if (creator != caller.user_id) {
            // Otherwise whoever may change the room's canonical alias may remove it.
            auto room = require_room(txn, room_id);
            auto levels_row = storage::current_state::get(txn, room_id,
                                                          matrix::m_room_power_levels, "");
            auto levels = levels_row ? PowerLevels::from_content(
                                           nlohmann::json::parse(levels_row->json).at("content"))
                                     : PowerLevels::without_event(room.creator);
            if (levels.user_level(caller.user_id) <
                levels.event_level(matrix::m_room_canonical_alias, true))
                throw errors::forbidden("You don't have permission to delete the alias");
        }
        storage::aliases::remove(txn, alias);
    });
}

} // namespace ravenous::rooms
