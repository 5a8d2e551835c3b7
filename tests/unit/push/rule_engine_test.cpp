#include "ravenous/push/rule_engine.hpp"
#include "ravenous/push/ruleset.hpp"

#include <gtest/gtest.h>

namespace ravenous::push {
namespace {

using nlohmann::json;

const std::string me = "@owner:test.local";

json message(std::string body, std::string sender = "@alice:test.local")
{
    return {{"type", "m.room.message"},
            {"room_id", "!room:test.local"},
            {"sender", sender},
            {"content", {{"msgtype", "m.text"}, {"body", body}}}};
}

EvalContext group(std::int64_t members = 5)
{
    EvalContext context;
    context.member_count = members;
    context.display_name = "Owner Person";
    return context;
}

Outcome eval(const json& event, const EvalContext& context = group())
{
    return evaluate(default_rules(me), event, context);
}

TEST(Glob, WholeValueCaseInsensitive)
{
    EXPECT_TRUE(glob_match("lunc?*", "Lunch plans"));
    EXPECT_TRUE(glob_match("lunc?*", "LUNCH"));
    EXPECT_FALSE(glob_match("lunc?*", " lunch"));
    EXPECT_FALSE(glob_match("lunc?*", "lunc"));
    EXPECT_TRUE(glob_match("m.room.*", "m.room.message"));
    EXPECT_TRUE(glob_match("[a-c]at", "bat"));
    EXPECT_FALSE(glob_match("[!a-c]at", "bat"));
    EXPECT_TRUE(glob_match("", ""));
}

TEST(Glob, BodyMatchesAtWordBoundaries)
{
    EXPECT_TRUE(glob_match("ex*ple", "An example event.", false));
    EXPECT_TRUE(glob_match("ex*ple", "exple", false));
    EXPECT_TRUE(glob_match("ex*ple", "An exciting triple-whammy", false));
    EXPECT_FALSE(glob_match("owner", "ownership", false));
    EXPECT_FALSE(glob_match("owner", "coowner", false));
    EXPECT_TRUE(glob_match("owner", "hi owner!", false));
    EXPECT_TRUE(glob_match("@room", "hello @room", false));
}

TEST(Property, DottedPathsWithEscapes)
{
    const json event = {{"content", {{"m.mentions", {{"room", true}}}, {"a", {{"b", 1}}}}}};
    ASSERT_NE(property(event, "content.m\\.mentions.room"), nullptr);
    EXPECT_EQ(*property(event, "content.m\\.mentions.room"), true);
    EXPECT_EQ(*property(event, "content.a.b"), 1);
    EXPECT_EQ(property(event, "content.m.mentions"), nullptr);
    EXPECT_EQ(property(event, "content.a.b.c"), nullptr);
}

TEST(Conditions, UnknownKindNeverMatches)
{
    EXPECT_FALSE(condition_matches({{"kind", "org.example.mystery"}}, message("x"), group()));
}

TEST(Conditions, RoomMemberCountOperators)
{
    const auto count = [](std::string is, std::int64_t n) {
        EvalContext context;
        context.member_count = n;
        return condition_matches({{"kind", "room_member_count"}, {"is", is}}, message("x"),
                                 context);
    };
    EXPECT_TRUE(count("2", 2));
    EXPECT_TRUE(count("==2", 2));
    EXPECT_FALSE(count("2", 3));
    EXPECT_TRUE(count("<3", 2));
    EXPECT_FALSE(count("<2", 2));
    EXPECT_TRUE(count("<=2", 2));
    EXPECT_TRUE(count(">1", 2));
    EXPECT_TRUE(count(">=2", 2));
    EXPECT_FALSE(count("abc", 2));
}

TEST(Conditions, EventPropertyIsIsExact)
{
    const json event = {{"content", {{"m.federate", true}, {"n", 1}, {"s", "true"}}}};
    const auto is = [&](std::string key, json value) {
        return condition_matches({{"kind", "event_property_is"}, {"key", key}, {"value", value}},
                                 event, group());
    };
    EXPECT_TRUE(is("content.m\\.federate", true));
    EXPECT_FALSE(is("content.s", true));
    EXPECT_FALSE(is("content.n", true));
    EXPECT_TRUE(is("content.n", 1));
    EXPECT_FALSE(is("content.absent", nullptr));
}

TEST(Conditions, EventPropertyContains)
{
    const json event = {{"content", {{"alt_aliases", {"#a:x", "#b:y", json::object()}}}}};
    const auto contains = [&](json value) {
        return condition_matches(
            {{"kind", "event_property_contains"}, {"key", "content.alt_aliases"}, {"value", value}},
            event, group());
    };
    EXPECT_TRUE(contains("#b:y"));
    EXPECT_FALSE(contains(":y"));
}

TEST(Conditions, SenderNotificationPermission)
{
    EvalContext context = group();
    const json condition = {{"kind", "sender_notification_permission"}, {"key", "room"}};
    context.sender_power = 49;
    EXPECT_FALSE(condition_matches(condition, message("x"), context));
    context.sender_power = 50;
    EXPECT_TRUE(condition_matches(condition, message("x"), context));
    context.notification_levels = {{"room", 10}};
    context.sender_power = 10;
    EXPECT_TRUE(condition_matches(condition, message("x"), context));
}

TEST(Evaluate, PlainMessageInGroupNotifiesWithoutHighlight)
{
    const auto out = eval(message("hello"));
    EXPECT_TRUE(out.notify);
    EXPECT_FALSE(out.highlight);
    EXPECT_EQ(out.rule_id, ".m.rule.message");
}

TEST(Evaluate, OneToOneRoomPlaysSound)
{
    const auto out = eval(message("hello"), group(2));
    EXPECT_EQ(out.rule_id, ".m.rule.room_one_to_one");
    EXPECT_EQ(out.sound, "default");
}

TEST(Evaluate, MentionsHighlight)
{
    json event = message("hey");
    event["content"]["m.mentions"] = {{"user_ids", {me}}};
    auto out = eval(event);
    EXPECT_TRUE(out.highlight);
    EXPECT_EQ(out.rule_id, ".m.rule.is_user_mention");

    out = eval(message("hello Owner Person, lunch?"));
    EXPECT_TRUE(out.highlight);
    EXPECT_EQ(out.rule_id, ".m.rule.contains_display_name");

    out = eval(message("ping owner"));
    EXPECT_TRUE(out.highlight);
    EXPECT_EQ(out.rule_id, ".m.rule.contains_user_name");
}

TEST(Evaluate, RoomMentionNeedsPower)
{
    EvalContext context = group();
    json event = message("@room look");
    context.sender_power = 0;
    EXPECT_FALSE(eval(event, context).highlight);
    context.sender_power = 50;
    EXPECT_TRUE(eval(event, context).highlight);
    EXPECT_EQ(eval(event, context).rule_id, ".m.rule.roomnotif");
}

TEST(Evaluate, SuppressedEvents)
{
    json notice = message("beep");
    notice["content"]["msgtype"] = "m.notice";
    EXPECT_FALSE(eval(notice).notify);
    json edit = message("* fixed owner");
    edit["content"]["m.relates_to"] = {{"rel_type", "m.replace"}, {"event_id", "$x"}};
    // .m.rule.contains_user_name is a content rule: the override suppress_edits wins.
    EXPECT_FALSE(eval(edit).notify);
    EXPECT_FALSE(
        eval({{"type", "m.reaction"}, {"sender", "@a:x"}, {"content", json::object()}}).notify);
    EXPECT_FALSE(eval({{"type", "m.room.member"},
                       {"sender", "@a:x"},
                       {"state_key", "@a:x"},
                       {"content", {{"membership", "join"}}}})
                     .notify);
}

TEST(Evaluate, InviteForMe)
{
    const json invite = {{"type", "m.room.member"},
                         {"sender", "@a:x"},
                         {"state_key", me},
                         {"content", {{"membership", "invite"}}}};
    const auto out = eval(invite);
    EXPECT_TRUE(out.notify);
    EXPECT_EQ(out.rule_id, ".m.rule.invite_for_me");
}

TEST(Evaluate, DisabledRulesAndMaster)
{
    json rules = default_rules(me);
    rules["override"][0]["enabled"] = true; // .m.rule.master
    EXPECT_FALSE(evaluate(rules, message("hello"), group()).notify);
    EXPECT_TRUE(evaluate(rules, message("hello"), group()).matched);
}

TEST(Evaluate, RoomAndSenderRules)
{
    json rules = default_rules(me);
    rules["room"].push_back(
        {{"rule_id", "!room:test.local"}, {"enabled", true}, {"actions", json::array()}});
    EXPECT_FALSE(evaluate(rules, message("hello"), group()).notify);
    rules["room"].clear();
    rules["sender"].push_back(
        {{"rule_id", "@alice:test.local"},
         {"enabled", true},
         {"actions", {"notify", {{"set_tweak", "highlight"}, {"value", true}}}}});
    EXPECT_TRUE(evaluate(rules, message("hello"), group()).highlight);
}

TEST(Actions, HistoricalActionsAreIgnored)
{
    const auto out = interpret_actions({"dont_notify", "coalesce"});
    EXPECT_FALSE(out.notify);
    EXPECT_TRUE(out.actions.empty());
    EXPECT_FALSE(
        interpret_actions({"notify", {{"set_tweak", "highlight"}, {"value", false}}}).highlight);
}

} // namespace
} // namespace ravenous::push
