// Typing notifications and presence: the endpoints and their place in /sync.
#include "sync_fixture.hpp"

namespace ravenous::test::sync {
namespace {

class TypingPresence : public SyncFixture
{
protected:
    std::string typing_path(const std::string& room, const std::string& user)
    {
        return room_path(room, "/typing/" + enc(user));
    }
    std::string presence_path(const std::string& user)
    {
        return v3 + "/presence/" + enc(user) + "/status";
    }
    // user_ids of the room's m.typing in a sync as `who` (null when there is none).
    json typing_in(const std::string& room, const Actor& who)
    {
        const json joined = room_of(sync({}, &who), room);
        json found;
        if (joined.is_object())
            for (const auto& event : joined.at("ephemeral").at("events"))
                if (event.value("type", "") == "m.typing")
                    found = event.at("content").at("user_ids");
        return found;
    }
};

TEST_F(TypingPresence, TypingIsSeenInSyncUntilStopped)
{
    const std::string room = shared_room();
    auto res =
        put(typing_path(room, alice_.user_id), {{"typing", true}, {"timeout", 30000}}, alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", typing_path(room, alice_.user_id));
    EXPECT_EQ(typing_in(room, owner_), json::array({alice_.user_id}));

    ASSERT_EQ(put(typing_path(room, alice_.user_id), {{"typing", false}}, alice_).status, 200);
    EXPECT_EQ(typing_in(room, owner_), json::array());
}

TEST_F(TypingPresence, TypingWithZeroTimeoutIsNotTyping)
{
    const std::string room = create_room();
    ASSERT_EQ(put(typing_path(room, owner_id), {{"typing", true}, {"timeout", 0}}, owner_).status,
              200);
    const json users = typing_in(room, owner_);
    EXPECT_TRUE(users.is_null() || users == json::array()) << users.dump();
}

TEST_F(TypingPresence, TypingErrorsChangeNothing)
{
    const std::string room = shared_room();
    expect_error(put(typing_path(room, alice_.user_id), {{"typing", true}}, owner_), 403,
                 "M_FORBIDDEN");
    expect_error(put(typing_path(room, bob_.user_id), {{"typing", true}}, bob_), 403,
                 "M_FORBIDDEN");
    expect_error(put(typing_path(room, owner_id), json::object(), owner_), 400, "M_MISSING_PARAM");
    expect_error(put(typing_path(room, owner_id), {{"typing", "yes"}}, owner_), 400, "M_BAD_JSON");
    expect_error(put(typing_path("not-a-room", owner_id), {{"typing", true}}, owner_), 400,
                 "M_INVALID_PARAM");
    const json users = typing_in(room, owner_);
    EXPECT_TRUE(users.is_null() || users == json::array()) << users.dump();
}

TEST_F(TypingPresence, PresenceSetThenGetAndSeenInSync)
{
    auto res =
        put(presence_path(owner_id), {{"presence", "online"}, {"status_msg", "busy"}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", presence_path(owner_id));
    auto got = get(presence_path(owner_id), owner_);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_SPEC(got, "GET", presence_path(owner_id));
    const json body = got.json();
    EXPECT_EQ(body.at("presence"), "online");
    EXPECT_EQ(body.at("status_msg"), "busy");
    EXPECT_EQ(body.at("currently_active"), true);
    EXPECT_TRUE(body.at("last_active_ago").is_number_integer());

    const json synced = sync();
    json mine;
    for (const auto& event : synced.at("presence").at("events"))
        if (event.value("sender", "") == owner_id)
            mine = event;
    ASSERT_TRUE(mine.is_object()) << synced.at("presence").dump();
    EXPECT_EQ(mine.at("type"), "m.presence");
    EXPECT_EQ(mine.at("content").at("presence"), "online");

    ASSERT_EQ(put(presence_path(owner_id), {{"presence", "unavailable"}}, owner_).status, 200);
    const json away = get(presence_path(owner_id), owner_).json();
    EXPECT_EQ(away.at("presence"), "unavailable");
    EXPECT_FALSE(away.contains("status_msg"));
    EXPECT_EQ(away.at("currently_active"), false);
}

TEST_F(TypingPresence, PresenceOfAKnownUserWhoNeverSetItIsOffline)
{
    auto got = get(presence_path(alice_.user_id), owner_);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_SPEC(got, "GET", presence_path(alice_.user_id));
    EXPECT_EQ(got.json().at("presence"), "offline");
}

TEST_F(TypingPresence, PresenceErrorsChangeNothing)
{
    ASSERT_EQ(put(presence_path(owner_id), {{"presence", "online"}}, owner_).status, 200);
    expect_error(put(presence_path(owner_id), {{"presence", "asleep"}}, owner_), 400,
                 "M_INVALID_PARAM");
    expect_error(put(presence_path(owner_id), json::object(), owner_), 400, "M_MISSING_PARAM");
    expect_error(put(presence_path(owner_id), {{"presence", "online"}, {"status_msg", 3}}, owner_),
                 400, "M_BAD_JSON");
    expect_error(put(presence_path(alice_.user_id), {{"presence", "offline"}}, owner_), 403,
                 "M_FORBIDDEN");
    expect_error(get(presence_path("@nobody:test.local"), owner_), 404, "M_NOT_FOUND");
    EXPECT_EQ(get(presence_path(owner_id), owner_).json().at("presence"), "online");
    EXPECT_EQ(get(presence_path(alice_.user_id), owner_).json().at("presence"), "offline");
}

} // namespace
} // namespace ravenous::test::sync
