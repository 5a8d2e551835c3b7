#pragma once

// Path and query parameters shared by the room endpoints, validated once.

#include "ravenous/api/dispatch.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ravenous::api::client {

// {roomId}: 400 M_INVALID_PARAM unless it looks like a room id.
const std::string& room_param(Context& ctx);
// ?ts= for appservices (timestamp massaging); ignored for everyone else.
std::optional<std::int64_t> massaged_ts(Context& ctx);
// An optional "reason" string from a body.
std::optional<std::string> reason(const nlohmann::json& body);

} // namespace ravenous::api::client
