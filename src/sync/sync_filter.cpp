#include "sync/sync_filter.hpp"

#include "ravenous/matrix/errors.hpp"

#include <algorithm>

namespace ravenous::sync {

namespace errors = matrix::errors;
using nlohmann::json;

namespace {

std::optional<std::vector<std::string>> string_list(const json& object, const char* key,
                                                    const std::string& context)
{
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    const std::string name = context.empty() ? key : context + "." + key;
    if (!it->is_array())
        throw errors::bad_json("'" + name + "' must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : *it) {
        if (!item.is_string())
            throw errors::bad_json("'" + name + "' must be an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

const json* object_field(const json& object, const char* key, const std::string& context)
{
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return nullptr;
    if (!it->is_object())
        throw errors::bad_json("'" + context + key + "' must be an object");
    return &*it;
}

rooms::RoomEventFilter event_filter(const json& object, const char* key, const std::string& prefix)
{
    const json* field = object_field(object, key, prefix);
    if (!field)
        return {};
    return rooms::RoomEventFilter::from_json(*field, prefix + key);
}

// "content.body" → ["content", "body"]; "\." is a literal dot.
std::vector<std::string> split_path(const std::string& path)
{
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '\\' && i + 1 < path.size() && (path[i + 1] == '.' || path[i + 1] == '\\')) {
            parts.back() += path[++i];
        } else if (path[i] == '.') {
            parts.emplace_back();
        } else {
            parts.back() += path[i];
        }
    }
    return parts;
}

} // namespace

SyncFilter SyncFilter::from_json(const json& object)
{
    if (!object.is_object())
        throw errors::bad_json("The filter must be a JSON object");
    SyncFilter filter;
    filter.event_fields = string_list(object, "event_fields", "");
    if (auto it = object.find("event_format"); it != object.end() && !it->is_null()) {
        if (!it->is_string() || (*it != "client" && *it != "federation"))
            throw errors::bad_json("'event_format' must be one of ['client', 'federation']");
        filter.event_format = it->get<std::string>();
    }
    filter.presence = event_filter(object, "presence", "");
    filter.account_data = event_filter(object, "account_data", "");
    if (const json* room = object_field(object, "room", "")) {
        filter.room.rooms = string_list(*room, "rooms", "room");
        filter.room.not_rooms = string_list(*room, "not_rooms", "room");
        if (auto it = room->find("include_leave"); it != room->end() && !it->is_null()) {
            if (!it->is_boolean())
                throw errors::bad_json("'room.include_leave' must be a boolean");
            filter.room.include_leave = it->get<bool>();
        }
        filter.room.timeline = event_filter(*room, "timeline", "room.");
        filter.room.state = event_filter(*room, "state", "room.");
        filter.room.ephemeral = event_filter(*room, "ephemeral", "room.");
        filter.room.account_data = event_filter(*room, "account_data", "room.");
    }
    return filter;
}

bool SyncFilter::includes_room(std::string_view room_id) const
{
    if (room.not_rooms &&
        std::find(room.not_rooms->begin(), room.not_rooms->end(), room_id) != room.not_rooms->end())
        return false;
    if (room.rooms)
        return std::find(room.rooms->begin(), room.rooms->end(), room_id) != room.rooms->end();
    return true;
}

json SyncFilter::project(json event) const
{
    if (!event_fields)
        return event;
    json out = json::object();
    for (const auto& field : *event_fields) {
        const auto parts = split_path(field);
        const json* source = &event;
        json* target = &out;
        bool found = true;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (!source->is_object() || !source->contains(parts[i])) {
                found = false;
                break;
            }
            source = &source->at(parts[i]);
            if (i + 1 < parts.size()) {
                if (!target->contains(parts[i]) || !(*target)[parts[i]].is_object())
                    (*target)[parts[i]] = json::object();
                target = &(*target)[parts[i]];
            }
        }
        if (found)
            (*target)[parts.back()] = *source;
    }
    return out;
}

json SyncFilter::filter_events(const json& section, const rooms::RoomEventFilter& filter,
                               std::string_view room_id) const
{
    json events = json::array();
    if (!section.is_object() || !section.contains("events"))
        return json{{"events", events}};
    const json& list = section.at("events");
    for (const auto& event : list) {
        const std::string type = event.value("type", "");
        const std::string sender = event.value("sender", "");
        if (!filter.matches(type, sender, room_id, filter.contains_url.value_or(false)))
            continue;
        if (filter.limit && std::int64_t(events.size()) >= *filter.limit)
            break;
        events.push_back(project(event));
    }
    return json{{"events", std::move(events)}};
}

} // namespace ravenous::sync
