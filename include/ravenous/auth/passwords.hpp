#pragma once

#include <string>
#include <string_view>

// Argon2id through libsodium. Deliberately slow: call these on the compute pool, never on a
// network thread.
namespace ravenous::auth::passwords {

std::string hash(std::string_view password);
bool verify(std::string_view hash, std::string_view password);
// True for libsodium's Argon2id string form ("$argon2id$v=19$m=...,t=...,p=...$salt$hash").
bool looks_like_hash(std::string_view text);

// Passwords longer than this are refused before hashing (a hash must not be a DoS lever).
inline constexpr std::size_t max_length = 512;

} // namespace ravenous::auth::passwords
