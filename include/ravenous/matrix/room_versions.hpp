#pragma once

#include <array>
#include <string_view>

namespace ravenous::matrix {

// Room versions this server creates rooms in. Without federation only the client-visible
// rules of a version matter (redaction algorithm, power-level types, join rules).
inline constexpr std::string_view default_room_version = "10";
inline constexpr std::array<std::string_view, 2> supported_room_versions = {"10", "11"};

} // namespace ravenous::matrix
