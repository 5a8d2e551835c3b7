#include "ravenous/rooms/power_levels.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::rooms {

namespace {
constexpr std::int64_t max_canonical_int = (std::int64_t{1} << 53) - 1;

void read_level(const nlohmann::json& content, const char* key, std::int64_t& out)
{
    const auto it = content.find(key);
    if (it == content.end())
        return;
    if (const auto level = as_power_level(*it))
        out = *level;
}

void read_map(const nlohmann::json& content, const char* key,
              std::map<std::string, std::int64_t, std::less<>>& out)
{
    const auto it = content.find(key);
    if (it == content.end() || !it->is_object())
        return;
    for (const auto& [name, value] : it->items()) {
        if (const auto level = as_power_level(value))
            out.emplace(name, *level);
    }
}
} // namespace

std::optional<std::int64_t> as_power_level(const nlohmann::json& value)
{
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(max_canonical_int))
            return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        if (v < -max_canonical_int || v > max_canonical_int)
            return std::nullopt;
        return v;
    }
    return std::nullopt;
}

PowerLevels PowerLevels::from_content(const nlohmann::json& content)
{
    PowerLevels levels;
    if (!content.is_object())
        return levels;
    read_level(content, "ban", levels.ban);
    read_level(content, "kick", levels.kick);
    read_level(content, "redact", levels.redact);
    read_level(content, "invite", levels.invite);
    read_level(content, "events_default", levels.events_default);
    read_level(content, "state_default", levels.state_default);
    read_level(content, "users_default", levels.users_default);
    read_map(content, "events", levels.events);
    read_map(content, "users", levels.users);
    if (const auto it = content.find("notifications"); it != content.end() && it->is_object())
        read_level(*it, "room", levels.notifications_room);
    return levels;
}

PowerLevels PowerLevels::without_event(std::string_view creator)
{
    PowerLevels levels;
    levels.users.emplace(std::string(creator), 100);
    return levels;
}

PowerLevels PowerLevels::from_state(const std::optional<nlohmann::json>& content,
                                    std::string_view creator)
{
    return content ? from_content(*content) : without_event(creator);
}

std::int64_t PowerLevels::user_level(std::string_view user_id) const
{
    const auto it = users.find(user_id);
    return it == users.end() ? users_default : it->second;
}

std::int64_t PowerLevels::event_level(std::string_view type, bool is_state) const
{
    const auto it = events.find(type);
    if (it != events.end())
        return it->second;
    return is_state ? state_default : events_default;
}

} // namespace ravenous::rooms
