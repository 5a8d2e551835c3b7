#pragma once

#include <string>
#include <string_view>

namespace ravenous::auth::tokens {

// A new access token: a prefix that makes leaked tokens recognisable, then 256 bits of
// randomness.
std::string new_access_token();
// The at-rest form: only this is stored.
std::string hash(std::string_view token);
// A new device id, Synapse-style (10 upper-case letters).
std::string new_device_id();

} // namespace ravenous::auth::tokens
