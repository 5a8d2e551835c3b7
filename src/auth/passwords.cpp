#include "ravenous/auth/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

namespace ravenous::auth::passwords {

std::string hash(std::string_view password)
{
    char out[crypto_pwhash_STRBYTES];
    // INTERACTIVE limits (64 MiB, 2 passes): a login is a human action, and the pod is small.
    if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("password hashing ran out of memory");
    return out;
}

bool verify(std::string_view hash, std::string_view password)
{
    if (!looks_like_hash(hash) || hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    std::string terminated(hash);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool looks_like_hash(std::string_view text)
{
    return text.starts_with("$argon2id$") && text.size() < crypto_pwhash_STRBYTES;
}

} // namespace ravenous::auth::passwords
