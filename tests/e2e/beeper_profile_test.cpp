// PATCH /profile/{userId}: Beeper's arbitrary profile meta (com.beeper.bridge.*) merged into
// the profile, read back through GET /profile/{userId} and GET /profile/{userId}/{keyName}.
#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

class BeeperProfile : public RoomFixture
{
protected:
    static std::string profile_path(const std::string& user, std::string_view key = {})
    {
        return v3 + "/profile/" + enc(user) + (key.empty() ? "" : "/" + enc(key));
    }
    HttpResponse patch(const std::string& user, const std::string& body, const Actor& who)
    {
        return RoomFixture::patch(profile_path(user), body, who);
    }
    void patch_ok(const Actor& who, const json& body)
    {
        auto res = patch(who.user_id, body.dump(), who);
        ASSERT_EQ(res.status, 200) << res.body;
        EXPECT_EQ(res.json(), json::object());
    }
    json profile(const std::string& user)
    {
        auto res = client_->get(profile_path(user));
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json() : json();
    }
};

TEST_F(BeeperProfile, PatchMergesArbitraryKeys)
{
    // What bridgev2 sends for a ghost (SetExtraProfileMeta), through identity assertion.
    patch_ok(alice_, {{"com.beeper.bridge.remote_id", "4915112345"},
                      {"com.beeper.bridge.identifiers", {"tel:+4915112345"}},
                      {"com.beeper.bridge.service", "whatsapp"},
                      {"com.beeper.bridge.network", "whatsapp"},
                      {"com.beeper.bridge.is_network_bot", false}});
    ASSERT_EQ(put(profile_path(alice_.user_id, "displayname"), {{"displayname", "Alice"}}, alice_)
                  .status,
              200);
    EXPECT_EQ(profile(alice_.user_id),
              (json{{"displayname", "Alice"},
                    {"com.beeper.bridge.remote_id", "4915112345"},
                    {"com.beeper.bridge.identifiers", {"tel:+4915112345"}},
                    {"com.beeper.bridge.service", "whatsapp"},
                    {"com.beeper.bridge.network", "whatsapp"},
                    {"com.beeper.bridge.is_network_bot", false}}));

    // A second PATCH merges: new keys added, others replaced, null removes.
    patch_ok(alice_, {{"com.beeper.bridge.remote_id", nullptr},
                      {"com.beeper.bridge.identifiers", {"tel:+4915112345", "mailto:a@x.org"}},
                      {"fi.mau.extra", {{"nested", {1, 2}}}}});
    EXPECT_EQ(profile(alice_.user_id),
              (json{{"displayname", "Alice"},
                    {"com.beeper.bridge.identifiers", {"tel:+4915112345", "mailto:a@x.org"}},
                    {"com.beeper.bridge.service", "whatsapp"},
                    {"com.beeper.bridge.network", "whatsapp"},
                    {"com.beeper.bridge.is_network_bot", false},
                    {"fi.mau.extra", {{"nested", {1, 2}}}}}));

    // One key.
    auto one = client_->get(profile_path(alice_.user_id, "com.beeper.bridge.service"));
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_SPEC(one, "GET", profile_path(alice_.user_id, "com.beeper.bridge.service"));
    EXPECT_EQ(one.json(), (json{{"com.beeper.bridge.service", "whatsapp"}}));
    expect_error(client_->get(profile_path(alice_.user_id, "com.beeper.bridge.remote_id")), 404,
                 "M_NOT_FOUND");
    expect_error(client_->get(profile_path("@whatsapp_nobody:test.local", "x.y")), 404,
                 "M_NOT_FOUND");

    // The bot for itself (bridgev2's UpdateBotProfile) and the owner with their token.
    patch_ok(bot_, {{"com.beeper.bridge.service", "whatsapp"},
                    {"com.beeper.bridge.is_bridge_bot", true}});
    EXPECT_EQ(profile(bot_.user_id).value("com.beeper.bridge.is_bridge_bot", false), true);
    patch_ok(owner_, {{"org.example.pronouns", "they/them"}});
    EXPECT_EQ(profile(owner_id), (json{{"org.example.pronouns", "they/them"}}));
}

TEST_F(BeeperProfile, DisplaynameAndAvatarInAPatchUpdateMemberEvents)
{
    const std::string room = create_room();
    invite(room, owner_, alice_);
    join(room, alice_);
    patch_ok(alice_, {{"displayname", "Alice W."},
                      {"avatar_url", "mxc://test.local/alice"},
                      {"com.beeper.bridge.remote_id", "1"}});
    EXPECT_EQ(profile(alice_.user_id),
              (json{{"displayname", "Alice W."},
                    {"avatar_url", "mxc://test.local/alice"},
                    {"com.beeper.bridge.remote_id", "1"}}));
    json member = state_content(room, "m.room.member", alice_.user_id);
    EXPECT_EQ(member.value("displayname", ""), "Alice W.");
    EXPECT_EQ(member.value("avatar_url", ""), "mxc://test.local/alice");

    patch_ok(alice_, {{"avatar_url", nullptr}});
    EXPECT_FALSE(profile(alice_.user_id).contains("avatar_url"));
    member = state_content(room, "m.room.member", alice_.user_id);
    EXPECT_EQ(member.value("displayname", ""), "Alice W.");
    EXPECT_FALSE(member.contains("avatar_url")) << member.dump();

    // Other keys alone send no member event.
    const auto before = fingerprint(room);
    patch_ok(alice_, {{"com.beeper.bridge.remote_id", "2"}});
    EXPECT_EQ(fingerprint(room), before);
}

TEST_F(BeeperProfile, BadPatchesChangeNothing)
{
    patch_ok(alice_, {{"displayname", "Kept"}, {"com.beeper.bridge.service", "whatsapp"}});
    const json kept = profile(alice_.user_id);
    const std::string key_256(256, 'k');
    const std::string big(64 * 1024 - 10, 'x');
    struct Case
    {
        std::string user;
        std::string body;
        const Actor* who;
        int status;
        std::string errcode;
    };
    const Actor nobody{alice_.user_id, "", false};
    const Actor bad_token{alice_.user_id, "bad", false};
    const Case cases[] = {
        {alice_.user_id, "not json", &alice_, 400, "M_NOT_JSON"},
        {alice_.user_id, "[]", &alice_, 400, "M_BAD_JSON"},
        {alice_.user_id, R"({"displayname": 5, "a.b": 1})", &alice_, 400, "M_BAD_JSON"},
        {alice_.user_id, R"({"avatar_url": ["x"], "a.b": 1})", &alice_, 400, "M_BAD_JSON"},
        {alice_.user_id, R"({"displayname": ")" + std::string(300, 'n') + R"("})", &alice_, 400,
         "M_BAD_JSON"},
        {alice_.user_id, R"({"a.b": 1, ")" + key_256 + R"(": 1})", &alice_, 400, "M_BAD_JSON"},
        {alice_.user_id, R"({"a.b": 1, "": 1})", &alice_, 400, "M_BAD_JSON"},
        {alice_.user_id, R"({"a.b": 1, "big": ")" + big + R"("})", &alice_, 413, "M_TOO_LARGE"},
        {bob_.user_id, R"({"a.b": 1})", &alice_, 403, "M_FORBIDDEN"},
        {alice_.user_id, R"({"a.b": 1})", &owner_, 403, "M_FORBIDDEN"},
        {alice_.user_id, R"({"a.b": 1})", &nobody, 401, "M_MISSING_TOKEN"},
        {alice_.user_id, R"({"a.b": 1})", &bad_token, 401, "M_UNKNOWN_TOKEN"},
        {"not-a-user", R"({"a.b": 1})", &alice_, 400, "M_INVALID_PARAM"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body.substr(0, 80));
        expect_error(patch(c.user, c.body, *c.who), c.status, c.errcode);
    }
    EXPECT_EQ(profile(alice_.user_id), kept);
}

TEST_F(BeeperProfile, TheWholeProfileStaysUnder64KiB)
{
    const std::string half(40 * 1024, 'h');
    patch_ok(alice_, {{"org.example.first", half}});
    expect_error(patch(alice_.user_id, json{{"org.example.second", half}}.dump(), alice_), 413,
                 "M_TOO_LARGE");
    EXPECT_FALSE(profile(alice_.user_id).contains("org.example.second"));
    // Replacing a big field with a small one makes room.
    patch_ok(alice_, {{"org.example.first", nullptr}, {"org.example.second", half}});
    EXPECT_EQ(profile(alice_.user_id), (json{{"org.example.second", half}}));
}

TEST_F(BeeperProfile, FieldsSurviveARestart)
{
    patch_ok(alice_, {{"com.beeper.bridge.remote_id", "42"}});
    server_->restart();
    EXPECT_EQ(profile(alice_.user_id).value("com.beeper.bridge.remote_id", ""), "42");
}

} // namespace
} // namespace ravenous::test::room
