#pragma once

// The rules around the in-memory EphemeralState that need the database: typing needs a
// joined member, presence a known local user.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::sync {

class EphemeralState;

// PUT /typing: only the caller's own typing (403 M_FORBIDDEN) in a room they are joined to
// (403 M_FORBIDDEN; 404 for an unknown room). The timeout is clamped by EphemeralState.
boost::asio::awaitable<void> set_typing(storage::Database& db, EphemeralState& ephemeral,
                                        std::string caller, std::string user_id,
                                        std::string room_id, bool typing,
                                        std::chrono::milliseconds timeout);

// PUT /presence: only the caller's own (403 M_FORBIDDEN); presence must be online, offline or
// unavailable (400 M_INVALID_PARAM).
void set_presence(EphemeralState& ephemeral, const std::string& caller, const std::string& user_id,
                  std::string presence, std::optional<std::string> status_msg);

// GET /presence: the m.presence content of a known local user (404 M_NOT_FOUND otherwise).
boost::asio::awaitable<nlohmann::json> get_presence(storage::Database& db,
                                                    EphemeralState& ephemeral, std::string user_id);

} // namespace ravenous::sync
