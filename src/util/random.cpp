#include "ravenous/util/random.hpp"

#include <sodium.h>

namespace ravenous::util {

std::string random_bytes(std::size_t n)
{
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

namespace {
std::string random_from_alphabet(std::size_t length, std::string_view alphabet)
{
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) {
        // randombytes_uniform avoids modulo bias.
        out.push_back(alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))]);
    }
    return out;
}
} // namespace

std::string random_alnum(std::size_t length)
{
    return random_from_alphabet(
        length, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

std::string random_upper(std::size_t length)
{
    return random_from_alphabet(length, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

} // namespace ravenous::util
