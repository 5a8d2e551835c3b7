#pragma once

// The full header, not json_fwd.hpp: AuthContext holds std::optional<nlohmann::json> members,
// and std::optional needs the complete type.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

// The authorisation rules of the spec (room versions 10 and 11) that matter on a server
// without federation: who may send which event, change which state, and move which
// membership. Pure functions over the state the caller looked up; no storage here.
namespace ravenous::rooms {

struct ProposedEvent
{
    std::string type;
    std::optional<std::string> state_key; // nullopt: a message event
    std::string sender;
    const nlohmann::json& content;
};

// What the caller looks up in the room's *current* state (the state the event would be
// appended after) before calling authorize().
struct AuthContext
{
    std::string room_version;
    // v10: content.creator of m.room.create; v11: the sender of m.room.create (the same user
    // for rooms this server creates).
    std::string creator;
    // Contents of the current state events; nullopt if the room has none.
    std::optional<nlohmann::json> power_levels;
    std::optional<nlohmann::json> join_rules;
    // Current memberships ("" when the user has none): the sender's, and for m.room.member
    // events the target's (the state_key user). For a join both are the same user's.
    std::string sender_membership;
    std::string target_membership;
    // True while the room's log holds nothing but m.room.create: the creator's own first
    // join is then allowed (auth rule 4.3.1). Set it only for that event of room creation.
    bool only_create_event = false;
    // For m.room.redaction: the sender and type of the event being redacted, looked up in
    // this room (nullopt: no such event in this room).
    std::optional<std::string> redacted_event_sender;
    std::optional<std::string> redacted_event_type;
};

// Throws MatrixError, or returns normally if the event is allowed:
// - 403 M_FORBIDDEN naming the rule that refused (messages follow Synapse's where clients or
//   bridges match on them: "... is already in the room.", "You are banned from this room");
// - 404 M_NOT_FOUND for a redaction of an unknown event by a user without the redact level
//   (Synapse's answer: "Could not find event ...").
// m.room.create is always refused: it is only ever made by room creation, which does not
// call this function for it.
void authorize(const AuthContext& context, const ProposedEvent& event);

} // namespace ravenous::rooms
