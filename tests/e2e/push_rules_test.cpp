// Push rules (GET/PUT/DELETE /pushrules/...), /notifications and pushers.
#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

const std::string rules_path = v3 + "/pushrules/global/";

std::vector<std::string> rule_ids(const json& rules)
{
    std::vector<std::string> out;
    for (const auto& rule : rules)
        out.push_back(rule.at("rule_id").get<std::string>());
    return out;
}

class PushRules : public RoomFixture
{
protected:
    json global()
    {
        auto res = get(v3 + "/pushrules/", owner_);
        EXPECT_EQ(res.status, 200) << res.body;
        EXPECT_SPEC(res, "GET", v3 + "/pushrules/");
        return res.status == 200 ? res.json().at("global") : json::object();
    }
    HttpResponse put_rule(const std::string& kind, const std::string& id, const json& body,
                          const std::string& query = "")
    {
        return put(rules_path + kind + "/" + enc(id) + query, body, owner_);
    }
};

TEST_F(PushRules, DefaultRuleSetWithAndWithoutSlash)
{
    const json rules = global();
    const auto override_ids = rule_ids(rules.at("override"));
    ASSERT_FALSE(override_ids.empty());
    EXPECT_EQ(override_ids.front(), ".m.rule.master");
    EXPECT_EQ(override_ids.back(), ".m.rule.suppress_edits");
    EXPECT_EQ(rule_ids(rules.at("underride")).back(), ".m.rule.encrypted");
    EXPECT_EQ(rules.at("content")[0].at("pattern"), "owner");

    auto res = get(v3 + "/pushrules", owner_);
    EXPECT_EQ(res.status, 200);
    res = get(rules_path, owner_);
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", rules_path);
    EXPECT_TRUE(res.json().contains("override"));
}

TEST_F(PushRules, CreateOrderReadAndDelete)
{
    const json body = {
        {"conditions", {{{"kind", "event_match"}, {"key", "content.body"}, {"pattern", "cake"}}}},
        {"actions", {"notify"}}};
    ASSERT_EQ(put_rule("override", "first", body).status, 200);
    ASSERT_EQ(put_rule("override", "second", body).status, 200); // most important new rule
    ASSERT_EQ(put_rule("override", "third", body, "?after=second").status, 200);
    ASSERT_EQ(put_rule("override", "zeroth", body, "?before=second").status, 200);
    auto ids = rule_ids(global().at("override"));
    ASSERT_GE(ids.size(), 5u);
    EXPECT_EQ(std::vector<std::string>(ids.begin(), ids.begin() + 5),
              (std::vector<std::string>{".m.rule.master", "zeroth", "second", "third", "first"}));

    auto res = get(rules_path + "override/third", owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", rules_path + "override/third");
    EXPECT_EQ(res.json().at("default"), false);
    EXPECT_EQ(res.json().at("enabled"), true);

    res = put_rule("content", "cake", {{"pattern", "cake*lie"}, {"actions", {"notify"}}});
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", rules_path + "content/cake");
    EXPECT_EQ(global().at("content")[0].at("pattern"), "cake*lie");

    res = del(rules_path + "override/third", owner_);
    EXPECT_EQ(res.status, 200) << res.body;
    expect_error(get(rules_path + "override/third", owner_), 404, "M_NOT_FOUND");
    expect_error(del(rules_path + "override/third", owner_), 404, "M_NOT_FOUND");
}

TEST_F(PushRules, EnabledAndActions)
{
    auto res = get(rules_path + "override/.m.rule.master/enabled", owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", rules_path + "override/.m.rule.master/enabled");
    EXPECT_EQ(res.json().at("enabled"), false);
    res = put(rules_path + "override/.m.rule.master/enabled", {{"enabled", true}}, owner_);
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(get(rules_path + "override/.m.rule.master/enabled", owner_).json().at("enabled"),
              true);

    res =
        put(rules_path + "underride/.m.rule.message/actions", {{"actions", json::array()}}, owner_);
    EXPECT_EQ(res.status, 200) << res.body;
    res = get(rules_path + "underride/.m.rule.message/actions", owner_);
    EXPECT_SPEC(res, "GET", rules_path + "underride/.m.rule.message/actions");
    EXPECT_EQ(res.json().at("actions"), json::array());
    EXPECT_EQ(global().at("underride")[3].at("actions"), json::array());
}

TEST_F(PushRules, Errors)
{
    const json actions = {{"actions", {"notify"}}};
    expect_error(put_rule("override", ".m.rule.mine", actions), 400, "M_INVALID_PARAM");
    expect_error(del(rules_path + "override/.m.rule.master", owner_), 400, "M_INVALID_PARAM");
    expect_error(put_rule("override", "x", json::object()), 400, "M_MISSING_PARAM");
    expect_error(put_rule("override", "x", {{"actions", "notify"}}), 400, "M_BAD_JSON");
    expect_error(
        put_rule("override", "x", {{"actions", {"notify"}}, {"conditions", {{{"key", "a"}}}}}), 400,
        "M_INVALID_PARAM");
    expect_error(put_rule("content", "x", actions), 400, "M_MISSING_PARAM");
    expect_error(put_rule("override", "x", actions, "?before=nope"), 400, "M_UNKNOWN");
    expect_error(put_rule("bogus", "x", actions), 400, "M_UNRECOGNIZED");
    expect_error(get(rules_path + "override/nope", owner_), 404, "M_NOT_FOUND");
    expect_error(get(rules_path + "override/nope/enabled", owner_), 404, "M_NOT_FOUND");
    expect_error(put(rules_path + "override/nope/enabled", {{"enabled", true}}, owner_), 404,
                 "M_NOT_FOUND");
    expect_error(put(rules_path + "override/.m.rule.master/enabled", {{"enabled", "yes"}}, owner_),
                 400, "M_BAD_JSON");
    // Nothing was created by the refused requests.
    const auto ids = rule_ids(global().at("override"));
    EXPECT_EQ(std::count(ids.begin(), ids.end(), "x"), 0);
}

TEST_F(PushRules, MentionHighlightsInNotifications)
{
    const std::string room = create_room();
    invite(room, owner_, alice_);
    join(room, alice_);
    text(room, alice_, "just chatting");
    const std::string mention = send(
        room, alice_,
        {{"msgtype", "m.text"}, {"body", "hey boss"}, {"m.mentions", {{"user_ids", {owner_id}}}}});
    text(room, owner_, "my own message");

    auto res = get(v3 + "/notifications", owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", v3 + "/notifications");
    const json all = res.json().at("notifications");
    ASSERT_EQ(all.size(), 2u) << res.body;
    EXPECT_EQ(all[0].at("event").at("event_id"), mention); // newest first
    EXPECT_EQ(all[0].at("room_id"), room);
    EXPECT_EQ(all[0].at("read"), false);

    res = get(v3 + "/notifications?only=highlight", owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    const json highlights = res.json().at("notifications");
    ASSERT_EQ(highlights.size(), 1u) << res.body;
    EXPECT_EQ(highlights[0].at("event").at("event_id"), mention);

    res = get(v3 + "/notifications?limit=1", owner_);
    ASSERT_EQ(res.status, 200);
    const json page = res.json();
    ASSERT_TRUE(page.contains("next_token"));
    res =
        get(v3 + "/notifications?limit=1&from=" + page.at("next_token").get<std::string>(), owner_);
    const json next = res.json();
    ASSERT_EQ(next.at("notifications").size(), 1u);
    EXPECT_EQ(next.at("notifications")[0].at("event").at("content").at("body"), "just chatting");
}

TEST_F(PushRules, Pushers)
{
    auto res = get(v3 + "/pushers", owner_);
    ASSERT_EQ(res.status, 200);
    EXPECT_SPEC(res, "GET", v3 + "/pushers");
    EXPECT_TRUE(res.json().at("pushers").empty());

    json pusher = {{"kind", "http"},
                   {"app_id", "face.mcapp.appy.prod"},
                   {"pushkey", "key1"},
                   {"app_display_name", "Appy"},
                   {"device_display_name", "Phone"},
                   {"lang", "en"},
                   {"data", {{"url", "https://push.example.com/_matrix/push/v1/notify"}}}};
    res = post(v3 + "/pushers/set", pusher, owner_);
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", v3 + "/pushers/set");
    res = get(v3 + "/pushers", owner_);
    EXPECT_SPEC(res, "GET", v3 + "/pushers");
    ASSERT_EQ(res.json().at("pushers").size(), 1u);
    EXPECT_EQ(res.json().at("pushers")[0].at("pushkey"), "key1");

    json bad = pusher;
    bad["data"]["url"] = "https://push.example.com/notify";
    expect_error(post(v3 + "/pushers/set", bad, owner_), 400, "M_INVALID_PARAM");
    bad = pusher;
    bad.erase("lang");
    expect_error(post(v3 + "/pushers/set", bad, owner_), 400, "M_MISSING_PARAM");
    EXPECT_EQ(get(v3 + "/pushers", owner_).json().at("pushers").size(), 1u);

    res =
        post(v3 + "/pushers/set",
             {{"kind", nullptr}, {"app_id", "face.mcapp.appy.prod"}, {"pushkey", "key1"}}, owner_);
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_TRUE(get(v3 + "/pushers", owner_).json().at("pushers").empty());
}

} // namespace
} // namespace ravenous::test::room
