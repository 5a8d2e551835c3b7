// Erasing a bridge: its run-time registration, its rooms and its users, in the one write job
// that removes the registration (RuntimeRegistrations::remove, which then stops its delivery).
//
// Cost: every row of every room of the bridge plus its users' rows, in one transaction. SQLite
// deletes about 55,000 event rows a second here (room_delete benchmark: 1.8 s for a room of
// 100,000 events), so a bridge with a million events holds the writer for some twenty seconds:
// other writes wait (bounded queue, back-pressure), readers and /sync go on from their
// snapshots. One transaction keeps the erasure all-or-nothing: a crash halfway leaves the
// bridge as it was, never half a bridge.

#include "ravenous/rooms/room_deletion.hpp"

#include "ravenous/appservice/registration.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/appservice/runtime_registrations.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/storage/room_deletion.hpp"
#include "ravenous/storage/user_erasure.hpp"
#include "rooms/room_removal.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ravenous::rooms {

namespace errors = matrix::errors;
using boost::asio::awaitable;

namespace {

// Its bot, the users it registered, and every other local user its exclusive namespaces hold.
std::vector<std::string> users_of(storage::ReadTxn& txn,
                                  const appservice::Registration& registration,
                                  const std::string& bot)
{
    std::vector<std::string> users;
    for (auto& user : storage::user_erasure::non_owner_users(txn))
        if (user.appservice_id == registration.id || user.user_id == bot ||
            registration.is_exclusive_user(user.user_id))
            users.push_back(std::move(user.user_id));
    return users;
}

} // namespace

awaitable<ErasedAppservice> RoomDeletion::erase_appservice(std::string id)
{
    auto registration = registry_.find_by_id(id);
    if (!registration)
        throw errors::not_found("No appservice '" + id + "'");
    if (registration->from_file())
        throw matrix::MatrixError(409, matrix::ErrCode::M_FORBIDDEN,
                                  "Appservice '" + id + "' is configured in a file (" +
                                      registration->source +
                                      ", app_service_config_files): remove it there and restart "
                                      "to stop it; it cannot be erased while it is configured");
    const std::string bot = registration->sender_user_id(registry_.server_name());
    ErasedAppservice erased;
    co_await registrations_.remove(id, [&](storage::WriteTxn& txn) {
        auto users = users_of(txn, *registration, bot);
        // A room of its bot counts even if the bot has no user row (any more).
        auto members = users;
        if (std::find(members.begin(), members.end(), bot) == members.end())
            members.push_back(bot);
        auto rooms = storage::room_deletion::rooms_of_users(txn, members);
        for (const auto& room_id : rooms) {
            const auto room_members = storage::memberships::of_room(txn, room_id);
            erased.events += detail::remove_room(txn, room_id, room_members, "admin");
        }
        erased.rooms = static_cast<std::int64_t>(rooms.size());
        erased.users = storage::user_erasure::remove_users(txn, users);
        forget_after_commit(txn, std::move(rooms));
    });
    spdlog::info("appservice '{}' erased: {} rooms ({} events), {} users", id, erased.rooms,
                 erased.events, erased.users);
    co_return erased;
}

} // namespace ravenous::rooms
