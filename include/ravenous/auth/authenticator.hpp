#pragma once

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::storage {
class Database;
}
namespace ravenous::appservice {
class Registry;
}

namespace ravenous::auth {

struct Credentials
{
    std::string access_token;                     // from Authorization: Bearer or ?access_token=
    std::optional<std::string> asserted_user_id;  // ?user_id= (appservices only)
    std::optional<std::string> asserted_device_id;  // ?device_id= / org.matrix.msc3202.device_id
};

// Turns a token into an Identity: appservice as_tokens first (in memory), then user access
// tokens (stored hashed). Throws M_UNKNOWN_TOKEN, or M_FORBIDDEN for an identity assertion
// outside the appservice's namespace.
//
// An appservice may assert (?user_id=) its sender; any local user in its users namespace,
// created on first use (as POST /register would) when it does not exist yet; and the owner
// (double puppeting, as Beeper does it) if it was registered through the bridge-manager API
// or its users namespace holds the owner's id.
class Authenticator
{
public:
    Authenticator(const appservice::Registry& registry, storage::Database& db,
                  std::string server_name, std::string owner_user_id);

    boost::asio::awaitable<Identity> authenticate(Credentials credentials) const;

    // Is this user id one of ours: on server_name, or the owner (who may live elsewhere)?
    bool is_local_user(std::string_view user_id) const;
    const std::string& owner_user_id() const { return owner_user_id_; }
    const std::string& server_name() const { return server_name_; }

    // What identity assertion allows for one of the appservice's own users, checked without
    // acting as them: its sender, or a local user of its users namespace that it could create on
    // first use (POST /register's localpart grammar, no other appservice holding it
    // exclusively). Throws 400 M_INVALID_PARAM / 403 M_FORBIDDEN as asserting ?user_id= would.
    // (Used by createRoom's com.beeper.initial_members.)
    void check_appservice_user(const appservice::Registration& registration,
                               std::string_view user) const;

private:
    boost::asio::awaitable<Identity> authenticate_appservice(
        std::shared_ptr<const appservice::Registration> registration,
        Credentials credentials) const;
    // Throws unless the appservice may act as this user (other than its sender and the owner).
    void check_puppet(const appservice::Registration& registration, std::string_view user) const;
    // POST /register's rules for a puppet about to be created.
    void check_new_puppet(const appservice::Registration& registration, std::string_view user) const;
    boost::asio::awaitable<void> create_puppet(
        std::shared_ptr<const appservice::Registration> registration, std::string user) const;

    const appservice::Registry& registry_;
    storage::Database& db_;
    std::string server_name_;
    std::string owner_user_id_;
};

} // namespace ravenous::auth
