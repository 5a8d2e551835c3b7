#include "ravenous/sync/ephemeral.hpp"

#include "ravenous/sync/notifier.hpp"
#include "ravenous/util/time.hpp"

#include <algorithm>

namespace ravenous::sync {

using nlohmann::json;

std::vector<std::string> EphemeralState::drop_expired_locked(Clock::time_point now)
{
    std::vector<std::string> rooms;
    for (auto& [room_id, users] : typing_) {
        const auto before = users.size();
        std::erase_if(users, [now](const auto& entry) { return entry.second <= now; });
        if (users.size() != before)
            rooms.push_back(room_id);
    }
    return rooms;
}

void EphemeralState::changed(const std::vector<std::string>& rooms,
                             const std::string* presence_user)
{
    if (rooms.empty() && !presence_user)
        return;
    notifier_.advance_ephemeral();
    const std::int64_t serial = notifier_.current().ephemeral;
    std::lock_guard lock(mutex_);
    for (const auto& room_id : rooms)
        typing_changed_[room_id] = serial;
    if (presence_user)
        presence_changed_[*presence_user] = serial;
}

void EphemeralState::set_typing(const std::string& room_id, const std::string& user_id, bool typing,
                                std::chrono::milliseconds timeout)
{
    timeout = std::clamp(timeout, std::chrono::milliseconds{0}, max_typing_timeout);
    const auto now = Clock::now();
    std::vector<std::string> rooms;
    {
        std::lock_guard lock(mutex_);
        rooms = drop_expired_locked(now);
        auto& users = typing_[room_id];
        bool list_changed = false;
        if (typing && timeout.count() > 0) {
            list_changed = users.insert_or_assign(user_id, now + timeout).second;
        } else {
            list_changed = users.erase(user_id) > 0;
        }
        if (list_changed && std::find(rooms.begin(), rooms.end(), room_id) == rooms.end())
            rooms.push_back(room_id);
    }
    changed(rooms, nullptr);
}

std::vector<std::string> EphemeralState::typing_in(const std::string& room_id)
{
    std::vector<std::string> users;
    std::vector<std::string> rooms;
    {
        std::lock_guard lock(mutex_);
        rooms = drop_expired_locked(Clock::now());
        if (auto it = typing_.find(room_id); it != typing_.end())
            for (const auto& entry : it->second)
                users.push_back(entry.first);
    }
    changed(rooms, nullptr);
    return users; // std::map keeps them sorted
}

std::vector<std::string> EphemeralState::typing_rooms_since(std::int64_t since)
{
    expire_due();
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [room_id, users] : typing_) {
        auto it = typing_changed_.find(room_id);
        if (!users.empty() || (it != typing_changed_.end() && it->second > since))
            out.push_back(room_id);
    }
    return out;
}

std::vector<std::string> EphemeralState::typing_rooms()
{
    expire_due();
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& entry : typing_)
        out.push_back(entry.first);
    return out;
}

std::optional<EphemeralState::Clock::time_point> EphemeralState::next_expiry()
{
    std::lock_guard lock(mutex_);
    std::optional<Clock::time_point> earliest;
    for (const auto& [room_id, users] : typing_)
        for (const auto& entry : users)
            if (!earliest || entry.second < *earliest)
                earliest = entry.second;
    return earliest;
}

bool EphemeralState::expire_due()
{
    std::vector<std::string> rooms;
    {
        std::lock_guard lock(mutex_);
        rooms = drop_expired_locked(Clock::now());
    }
    changed(rooms, nullptr);
    return !rooms.empty();
}

void EphemeralState::forget_rooms(const std::vector<std::string>& room_ids)
{
    std::lock_guard lock(mutex_);
    for (const auto& room_id : room_ids) {
        typing_.erase(room_id);
        typing_changed_.erase(room_id);
    }
}

bool EphemeralState::is_valid_presence(std::string_view presence)
{
    return presence == "online" || presence == "offline" || presence == "unavailable";
}

void EphemeralState::set_presence(const std::string& user_id, std::string presence,
                                  std::optional<std::string> status_msg)
{
    const std::int64_t now = util::now_ms();
    bool moved = false;
    {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = presence_.try_emplace(user_id);
        Presence& current = it->second;
        const bool was_active =
            current.presence == "online" && now - current.last_active_ts < active_window.count();
        moved = inserted || current.presence != presence || current.status_msg != status_msg ||
                (presence == "online" && !was_active);
        if (presence == "online" || current.last_active_ts == 0)
            current.last_active_ts = now;
        current.presence = std::move(presence);
        current.status_msg = std::move(status_msg);
    }
    if (moved)
        changed({}, &user_id);
}

EphemeralState::Presence EphemeralState::presence_of(const std::string& user_id)
{
    std::lock_guard lock(mutex_);
    auto it = presence_.find(user_id);
    return it == presence_.end() ? Presence{} : it->second;
}

json EphemeralState::presence_content(const std::string& user_id)
{
    const Presence p = presence_of(user_id);
    const std::int64_t now = util::now_ms();
    json content = {{"presence", p.presence}};
    if (p.last_active_ts > 0)
        content["last_active_ago"] = std::max<std::int64_t>(0, now - p.last_active_ts);
    content["currently_active"] =
        p.presence == "online" && now - p.last_active_ts < active_window.count();
    if (p.status_msg)
        content["status_msg"] = *p.status_msg;
    return content;
}

std::vector<std::string> EphemeralState::presence_users(std::optional<std::int64_t> since)
{
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [user_id, serial] : presence_changed_)
        if (!since || serial > *since)
            out.push_back(user_id);
    return out;
}

} // namespace ravenous::sync
