// Room deletion: who may delete which room, and the one write job that does it.

#include "ravenous/rooms/room_deletion.hpp"

#include "ravenous/appservice/registration.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/storage/room_deletion.hpp"
#include "ravenous/sync/ephemeral.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/room_removal.hpp"
#include "sync/sections.hpp"

#include <spdlog/spdlog.h>

namespace ravenous::rooms {

namespace errors = matrix::errors;
using boost::asio::awaitable;

namespace {

bool in_room(const storage::MemberRow& member)
{
    return member.membership == matrix::join || member.membership == matrix::invite ||
           member.membership == matrix::knock;
}

void authorize(const auth::Identity& caller, const storage::RoomRow& room,
               const std::vector<storage::MemberRow>& members, std::string_view server_name)
{
    if (caller.appservice) {
        // An appservice's rooms: those of its bot and its exclusive users (a shared namespace
        // would let it delete anybody's room).
        const auto& registration = *caller.appservice;
        const std::string bot = registration.sender_user_id(server_name);
        const auto ours = [&](std::string_view user) {
            return user == bot || registration.is_exclusive_user(user);
        };
        if (ours(room.creator))
            return;
        for (const auto& member : members)
            if ((member.membership == matrix::join || member.membership == matrix::invite) &&
                ours(member.user_id))
                return;
        throw errors::forbidden("Room " + room.room_id + " is not a room of appservice '" +
                                registration.id + "'");
    }
    if (caller.is_owner)
        for (const auto& member : members)
            if (member.user_id == caller.user_id)
                return;
    throw errors::forbidden("You are not allowed to delete room " + room.room_id);
}

} // namespace

namespace detail {

std::int64_t remove_room(storage::WriteTxn& txn, const std::string& room_id,
                         const std::vector<storage::MemberRow>& members,
                         const std::string& deleted_by)
{
    storage::DeletedRoom tombstone;
    tombstone.room_id = room_id;
    // Whom /sync tells (see storage::DeletedRoom): a forgotten room is none of its user's
    // business any more.
    for (const auto& member : members)
        if (!member.forgotten)
            tombstone.members.emplace(member.user_id, in_room(member) ? 0 : member.stream_pos);
    const std::int64_t events = storage::room_deletion::remove_room(txn, room_id);
    // Its own position: a waiting /sync wakes, and the leave is in exactly one response.
    tombstone.stream_pos = storage::stream::next(txn);
    tombstone.deleted_ts = util::now_ms();
    tombstone.deleted_by = deleted_by;
    storage::room_deletion::insert_tombstone(txn, tombstone);
    return events;
}

} // namespace detail

RoomDeletion::RoomDeletion(storage::Database& db, sync::EphemeralState& ephemeral,
                           appservice::Registry& registry,
                           appservice::RuntimeRegistrations& registrations)
    : db_(db), ephemeral_(ephemeral), registry_(registry), registrations_(registrations)
{
}

awaitable<void> RoomDeletion::delete_room(auth::Identity caller, std::string room_id)
{
    std::string deleted_by =
        caller.appservice ? "appservice:" + caller.appservice->id : caller.user_id;
    co_await delete_one(std::move(room_id), std::move(deleted_by), std::move(caller));
}

awaitable<void> RoomDeletion::delete_room_as_operator(std::string room_id)
{
    co_await delete_one(std::move(room_id), "admin", std::nullopt);
}

awaitable<void> RoomDeletion::delete_one(std::string room_id, std::string deleted_by,
                                         std::optional<auth::Identity> caller)
{
    const std::string server_name = registry_.server_name();
    std::int64_t events = 0;
    // One job: checked and deleted in the same transaction, so two deletions of one room
    // cannot both pass. It holds the writer for as long as the room's rows take to delete
    // (100,000 events: see the room_delete benchmark); other writes queue meanwhile.
    co_await db_.writer().run([&](storage::WriteTxn& txn) {
        const auto room = storage::rooms::get(txn, room_id);
        if (!room)
            throw errors::not_found(storage::room_deletion::is_deleted(txn, room_id)
                                        ? "Room " + room_id + " was deleted"
                                        : "Unknown room " + room_id);
        const auto members = storage::memberships::of_room(txn, room_id);
        if (caller)
            authorize(*caller, *room, members, server_name);
        events = detail::remove_room(txn, room_id, members, deleted_by);
        forget_after_commit(txn, {room_id});
    });
    spdlog::info("room {} deleted by {} ({} events)", room_id, deleted_by, events);
}

void RoomDeletion::forget_after_commit(storage::WriteTxn& txn, std::vector<std::string> room_ids)
{
    txn.on_commit([this, room_ids = std::move(room_ids)] {
        ephemeral_.forget_rooms(room_ids);
        sync::sections::forget_unread_counts(room_ids);
    });
}

} // namespace ravenous::rooms
