#include "ravenous/rooms/redaction.hpp"

#include "ravenous/matrix/event_types.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <initializer_list>

namespace ravenous::rooms {

namespace ev = matrix::event_types;
using nlohmann::json;

namespace {

// Room version 11 changed the algorithm ("updated redaction rules", MSC2176 and MSC3821).
bool updated_rules(std::string_view room_version)
{
    return room_version == "11";
}

constexpr std::array<std::string_view, 12> kept_top_level = {
    "event_id", "type",       "room_id", "sender",      "state_key",   "content",
    "hashes",   "signatures", "depth",   "prev_events", "auth_events", "origin_server_ts"};
constexpr std::array<std::string_view, 3> kept_top_level_before_v11 = {"prev_state", "origin",
                                                                       "membership"};

void keep(json& out, const json& content, std::initializer_list<const char*> keys)
{
    for (const char* key : keys) {
        const auto it = content.find(key);
        if (it != content.end())
            out[key] = *it;
    }
}

} // namespace

json redact_content(std::string_view type, const json& content, std::string_view room_version)
{
    const bool v11 = updated_rules(room_version);
    json out = json::object();
    if (!content.is_object())
        return out;
    if (type == ev::m_room_member) {
        keep(out, content, {"membership", "join_authorised_via_users_server"});
        if (v11) {
            // v11 keeps third_party_invite, with only its `signed` key.
            const auto it = content.find("third_party_invite");
            if (it != content.end() && it->is_object()) {
                out["third_party_invite"] = json::object();
                keep(out["third_party_invite"], *it, {"signed"});
            }
        }
    } else if (type == ev::m_room_create) {
        if (v11)
            return content; // v11: the whole content survives
        keep(out, content, {"creator"});
    } else if (type == ev::m_room_join_rules) {
        keep(out, content, {"join_rule", "allow"});
    } else if (type == ev::m_room_power_levels) {
        keep(out, content,
             {"ban", "events", "events_default", "kick", "redact", "state_default", "users",
              "users_default"});
        if (v11)
            keep(out, content, {"invite"});
    } else if (type == ev::m_room_history_visibility) {
        keep(out, content, {"history_visibility"});
    } else if (type == ev::m_room_redaction && v11) {
        keep(out, content, {"redacts"});
    }
    return out;
}

json redact(const json& event, std::string_view room_version)
{
    json out = json::object();
    if (!event.is_object())
        return out;
    const bool v11 = updated_rules(room_version);
    for (const auto& [key, value] : event.items()) {
        const auto kept = [&key](const auto& list) {
            for (const auto name : list) {
                if (key == name)
                    return true;
            }
            return false;
        };
        if (kept(kept_top_level) || (!v11 && kept(kept_top_level_before_v11)))
            out[key] = value;
    }
    if (const auto it = event.find("unsigned"); it != event.end() && it->is_object()) {
        json kept_unsigned = json::object();
        keep(kept_unsigned, *it, {"replaces_state", "prev_content", "prev_sender"});
        if (!kept_unsigned.empty())
            out["unsigned"] = std::move(kept_unsigned);
    }
    const auto type = event.find("type");
    const auto content = event.find("content");
    if (content != event.end()) {
        const std::string type_name =
            type != event.end() && type->is_string() ? type->get<std::string>() : std::string();
        out["content"] = redact_content(type_name, *content, room_version);
    }
    return out;
}

} // namespace ravenous::rooms
