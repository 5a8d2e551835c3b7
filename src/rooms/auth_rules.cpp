#include "ravenous/rooms/auth_rules.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/rooms/power_levels.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <set>

// Rule numbers below are those of the room version 10 and 11 auth rules. Rules about
// signatures, auth_events, m.federate and the create event's own checks concern federation
// or room creation and have no counterpart here.
namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace ev = matrix::event_types;
namespace ms = matrix::membership;
namespace jr = matrix::join_rules;
using nlohmann::json;

namespace {

std::string need_have(std::int64_t need, std::int64_t have)
{
    return " (need " + std::to_string(need) + ", have " + std::to_string(have) + ")";
}

std::string join_rule_of(const AuthContext& ctx)
{
    // No m.room.join_rules event (or no join_rule in it) counts as "invite", as in Synapse.
    if (ctx.join_rules && ctx.join_rules->is_object()) {
        const auto it = ctx.join_rules->find("join_rule");
        if (it != ctx.join_rules->end() && it->is_string())
            return it->get<std::string>();
    }
    return std::string(jr::invite);
}

void check_join(const AuthContext& ctx, const ProposedEvent& event, const std::string& target)
{
    // 4.3.1: the creator's join right after m.room.create.
    if (ctx.only_create_event && target == ctx.creator)
        return;
    if (event.sender != target) // 4.3.2
        throw errors::forbidden("Cannot force another user to join.");
    const auto& membership = ctx.target_membership;
    if (membership == ms::ban) // 4.3.3
        throw errors::forbidden("You are banned from this room");
    const auto rule = join_rule_of(ctx);
    if (rule == jr::public_) // 4.3.6
        return;
    // 4.3.4 (invite, knock) and 4.3.5 (restricted, knock_restricted). A restricted join by a
    // user neither invited nor joined needs join_authorised_via_users_server: a joined user
    // of a server that checked the allow list. Without federation there is no other server
    // to vouch for the join, and this server does not make such joins itself, so restricted
    // rooms behave as invite-only here.
    if (rule == jr::invite || rule == jr::knock || rule == jr::restricted ||
        rule == jr::knock_restricted) {
        if (membership == ms::invite || membership == ms::join)
            return;
        throw errors::forbidden("You are not invited to this room.");
    }
    throw errors::forbidden("You are not allowed to join this room"); // 4.3.7
}

void check_invite(const AuthContext& ctx, const ProposedEvent& event, const std::string& target,
                  const PowerLevels& levels)
{
    // 4.4.1: third-party invites need a signature from an identity server's key, which this
    // server never asks for (no identity server), so none can be valid.
    if (event.content.contains("third_party_invite"))
        throw errors::forbidden("Third-party invites are not supported by this server");
    if (ctx.sender_membership != ms::join) // 4.4.2
        throw errors::forbidden("User " + event.sender + " not in room");
    if (ctx.target_membership == ms::ban) // 4.4.3
        throw errors::forbidden(target + " is banned from the room");
    if (ctx.target_membership == ms::join)
        throw errors::forbidden(target + " is already in the room.");
    const auto have = levels.user_level(event.sender);
    if (have < levels.invite) // 4.4.4, 4.4.5
        throw errors::forbidden("You don't have permission to invite users" +
                                need_have(levels.invite, have));
}

void check_leave(const AuthContext& ctx, const ProposedEvent& event, const std::string& target,
                 const PowerLevels& levels)
{
    if (event.sender == target) { // 4.5.1
        const auto& m = ctx.sender_membership;
        if (m == ms::invite || m == ms::join || m == ms::knock)
            return;
        if (m == ms::ban)
            throw errors::forbidden("You are banned from this room");
        throw errors::forbidden("User " + event.sender + " not in room");
    }
    if (ctx.sender_membership != ms::join) // 4.5.2
        throw errors::forbidden("User " + event.sender + " not in room");
    const auto have = levels.user_level(event.sender);
    const bool unban = ctx.target_membership == ms::ban;
    if (unban && have < levels.ban) // 4.5.3
        throw errors::forbidden("You cannot unban user " + target + need_have(levels.ban, have));
    const auto verb = std::string(unban ? "unban" : "kick");
    if (have < levels.kick) // 4.5.4, 4.5.5
        throw errors::forbidden("You don't have permission to " + verb + " user " + target +
                                need_have(levels.kick, have));
    const auto target_level = levels.user_level(target);
    if (target_level >= have)
        throw errors::forbidden("You cannot " + verb + " user " + target + ": their power level (" +
                                std::to_string(target_level) + ") is not below yours (" +
                                std::to_string(have) + ")");
}

void check_ban(const AuthContext& ctx, const ProposedEvent& event, const std::string& target,
               const PowerLevels& levels)
{
    if (ctx.sender_membership != ms::join) // 4.6.1
        throw errors::forbidden("User " + event.sender + " not in room");
    const auto have = levels.user_level(event.sender);
    if (have < levels.ban) // 4.6.2, 4.6.3
        throw errors::forbidden("You don't have permission to ban" + need_have(levels.ban, have));
    const auto target_level = levels.user_level(target);
    if (target_level >= have)
        throw errors::forbidden("You don't have permission to ban this user: their power level (" +
                                std::to_string(target_level) + ") is not below yours (" +
                                std::to_string(have) + ")");
}

void check_knock(const AuthContext& ctx, const ProposedEvent& event, const std::string& target)
{
    const auto rule = join_rule_of(ctx);
    if (rule != jr::knock && rule != jr::knock_restricted) // 4.7.1
        throw errors::forbidden("You don't have permission to knock");
    if (event.sender != target) // 4.7.2
        throw errors::forbidden("You cannot knock for other users");
    const auto& m = ctx.target_membership; // 4.7.3, 4.7.4
    if (m == ms::join)
        throw errors::forbidden("You cannot knock on a room you are already in");
    if (m == ms::invite)
        throw errors::forbidden("You are already invited to this room");
    if (m == ms::ban)
        throw errors::forbidden("You are banned from this room");
}

// Rule 4: m.room.member events, which are decided here alone (rules 5 to 9 do not apply).
void check_member(const AuthContext& ctx, const ProposedEvent& event, const PowerLevels& levels)
{
    if (!event.state_key || !matrix::is_valid_user_id(*event.state_key)) // 4.1
        throw errors::forbidden("m.room.member events need a valid user ID as state_key");
    const auto it = event.content.find("membership");
    if (it == event.content.end() || !it->is_string())
        throw errors::forbidden("m.room.member events need a membership");
    const auto membership = it->get<std::string>();
    const auto& target = *event.state_key;
    if (membership == ms::join)
        check_join(ctx, event, target);
    else if (membership == ms::invite)
        check_invite(ctx, event, target, levels);
    else if (membership == ms::leave)
        check_leave(ctx, event, target, levels);
    else if (membership == ms::ban)
        check_ban(ctx, event, target, levels);
    else if (membership == ms::knock)
        check_knock(ctx, event, target);
    else
        throw errors::forbidden("Unknown membership " + membership); // 4.8
}

std::optional<std::int64_t> level_at(const json& content, const std::string& key)
{
    const auto it = content.find(key);
    return it == content.end() ? std::nullopt : as_power_level(*it);
}

const json& object_at(const json& content, const char* key)
{
    static const json empty = json::object();
    const auto it = content.find(key);
    return it != content.end() && it->is_object() ? *it : empty;
}

[[noreturn]] void refuse_level(const std::string& what, std::int64_t value, std::int64_t have)
{
    throw errors::forbidden("You don't have permission to add ops level greater than your own (" +
                            what + ": " + std::to_string(value) +
                            ", your level: " + std::to_string(have) + ")");
}

// One key's old and new values: a change that moves a level from or to above `have` is
// refused (rules 9.5 to 9.9); for other users' entries an old value equal to `have` too.
void check_level_change(const std::string& what, std::optional<std::int64_t> old_value,
                        std::optional<std::int64_t> new_value, std::int64_t have,
                        bool protect_equal)
{
    if (old_value == new_value)
        return;
    if (old_value && (*old_value > have || (protect_equal && *old_value == have))) {
        if (*old_value == have)
            throw errors::forbidden("You don't have permission to remove ops level equal to "
                                    "your own (" +
                                    what + ": " + std::to_string(have) + ")");
        refuse_level(what, *old_value, have);
    }
    if (new_value && *new_value > have)
        refuse_level(what, *new_value, have);
}

// Rule 9: m.room.power_levels. The content's types (9.1 to 9.3) are checked again here so
// that the rule holds whoever calls; validate_event() gives the client the M_BAD_JSON first.
void check_power_levels(const AuthContext& ctx, const ProposedEvent& event,
                        const PowerLevels& levels)
{
    static constexpr std::array<const char*, 7> named = {
        "users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"};
    const auto& content = event.content;
    for (const char* key : named) {
        if (content.contains(key) && !as_power_level(content.at(key)))
            throw errors::forbidden(std::string("'") + key + "' must be an integer");
    }
    for (const char* key : {"events", "notifications", "users"}) {
        const auto it = content.find(key);
        if (it == content.end())
            continue;
        if (!it->is_object())
            throw errors::forbidden(std::string("'") + key + "' must be an object of integers");
        for (const auto& [name, value] : it->items()) {
            if (!as_power_level(value))
                throw errors::forbidden(std::string("'") + key + "' must be an object of integers");
            if (std::string_view(key) == "users" && !matrix::is_valid_user_id(name))
                throw errors::forbidden("Not a valid user_id: " + name);
        }
    }
    if (!ctx.power_levels || !ctx.power_levels->is_object()) // 9.4
        return;
    const auto& old = *ctx.power_levels;
    const auto have = levels.user_level(event.sender);
    for (const char* key : named) // 9.5
        check_level_change(key, level_at(old, key), level_at(content, key), have, false);
    for (const char* map : {"events", "notifications", "users"}) { // 9.6 to 9.9
        const auto& old_map = object_at(old, map);
        const auto& new_map = object_at(content, map);
        std::set<std::string> keys;
        for (const auto& [k, v] : old_map.items())
            keys.insert(k);
        for (const auto& [k, v] : new_map.items())
            keys.insert(k);
        const bool users = std::string_view(map) == "users";
        for (const auto& key : keys)
            check_level_change(std::string(map) + "." + key, level_at(old_map, key),
                               level_at(new_map, key), have, users && key != event.sender);
    }
}

// Not an auth rule since room version 3 ("Handling redactions"): a server applies a
// redaction only if the sender has the redact level or sent the original event. Like Synapse,
// refuse at once what would never be applied, and never redact m.room.create or
// m.room.server_acl.
void check_redaction(const AuthContext& ctx, const ProposedEvent& event, const PowerLevels& levels)
{
    if (ctx.redacted_event_type == ev::m_room_create)
        throw errors::forbidden("Redacting create events is not permitted");
    if (ctx.redacted_event_type == ev::m_room_server_acl)
        throw errors::forbidden("Redacting server ACL events is not permitted");
    const auto have = levels.user_level(event.sender);
    if (have >= levels.redact)
        return;
    if (!ctx.redacted_event_sender)
        throw errors::not_found("Could not find the event to redact");
    if (*ctx.redacted_event_sender != event.sender)
        throw errors::forbidden("You don't have permission to redact events" +
                                need_have(levels.redact, have));
}

} // namespace

void authorize(const AuthContext& ctx, const ProposedEvent& event)
{
    if (event.type == ev::m_room_create) // rule 1: only room creation makes it
        throw errors::forbidden("The m.room.create event cannot be sent after room creation");
    const auto levels = PowerLevels::from_state(ctx.power_levels, ctx.creator);
    if (event.type == ev::m_room_member)
        return check_member(ctx, event, levels);
    if (ctx.sender_membership != ms::join) // 5
        throw errors::forbidden("User " + event.sender + " not in room");
    const auto have = levels.user_level(event.sender);
    if (event.type == ev::m_room_third_party_invite) { // 6
        if (have < levels.invite)
            throw errors::forbidden("You don't have permission to invite users" +
                                    need_have(levels.invite, have));
        return;
    }
    const auto need = levels.event_level(event.type, event.state_key.has_value());
    if (have < need) // 7
        throw errors::forbidden("You don't have permission to post that to the room. user_level (" +
                                std::to_string(have) + ") < send_level (" + std::to_string(need) +
                                ")");
    if (event.state_key && event.state_key->starts_with('@') && *event.state_key != event.sender)
        throw errors::forbidden("You are not allowed to set others state"); // 8
    if (event.type == ev::m_room_power_levels)
        check_power_levels(ctx, event, levels); // 9
    if (event.type == ev::m_room_redaction)
        check_redaction(ctx, event, levels);
}

} // namespace ravenous::rooms
