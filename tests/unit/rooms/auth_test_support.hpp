#pragma once

// Shared by the auth rules tests: a room with alice (creator, 100), mod (50) and users at
// users_default 0, and helpers that propose events to authorize().

#include "ravenous/matrix/errors.hpp"
#include "ravenous/rooms/auth_rules.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ravenous::rooms::test {

using matrix::ErrCode;
using nlohmann::json;

inline const std::string alice = "@alice:example.org"; // creator, 100
inline const std::string mod = "@mod:example.org";     // 50
inline const std::string bob = "@bob:example.org";     // users_default 0
inline const std::string carol = "@carol:example.org"; // users_default 0

inline json default_levels()
{
    return {{"users", {{alice, 100}, {mod, 50}}}, {"users_default", 0}};
}

inline AuthContext room(std::string join_rule = "invite",
                        std::optional<json> levels = default_levels())
{
    AuthContext ctx;
    ctx.room_version = "10";
    ctx.creator = alice;
    ctx.power_levels = std::move(levels);
    ctx.join_rules = json{{"join_rule", join_rule}};
    return ctx;
}

// `sender` (whose membership is `sender_was`) sets `target` (whose membership is
// `target_was`) to `to`.
inline void membership(AuthContext ctx, const std::string& sender, const std::string& sender_was,
                       const std::string& target, const std::string& target_was,
                       const std::string& to, json content = json::object())
{
    ctx.sender_membership = sender == target ? target_was : sender_was;
    ctx.target_membership = target_was;
    content["membership"] = to;
    authorize(ctx, ProposedEvent{"m.room.member", target, sender, content});
}

// `sender`, joined, sends an event.
inline void send(AuthContext ctx, const std::string& sender, const std::string& type,
                 std::optional<std::string> state_key, const json& content = json::object())
{
    if (ctx.sender_membership.empty())
        ctx.sender_membership = "join";
    authorize(ctx, ProposedEvent{type, std::move(state_key), sender, content});
}

template <class F>
::testing::AssertionResult refused(F&& attempt, std::string_view text,
                                   ErrCode code = ErrCode::M_FORBIDDEN)
{
    try {
        attempt();
    } catch (const matrix::MatrixError& e) {
        if (e.code() != code)
            return ::testing::AssertionFailure()
                   << "wrong errcode " << matrix::to_string(e.code()) << ": " << e.message();
        if (e.message().find(text) == std::string::npos)
            return ::testing::AssertionFailure()
                   << "message \"" << e.message() << "\" lacks \"" << text << "\"";
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "allowed";
}

} // namespace ravenous::rooms::test
