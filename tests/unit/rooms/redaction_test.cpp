#include "ravenous/rooms/redaction.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::rooms {
namespace {

using nlohmann::json;

json event(const std::string& type, json content, std::optional<std::string> state_key = {})
{
    json e = {
        {"event_id", "$ev"}, {"room_id", "!room:example.org"},    {"sender", "@alice:example.org"},
        {"type", type},      {"origin_server_ts", 1700000000000}, {"content", std::move(content)}};
    if (state_key)
        e["state_key"] = *state_key;
    return e;
}

TEST(Redaction, MessageLosesItsWholeContent)
{
    const auto original = event("m.room.message", {{"msgtype", "m.text"}, {"body", "secret"}});
    for (const char* version : {"10", "11"}) {
        auto expected = original;
        expected["content"] = json::object();
        EXPECT_EQ(redact(original, version), expected) << version;
    }
}

TEST(Redaction, KeepsTheProtectedTopLevelKeysAndDropsTheRest)
{
    auto original = event("m.room.topic", {{"topic", "t"}}, "");
    original["user_id"] = "@alice:example.org"; // legacy client format
    original["age"] = 5;
    original["hashes"] = {{"sha256", "x"}};
    original["signatures"] = json::object();
    original["depth"] = 3;
    original["prev_events"] = json::array();
    original["auth_events"] = json::array();
    original["custom"] = "gone";
    const auto redacted = redact(original, "11");
    for (const char* key :
         {"event_id", "room_id", "sender", "type", "state_key", "origin_server_ts", "hashes",
          "signatures", "depth", "prev_events", "auth_events", "content"})
        EXPECT_TRUE(redacted.contains(key)) << key;
    for (const char* key : {"user_id", "age", "custom"})
        EXPECT_FALSE(redacted.contains(key)) << key;
    EXPECT_EQ(redacted["content"], json::object());
}

TEST(Redaction, V10KeepsOriginMembershipAndPrevStateButV11DoesNot)
{
    auto original = event("m.room.message", {{"body", "x"}});
    original["origin"] = "example.org";
    original["membership"] = "join";
    original["prev_state"] = json::array();
    const auto v10 = redact(original, "10");
    const auto v11 = redact(original, "11");
    for (const char* key : {"origin", "membership", "prev_state"}) {
        EXPECT_TRUE(v10.contains(key)) << key;
        EXPECT_FALSE(v11.contains(key)) << key;
    }
}

TEST(Redaction, MemberKeepsMembershipAndV11KeepsTheSignedThirdPartyInvite)
{
    const json signed_part = {{"mxid", "@bob:example.org"}, {"token", "abc"}};
    const auto original =
        event("m.room.member",
              {{"membership", "invite"},
               {"displayname", "Bob"},
               {"avatar_url", "mxc://x/y"},
               {"is_direct", true},
               {"join_authorised_via_users_server", "@alice:example.org"},
               {"third_party_invite", {{"display_name", "b***@e***"}, {"signed", signed_part}}}},
              "@bob:example.org");
    EXPECT_EQ(redact(original, "10")["content"],
              json({{"membership", "invite"},
                    {"join_authorised_via_users_server", "@alice:example.org"}}));
    EXPECT_EQ(redact(original, "11")["content"],
              json({{"membership", "invite"},
                    {"join_authorised_via_users_server", "@alice:example.org"},
                    {"third_party_invite", {{"signed", signed_part}}}}));
}

TEST(Redaction, CreateKeepsCreatorInV10AndEverythingInV11)
{
    const json content = {{"creator", "@alice:example.org"},
                          {"room_version", "10"},
                          {"m.federate", false},
                          {"type", "m.space"},
                          {"predecessor", {{"room_id", "!old:example.org"}}}};
    const auto original = event("m.room.create", content, "");
    EXPECT_EQ(redact(original, "10")["content"], json({{"creator", "@alice:example.org"}}));
    EXPECT_EQ(redact(original, "11")["content"], content);
}

TEST(Redaction, PowerLevelsKeepTheLevelsAndV11KeepsInvite)
{
    const json content = {{"ban", 50},           {"events", {{"m.room.name", 100}}},
                          {"events_default", 0}, {"invite", 50},
                          {"kick", 50},          {"redact", 50},
                          {"state_default", 50}, {"users", {{"@alice:example.org", 100}}},
                          {"users_default", 0},  {"notifications", {{"room", 20}}},
                          {"historical", 100}};
    const auto original = event("m.room.power_levels", content, "");
    auto v10 = content;
    v10.erase("invite");
    v10.erase("notifications");
    v10.erase("historical");
    auto v11 = v10;
    v11["invite"] = 50;
    EXPECT_EQ(redact(original, "10")["content"], v10);
    EXPECT_EQ(redact(original, "11")["content"], v11);
}

TEST(Redaction, RedactionKeepsContentRedactsOnlyInV11)
{
    auto original = event("m.room.redaction", {{"redacts", "$target"}, {"reason", "spam"}});
    original["redacts"] = "$target"; // the v10 place, which no version protects
    const auto v10 = redact(original, "10");
    const auto v11 = redact(original, "11");
    EXPECT_EQ(v10["content"], json::object());
    EXPECT_EQ(v11["content"], json({{"redacts", "$target"}}));
    EXPECT_FALSE(v10.contains("redacts"));
    EXPECT_FALSE(v11.contains("redacts"));
}

TEST(Redaction, JoinRulesAndHistoryVisibilityKeepTheirRule)
{
    const json allow = json::array({{{"type", "m.room_membership"}, {"room_id", "!s:x"}}});
    const auto rules = event("m.room.join_rules",
                             {{"join_rule", "restricted"}, {"allow", allow}, {"extra", 1}}, "");
    const auto visibility =
        event("m.room.history_visibility", {{"history_visibility", "joined"}, {"extra", 1}}, "");
    for (const char* version : {"10", "11"}) {
        EXPECT_EQ(redact(rules, version)["content"],
                  json({{"join_rule", "restricted"}, {"allow", allow}}));
        EXPECT_EQ(redact(visibility, version)["content"], json({{"history_visibility", "joined"}}));
    }
}

TEST(Redaction, OtherStateEventsLoseTheirContent)
{
    for (const char* type : {"m.room.name", "m.room.topic", "m.room.avatar",
                             "m.room.canonical_alias", "m.room.encryption", "org.example.x"}) {
        const auto original =
            event(type, {{"name", "n"}, {"algorithm", "a"}, {"alias", "#a:x"}}, "");
        EXPECT_EQ(redact(original, "11")["content"], json::object()) << type;
    }
}

TEST(Redaction, UnsignedKeepsOnlyWhatSynapseKeeps)
{
    auto original = event("m.room.member", {{"membership", "join"}, {"displayname", "B"}}, "@b:x");
    original["unsigned"] = {{"replaces_state", "$old"},
                            {"prev_content", {{"membership", "invite"}}},
                            {"prev_sender", "@alice:example.org"},
                            {"transaction_id", "txn1"},
                            {"age", 1234},
                            {"m.relations", {{"m.thread", json::object()}}},
                            {"redacted_because", json::object()}};
    EXPECT_EQ(redact(original, "10")["unsigned"],
              json({{"replaces_state", "$old"},
                    {"prev_content", {{"membership", "invite"}}},
                    {"prev_sender", "@alice:example.org"}}));

    auto message = event("m.room.message", {{"body", "x"}});
    message["unsigned"] = {{"transaction_id", "txn1"}, {"age", 3}};
    EXPECT_FALSE(redact(message, "11").contains("unsigned"));
}

TEST(Redaction, IsIdempotent)
{
    const auto original = event("m.room.power_levels", {{"ban", 10}, {"invite", 5}}, "");
    for (const char* version : {"10", "11"}) {
        const auto once = redact(original, version);
        EXPECT_EQ(redact(once, version), once) << version;
    }
}

TEST(Redaction, ToleratesMissingOrOddContent)
{
    json no_content = {{"type", "m.room.message"}, {"event_id", "$e"}};
    EXPECT_EQ(redact(no_content, "10"), no_content);
    json odd = {{"type", "m.room.member"}, {"content", "not an object"}};
    EXPECT_EQ(redact(odd, "10")["content"], json::object());
    EXPECT_EQ(redact(json::array(), "10"), json::object());
}

TEST(Redaction, RedactContentMatchesTheEventForm)
{
    const json content = {{"membership", "leave"}, {"reason", "bye"}};
    EXPECT_EQ(redact_content("m.room.member", content, "11"), json({{"membership", "leave"}}));
}

} // namespace
} // namespace ravenous::rooms
