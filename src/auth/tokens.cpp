#include "ravenous/auth/tokens.hpp"

#include "ravenous/util/encoding.hpp"
#include "ravenous/util/random.hpp"

namespace ravenous::auth::tokens {

std::string new_access_token()
{
    return "rvt_" + util::base64url_encode_unpadded(util::random_bytes(32));
}

std::string hash(std::string_view token)
{
    return util::blake2b_hex(token);
}

std::string new_device_id()
{
    return util::random_upper(10);
}

} // namespace ravenous::auth::tokens
