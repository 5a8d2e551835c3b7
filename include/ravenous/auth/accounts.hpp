#pragma once

#include "ravenous/auth/identity.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::storage {
class Database;
class WriteTxn;
}
namespace ravenous::util {
class WorkerPool;
}
namespace ravenous::config {
struct Owner;
}

namespace ravenous::auth {

class Authenticator;

// Inside a write job: creates a user owned by an appservice (no password, no device). False
// when the user already exists (nothing written).
bool insert_appservice_user(storage::WriteTxn& txn, std::string_view user_id,
                            std::string_view appservice_id);

struct Session
{
    std::string user_id;
    std::string device_id;
    std::string access_token;
};

struct NewDevice
{
    std::optional<std::string> device_id;     // reuse this one if given (its tokens stay)
    std::optional<std::string> display_name;  // only for a new device
    std::string remote_address;
};

// Accounts, logins and access tokens.
class AccountService
{
public:
    AccountService(storage::Database& db, util::WorkerPool& compute, const Authenticator& authn);

    // Start-up, before serving (blocking): creates the owner from the config, or brings its
    // password in line with a config whose credential changed since the last start. A password
    // changed through the API survives restarts as long as the config stays the same.
    // `owner` must carry a password or a password hash.
    void ensure_owner(const config::Owner& owner);
    // Start-up: makes sure an appservice's sender user exists.
    void ensure_appservice_user(std::string_view user_id, std::string_view appservice_id);

    // m.login.password: only users with a password (the owner). M_FORBIDDEN on any mismatch.
    boost::asio::awaitable<Session> login_password(std::string user, std::string password,
                                                   NewDevice device);
    // m.login.application_service: the caller's appservice logs in one of its users.
    boost::asio::awaitable<Session> login_appservice(Identity caller, std::string user,
                                                     NewDevice device);
    // Registration through an appservice (the only registration there is).
    struct Registered
    {
        std::string user_id;
        std::optional<Session> session;  // absent with inhibit_login
    };
    boost::asio::awaitable<Registered> register_appservice_user(Identity caller,
                                                                std::string username,
                                                                bool inhibit_login,
                                                                NewDevice device);

    // Does the password match the user's? (Argon2id on the compute pool.)
    boost::asio::awaitable<bool> check_password(std::string user_id, std::string password);
    // Sets a new password; with logout_devices, every other device and token of the user goes.
    boost::asio::awaitable<void> change_password(Identity caller, std::string new_password,
                                                 bool logout_devices);

    boost::asio::awaitable<void> logout(Identity caller);
    boost::asio::awaitable<void> logout_all(Identity caller);

    // "alice", "@alice:server" or "@Alice:server" -> the canonical user id if it is local.
    std::string resolve_user(std::string_view user) const;

private:
    boost::asio::awaitable<Session> open_session(std::string user_id, NewDevice device);

    storage::Database& db_;
    util::WorkerPool& compute_;
    const Authenticator& authn_;
};

} // namespace ravenous::auth
