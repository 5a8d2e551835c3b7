#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ravenous::rooms {

// The content of m.room.power_levels, with the spec's defaults for absent keys.
struct PowerLevels
{
    std::int64_t ban = 50;
    std::int64_t kick = 50;
    std::int64_t redact = 50;
    std::int64_t invite = 0;
    std::int64_t events_default = 0;
    std::int64_t state_default = 50;
    std::int64_t users_default = 0;
    std::int64_t notifications_room = 50;
    std::map<std::string, std::int64_t, std::less<>> events;
    std::map<std::string, std::int64_t, std::less<>> users;

    // From an m.room.power_levels content (already validated: integers only since v10).
    // A value that is not an integer keeps its default, as an absent one does.
    static PowerLevels from_content(const nlohmann::json& content);
    // What applies when the room has no m.room.power_levels event: the creator has 100,
    // everyone else 0 (users_default), and the required levels are the spec's defaults:
    // state_default, ban, kick and redact 50, events_default and invite 0. (The spec used to
    // say state_default is 0 without the event; matrix-spec PR #1479 removed that, and
    // Synapse has always used 50.) The creator is content.creator in v10 and the sender of
    // m.room.create in v11: the same user on a server that creates all its rooms itself.
    static PowerLevels without_event(std::string_view creator);
    // from_content(*content) if the room has the event, without_event(creator) otherwise.
    static PowerLevels from_state(const std::optional<nlohmann::json>& content,
                                  std::string_view creator);

    std::int64_t user_level(std::string_view user_id) const;
    // events[type] if present, else state_default for state events and events_default for
    // the others. (m.room.member events are governed by invite/kick/ban instead; the auth
    // rules never ask for their required level.)
    std::int64_t event_level(std::string_view type, bool is_state) const;
};

// The value of a power level as the spec allows it since room version 10: a JSON integer
// within canonical JSON's range [-(2^53)+1, 2^53-1]; nullopt for anything else (strings,
// floats, booleans, out-of-range numbers).
std::optional<std::int64_t> as_power_level(const nlohmann::json& value);

} // namespace ravenous::rooms
