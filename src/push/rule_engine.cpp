// Push rule evaluation: glob matching, the condition kinds, and the rule order.
#include "ravenous/push/rule_engine.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace ravenous::push {

using nlohmann::json;

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// [A-Za-z0-9_]; bytes of multi-byte UTF-8 sequences count as word characters (letters of
// other scripts are, far more often than not).
bool is_word(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
           u >= 0x80;
}

// One element of a compiled glob.
struct Token
{
    enum Kind
    {
        literal,
        any,
        star,
        set
    } kind = literal;
    char ch = 0;
    bool negated = false;
    std::array<bool, 256> members{};

    bool accepts(char c) const
    {
        switch (kind) {
        case literal:
            return lower(c) == ch;
        case any:
            return true;
        case set: {
            const auto u = static_cast<unsigned char>(c);
            const bool in = members[u] || members[static_cast<unsigned char>(lower(c))];
            return in != negated;
        }
        case star:
            return true;
        }
        return false;
    }
};

std::vector<Token> compile(std::string_view pattern, bool literal_only)
{
    std::vector<Token> tokens;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        Token token;
        if (literal_only) {
            token.ch = lower(c);
        } else if (c == '*') {
            if (!tokens.empty() && tokens.back().kind == Token::star)
                continue;
            token.kind = Token::star;
        } else if (c == '?') {
            token.kind = Token::any;
        } else if (c == '[' && pattern.find(']', i + 2) != std::string_view::npos) {
            std::size_t j = i + 1;
            token.kind = Token::set;
            if (pattern[j] == '!' || pattern[j] == '^') {
                token.negated = true;
                ++j;
            }
            const std::size_t end = pattern.find(']', j + 1);
            if (end == std::string_view::npos) {
                token = Token{};
                token.ch = '[';
                tokens.push_back(token);
                continue;
            }
            for (std::size_t k = j; k < end; ++k) {
                const char from = lower(pattern[k]);
                if (k + 2 < end && pattern[k + 1] == '-') {
                    const char to = lower(pattern[k + 2]);
                    for (int m = static_cast<unsigned char>(from);
                         m <= static_cast<unsigned char>(to); ++m)
                        token.members[static_cast<std::size_t>(m)] = true;
                    k += 2;
                } else {
                    token.members[static_cast<unsigned char>(from)] = true;
                }
            }
            i = end;
        } else {
            token.ch = lower(c);
        }
        tokens.push_back(token);
    }
    return tokens;
}

// A set of NFA states (token indices 0..n, n = accepted), closed over stars matching nothing.
class States
{
public:
    explicit States(std::size_t n) : on_(n + 1, false) {}
    void add(const std::vector<Token>& tokens, std::size_t i)
    {
        while (i <= tokens.size() && !on_[i]) {
            on_[i] = true;
            any_ = true;
            if (i < tokens.size() && tokens[i].kind == Token::star)
                ++i;
            else
                break;
        }
    }
    bool has(std::size_t i) const { return on_[i]; }
    bool empty() const { return !any_; }
    States step(const std::vector<Token>& tokens, char c) const
    {
        States next(tokens.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (!on_[i] || !tokens[i].accepts(c))
                continue;
            if (tokens[i].kind == Token::star)
                next.add(tokens, i);
            else
                next.add(tokens, i + 1);
        }
        return next;
    }

private:
    std::vector<bool> on_;
    bool any_ = false;
};

bool run(const std::vector<Token>& tokens, std::string_view value, bool whole)
{
    const std::size_t n = tokens.size();
    States states(n);
    const auto start_ok = [&](std::size_t i) {
        return i == 0 || !is_word(value[i - 1]) || i == value.size() || !is_word(value[i]);
    };
    const auto end_ok = [&](std::size_t j) {
        return j == value.size() || !is_word(value[j]) || j == 0 || !is_word(value[j - 1]);
    };
    states.add(tokens, 0);
    for (std::size_t k = 0;; ++k) {
        if (!whole && k > 0 && start_ok(k))
            states.add(tokens, 0);
        if (states.has(n) && (whole ? k == value.size() : end_ok(k)))
            return true;
        if (k == value.size())
            return false;
        states = states.step(tokens, value[k]);
        if (whole && states.empty())
            return false;
    }
}

bool is_simple_value(const json& value)
{
    if (value.is_string() || value.is_boolean() || value.is_null())
        return true;
    if (value.is_number_integer()) {
        constexpr std::int64_t max = (std::int64_t{1} << 53) - 1;
        const auto v = value.get<std::int64_t>();
        return value.is_number_unsigned()
                   ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                   : (v >= -max && v <= max);
    }
    return false;
}

bool simple_equal(const json& a, const json& b)
{
    if (a.is_number_integer() && b.is_number_integer())
        return a.get<std::int64_t>() == b.get<std::int64_t>();
    return a.type() == b.type() && a == b;
}

bool member_count_matches(const std::string& is, std::int64_t count)
{
    std::string_view text = is;
    std::string_view op = "==";
    for (std::string_view candidate : {"==", "<=", ">=", "<", ">"}) {
        if (text.substr(0, candidate.size()) == candidate) {
            op = candidate;
            text.remove_prefix(candidate.size());
            break;
        }
    }
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
        return false;
    if (op == "==")
        return count == number;
    if (op == "<")
        return count < number;
    if (op == ">")
        return count > number;
    if (op == "<=")
        return count <= number;
    return count >= number;
}

const std::string* string_field(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

const std::string* body_of(const json& event)
{
    const json* body = property(event, "content.body");
    return body && body->is_string() ? body->get_ptr<const std::string*>() : nullptr;
}

bool rule_matches(std::string_view kind, const json& rule, const json& event,
                  const EvalContext& context)
{
    if (kind == "override" || kind == "underride") {
        const auto conditions = rule.find("conditions");
        if (conditions == rule.end() || !conditions->is_array())
            return true;
        for (const auto& condition : *conditions)
            if (!condition_matches(condition, event, context))
                return false;
        return true;
    }
    const std::string* rule_id = string_field(rule, "rule_id");
    if (!rule_id)
        return false;
    if (kind == "content") {
        const std::string* pattern = string_field(rule, "pattern");
        const std::string* body = body_of(event);
        return pattern && body && glob_match(*pattern, *body, false);
    }
    const char* field = kind == "room" ? "room_id" : "sender";
    const std::string* value = string_field(event, field);
    return value && *value == *rule_id;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view value, bool whole)
{
    return run(compile(pattern, false), value, whole);
}

const json* property(const json& event, std::string_view dotted_path)
{
    const json* node = &event;
    std::string key;
    const auto descend = [&]() -> bool {
        if (!node->is_object())
            return false;
        const auto it = node->find(key);
        if (it == node->end())
            return false;
        node = &*it;
        key.clear();
        return true;
    };
    for (std::size_t i = 0; i < dotted_path.size(); ++i) {
        const char c = dotted_path[i];
        if (c == '\\' && i + 1 < dotted_path.size() &&
            (dotted_path[i + 1] == '.' || dotted_path[i + 1] == '\\')) {
            key += dotted_path[++i];
        } else if (c == '.') {
            if (!descend())
                return nullptr;
        } else {
            key += c;
        }
    }
    return descend() ? node : nullptr;
}

bool condition_matches(const json& condition, const json& event, const EvalContext& context)
{
    if (!condition.is_object())
        return false;
    const std::string* kind = string_field(condition, "kind");
    if (!kind)
        return false;
    if (*kind == "event_match") {
        const std::string* key = string_field(condition, "key");
        const std::string* pattern = string_field(condition, "pattern");
        if (!key || !pattern)
            return false;
        const json* value = property(event, *key);
        if (!value || !value->is_string())
            return false;
        return glob_match(*pattern, value->get_ref<const std::string&>(), *key != "content.body");
    }
    if (*kind == "event_property_is" || *kind == "event_property_contains") {
        const std::string* key = string_field(condition, "key");
        const auto expected = condition.find("value");
        if (!key || expected == condition.end() || !is_simple_value(*expected))
            return false;
        const json* value = property(event, *key);
        if (!value)
            return false;
        if (*kind == "event_property_is")
            return is_simple_value(*value) && simple_equal(*value, *expected);
        if (!value->is_array())
            return false;
        for (const auto& item : *value)
            if (is_simple_value(item) && simple_equal(item, *expected))
                return true;
        return false;
    }
    if (*kind == "contains_display_name") {
        const std::string* body = body_of(event);
        if (!body || context.display_name.empty())
            return false;
        return run(compile(context.display_name, true), *body, false);
    }
    if (*kind == "room_member_count") {
        const std::string* is = string_field(condition, "is");
        return is && member_count_matches(*is, context.member_count);
    }
    if (*kind == "sender_notification_permission") {
        const std::string* key = string_field(condition, "key");
        if (!key)
            return false;
        std::int64_t required = 50;
        if (context.notification_levels.is_object()) {
            const auto it = context.notification_levels.find(*key);
            if (it != context.notification_levels.end() && it->is_number_integer())
                required = it->get<std::int64_t>();
        }
        return context.sender_power >= required;
    }
    return false;
}

Outcome interpret_actions(const json& actions)
{
    Outcome out;
    out.matched = true;
    if (!actions.is_array())
        return out;
    for (const auto& action : actions) {
        if (action.is_string()) {
            const auto& name = action.get_ref<const std::string&>();
            if (name == "dont_notify" || name == "coalesce")
                continue;
            if (name == "notify")
                out.notify = true;
        } else if (action.is_object()) {
            const std::string* tweak = string_field(action, "set_tweak");
            if (tweak && *tweak == "highlight") {
                const auto value = action.find("value");
                out.highlight =
                    value == action.end() || (value->is_boolean() && value->get<bool>());
            } else if (tweak && *tweak == "sound") {
                if (const std::string* sound = string_field(action, "value"))
                    out.sound = *sound;
            }
        }
        out.actions.push_back(action);
    }
    return out;
}

Outcome evaluate(const json& global, const json& event, const EvalContext& context)
{
    static constexpr std::string_view kinds[] = {"override", "content", "room", "sender",
                                                 "underride"};
    for (const auto kind : kinds) {
        const auto rules = global.find(std::string(kind));
        if (rules == global.end() || !rules->is_array())
            continue;
        for (const auto& rule : *rules) {
            if (!rule.is_object() || !rule.value("enabled", true))
                continue;
            if (!rule_matches(kind, rule, event, context))
                continue;
            Outcome out = interpret_actions(rule.value("actions", json::array()));
            out.rule_id = rule.value("rule_id", "");
            return out;
        }
    }
    return {};
}

} // namespace ravenous::push
