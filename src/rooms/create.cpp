// POST /createRoom: the spec's sequence of initial state events, in one write job.

#include "ravenous/rooms/room_service.hpp"

#include "ravenous/auth/accounts.hpp"
#include "ravenous/appservice/registration.hpp"
#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/ids.hpp"
#include "ravenous/matrix/room_versions.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/users_table.hpp"
#include "ravenous/util/time.hpp"
#include "rooms/room_log.hpp"

#include <algorithm>
#include <set>

namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace et = matrix::event_types;
using nlohmann::json;

namespace {

struct Preset
{
    std::string_view join_rule;
    std::string_view history_visibility;
    std::string_view guest_access;
    bool invitees_are_admins;
};

Preset preset_for(const CreateRoomRequest& request)
{
    const std::string name = request.preset.value_or(
        request.visibility == "public" ? "public_chat" : "private_chat");
    if (name == "private_chat")
        return {matrix::join_rules::invite, matrix::history_visibility::shared, "can_join", false};
    if (name == "trusted_private_chat")
        return {matrix::join_rules::invite, matrix::history_visibility::shared, "can_join", true};
    if (name == "public_chat")
        return {matrix::join_rules::public_, matrix::history_visibility::shared, "forbidden", false};
    throw errors::bad_json("Unknown preset '" + name + "'");
}

json default_power_levels(const std::string& creator, const CreateRoomRequest& request,
                          const Preset& preset)
{
    json users = {{creator, 100}};
    if (preset.invitees_are_admins)
        for (const auto& invitee : request.invite)
            users[invitee] = 100;
    json levels = {
        {"users", users},
        {"users_default", 0},
        {"events",
         {{et::m_room_name, 50},
          {et::m_room_power_levels, 100},
          {et::m_room_history_visibility, 100},
          {et::m_room_canonical_alias, 50},
          {et::m_room_avatar, 50},
          {et::m_room_tombstone, 100},
          {et::m_room_server_acl, 100},
          {et::m_room_encryption, 100}}},
        {"events_default", 0},
        {"state_default", 50},
        {"ban", 50},
        {"kick", 50},
        {"redact", 50},
        {"invite", 0},
        {"notifications", {{"room", 50}}},
    };
    if (request.power_level_content_override)
        for (const auto& [key, value] : request.power_level_content_override->items())
            levels[key] = value;
    return levels;
}

void check_request(const CreateRoomRequest& request, std::string_view server_name)
{
    const auto& versions = matrix::supported_room_versions;
    if (request.room_version &&
        std::find(versions.begin(), versions.end(), *request.room_version) == versions.end())
        throw errors::unsupported_room_version("Your homeserver does not support the features "
                                               "required to interact with this room");
    for (const auto& invitee : request.invite)
        if (!matrix::is_valid_user_id(invitee))
            throw errors::invalid_param("Invalid user id in 'invite': " + invitee);
    if (request.room_alias_name) {
        const auto& name = *request.room_alias_name;
        if (name.empty() || name.find_first_of(":# \t\n") != std::string::npos ||
            name.size() + server_name.size() + 2 > 255)
            throw errors::invalid_param("Invalid characters in room alias");
    }
    if (request.room_id) {
        const auto& id = *request.room_id;
        const auto colon = id.find(':');
        if (!matrix::is_valid_room_id(id) || colon == std::string::npos ||
            std::string_view(id).substr(colon + 1) != server_name)
            throw errors::invalid_param("The room id must be '!<opaque>:" +
                                        std::string(server_name) + "'");
    }
    for (const auto& member : request.initial_members)
        if (!matrix::is_valid_user_id(member))
            throw errors::invalid_param("Invalid user id in 'com.beeper.initial_members': " +
                                        member);
}

bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

// A member the handler allowed (com.beeper.initial_members, an auto-joined invitee) who does
// not exist yet is one of the caller's appservice's puppets, created on first use as identity
// assertion does.
void ensure_user(storage::WriteTxn& txn, const auth::Identity& caller, const std::string& user)
{
    if (storage::users::exists(txn, user))
        return;
    if (!caller.appservice)
        throw errors::not_found("Unknown user " + user);
    auth::insert_appservice_user(txn, user, caller.appservice->id);
}

} // namespace

boost::asio::awaitable<std::string> RoomService::create_room(auth::Identity caller,
                                                             CreateRoomRequest request)
{
    check_request(request, server_name_);
    const Preset preset = preset_for(request);
    const std::string version =
        request.room_version.value_or(std::string(matrix::default_room_version));
    const std::string creator = caller.user_id;

    co_return co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        const auto now = request.ts.value_or(util::now_ms());
        storage::RoomRow room{request.room_id.value_or(new_room_id(server_name_)), version,
                              creator, request.visibility == "public", now};
        // A bridge's chosen id: Synapse's answer for a taken alias.
        if (request.room_id && storage::rooms::get(txn, room.room_id))
            throw matrix::MatrixError(matrix::ErrCode::M_ROOM_IN_USE, "Room ID already taken");
        storage::rooms::insert(txn, room);
        std::optional<std::string> alias;
        if (request.room_alias_name) {
            alias = "#" + *request.room_alias_name + ":" + server_name_;
            if (!storage::aliases::insert(txn, *alias, room.room_id, creator, now))
                throw matrix::MatrixError(matrix::ErrCode::M_ROOM_IN_USE,
                                          "Room alias already taken");
        }
        for (const auto& user : request.initial_members)
            ensure_user(txn, caller, user);
        for (const auto& user : request.auto_join)
            ensure_user(txn, caller, user);
        for (const auto& invitee : request.invite)
            if (invitee != creator && !storage::users::exists(txn, invitee))
                throw errors::not_found("Unknown user " + invitee);

        // Every event of the creation takes the creation band of topo positions.
        auto add_as = [&](const std::string& sender, std::string_view type,
                          std::string_view state_key, json content, bool authorised) {
            NewEvent event{std::string(type), std::string(state_key), sender, std::move(content)};
            event.ts = now;
            event.creation = true;
            append_event(txn, room, std::move(event), authorised);
        };
        auto add = [&](std::string_view type, std::string_view state_key, json content,
                       bool authorised) {
            add_as(creator, type, state_key, std::move(content), authorised);
        };
        // A member joined at creation keeps is_direct as their invite would have carried it.
        auto member = [&](const std::string& user, std::string_view membership) {
            json content = member_content(txn, user, membership);
            if (request.is_direct && contains(request.invite, user))
                content["is_direct"] = true;
            return content;
        };
        json create = request.creation_content.value_or(json::object());
        create["room_version"] = version;
        if (version == "10")
            create["creator"] = creator;  // v11 rooms take the creator from the sender
        add(et::m_room_create, "", std::move(create), true);
        add(et::m_room_member, creator, member_content(txn, creator, matrix::join), true);
        // Joined in one go, no invite: the handler checked the caller may bring them in.
        for (const auto& user : request.initial_members)
            if (user != creator)
                add_as(user, et::m_room_member, user, member(user, matrix::join), true);
        add(et::m_room_power_levels, "", default_power_levels(creator, request, preset), true);
        if (alias)
            add(et::m_room_canonical_alias, "", {{"alias", *alias}}, false);

        // initial_state replaces the preset's events of the same type and state key.
        auto overridden = [&](std::string_view type) {
            return std::any_of(
                request.initial_state.begin(), request.initial_state.end(),
                [&](const auto& s) { return s.type == type && s.state_key.empty(); });
        };
        if (!overridden(et::m_room_join_rules))
            add(et::m_room_join_rules, "", {{"join_rule", preset.join_rule}}, false);
        if (!overridden(et::m_room_history_visibility))
            add(et::m_room_history_visibility, "",
                {{"history_visibility", preset.history_visibility}}, false);
        if (!overridden(et::m_room_guest_access))
            add(et::m_room_guest_access, "", {{"guest_access", preset.guest_access}}, false);
        for (const auto& state : request.initial_state)
            add(state.type, state.state_key, state.content, false);
        if (request.name)
            add(et::m_room_name, "", {{"name", *request.name}}, false);
        if (request.topic)
            add(et::m_room_topic, "", {{"topic", *request.topic}}, false);
        for (const auto& invitee : request.invite) {
            if (invitee == creator || contains(request.initial_members, invitee))
                continue;
            add(et::m_room_member, invitee, member(invitee, matrix::invite), false);
            // Auto-joined: the invitee's own join right after, under the auth rules.
            if (contains(request.auto_join, invitee))
                add_as(invitee, et::m_room_member, invitee, member(invitee, matrix::join), false);
        }
        return room.room_id;
    });
}

} // namespace ravenous::rooms
