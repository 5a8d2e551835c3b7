#pragma once

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

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
    // Every other field (Beeper's com.beeper.bridge.* that bridges PATCH in): key -> any value.
    nlohmann::json fields = nlohmann::json::object();

    // {"displayname"?, "avatar_url"?, ...fields}: GET /profile/{userId}.
    nlohmann::json to_json() const;
};

inline constexpr std::size_t max_displayname_length = 256;  // Synapse's limit
inline constexpr std::size_t max_avatar_url_length = 1000;
// A whole profile (as GET /profile answers it) and one field's name (MSC4133's limits).
inline constexpr std::size_t max_profile_bytes = 64 * 1024;
inline constexpr std::size_t max_field_name_length = 255;

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

    // PATCH /profile/{userId} (Beeper's arbitrary profile meta): merges `changes` (an object)
    // into the profile in one write, a null removing a key; displayname and avatar_url keep
    // the rules of their PUTs. Throws M_BAD_JSON (a key name empty or over 255 bytes, a bad
    // displayname/avatar_url) or M_TOO_LARGE (the profile would pass 64 KiB). Returns whether
    // displayname or avatar_url was among the changes (their member events are then due).
    boost::asio::awaitable<bool> patch(auth::Identity caller, std::string user_id,
                                       nlohmann::json changes);

private:
    storage::Database& db_;
};

} // namespace ravenous::profile
