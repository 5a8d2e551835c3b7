#include "ravenous/rooms/event_validation.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/rooms/power_levels.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace ev = matrix::event_types;
namespace hv = matrix::history_visibility;
namespace ms = matrix::membership;
using nlohmann::json;

namespace {

std::string named(std::string_view key)
{
    return "'" + std::string(key) + "'";
}

const json* find(const json& content, const char* key)
{
    const auto it = content.find(key);
    return it == content.end() ? nullptr : &*it;
}

void require_string(const json& content, const char* key)
{
    const auto* value = find(content, key);
    if (!value)
        throw errors::bad_json(named(key) + " not in content");
    if (!value->is_string())
        throw errors::bad_json(named(key) + " must be a string");
}

// Absent or null is fine; anything else must be a string.
void optional_string(const json& content, const char* key)
{
    const auto* value = find(content, key);
    if (value && !value->is_null() && !value->is_string())
        throw errors::bad_json(named(key) + " must be a string");
}

void require_state(std::string_view type, const std::optional<std::string>& state_key)
{
    if (!state_key)
        throw errors::bad_json(named(type) + " must be a state event");
}

template <std::size_t N>
void require_one_of(const json& content, const char* key,
                    const std::array<std::string_view, N>& allowed)
{
    require_string(content, key);
    const auto& value = content.at(key).get_ref<const std::string&>();
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end())
        return;
    std::string list;
    for (const auto a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
    throw errors::bad_json(named(key) + " must be one of " + list);
}

void validate_member(const std::optional<std::string>& state_key, const json& content)
{
    require_state(ev::m_room_member, state_key);
    if (!matrix::is_valid_user_id(*state_key))
        throw errors::invalid_param("Invalid user ID in state_key: " + *state_key);
    require_one_of(content, "membership",
                   std::array{ms::join, ms::invite, ms::leave, ms::ban, ms::knock});
    optional_string(content, "displayname");
    optional_string(content, "avatar_url");
}

void validate_power_levels(const json& content)
{
    for (const char* key :
         {"ban", "events_default", "invite", "kick", "redact", "state_default", "users_default"}) {
        const auto* value = find(content, key);
        if (value && !as_power_level(*value))
            throw errors::bad_json(named(key) + " must be an integer");
    }
    for (const char* key : {"events", "notifications", "users"}) {
        const auto* map = find(content, key);
        if (!map)
            continue;
        if (!map->is_object())
            throw errors::bad_json(named(key) + " must be an object of integers");
        for (const auto& [name, value] : map->items()) {
            if (!as_power_level(value))
                throw errors::bad_json(named(std::string(key) + "." + name) +
                                       " must be an integer");
            if (std::string_view(key) == "users" && !matrix::is_valid_user_id(name))
                throw errors::bad_json(named("users") + ": not a valid user ID: " + name);
        }
    }
}

void validate_canonical_alias(const json& content)
{
    optional_string(content, "alias");
    const auto* alt = find(content, "alt_aliases");
    if (!alt || alt->is_null())
        return;
    if (!alt->is_array() ||
        !std::all_of(alt->begin(), alt->end(), [](const json& a) { return a.is_string(); }))
        throw errors::bad_json(named("alt_aliases") + " must be an array of strings");
}

void validate_mentions(const json& content)
{
    const auto* mentions = find(content, "m.mentions");
    if (!mentions)
        return;
    if (!mentions->is_object())
        throw errors::bad_json(named("m.mentions") + " must be an object");
    if (const auto* ids = find(*mentions, "user_ids")) {
        if (!ids->is_array() ||
            !std::all_of(ids->begin(), ids->end(), [](const json& id) { return id.is_string(); }))
            throw errors::bad_json(named("m.mentions.user_ids") + " must be an array of strings");
    }
    if (const auto* room = find(*mentions, "room"); room && !room->is_boolean())
        throw errors::bad_json(named("m.mentions.room") + " must be a boolean");
}

} // namespace

void validate_event(std::string_view type, const std::optional<std::string>& state_key,
                    const json& content, std::string_view room_version)
{
    if (type.empty())
        throw errors::bad_json("The event type must not be empty");
    if (type.size() > max_type_bytes)
        throw errors::too_large("'type' too large");
    if (state_key && state_key->size() > max_state_key_bytes)
        throw errors::too_large("'state_key' too large");
    if (!content.is_object())
        throw errors::bad_json("Event content must be a JSON object");
    validate_mentions(content);

    if (type == ev::m_room_member) {
        validate_member(state_key, content);
    } else if (type == ev::m_room_power_levels) {
        validate_power_levels(content);
    } else if (type == ev::m_room_join_rules) {
        require_string(content, "join_rule");
    } else if (type == ev::m_room_history_visibility) {
        require_one_of(content, "history_visibility",
                       std::array{hv::invited, hv::joined, hv::shared, hv::world_readable});
    } else if (type == ev::m_room_name) {
        require_state(type, state_key);
        require_string(content, "name");
    } else if (type == ev::m_room_topic) {
        require_state(type, state_key);
        require_string(content, "topic");
    } else if (type == ev::m_room_canonical_alias) {
        validate_canonical_alias(content);
    } else if (type == ev::m_room_avatar) {
        optional_string(content, "url");
    } else if (type == ev::m_room_tombstone) {
        require_state(type, state_key);
        require_string(content, "replacement_room");
    } else if (type == ev::m_room_redaction) {
        // v11 moved `redacts` into content; before, it is a top-level key the caller checks.
        if (room_version == "11")
            require_string(content, "redacts");
        else
            optional_string(content, "redacts");
    } else if (type == ev::m_room_message) {
        require_string(content, "msgtype");
        require_string(content, "body");
    }
}

} // namespace ravenous::rooms
