#pragma once

// The user's rule set: the spec's predefined rules merged with the user's changes.

#include "ravenous/storage/push_rules_table.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::push {

// override, content, room, sender, underride: the order rules are evaluated in.
inline constexpr std::string_view rule_kinds[] = {"override", "content", "room", "sender",
                                                  "underride"};
bool is_rule_kind(std::string_view kind);

// The spec's (v1.16) predefined rules for this user, {"override": [...], "content": [...],
// "room": [], "sender": [], "underride": [...]}, each rule with default: true.
nlohmann::json default_rules(std::string_view user_id);

// The defaults with the user's stored changes applied: .m.rule.master first, then the user's
// rules of each kind (highest priority first), then the other predefined rules.
nlohmann::json merge_rules(std::string_view user_id, const std::vector<storage::PushRuleRow>& rows);

// One rule of the merged set (rule_id, default, enabled, actions, conditions/pattern);
// nullopt if there is none.
std::optional<nlohmann::json> find_rule(const nlohmann::json& global, std::string_view kind,
                                        std::string_view rule_id);

// The m.push_rules account data content for /sync: {"global": merged rules}. Reads only.
nlohmann::json push_rules_account_data(storage::ReadTxn& txn, const std::string& user_id);

// Checks an actions array (strings and objects; set_tweak objects need a string set_tweak).
// Throws M_BAD_JSON / M_INVALID_PARAM.
void validate_actions(const nlohmann::json& actions);

} // namespace ravenous::push
