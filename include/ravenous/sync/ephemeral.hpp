#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ravenous::sync {

class Notifier;

// In-memory, per-process state that /sync carries along: who is typing in which room (with
// expiry) and users' presence. Changes bump the notifier's ephemeral serial.
//
// Typing expiry is lazy: nothing runs when a timeout passes. Every read (typing_in,
// typing_rooms_since, expire_due) first drops the expired entries and, if it dropped any,
// bumps the ephemeral serial so that waiting /sync polls wake and send the shorter list. A
// long poll that must notice an expiry on its own bounds its wait by next_expiry() and calls
// expire_due() when it wakes.
class EphemeralState
{
public:
    using Clock = std::chrono::steady_clock;
    // Typing timeouts are clamped to this (a client cannot keep a user typing forever).
    static constexpr std::chrono::milliseconds max_typing_timeout{120'000};
    // Presence: online users count as currently active for this long after their last action.
    static constexpr std::chrono::milliseconds active_window{5 * 60'000};

    explicit EphemeralState(Notifier& notifier) : notifier_(notifier) {}

    // typing: true with a timeout, false to stop. Timeouts are clamped to
    // [0, max_typing_timeout]. Bumps the serial when the set of typing users changes.
    void set_typing(const std::string& room_id, const std::string& user_id, bool typing,
                    std::chrono::milliseconds timeout);
    // The users typing in a room now (expired entries dropped), sorted.
    std::vector<std::string> typing_in(const std::string& room_id);
    // Rooms where someone types now or whose typing list changed after ephemeral serial
    // `since` (including lists that became empty, so clients see the stop).
    std::vector<std::string> typing_rooms_since(std::int64_t since);
    // Rooms where anyone typed since the process started (typing now or not).
    std::vector<std::string> typing_rooms();
    // When the earliest typing entry expires; nullopt when nobody types.
    std::optional<Clock::time_point> next_expiry();
    // Drops expired typing entries now (bumping the serial if any); true if any were dropped.
    bool expire_due();
    // Deleted rooms: their typing lists go without a word to anyone (the room is gone for all).
    void forget_rooms(const std::vector<std::string>& room_ids);

    struct Presence
    {
        std::string presence = "offline"; // online, offline, unavailable
        std::optional<std::string> status_msg;
        std::int64_t last_active_ts = 0;
    };
    static bool is_valid_presence(std::string_view presence);
    // Bumps the serial only when the presence or the status message changes (a client
    // repeating "online" on every /sync must not wake its own long poll).
    void set_presence(const std::string& user_id, std::string presence,
                      std::optional<std::string> status_msg);
    Presence presence_of(const std::string& user_id);
    // The m.presence content: presence, last_active_ago (if ever active), currently_active,
    // status_msg (if set).
    nlohmann::json presence_content(const std::string& user_id);
    // Users whose presence was set in this process; with `since`, only those changed after it.
    std::vector<std::string> presence_users(std::optional<std::int64_t> since = std::nullopt);

private:
    // Drops expired entries; returns the rooms whose list changed. Caller holds mutex_.
    std::vector<std::string> drop_expired_locked(Clock::time_point now);
    // Bumps the serial and records it as the change serial of these rooms / users.
    void changed(const std::vector<std::string>& rooms, const std::string* presence_user);

    Notifier& notifier_;
    std::mutex mutex_;
    std::map<std::string, std::map<std::string, Clock::time_point>> typing_;
    std::map<std::string, std::int64_t> typing_changed_; // room -> serial of last change
    std::map<std::string, Presence> presence_;
    std::map<std::string, std::int64_t> presence_changed_; // user -> serial of last change
};

} // namespace ravenous::sync
