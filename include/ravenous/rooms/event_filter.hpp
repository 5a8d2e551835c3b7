#pragma once

#include "ravenous/storage/events_table.hpp"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::rooms {

// The spec's RoomEventFilter (an EventFilter plus the room fields), as /messages, /context
// and the room sections of a /sync filter use it. Standalone: no storage reads, no I/O.
// For the EventFilter contexts of /sync (presence, account_data) the room fields simply stay
// unset. Unknown keys are ignored (as Synapse does); known keys of the wrong type are refused.
struct RoomEventFilter
{
    std::optional<std::int64_t> limit; // > 0 when set
    std::optional<std::vector<std::string>> types;
    std::optional<std::vector<std::string>> not_types;
    std::optional<std::vector<std::string>> senders;
    std::optional<std::vector<std::string>> not_senders;
    std::optional<std::vector<std::string>> rooms;
    std::optional<std::vector<std::string>> not_rooms;
    std::optional<bool> contains_url;
    bool lazy_load_members = false;
    bool include_redundant_members = false;
    bool unread_thread_notifications = false;

    // From a JSON object: 400 M_BAD_JSON naming the field ("'types' must be an array of
    // strings", "'limit' must be a positive integer", ...). `context` prefixes the field names
    // in messages ("filter.room.timeline" → "'filter.room.timeline.types' must ...").
    static RoomEventFilter from_json(const nlohmann::json& object, std::string_view context = {});
    // From the text of a query parameter (?filter=): 400 M_NOT_JSON if it is not JSON (as
    // Synapse answers for /sync's inline filters), M_BAD_JSON if it is not an object or a field
    // has the wrong type.
    static RoomEventFilter parse(std::string_view text);

    // The filter as JSON (only the fields that are set or true).
    nlohmann::json to_json() const;

    // True when nothing is filtered out (no lists, no contains_url): lets callers skip work.
    bool matches_everything() const;

    // Does the event pass (type with '*' wildcards, sender, room, contains_url)? The limit
    // and the lazy-loading flags are for the caller. contains_url parses the event's JSON
    // (only when that field is set).
    bool matches(const storage::EventRow& row) const;
    // The same from parts; `has_url`: content.url is a string.
    bool matches(std::string_view type, std::string_view sender, std::string_view room_id,
                 bool has_url) const;
    // Only the rooms / not_rooms part.
    bool matches_room(std::string_view room_id) const;
};

// An event type against a filter pattern in which '*' matches any run of characters.
bool type_matches(std::string_view pattern, std::string_view type);

} // namespace ravenous::rooms
