// The merged rule set: predefined rules plus the user's stored changes.
#include "ravenous/push/ruleset.hpp"

#include "ravenous/matrix/errors.hpp"

namespace ravenous::push {

using nlohmann::json;
namespace errors = matrix::errors;

bool is_rule_kind(std::string_view kind)
{
    for (const auto k : rule_kinds)
        if (k == kind)
            return true;
    return false;
}

namespace {

json user_rule(const storage::PushRuleRow& row)
{
    json out = json::parse(*row.rule, nullptr, false);
    if (!out.is_object())
        out = json::object();
    out["rule_id"] = row.rule_id;
    out["default"] = false;
    out["enabled"] = row.enabled.value_or(true);
    json actions = row.actions ? json::parse(*row.actions, nullptr, false) : json::array();
    out["actions"] = actions.is_array() ? actions : json::array();
    return out;
}

void apply_change(json& rule, const storage::PushRuleRow& row)
{
    if (row.enabled)
        rule["enabled"] = *row.enabled;
    if (row.actions) {
        json actions = json::parse(*row.actions, nullptr, false);
        if (actions.is_array())
            rule["actions"] = std::move(actions);
    }
}

} // namespace

json merge_rules(std::string_view user_id, const std::vector<storage::PushRuleRow>& rows)
{
    json defaults = default_rules(user_id);
    json global = json::object();
    for (const auto kind_view : rule_kinds) {
        const std::string kind{kind_view};
        json merged = json::array();
        json& predefined = defaults[kind];
        for (auto& rule : predefined) {
            for (const auto& row : rows)
                if (!row.rule && row.kind == kind && row.rule_id == rule.at("rule_id"))
                    apply_change(rule, row);
        }
        std::size_t next_default = 0;
        if (kind == "override" && !predefined.empty()) {
            merged.push_back(predefined[0]); // .m.rule.master is always first
            next_default = 1;
        }
        for (const auto& row : rows) // rows come highest priority first within a kind
            if (row.rule && row.kind == kind)
                merged.push_back(user_rule(row));
        for (std::size_t i = next_default; i < predefined.size(); ++i)
            merged.push_back(predefined[i]);
        global[kind] = std::move(merged);
    }
    return global;
}

std::optional<json> find_rule(const json& global, std::string_view kind, std::string_view rule_id)
{
    const auto rules = global.find(std::string(kind));
    if (rules == global.end())
        return std::nullopt;
    for (const auto& rule : *rules)
        if (rule.value("rule_id", "") == rule_id)
            return rule;
    return std::nullopt;
}

json push_rules_account_data(storage::ReadTxn& txn, const std::string& user_id)
{
    return {{"global", merge_rules(user_id, storage::push_rules::of_user(txn, user_id))}};
}

void validate_actions(const json& actions)
{
    if (!actions.is_array())
        throw errors::bad_json("'actions' must be an array");
    for (const auto& action : actions) {
        if (action.is_string())
            continue;
        if (!action.is_object())
            throw errors::invalid_param("Each action must be a string or an object");
        const auto tweak = action.find("set_tweak");
        if (tweak == action.end() || !tweak->is_string())
            throw errors::invalid_param("Action objects must have a string 'set_tweak'");
    }
}

} // namespace ravenous::push
