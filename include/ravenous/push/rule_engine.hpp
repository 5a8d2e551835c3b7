#pragma once

// Push rule evaluation, pure: a rule set, an event and the facts about its room in, the
// actions of the first matching rule out. No storage, no I/O.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ravenous::push {

// What the conditions need to know besides the event itself.
struct EvalContext
{
    std::int64_t member_count = 0; // joined members of the room
    std::string display_name;      // the user's display name in the room ("" if none)
    std::int64_t sender_power = 0; // the sender's power level
    // m.room.power_levels content.notifications (absent keys: "room" is 50, others 50 too).
    nlohmann::json notification_levels = nlohmann::json::object();
};

struct Outcome
{
    bool matched = false; // some enabled rule matched
    bool notify = false;
    bool highlight = false;
    std::optional<std::string> sound;
    nlohmann::json actions = nlohmann::json::array(); // historical actions stripped
    std::string rule_id;                              // the rule that matched
};

// Glob match per the spec's appendix (`*`, `?`, `[...]` with ranges and `!` negation),
// ASCII case-insensitive. `whole`: the pattern must match the entire value; otherwise any
// substring of `value` that starts and ends at a word boundary (content.body semantics).
bool glob_match(std::string_view pattern, std::string_view value, bool whole = true);

// A dotted property path (`content.m\.mentions.user_ids`: `\.` and `\\` escape) into the
// event; nullptr when absent.
const nlohmann::json* property(const nlohmann::json& event, std::string_view dotted_path);

// One condition of an override/underride rule. Unknown kinds never match.
bool condition_matches(const nlohmann::json& condition, const nlohmann::json& event,
                       const EvalContext& context);

// Evaluates `global` ({"override": [...], "content": [...], "room": [...], "sender": [...],
// "underride": [...]}, each rule with rule_id, enabled, actions and its conditions/pattern) in
// the spec's order; the first enabled matching rule decides.
Outcome evaluate(const nlohmann::json& global, const nlohmann::json& event,
                 const EvalContext& context);

// The actions without the historical `dont_notify` and `coalesce`, and what they mean.
Outcome interpret_actions(const nlohmann::json& actions);

} // namespace ravenous::push
