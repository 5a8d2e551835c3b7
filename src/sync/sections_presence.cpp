// /sync section: presence (in memory), for the caller and the users whose presence was set.
#include "ravenous/sync/ephemeral.hpp"
#include "sync/sections.hpp"
#include "ravenous/matrix/event_types.hpp"

#include <algorithm>

namespace ravenous::sync::sections {

namespace literals = matrix::literals;

using nlohmann::json;

json presence(EphemeralState& ephemeral, const std::string& user_id)
{
    auto users = ephemeral.presence_users();
    if (std::find(users.begin(), users.end(), user_id) == users.end())
        users.insert(users.begin(), user_id);
    json events = json::array();
    for (const auto& sender : users) {
        json event = json::object();
        event["type"] = literals::m_presence;
        event["sender"] = sender;
        event["content"] = ephemeral.presence_content(sender);
        events.push_back(std::move(event));
    }
    json out = json::object();
    out["events"] = std::move(events);
    return out;
}

} // namespace ravenous::sync::sections
