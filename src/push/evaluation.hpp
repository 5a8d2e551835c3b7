#pragma once
// Module-private: what evaluating the user's rules over a room's stored events needs (the
// room's facts, the user's cached rule set, read positions), shared by unread counts and
// GET /notifications.

#include "ravenous/push/rule_engine.hpp"
#include "ravenous/rooms/power_levels.hpp"
#include "ravenous/storage/events_table.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

namespace ravenous::push::detail {

// The room's current facts as the conditions see them (current state, not the state at each
// event: the counts are about now).
struct RoomFacts
{
    std::int64_t member_count = 0;
    std::string display_name;
    rooms::PowerLevels levels;
    nlohmann::json notifications = nlohmann::json::object();

    EvalContext context_for(const std::string& sender) const;
};
RoomFacts room_facts(storage::ReadTxn& txn, const std::string& room_id, const std::string& user_id);

// The user's merged rules ({"override": ..., ...}), cached in memory by the stream position
// of their last change.
std::shared_ptr<const nlohmann::json> user_rules(storage::ReadTxn& txn, const std::string& user_id);
// A key that changes whenever the user's rules change.
std::int64_t rules_version(storage::ReadTxn& txn, const std::string& user_id);

// Has the user muted the room (Beeper's com.beeper.mute room account data) at `now`?
// muted_until -1: for ever; a time after now: until then; 0, a past time or anything else: no.
bool muted(storage::ReadTxn& txn, const std::string& room_id, const std::string& user_id,
           std::int64_t now);
// The rules with a muted room's mute in them: a room rule for the room with no actions, first
// among the room rules, as a client's "mute" push rule is on Synapse. Override and content
// rules come before it, so mentions, keywords and @room still notify and highlight.
std::shared_ptr<const nlohmann::json> with_room_muted(const nlohmann::json& rules,
                                                      const std::string& room_id);

// Where the user has read up to in a room (topo of the receipt events; 0 when none):
// m.read and m.read.private alike, the most advanced wins.
struct ReadPoints
{
    std::int64_t unthreaded = 0;
    std::int64_t main = 0;
    std::map<std::string, std::int64_t> threads;
    std::int64_t floor = 0; // the user's membership event: nothing before it counts

    // The position up to which an event of this thread ("" for the main timeline) is read.
    std::int64_t read_up_to(const std::string& thread) const;
    // A key that changes whenever any read point changes.
    std::string signature() const;
};
ReadPoints read_points(storage::ReadTxn& txn, const std::string& room_id,
                       const std::string& user_id);

// The thread root an event belongs to ("" for the main timeline): an m.thread relation, or a
// relation to an event that is itself in a thread (one hop, through `known`: event id ->
// thread root of events already classified).
std::string thread_of(const storage::EventRow& row,
                      const std::unordered_map<std::string, std::string>& known);

// The event JSON rules are evaluated against (the stored event, with room_id).
nlohmann::json event_json(const storage::EventRow& row);

} // namespace ravenous::push::detail
