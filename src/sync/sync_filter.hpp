#pragma once

// The full filter of /sync (the spec's Filter): which sections, rooms and events a response
// carries, and which fields of each event.

#include "ravenous/rooms/event_filter.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::sync {

struct SyncFilter
{
    std::optional<std::vector<std::string>> event_fields;
    std::string event_format = "client";
    rooms::RoomEventFilter presence;
    rooms::RoomEventFilter account_data;
    struct Room
    {
        std::optional<std::vector<std::string>> rooms;
        std::optional<std::vector<std::string>> not_rooms;
        bool include_leave = false;
        rooms::RoomEventFilter timeline;
        rooms::RoomEventFilter state;
        rooms::RoomEventFilter ephemeral;
        rooms::RoomEventFilter account_data;
    } room;

    // Strict parse: 400 M_BAD_JSON naming the field for a known field of the wrong type
    // (unknown fields are ignored, as Synapse does).
    static SyncFilter from_json(const nlohmann::json& object);

    // Is the room in the rooms / not_rooms lists of the filter?
    bool includes_room(std::string_view room_id) const;
    // The event cut down to event_fields (all of it when they are unset).
    nlohmann::json project(nlohmann::json event) const;
    // Events of an {"events": [...]} section that pass the filter (by type and sender),
    // projected.
    // `room_id`: the room of a room section ("" for global ones; the room fields of the
    // section filter then do not apply).
    nlohmann::json filter_events(const nlohmann::json& section,
                                 const rooms::RoomEventFilter& filter,
                                 std::string_view room_id = {}) const;
};

} // namespace ravenous::sync
