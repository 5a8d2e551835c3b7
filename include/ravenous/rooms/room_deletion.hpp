#pragma once

// Deleting rooms for good (Beeper's com.beeper.yeet, the operator API) and erasing a whole
// bridge. A deletion is one write job: the room and everything naming it go at once, a
// tombstone takes their place (storage/room_deletion.hpp), and what lives in memory (typing,
// cached unread counts) is dropped once the job has committed. Every later request sees a
// room that does not exist.

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::storage {
class Database;
class WriteTxn;
}
namespace ravenous::sync {
class EphemeralState;
}
namespace ravenous::appservice {
class Registry;
class RuntimeRegistrations;
}

namespace ravenous::rooms {

struct ErasedAppservice
{
    std::int64_t rooms = 0;
    std::int64_t users = 0;
    std::int64_t events = 0;
};

class RoomDeletion
{
public:
    RoomDeletion(storage::Database& db, sync::EphemeralState& ephemeral,
                 appservice::Registry& registry, appservice::RuntimeRegistrations& registrations);

    // An appservice (its token, with or without ?user_id=) may delete a room its bot or one of
    // its exclusive users created, or where one of them is joined or invited; the owner (their
    // own token) a room they are or were in. 403 M_FORBIDDEN otherwise, 404 M_NOT_FOUND for
    // an unknown or already deleted room.
    boost::asio::awaitable<void> delete_room(auth::Identity caller, std::string room_id);
    // The operator: any room. 404 M_NOT_FOUND for an unknown or already deleted room.
    boost::asio::awaitable<void> delete_room_as_operator(std::string room_id);

    // A run-time registration with everything of its bridge, in one write job: the
    // registration and its delivery cursor, every room its users created or are joined or
    // invited to, and the users (its bot, the users it registered, every other user its
    // exclusive namespaces hold; never the owner). 404 for an unknown id, 409 for a
    // registration from app_service_config_files.
    boost::asio::awaitable<ErasedAppservice> erase_appservice(std::string id);

private:
    // The job of one room's deletion; `caller` is checked in it (none: the operator).
    boost::asio::awaitable<void> delete_one(std::string room_id, std::string deleted_by,
                                            std::optional<auth::Identity> caller);
    // Once `txn` has committed, the rooms' typing and cached unread counts go.
    void forget_after_commit(storage::WriteTxn& txn, std::vector<std::string> room_ids);

    storage::Database& db_;
    sync::EphemeralState& ephemeral_;
    appservice::Registry& registry_;
    appservice::RuntimeRegistrations& registrations_;
};

} // namespace ravenous::rooms
