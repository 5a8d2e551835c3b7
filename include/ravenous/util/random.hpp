#pragma once

#include <cstddef>
#include <string>

namespace ravenous::util {

// Cryptographically random bytes (libsodium), for tokens, ids and secrets.
std::string random_bytes(std::size_t n);

// Random string over [A-Za-z0-9] of the given length; uniform (rejection sampling).
std::string random_alnum(std::size_t length);

// Random string over [A-Z] of the given length (Synapse-style device ids).
std::string random_upper(std::size_t length);

} // namespace ravenous::util
