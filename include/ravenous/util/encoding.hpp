#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::util {

// Unpadded standard base64, the encoding Matrix uses for keys and hashes.
std::string base64_encode_unpadded(std::string_view bytes);
// URL-safe unpadded base64 (event ids of room version 4+).
std::string base64url_encode_unpadded(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

// BLAKE2b-256 of the input, hex encoded: the at-rest form of access tokens.
std::string blake2b_hex(std::string_view input);

// SHA-256 of the input (raw 32 bytes).
std::string sha256(std::string_view input);

// Constant-time equality for secrets of possibly different lengths.
bool secrets_equal(std::string_view a, std::string_view b);

// True if the bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

} // namespace ravenous::util
