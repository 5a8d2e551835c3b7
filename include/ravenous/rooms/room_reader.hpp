#pragma once

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ravenous::storage {
class Database;
}

namespace ravenous::rooms {

struct MembersQuery
{
    std::optional<std::string> at;  // a pagination token
    std::optional<std::string> membership;
    std::optional<std::string> not_membership;
};

// Reads of a room's state and members, with the spec's membership checks: joined users see
// the current state, users who left see it as it was when they left.
class RoomReader
{
public:
    explicit RoomReader(storage::Database& db) : db_(db) {}

    // The content of one state event (404 M_NOT_FOUND if unset), or the whole event.
    boost::asio::awaitable<nlohmann::json> state_event(auth::Identity caller, std::string room_id,
                                                       std::string type, std::string state_key,
                                                       bool whole_event);
    // Every current state event, as client events.
    boost::asio::awaitable<nlohmann::json> state(auth::Identity caller, std::string room_id);
    // {"chunk": [member events]}.
    boost::asio::awaitable<nlohmann::json> members(auth::Identity caller, std::string room_id,
                                                   MembersQuery query);
    // {"joined": {user: {display_name, avatar_url}}}.
    boost::asio::awaitable<nlohmann::json> joined_members(auth::Identity caller, std::string room_id);
    boost::asio::awaitable<std::vector<std::string>> joined_rooms(auth::Identity caller);
    boost::asio::awaitable<std::vector<std::string>> aliases(auth::Identity caller, std::string room_id);

private:
    storage::Database& db_;
};

} // namespace ravenous::rooms
