#include "ravenous/util/encoding.hpp"

#include <sodium.h>

#include <stdexcept>

namespace ravenous::util {

namespace {
std::string base64_with(std::string_view bytes, int variant)
{
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), variant);
    out.resize(out.find('\0'));
    return out;
}
} // namespace

std::string base64_encode_unpadded(std::string_view bytes)
{
    return base64_with(bytes, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

std::string base64url_encode_unpadded(std::string_view bytes)
{
    return base64_with(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> base64_decode(std::string_view text)
{
    // Matrix producers differ on padding; accept both.
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out(text.size() * 3 / 4 + 3, '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string hex_encode(std::string_view bytes)
{
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    out.pop_back();
    return out;
}

std::string blake2b_hex(std::string_view input)
{
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), nullptr, 0);
    return hex_encode({reinterpret_cast<const char*>(hash), sizeof hash});
}

std::string sha256(std::string_view input)
{
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size());
    return out;
}

bool secrets_equal(std::string_view a, std::string_view b)
{
    // Compare digests so that the time taken does not depend on where the inputs differ,
    // nor leak the secret's length.
    const std::string da = sha256(a);
    const std::string db = sha256(b);
    return sodium_memcmp(da.data(), db.data(), da.size()) == 0;
}

bool is_valid_utf8(std::string_view bytes)
{
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

} // namespace ravenous::util
