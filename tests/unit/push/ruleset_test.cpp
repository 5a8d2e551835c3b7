#include "ravenous/push/ruleset.hpp"

#include <gtest/gtest.h>

namespace ravenous::push {
namespace {

using nlohmann::json;

std::vector<std::string> ids(const json& rules)
{
    std::vector<std::string> out;
    for (const auto& rule : rules)
        out.push_back(rule.at("rule_id").get<std::string>());
    return out;
}

TEST(DefaultRules, SpecOrder)
{
    const json rules = default_rules("@owner:test.local");
    EXPECT_EQ(ids(rules.at("override")),
              (std::vector<std::string>{".m.rule.master", ".m.rule.suppress_notices",
                                        ".m.rule.invite_for_me", ".m.rule.member_event",
                                        ".m.rule.is_user_mention", ".m.rule.contains_display_name",
                                        ".m.rule.is_room_mention", ".m.rule.roomnotif",
                                        ".m.rule.tombstone", ".m.rule.reaction",
                                        ".m.rule.room.server_acl", ".m.rule.suppress_edits"}));
    EXPECT_EQ(ids(rules.at("content")), (std::vector<std::string>{".m.rule.contains_user_name"}));
    EXPECT_EQ(rules.at("content")[0].at("pattern"), "owner");
    EXPECT_EQ(ids(rules.at("underride")),
              (std::vector<std::string>{".m.rule.call", ".m.rule.encrypted_room_one_to_one",
                                        ".m.rule.room_one_to_one", ".m.rule.message",
                                        ".m.rule.encrypted"}));
    EXPECT_TRUE(rules.at("room").empty());
    EXPECT_TRUE(rules.at("sender").empty());
    EXPECT_EQ(rules.at("override")[0].at("enabled"), false);
    EXPECT_EQ(rules.at("override")[2].at("conditions")[2].at("pattern"), "@owner:test.local");
}

TEST(MergeRules, UserRulesFollowMasterAndPrecedeDefaults)
{
    std::vector<storage::PushRuleRow> rows = {
        {"override", "mine", 2, R"({"conditions":[]})", true, R"(["notify"])"},
        {"override", "other", 1, R"({"conditions":[]})", false, R"([])"},
        {"override", ".m.rule.master", 0, std::nullopt, true, std::nullopt},
        {"underride", ".m.rule.message", 0, std::nullopt, std::nullopt, R"([])"},
    };
    const json global = merge_rules("@owner:test.local", rows);
    const auto order = ids(global.at("override"));
    ASSERT_GE(order.size(), 4u);
    EXPECT_EQ(order[0], ".m.rule.master");
    EXPECT_EQ(order[1], "mine");
    EXPECT_EQ(order[2], "other");
    EXPECT_EQ(order[3], ".m.rule.suppress_notices");
    EXPECT_EQ(global.at("override")[0].at("enabled"), true);
    EXPECT_EQ(global.at("override")[1].at("default"), false);
    EXPECT_EQ(global.at("override")[2].at("enabled"), false);
    EXPECT_EQ(find_rule(global, "underride", ".m.rule.message")->at("actions"), json::array());
    EXPECT_FALSE(find_rule(global, "room", "nope"));
}

} // namespace
} // namespace ravenous::push
