#include "ravenous/rooms/event_validation.hpp"

#include "ravenous/matrix/errors.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::rooms {
namespace {

using matrix::ErrCode;
using nlohmann::json;

const std::optional<std::string> state = std::string();
const std::optional<std::string> message = std::nullopt;

::testing::AssertionResult refused(std::string_view type, const std::optional<std::string>& key,
                                   const json& content, std::string_view text,
                                   ErrCode code = ErrCode::M_BAD_JSON,
                                   std::string_view version = "10")
{
    try {
        validate_event(type, key, content, version);
    } catch (const matrix::MatrixError& e) {
        if (e.code() != code)
            return ::testing::AssertionFailure()
                   << "wrong errcode " << matrix::to_string(e.code()) << ": " << e.message();
        if (e.message().find(text) == std::string::npos)
            return ::testing::AssertionFailure()
                   << "message \"" << e.message() << "\" lacks \"" << text << "\"";
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "accepted";
}

TEST(EventValidation, TypeMustBeNonEmptyAndAtMost255Bytes)
{
    EXPECT_TRUE(refused("", message, json::object(), "type"));
    EXPECT_NO_THROW(validate_event(std::string(255, 'a'), message, json::object(), "10"));
    EXPECT_TRUE(refused(std::string(256, 'a'), message, json::object(), "'type' too large",
                        ErrCode::M_TOO_LARGE));
}

TEST(EventValidation, StateKeyIsAtMost255Bytes)
{
    EXPECT_NO_THROW(validate_event("org.example", std::string(255, 'k'), json::object(), "10"));
    EXPECT_TRUE(refused("org.example", std::string(256, 'k'), json::object(),
                        "'state_key' too large", ErrCode::M_TOO_LARGE));
}

TEST(EventValidation, ContentMustBeAnObject)
{
    EXPECT_TRUE(refused("org.example", message, json::array(), "JSON object"));
}

TEST(EventValidation, UnknownTypesAndKeysPass)
{
    EXPECT_NO_THROW(validate_event("org.example.thing", message, {{"anything", {1, 2}}}, "10"));
    EXPECT_NO_THROW(validate_event("org.example.state", state, {{"x", nullptr}}, "11"));
    EXPECT_NO_THROW(validate_event("m.room.name", state, {{"name", "n"}, {"extra", 1}}, "10"));
}

TEST(EventValidation, MemberNeedsAKnownMembershipAndAUserIdStateKey)
{
    const std::optional<std::string> bob = std::string("@bob:example.org");
    EXPECT_NO_THROW(validate_event("m.room.member", bob,
                                   {{"membership", "join"}, {"displayname", nullptr}}, "10"));
    for (const char* m : {"join", "invite", "leave", "ban", "knock"})
        EXPECT_NO_THROW(validate_event("m.room.member", bob, {{"membership", m}}, "10")) << m;
    EXPECT_TRUE(refused("m.room.member", bob, json::object(), "'membership' not in content"));
    EXPECT_TRUE(refused("m.room.member", bob, {{"membership", "dance"}},
                        "'membership' must be one of join, invite, leave, ban, knock"));
    EXPECT_TRUE(
        refused("m.room.member", bob, {{"membership", 1}}, "'membership' must be a string"));
    EXPECT_TRUE(refused("m.room.member", bob, {{"membership", "join"}, {"displayname", 5}},
                        "'displayname' must be a string"));
    EXPECT_TRUE(refused("m.room.member", bob, {{"membership", "join"}, {"avatar_url", false}},
                        "'avatar_url'"));
    EXPECT_TRUE(refused("m.room.member", std::string("bob"), {{"membership", "join"}},
                        "Invalid user ID", ErrCode::M_INVALID_PARAM));
    EXPECT_TRUE(refused("m.room.member", message, {{"membership", "join"}}, "state event"));
}

TEST(EventValidation, PowerLevelsAreIntegersOnly)
{
    const json good = {{"ban", 50},
                       {"events", {{"m.room.name", 100}}},
                       {"events_default", 0},
                       {"invite", 0},
                       {"kick", 50},
                       {"notifications", {{"room", 20}}},
                       {"redact", 50},
                       {"state_default", 50},
                       {"users", {{"@a:example.org", 100}}},
                       {"users_default", 0}};
    EXPECT_NO_THROW(validate_event("m.room.power_levels", state, good, "10"));
    auto bad = good;
    bad["ban"] = "50"; // strings were allowed before room version 10
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'ban' must be an integer"));
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'ban'", ErrCode::M_BAD_JSON, "11"));
    bad = good;
    bad["users_default"] = 1.5;
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'users_default' must be an integer"));
    bad = good;
    bad["users"]["@b:example.org"] = "10";
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'users.@b:example.org'"));
    bad = good;
    bad["users"]["nobody"] = 10;
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "not a valid user ID: nobody"));
    bad = good;
    bad["events"] = json::array();
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'events' must be an object"));
    bad = good;
    bad["notifications"]["room"] = true;
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'notifications.room'"));
    bad = good;
    bad["kick"] = 9007199254740992; // beyond canonical JSON's range
    EXPECT_TRUE(refused("m.room.power_levels", state, bad, "'kick'"));
}

TEST(EventValidation, JoinRulesAndHistoryVisibilityNeedTheirValue)
{
    EXPECT_NO_THROW(validate_event("m.room.join_rules", state, {{"join_rule", "public"}}, "10"));
    EXPECT_TRUE(refused("m.room.join_rules", state, json::object(), "'join_rule'"));
    EXPECT_TRUE(
        refused("m.room.join_rules", state, {{"join_rule", 3}}, "'join_rule' must be a string"));
    for (const char* v : {"invited", "joined", "shared", "world_readable"})
        EXPECT_NO_THROW(
            validate_event("m.room.history_visibility", state, {{"history_visibility", v}}, "10"));
    EXPECT_TRUE(
        refused("m.room.history_visibility", state, {{"history_visibility", "all"}},
                "'history_visibility' must be one of invited, joined, shared, world_readable"));
}

TEST(EventValidation, NameAndTopicAreStringStateEvents)
{
    EXPECT_NO_THROW(validate_event("m.room.name", state, {{"name", ""}}, "10"));
    EXPECT_NO_THROW(validate_event("m.room.name", state, {{"name", std::string(1000, 'n')}}, "10"));
    EXPECT_TRUE(refused("m.room.name", state, {{"name", nullptr}}, "'name' must be a string"));
    EXPECT_TRUE(refused("m.room.name", state, json::object(), "'name' not in content"));
    EXPECT_TRUE(refused("m.room.name", message, {{"name", "n"}}, "must be a state event"));
    EXPECT_NO_THROW(validate_event("m.room.topic", state, {{"topic", "t"}}, "10"));
    EXPECT_TRUE(refused("m.room.topic", state, {{"topic", 1}}, "'topic' must be a string"));
}

TEST(EventValidation, CanonicalAliasAndAvatarHoldStrings)
{
    EXPECT_NO_THROW(validate_event("m.room.canonical_alias", state,
                                   {{"alias", "#a:x"}, {"alt_aliases", {"#b:x"}}}, "10"));
    EXPECT_NO_THROW(validate_event("m.room.canonical_alias", state, json::object(), "10"));
    EXPECT_TRUE(refused("m.room.canonical_alias", state, {{"alias", 1}}, "'alias'"));
    EXPECT_TRUE(refused("m.room.canonical_alias", state, {{"alt_aliases", {1}}}, "'alt_aliases'"));
    EXPECT_TRUE(
        refused("m.room.canonical_alias", state, {{"alt_aliases", "#b:x"}}, "'alt_aliases'"));
    EXPECT_NO_THROW(validate_event("m.room.avatar", state, json::object(), "10"));
    EXPECT_TRUE(refused("m.room.avatar", state, {{"url", 3}}, "'url' must be a string"));
}

TEST(EventValidation, RedactionNeedsContentRedactsInV11)
{
    EXPECT_NO_THROW(validate_event("m.room.redaction", message, json::object(), "10"));
    EXPECT_NO_THROW(validate_event("m.room.redaction", message, {{"redacts", "$e"}}, "11"));
    EXPECT_TRUE(refused("m.room.redaction", message, json::object(), "'redacts'",
                        ErrCode::M_BAD_JSON, "11"));
    EXPECT_TRUE(refused("m.room.redaction", message, {{"redacts", 1}}, "'redacts'"));
}

TEST(EventValidation, MessagesNeedBodyAndMsgtype)
{
    EXPECT_NO_THROW(
        validate_event("m.room.message", message, {{"msgtype", "m.text"}, {"body", "hi"}}, "10"));
    EXPECT_TRUE(refused("m.room.message", message, {{"body", "hi"}}, "'msgtype'"));
    EXPECT_TRUE(refused("m.room.message", message, {{"msgtype", "m.text"}, {"body", 1}}, "'body'"));
}

TEST(EventValidation, TombstoneNeedsAReplacementRoom)
{
    EXPECT_NO_THROW(validate_event("m.room.tombstone", state,
                                   {{"replacement_room", "!new:x"}, {"body", "moved"}}, "10"));
    EXPECT_TRUE(refused("m.room.tombstone", state, {{"body", "moved"}}, "'replacement_room'"));
}

TEST(EventValidation, MentionsAreTyped)
{
    const json ok = {{"msgtype", "m.text"},
                     {"body", "hi"},
                     {"m.mentions", {{"user_ids", {"@a:x"}}, {"room", true}}}};
    EXPECT_NO_THROW(validate_event("m.room.message", message, ok, "10"));
    auto bad = ok;
    bad["m.mentions"]["room"] = "yes";
    EXPECT_TRUE(refused("m.room.message", message, bad, "'m.mentions.room'"));
    bad = ok;
    bad["m.mentions"]["user_ids"] = "@a:x";
    EXPECT_TRUE(refused("m.room.message", message, bad, "'m.mentions.user_ids'"));
}

} // namespace
} // namespace ravenous::rooms
