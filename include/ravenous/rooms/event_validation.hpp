#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ravenous::rooms {

// The largest event, serialised, that the spec allows (65,536 bytes).
inline constexpr std::size_t max_event_bytes = 65536;
// The largest event type and state key, in bytes.
inline constexpr std::size_t max_type_bytes = 255;
inline constexpr std::size_t max_state_key_bytes = 255;

// Checks what a client sends before anything is stored (the caller still checks the size of
// the whole event against max_event_bytes):
// - the event type is not empty (M_BAD_JSON); type and state key are at most 255 bytes
//   (413 M_TOO_LARGE "'type' too large", as Synapse answers);
// - content is a JSON object (M_BAD_JSON);
// - the content of well-known events has the types the event schemas give them, M_BAD_JSON
//   naming the field otherwise: m.room.member (membership one of join/invite/leave/ban/knock,
//   displayname and avatar_url strings or null), m.room.power_levels (integers only, as room
//   versions 10 and 11 require; users keys valid user IDs), m.room.join_rules, m.room.
//   history_visibility (one of the four values), m.room.name, m.room.topic, m.room.
//   canonical_alias, m.room.avatar, m.room.tombstone, m.room.redaction (content.redacts in
//   v11), m.room.message (body and msgtype, as Synapse requires), and m.mentions in any event;
// - m.room.member, m.room.name, m.room.topic and m.room.tombstone are state events, and an
//   m.room.member state key is a user ID (M_INVALID_PARAM otherwise, as in Synapse).
// Unknown event types and unknown content keys are never refused.
void validate_event(std::string_view type, const std::optional<std::string>& state_key,
                    const nlohmann::json& content, std::string_view room_version);

} // namespace ravenous::rooms
