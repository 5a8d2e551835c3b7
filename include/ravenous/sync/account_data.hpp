#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::sync {

// Global and per-room account data, and room tags (stored as the m.tag room account data).
// Every change takes a stream position, so /sync sees it.
//
// Rules (spec, as Synapse): only the caller's own account data (403 M_FORBIDDEN); types the
// server controls (m.fully_read, m.push_rules) cannot be set here (405 M_BAD_JSON); room
// account data needs no membership. `caller` is the authenticated user, `user_id` the path's.
class AccountDataService
{
public:
    explicit AccountDataService(storage::Database& db) : db_(db) {}

    // room_id "" is global account data. content must be an object.
    boost::asio::awaitable<void> put(std::string caller, std::string user_id, std::string room_id,
                                     std::string type, nlohmann::json content);
    // 404 M_NOT_FOUND when unset.
    boost::asio::awaitable<nlohmann::json> get(std::string caller, std::string user_id,
                                               std::string room_id, std::string type);

    // {"tags": {...}} ({} when the room has none).
    boost::asio::awaitable<nlohmann::json> tags(std::string caller, std::string user_id,
                                                std::string room_id);
    // Sets one tag (content: {order?}) or removes it (nullopt; removing a missing tag is fine).
    boost::asio::awaitable<void> set_tag(std::string caller, std::string user_id,
                                         std::string room_id, std::string tag,
                                         std::optional<nlohmann::json> content);

private:
    storage::Database& db_;
};

} // namespace ravenous::sync
