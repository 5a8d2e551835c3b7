#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::matrix {

// Matrix user ids are at most 255 bytes including the sigil and the server name.
inline constexpr std::size_t max_user_id_length = 255;

struct UserId
{
    std::string localpart;
    std::string server_name;

    std::string to_string() const { return "@" + localpart + ":" + server_name; }
};

// Parses "@localpart:server". Accepts historical localparts (any printable ASCII except ':'),
// as the spec requires for existing users; new registrations use is_valid_new_localpart.
std::optional<UserId> parse_user_id(std::string_view text);
bool is_valid_user_id(std::string_view text);

// The localpart grammar for new users: [a-z0-9._=\-/+]+.
bool is_valid_new_localpart(std::string_view localpart);

// server_name = hostname [ ":" port ], hostname = IPv4 / "[" IPv6 "]" / DNS name.
bool is_valid_server_name(std::string_view text);

// Device ids: any non-empty string of printable characters, at most 255 bytes (Synapse's rule).
bool is_valid_device_id(std::string_view text);

// Room ids "!opaque:server" and event ids "$opaque" (room version 4+) or "$opaque:server".
bool is_valid_room_id(std::string_view text);
bool is_valid_event_id(std::string_view text);

} // namespace ravenous::matrix
