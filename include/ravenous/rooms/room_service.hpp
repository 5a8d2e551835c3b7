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

struct StateEventSpec
{
    std::string type;
    std::string state_key;
    nlohmann::json content;
};

// POST /createRoom, parsed and checked for shape by the handler.
struct CreateRoomRequest
{
    std::optional<std::string> preset;  // private_chat, trusted_private_chat, public_chat
    std::optional<std::string> visibility;  // public / private (the directory)
    std::optional<std::string> name;
    std::optional<std::string> topic;
    std::vector<std::string> invite;
    bool is_direct = false;
    std::vector<StateEventSpec> initial_state;
    std::optional<nlohmann::json> power_level_content_override;
    std::optional<nlohmann::json> creation_content;
    std::optional<std::string> room_version;
    std::optional<std::string> room_alias_name;
    std::optional<std::int64_t> ts;  // appservice timestamp massaging

    // Beeper's extensions, as bridges send them (the handler has checked that the caller may
    // join each of these users; puppets missing yet are created for the caller's appservice).
    std::optional<std::string> room_id;        // com.beeper.local_room_id: "!opaque:<server>"
    std::vector<std::string> initial_members;  // joined in the same write, without an invite
    std::vector<std::string> auto_join;        // invitees joined right after their invite
};

enum class MembershipAction { invite, kick, ban, unban };

// Writes to rooms: creation, membership, state, messages, redactions, aliases. Every change
// is checked against the auth rules and appended to the room's log in one write job.
class RoomService
{
public:
    RoomService(storage::Database& db, std::string server_name);

    boost::asio::awaitable<std::string> create_room(auth::Identity caller, CreateRoomRequest request);

    // Returns the room id joined (resolving an alias).
    boost::asio::awaitable<std::string> join(auth::Identity caller, std::string room_id_or_alias,
                                             std::optional<std::string> reason);
    boost::asio::awaitable<void> leave(auth::Identity caller, std::string room_id,
                                       std::optional<std::string> reason);
    boost::asio::awaitable<void> change_membership(auth::Identity caller, std::string room_id,
                                                   MembershipAction action, std::string target,
                                                   std::optional<std::string> reason);
    boost::asio::awaitable<void> forget(auth::Identity caller, std::string room_id);

    // A state event (m.room.member included: the auth rules decide). Returns its event id.
    boost::asio::awaitable<std::string> send_state(auth::Identity caller, std::string room_id,
                                                   std::string type, std::string state_key,
                                                   nlohmann::json content,
                                                   std::optional<std::int64_t> ts = std::nullopt);
    // A message event, idempotent per (caller's device, txn_id). Returns its event id.
    boost::asio::awaitable<std::string> send_message(auth::Identity caller, std::string room_id,
                                                     std::string type, nlohmann::json content,
                                                     std::string txn_id,
                                                     std::optional<std::int64_t> ts = std::nullopt);
    // `content` is the request body as sent ("reason" and whatever else a bridge adds, such as
    // fi.mau.double_puppet_source), as Synapse keeps it.
    boost::asio::awaitable<std::string> redact(auth::Identity caller, std::string room_id,
                                               std::string event_id, nlohmann::json content,
                                               std::string txn_id,
                                               std::optional<std::int64_t> ts = std::nullopt);

    // Sends a fresh member event with the user's profile into every room they are joined to.
    boost::asio::awaitable<void> propagate_profile(std::string user_id);

    // Room aliases ("#localpart:server_name").
    boost::asio::awaitable<void> put_alias(auth::Identity caller, std::string alias, std::string room_id);
    boost::asio::awaitable<std::string> resolve_alias(std::string alias);
    boost::asio::awaitable<void> delete_alias(auth::Identity caller, std::string alias);

    const std::string& server_name() const { return server_name_; }

private:
    boost::asio::awaitable<std::string> send_with_txn(auth::Identity caller, std::string room_id,
                                                      std::string type, nlohmann::json content,
                                                      std::string txn_id, std::string_view endpoint,
                                                      std::optional<std::int64_t> ts);

    storage::Database& db_;
    std::string server_name_;
};

} // namespace ravenous::rooms
