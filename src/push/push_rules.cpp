// PushRuleService: the rule endpoints' logic (read, create/update with ordering, delete,
// enabled, actions). Every change takes a stream position (m.push_rules in /sync).
#include "ravenous/push/push_rules.hpp"

#include "ravenous/matrix/errors.hpp"
#include "ravenous/push/ruleset.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/storage/push_rules_table.hpp"

#include <algorithm>
#include <vector>

namespace ravenous::push {

using boost::asio::awaitable;
using nlohmann::json;
namespace errors = matrix::errors;

namespace {

bool is_predefined(std::string_view rule_id)
{
    return !rule_id.empty() && rule_id.front() == '.';
}

void validate_condition(const json& condition)
{
    if (!condition.is_object())
        throw errors::bad_json("Each condition must be an object");
    const auto kind = condition.find("kind");
    if (kind == condition.end() || !kind->is_string())
        throw errors::invalid_param("Each condition needs a string 'kind'");
    const auto need_string = [&](const char* key) {
        const auto it = condition.find(key);
        if (it == condition.end() || !it->is_string())
            throw errors::invalid_param(std::string("Condition '") + kind->get<std::string>() +
                                        "' needs a string '" + key + "'");
    };
    const auto& name = kind->get_ref<const std::string&>();
    if (name == "event_match") {
        need_string("key");
        need_string("pattern");
    } else if (name == "event_property_is" || name == "event_property_contains") {
        need_string("key");
        if (!condition.contains("value"))
            throw errors::invalid_param("Condition '" + name + "' needs a 'value'");
    } else if (name == "room_member_count") {
        need_string("is");
    } else if (name == "sender_notification_permission") {
        need_string("key");
    }
    // Other kinds are stored as given: they never match (the spec's rule for unknown ones).
}

// The stored body of a user-defined rule of this kind.
json rule_body(const std::string& kind, const json& body)
{
    json out = json::object();
    if (kind == "override" || kind == "underride") {
        const auto conditions = body.find("conditions");
        json list = json::array();
        if (conditions != body.end()) {
            if (!conditions->is_array())
                throw errors::bad_json("'conditions' must be an array");
            for (const auto& condition : *conditions)
                validate_condition(condition);
            list = *conditions;
        }
        out["conditions"] = std::move(list);
    } else if (kind == "content") {
        const auto pattern = body.find("pattern");
        if (pattern == body.end())
            throw errors::missing_param("Content rules need a 'pattern'");
        if (!pattern->is_string())
            throw errors::bad_json("'pattern' must be a string");
        out["pattern"] = *pattern;
    }
    return out;
}

std::vector<storage::PushRuleRow>
user_rules_of_kind(storage::ReadTxn& txn, const std::string& user_id, const std::string& kind)
{
    std::vector<storage::PushRuleRow> rows;
    for (auto& row : storage::push_rules::of_user(txn, user_id))
        if (row.rule && row.kind == kind)
            rows.push_back(std::move(row));
    return rows; // highest priority first
}

// The rule must exist in the merged set (predefined or user-defined).
json existing_rule(storage::ReadTxn& txn, const std::string& user_id, const std::string& kind,
                   const std::string& rule_id)
{
    const json global = merge_rules(user_id, storage::push_rules::of_user(txn, user_id));
    auto found = find_rule(global, kind, rule_id);
    if (!found)
        throw errors::not_found("Unknown rule");
    return *found;
}

// Stores a change of enabled/actions: on the user-defined rule's row, or on a row that holds
// only the changes of a predefined rule.
void change_rule(storage::WriteTxn& txn, const std::string& user_id, const std::string& kind,
                 const std::string& rule_id, std::optional<bool> enabled,
                 std::optional<std::string> actions)
{
    existing_rule(txn, user_id, kind, rule_id);
    auto row = storage::push_rules::get(txn, user_id, kind, rule_id)
                   .value_or(storage::PushRuleRow{kind, rule_id, 0, std::nullopt, std::nullopt,
                                                  std::nullopt});
    if (enabled)
        row.enabled = enabled;
    if (actions)
        row.actions = std::move(actions);
    storage::push_rules::put(txn, user_id, row);
    storage::push_rules::mark_changed(txn, user_id);
}

} // namespace

awaitable<json> PushRuleService::rules(std::string user_id)
{
    co_return co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return push_rules_account_data(txn, user_id); });
}

awaitable<json> PushRuleService::rule(std::string user_id, std::string kind, std::string rule_id)
{
    co_return co_await db_.readers().read(
        [&](storage::ReadTxn& txn) { return existing_rule(txn, user_id, kind, rule_id); });
}

awaitable<void> PushRuleService::put_rule(std::string user_id, std::string kind,
                                          std::string rule_id, json body,
                                          std::optional<std::string> before,
                                          std::optional<std::string> after)
{
    if (is_predefined(rule_id))
        throw errors::invalid_param("Rule ids starting with '.' are reserved for server rules");
    if (rule_id.empty() || rule_id.find_first_of("/\\") != std::string::npos)
        throw errors::invalid_param("Rule ids may not be empty or contain slashes");
    if (!body.contains("actions"))
        throw errors::missing_param("Missing parameter: 'actions'");
    validate_actions(body.at("actions"));
    const std::string stored_body = rule_body(kind, body).dump();
    const std::string actions = body.at("actions").dump();

    co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        auto rows = user_rules_of_kind(txn, user_id, kind);
        const auto position = [&](const std::string& id) {
            return std::find_if(rows.begin(), rows.end(),
                                [&](const auto& row) { return row.rule_id == id; });
        };
        storage::PushRuleRow row{kind, rule_id, 0, stored_body, true, actions};
        std::optional<std::size_t> index;
        if (auto existing = position(rule_id); existing != rows.end()) {
            row.enabled = existing->enabled.value_or(true);
            index = static_cast<std::size_t>(existing - rows.begin());
            rows.erase(existing);
        }
        const auto anchor = [&](const std::string& id) {
            auto it = position(id);
            if (it == rows.end())
                throw matrix::MatrixError(400, matrix::ErrCode::M_UNKNOWN,
                                          "before/after rule not found: " + id);
            return static_cast<std::size_t>(it - rows.begin());
        };
        if (before)
            index = anchor(*before); // just more important than `before`
        else if (after)
            index = anchor(*after) + 1; // just less important than `after`
        rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(index.value_or(0)), row);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].priority = static_cast<std::int64_t>(rows.size() - i);
            if (rows[i].rule_id == rule_id)
                storage::push_rules::put(txn, user_id, rows[i]);
            else
                storage::push_rules::set_priority(txn, user_id, kind, rows[i].rule_id,
                                                  rows[i].priority);
        }
        storage::push_rules::mark_changed(txn, user_id);
    });
}

awaitable<void> PushRuleService::delete_rule(std::string user_id, std::string kind,
                                             std::string rule_id)
{
    if (is_predefined(rule_id))
        throw errors::invalid_param("Server-default rules cannot be deleted");
    co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        const auto row = storage::push_rules::get(txn, user_id, kind, rule_id);
        if (!row || !row->rule)
            throw errors::not_found("Unknown rule");
        storage::push_rules::remove(txn, user_id, kind, rule_id);
        storage::push_rules::mark_changed(txn, user_id);
    });
}

awaitable<void> PushRuleService::set_enabled(std::string user_id, std::string kind,
                                             std::string rule_id, bool enabled)
{
    co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        change_rule(txn, user_id, kind, rule_id, enabled, std::nullopt);
    });
}

awaitable<void> PushRuleService::set_actions(std::string user_id, std::string kind,
                                             std::string rule_id, json actions)
{
    validate_actions(actions);
    const std::string text = actions.dump();
    co_await db_.writer().submit([&](storage::WriteTxn& txn) {
        change_rule(txn, user_id, kind, rule_id, std::nullopt, text);
    });
}

} // namespace ravenous::push
