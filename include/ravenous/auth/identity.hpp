#pragma once

#include <memory>
#include <optional>
#include <string>

namespace ravenous::appservice {
struct Registration;
}

namespace ravenous::auth {

// Who a request acts as, after authentication and identity assertion.
struct Identity
{
    std::string user_id;
    std::optional<std::string> device_id;
    // Set when the request carried an appservice's as_token (possibly asserting a user).
    std::shared_ptr<const appservice::Registration> appservice;
    // Set for user access tokens (logout removes exactly this one).
    std::optional<std::string> token_hash;
    bool is_owner = false;

    bool is_appservice() const { return appservice != nullptr; }
};

} // namespace ravenous::auth
