#include "rooms/room_log.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/matrix/event_types.hpp"
#include "ravenous/matrix/json.hpp"
#include "ravenous/rooms/auth_rules.hpp"
#include "ravenous/rooms/event_validation.hpp"
#include "ravenous/rooms/redaction.hpp"
#include "ravenous/storage/users_table.hpp"
#include "ravenous/util/encoding.hpp"
#include "ravenous/util/random.hpp"
#include "ravenous/util/time.hpp"

namespace ravenous::rooms {

namespace errors = matrix::errors;
namespace et = matrix::event_types;
using nlohmann::json;

std::string new_room_id(std::string_view server_name)
{
    return "!" + util::random_alnum(18) + ":" + std::string(server_name);
}

std::string new_event_id()
{
    // Opaque, in the shape of room version 4+ ids (43 characters of URL-safe base64).
    return "$" + util::base64url_encode_unpadded(util::random_bytes(32));
}

storage::RoomRow require_room(storage::ReadTxn& txn, std::string_view room_id)
{
    auto room = storage::rooms::get(txn, room_id);
    if (!room)
        throw errors::not_found("Unknown room " + std::string(room_id));
    return *room;
}

json member_content(storage::ReadTxn& txn, std::string_view user_id, std::string_view membership)
{
    json content = {{"membership", membership}};
    add_profile(txn, user_id, content);
    return content;
}

void add_profile(storage::ReadTxn& txn, std::string_view user_id, json& content)
{
    const std::string membership = content.value("membership", "");
    if (membership != matrix::join && membership != matrix::invite && membership != matrix::knock)
        return;
    auto user = storage::users::get(txn, user_id);
    if (!user)
        return;
    // Only what is missing: a name set for this room alone stays as sent.
    if (user->displayname && !content.contains("displayname"))
        content["displayname"] = *user->displayname;
    if (user->avatar_url && !content.contains("avatar_url"))
        content["avatar_url"] = *user->avatar_url;
}

namespace {

std::optional<json> state_content(storage::ReadTxn& txn, std::string_view room_id,
                                  std::string_view type)
{
    auto row = storage::current_state::get(txn, room_id, type, "");
    if (!row)
        return std::nullopt;
    return json::parse(row->json).value("content", json::object());
}

std::string membership_of(storage::ReadTxn& txn, std::string_view room_id, std::string_view user)
{
    auto row = storage::memberships::get(txn, room_id, user);
    return row ? row->membership : std::string();
}

} // namespace

AuthContext auth_context(storage::ReadTxn& txn, const storage::RoomRow& room,
                         const NewEvent& event)
{
    AuthContext context;
    context.room_version = room.room_version;
    context.creator = room.creator;
    context.power_levels = state_content(txn, room.room_id, et::m_room_power_levels);
    context.join_rules = state_content(txn, room.room_id, et::m_room_join_rules);
    context.sender_membership = membership_of(txn, room.room_id, event.sender);
    if (event.type == et::m_room_member && event.state_key)
        context.target_membership = membership_of(txn, room.room_id, *event.state_key);
    if (event.redacts) {
        if (auto target = storage::events::get(txn, *event.redacts);
            target && target->room_id == room.room_id)
        {
            context.redacted_event_sender = target->sender;
            context.redacted_event_type = target->type;
        }
    }
    return context;
}

namespace {

// A state event identical to the current one (same sender, same content) is not stored
// again; its event id is returned, as Synapse does.
std::optional<Appended> duplicate_state(storage::WriteTxn& txn, const storage::RoomRow& room,
                                        const NewEvent& event)
{
    if (!event.state_key)
        return std::nullopt;
    auto current = storage::current_state::get(txn, room.room_id, event.type, *event.state_key);
    if (!current || current->sender != event.sender)
        return std::nullopt;
    if (json::parse(current->json).value("content", json::object()) != event.content)
        return std::nullopt;
    return Appended{current->event_id, current->stream_pos, true};
}

void apply_redaction(storage::WriteTxn& txn, const storage::RoomRow& room,
                     const std::string& target_id, const json& redaction_event)
{
    auto target = storage::events::get(txn, target_id);
    if (!target || target->room_id != room.room_id || target->redacted_by)
        return;
    json redacted = redact(json::parse(target->json), room.room_version);
    redacted["unsigned"]["redacted_because"] = redaction_event;
    storage::events::set_redacted(txn, target_id, matrix::json::dump(redacted),
                                  redaction_event.at("event_id").get<std::string>());
}

} // namespace

storage::EventRow event_row(std::string_view room_id, const NewEvent& event,
                            json unsigned_fields)
{
    storage::EventRow row;
    row.room_id = room_id;
    row.event_id = event.event_id.value_or(new_event_id());
    row.type = event.type;
    row.state_key = event.state_key;
    row.sender = event.sender;
    row.origin_server_ts = event.ts.value_or(util::now_ms());
    row.device_id = event.device_key;
    row.txn_id = event.txn_id;
    row.silent = event.silent;
    row.backfilled_by = event.backfilled_by;

    json out = {{"event_id", row.event_id},         {"room_id", row.room_id},
                {"sender", row.sender},             {"type", row.type},
                {"origin_server_ts", row.origin_server_ts}, {"content", event.content}};
    if (event.state_key)
        out["state_key"] = *event.state_key;
    if (!unsigned_fields.empty())
        out["unsigned"] = std::move(unsigned_fields);
    if (event.redacts)
        out["redacts"] = *event.redacts;
    if (auto relates = event.content.find("m.relates_to");
        relates != event.content.end() && relates->is_object()) {
        if (auto id = relates->find("event_id"); id != relates->end() && id->is_string())
            row.relates_to = id->get<std::string>();
        if (auto rel = relates->find("rel_type"); rel != relates->end() && rel->is_string())
            row.rel_type = rel->get<std::string>();
    }
    row.json = matrix::json::dump(out);
    if (row.json.size() > max_event_bytes)
        throw errors::too_large("Event is too large (max 65536 bytes)");
    return row;
}

Appended append_event(storage::WriteTxn& txn, const storage::RoomRow& room, NewEvent event,
                      bool authorised)
{
    validate_event(event.type, event.state_key, event.content, room.room_version);
    // Whichever endpoint a member event comes through (/join or a PUT of the state event, as
    // double puppets do), it carries the same profile.
    if (event.type == et::m_room_member && event.state_key)
        add_profile(txn, *event.state_key, event.content);
    // Before the auth rules, as Synapse does: repeating one's own last state event (a second
    // leave, a second join) answers with the first one instead of an error.
    if (auto duplicate = duplicate_state(txn, room, event))
        return *duplicate;
    if (!authorised) {
        const ProposedEvent proposed{event.type, event.state_key, event.sender, event.content};
        authorize(auth_context(txn, room, event), proposed);
    }

    json unsigned_fields = json::object();
    if (event.state_key) {
        if (auto previous = storage::current_state::get(txn, room.room_id, event.type,
                                                        *event.state_key)) {
            const json prev = json::parse(previous->json);
            unsigned_fields = {{"replaces_state", previous->event_id},
                               {"prev_content", prev.value("content", json::object())},
                               {"prev_sender", previous->sender}};
        }
    }
    storage::EventRow row = event_row(room.room_id, event, std::move(unsigned_fields));
    row.stream_pos = storage::stream::next(txn);
    row.topo = event.creation ? storage::events::next_creation_topo(txn, room.room_id)
                              : storage::events::next_topo(txn, room.room_id);

    storage::events::insert(txn, row);
    if (event.state_key) {
        storage::current_state::set(txn, room.room_id, event.type, *event.state_key, row.stream_pos);
        if (event.type == et::m_room_member)
            storage::memberships::set(txn, room.room_id, *event.state_key,
                                      event.content.value("membership", ""), row.stream_pos);
    }
    if (event.device_key && event.txn_id)
        storage::events::insert_txn(txn, event.sender, *event.device_key,
                                    event.txn_scope + *event.txn_id, row.event_id,
                                    row.origin_server_ts);
    if (event.redacts)
        apply_redaction(txn, room, *event.redacts, json::parse(row.json));
    return {row.event_id, row.stream_pos, false};
}

} // namespace ravenous::rooms
