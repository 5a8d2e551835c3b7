// Membership changes: join, leave, invite, kick, ban, unban, forget.

#include "ravenous/rooms/room_service.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/users_table.hpp"
#include "rooms/room_log.hpp"

#include <spdlog/spdlog.h>

namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace et = matrix::event_types;
using nlohmann::json;
using boost::asio::awaitable;

namespace {

void add_reason(json& content, const std::optional<std::string>& reason)
{
    if (reason)
        content["reason"] = *reason;
}

awaitable<void> append_member(storage::Database& db, std::string room_id, std::string sender,
                              std::string target, std::string membership,
                              std::optional<std::string> reason)
{
    co_await db.writer().run([&](storage::WriteTxn& txn) {
        const auto room = require_room(txn, room_id);
        if (membership == matrix::invite && !storage::users::exists(txn, target))
            throw errors::not_found("Unknown user " + target);
        json content = member_content(txn, target, membership);
        add_reason(content, reason);
        append_event(txn, room, NewEvent{std::string(et::m_room_member), target, sender, content});
    });
}

} // namespace

RoomService::RoomService(storage::Database& db, std::string server_name)
    : db_(db), server_name_(std::move(server_name))
{
}

awaitable<std::string> RoomService::join(auth::Identity caller, std::string room_id_or_alias,
                                         std::optional<std::string> reason)
{
    std::string room_id = room_id_or_alias;
    if (room_id_or_alias.starts_with('#'))
        room_id = co_await resolve_alias(room_id_or_alias);
    else if (!matrix::is_valid_room_id(room_id_or_alias))
        throw errors::invalid_param("Invalid room id or alias: " + room_id_or_alias);
    co_await append_member(db_, room_id, caller.user_id, caller.user_id,
                           std::string(matrix::join), std::move(reason));
    co_return room_id;
}

awaitable<void> RoomService::leave(auth::Identity caller, std::string room_id,
                                   std::optional<std::string> reason)
{
    co_await append_member(db_, std::move(room_id), caller.user_id, caller.user_id,
                           std::string(matrix::leave), std::move(reason));
}

awaitable<void> RoomService::change_membership(auth::Identity caller, std::string room_id,
                                               MembershipAction action, std::string target,
                                               std::optional<std::string> reason)
{
    if (!matrix::is_valid_user_id(target))
        throw errors::invalid_param("Invalid user id: " + target);
    std::string membership;
    switch (action) {
    case MembershipAction::invite: membership = matrix::invite; break;
    case MembershipAction::kick: membership = matrix::leave; break;
    case MembershipAction::ban: membership = matrix::ban; break;
    case MembershipAction::unban: membership = matrix::leave; break;
    }
    if (action == MembershipAction::kick || action == MembershipAction::unban) {
        // Both are "leave" for the auth rules; make sure each does only what it says.
        auto current = co_await db_.readers().read([&](storage::ReadTxn& txn) {
            require_room(txn, room_id);
            auto row = storage::memberships::get(txn, room_id, target);
            return row ? row->membership : std::string();
        });
        if (action == MembershipAction::unban && current != matrix::ban)
            throw errors::forbidden(target + " is not banned");
        if (action == MembershipAction::kick && current != matrix::join &&
            current != matrix::invite && current != matrix::knock)
            throw errors::forbidden(target + " is not in the room");
    }
    co_await append_member(db_, std::move(room_id), caller.user_id, std::move(target),
                           std::move(membership), std::move(reason));
}

awaitable<void> RoomService::forget(auth::Identity caller, std::string room_id)
{
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        require_room(txn, room_id);
        auto row = storage::memberships::get(txn, room_id, caller.user_id);
        if (!row)
            throw errors::not_found("You are not a member of this room");
        if (row->membership == matrix::join || row->membership == matrix::invite)
            throw errors::unknown("The user is still in the room; leave it first");
        storage::memberships::forget(txn, room_id, caller.user_id);
    });
}

awaitable<void> RoomService::propagate_profile(std::string user_id)
{
    auto rooms = co_await db_.readers().read([&](storage::ReadTxn& txn) {
        return storage::memberships::rooms_of(txn, user_id, matrix::join);
    });
    for (const auto& room_id : rooms) {
        // One job per room: a room the user can no longer post to must not stop the others.
        try {
            co_await db_.writer().run([&](storage::WriteTxn& txn) {
                auto room = storage::rooms::get(txn, room_id);
                if (!room)
                    return;
                append_event(txn, *room,
                             NewEvent{std::string(et::m_room_member), user_id, user_id,
                                      member_content(txn, user_id, matrix::join)});
            });
        } catch (const matrix::MatrixError& e) {
            spdlog::info("profile of {} not updated in {}: {}", user_id, room_id, e.message());
        }
    }
}

} // namespace ravenous::rooms
