#pragma once

#include "ravenous/auth/identity.hpp"

#include <nlohmann/json_fwd.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ravenous::auth {

class AccountService;

// User-interactive authentication for the endpoints that need it (deleting devices, changing
// the password). The one stage offered is m.login.password; appservices are trusted and skip
// it. Sessions live in memory, bounded in number and time.
class InteractiveAuth
{
public:
    explicit InteractiveAuth(AccountService& accounts) : accounts_(accounts) {}

    // Returns if `auth` (the request's "auth" object, may be null) completes the flow for
    // the caller; otherwise throws the 401 that tells the client what to do next (flows,
    // params, session; M_FORBIDDEN for a wrong password).
    boost::asio::awaitable<void> require(const Identity& caller, const nlohmann::json* auth);

private:
    std::string new_session();
    bool known_session(const std::string& id);

    AccountService& accounts_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> sessions_;  // id -> created (ms)
};

} // namespace ravenous::auth
