#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string_view>

namespace ravenous::rooms {

// The redaction algorithm of the room version (10 or 11, per the spec's "Redactions"
// sections; versions other than "11" get the v10 rules): the top-level keys and the content
// keys that survive.
//
// `event` is an event as stored or in client format. Top-level keys kept: event_id, type,
// room_id, sender, state_key, content, hashes, signatures, depth, prev_events, auth_events,
// origin_server_ts, and in v10 also prev_state, origin and membership. Everything else goes,
// including a top-level `redacts` (a v10 m.room.redaction keeps no pointer to its target;
// v11 keeps content.redacts).
//
// `unsigned` is not part of the algorithm (servers add it when serving). What survives of it
// is what Synapse keeps: replaces_state, and the prev_content and prev_sender that Synapse
// derives from replaces_state when serving (they describe the *previous* state event, which
// this redaction does not touch). Everything else in it (transaction_id, relations, an older
// redacted_because, age...) is dropped; if nothing is left the result has no `unsigned`. The
// caller adds unsigned.redacted_because (and age, transaction_id if it serves them).
nlohmann::json redact(const nlohmann::json& event, std::string_view room_version);

// The content-only half of the algorithm: what survives of `content` for an event of `type`.
nlohmann::json redact_content(std::string_view type, const nlohmann::json& content,
                              std::string_view room_version);

} // namespace ravenous::rooms
