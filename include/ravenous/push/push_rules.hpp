#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ravenous::storage {
class Database;
}

namespace ravenous::push {

// The owner's push rules (the spec's defaults plus their own), pushers, and the evaluation
// that gives unread notification and highlight counts.
class PushRuleService
{
public:
    explicit PushRuleService(storage::Database& db) : db_(db) {}

    // {"global": {"override": [...], "content": [...], "room": [...], "sender": [...],
    // "underride": [...]}}
    boost::asio::awaitable<nlohmann::json> rules(std::string user_id);
    // One rule; M_NOT_FOUND if there is none. Kinds are checked by the caller (is_rule_kind).
    boost::asio::awaitable<nlohmann::json> rule(std::string user_id, std::string kind,
                                                std::string rule_id);
    // Creates or updates a user-defined rule (body: actions, conditions or pattern), placed
    // per before/after (user-defined rules of the same kind). 400 M_INVALID_PARAM for a
    // predefined id or a malformed body, 400 M_UNKNOWN for an unknown before/after rule.
    boost::asio::awaitable<void> put_rule(std::string user_id, std::string kind,
                                          std::string rule_id, nlohmann::json body,
                                          std::optional<std::string> before,
                                          std::optional<std::string> after);
    // Deletes a user-defined rule (M_NOT_FOUND if none; predefined rules: M_INVALID_PARAM).
    boost::asio::awaitable<void> delete_rule(std::string user_id, std::string kind,
                                             std::string rule_id);
    boost::asio::awaitable<void> set_enabled(std::string user_id, std::string kind,
                                             std::string rule_id, bool enabled);
    boost::asio::awaitable<void> set_actions(std::string user_id, std::string kind,
                                             std::string rule_id, nlohmann::json actions);

    // GET /notifications: {"notifications": [...], "next_token"?}. Computed on demand by
    // evaluating the rules over the log newest first, in the rooms the user is joined to;
    // each call reads at most `max_scanned_events` events of the log (next_token then
    // continues below them). `from`: a next_token; `only`: "highlight" or empty.
    static constexpr int max_scanned_events = 2000;
    boost::asio::awaitable<nlohmann::json> notifications(std::string user_id,
                                                         std::optional<std::int64_t> from,
                                                         int limit, bool only_highlight);

    // GET /pushers: {"pushers": [...]}.
    boost::asio::awaitable<nlohmann::json> pushers(std::string user_id);
    // POST /pushers/set (validated here: M_MISSING_PARAM / M_INVALID_PARAM / M_BAD_JSON).
    boost::asio::awaitable<void> set_pusher(std::string user_id, std::string device_id,
                                            nlohmann::json body);

private:
    storage::Database& db_;
};

} // namespace ravenous::push
