#pragma once

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::profile {

struct Profile
{
    std::optional<std::string> displayname;
    std::optional<std::string> avatar_url;
};

inline constexpr std::size_t max_displayname_length = 256;  // Synapse's limit
inline constexpr std::size_t max_avatar_url_length = 1000;

// Global profiles of local users. (Room member events follow a profile change once rooms exist.)
class ProfileService
{
public:
    explicit ProfileService(storage::Database& db) : db_(db) {}

    // nullopt if the user does not exist.
    boost::asio::awaitable<std::optional<Profile>> get(std::string user_id);

    // Only the user itself (or its appservice asserting it) may change a profile.
    // `value` nullopt clears the field.
    boost::asio::awaitable<void> set_displayname(auth::Identity caller, std::string user_id,
                                                 std::optional<std::string> value);
    boost::asio::awaitable<void> set_avatar_url(auth::Identity caller, std::string user_id,
                                                std::optional<std::string> value);

private:
    storage::Database& db_;
};

} // namespace ravenous::profile
