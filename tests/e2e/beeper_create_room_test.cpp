// POST /createRoom with what mautrix bridges add on Beeper: com.beeper.initial_members (joined
// in the same write, no invite), com.beeper.auto_join_invites, com.beeper.local_room_id /
// fi.mau.room_id and fi.mau.origin_server_ts.
#include "sync_fixture.hpp"

namespace ravenous::test::sync {
namespace {

class BeeperCreateRoom : public SyncFixture
{
protected:
    // A ghost the bridge has not used yet: it exists once a createRoom lists it.
    const std::string fresh_ghost = "@whatsapp_fresh:test.local";

    std::set<std::string> members_with(const std::string& room, std::string_view membership,
                                       const Actor& who)
    {
        std::set<std::string> out;
        auto res = get(room_path(room, "/members"), who);
        EXPECT_EQ(res.status, 200) << res.body;
        const json chunk = res.status == 200 ? res.json().at("chunk") : json::array();
        for (const auto& event : chunk)
            if (event.at("content").value("membership", "") == membership)
                out.insert(event.at("state_key").get<std::string>());
        return out;
    }
    // Every membership a room's timeline went through, in order: "user=membership".
    std::vector<std::string> member_history(const std::string& room, const Actor& who)
    {
        std::vector<std::string> out;
        const json events = timeline(room, who);
        for (const auto& event : events)
            if (event.value("type", "") == "m.room.member")
                out.push_back(event.at("state_key").get<std::string>() + "=" +
                              event.at("content").value("membership", ""));
        return out;
    }
    int profile_status(const std::string& user)
    {
        return client_->get(v3 + "/profile/" + enc(user)).status;
    }
};

TEST_F(BeeperCreateRoom, InitialMembersAreJoinedInOneGoWithoutInvites)
{
    const std::string room = create_room(
        {{"preset", "private_chat"},
         {"com.beeper.initial_members",
          {bot_.user_id, alice_.user_id, bob_.user_id, fresh_ghost, alice_.user_id}}},
        bot_);
    ASSERT_FALSE(room.empty());
    EXPECT_EQ(members_with(room, "join", bot_),
              (std::set<std::string>{bot_.user_id, alice_.user_id, bob_.user_id, fresh_ghost}));
    EXPECT_TRUE(members_with(room, "invite", bot_).empty());
    // One join each, by the member itself, and no invite on the way.
    EXPECT_EQ(member_history(room, bot_),
              (std::vector<std::string>{bot_.user_id + "=join", alice_.user_id + "=join",
                                        bob_.user_id + "=join", fresh_ghost + "=join"}));
    for (const auto& event : timeline(room, bot_)) {
        if (event.value("type", "") == "m.room.member") {
            EXPECT_EQ(event.at("sender"), event.at("state_key"));
        }
    }
    // The new ghost exists now, as identity assertion would have made it.
    EXPECT_EQ(profile_status(fresh_ghost), 200);
    const Actor fresh{fresh_ghost, std::string(as_token), true};
    EXPECT_EQ(joined_rooms(fresh), (std::set<std::string>{room}));
    text(room, fresh, "hello from a ghost created by createRoom");
}

TEST_F(BeeperCreateRoom, BridgeV2RoomJoinsTheOwnerWithIsDirect)
{
    // What bridgev2 sends with com.beeper.room_create_autojoin_invites.
    const json body = {{"preset", "private_chat"},
                       {"is_direct", true},
                       {"invite", {owner_id}},
                       {"com.beeper.auto_join_invites", true},
                       {"com.beeper.initial_members", {bot_.user_id, owner_id, alice_.user_id}},
                       {"com.beeper.bridge_name", "whatsapp"},
                       {"com.beeper.bridge_account_id", "login-1"},
                       {"power_level_content_override", {{"users", {{bot_.user_id, 9001}}}}}};
    const json before = sync();
    const std::string room = create_room(body, bot_);
    ASSERT_FALSE(room.empty());
    EXPECT_EQ(members_with(room, "join", owner_),
              (std::set<std::string>{bot_.user_id, owner_id, alice_.user_id}));
    EXPECT_EQ(member_history(room, owner_),
              (std::vector<std::string>{bot_.user_id + "=join", owner_id + "=join",
                                        alice_.user_id + "=join"}));
    EXPECT_EQ(state_content(room, "m.room.member", owner_id).value("is_direct", false), true);

    const json next = sync_since(before.at("next_batch").get<std::string>());
    EXPECT_TRUE(room_of(next, room, "join").is_object()) << next.dump().substr(0, 800);
    EXPECT_TRUE(room_of(next, room, "invite").is_null());
    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room}));
}

TEST_F(BeeperCreateRoom, AutoJoinInvitesJoinsTheOwnerAtOnce)
{
    const json before = sync();
    const std::string room = create_room({{"is_direct", true},
                                          {"invite", {owner_id}},
                                          {"com.beeper.auto_join_invites", true}},
                                         alice_);
    ASSERT_FALSE(room.empty());
    // An invite, then the owner's own join, both in the creation.
    EXPECT_EQ(member_history(room, owner_),
              (std::vector<std::string>{alice_.user_id + "=join", owner_id + "=invite",
                                        owner_id + "=join"}));
    const json member = state_content(room, "m.room.member", owner_id);
    EXPECT_EQ(member.value("membership", ""), "join");
    EXPECT_EQ(member.value("is_direct", false), true);

    const json next = sync_since(before.at("next_batch").get<std::string>());
    const json joined = room_of(next, room, "join");
    ASSERT_TRUE(joined.is_object()) << next.dump().substr(0, 800);
    EXPECT_TRUE(room_of(next, room, "invite").is_null());
    const json own = find_state(timeline_events(joined), "m.room.member", owner_id);
    ASSERT_TRUE(own.is_object()) << joined.dump().substr(0, 800);
    EXPECT_EQ(own.at("content").value("is_direct", false), true);

    // Without the flag the owner is only invited.
    const std::string invited = create_room({{"invite", {owner_id}}}, alice_);
    // Read by the creator: an invitee may not read the room's state yet.
    EXPECT_EQ(state_content(invited, "m.room.member", owner_id, &alice_).value("membership", ""),
              "invite");
    const json later = sync_since(next.at("next_batch").get<std::string>());
    EXPECT_TRUE(room_of(later, invited, "invite").is_object()) << later.dump().substr(0, 800);
}

TEST_F(BeeperCreateRoom, AutoJoinOnlyJoinsWhomTheCallerMayJoin)
{
    // The owner cannot join a ghost: it stays invited.
    const std::string room = create_room(
        {{"invite", {alice_.user_id}}, {"com.beeper.auto_join_invites", true}}, owner_);
    ASSERT_FALSE(room.empty());
    EXPECT_EQ(membership(room, alice_.user_id), "invite");
    // The bridge's own ghosts and the owner are joined.
    const std::string bridged = create_room(
        {{"invite", {owner_id, bob_.user_id}}, {"com.beeper.auto_join_invites", true}}, bot_);
    EXPECT_EQ(members_with(bridged, "join", bot_),
              (std::set<std::string>{bot_.user_id, owner_id, bob_.user_id}));
}

TEST_F(BeeperCreateRoom, RefusedInitialMembersCreateNothing)
{
    const std::string fresh = "@whatsapp_unused:test.local";
    struct Case
    {
        json members;
        const Actor* who;
        int status;
        std::string errcode;
    };
    const Case cases[] = {
        {json::array({alice_.user_id}), &owner_, 403, "M_FORBIDDEN"},  // only appservices
        {json::array({fresh, "@someone:elsewhere.org"}), &bot_, 403, "M_FORBIDDEN"},
        {json::array({fresh, "@telegram_x:test.local"}), &bot_, 403, "M_FORBIDDEN"},
        {json::array({fresh, "@whatsapp_Upper:test.local"}), &bot_, 400, "M_INVALID_PARAM"},
        {json::array({fresh, "not-a-user"}), &bot_, 400, "M_INVALID_PARAM"},
        {json::array({fresh, 5}), &bot_, 400, "M_BAD_JSON"},
        {json(fresh), &bot_, 400, "M_BAD_JSON"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.members.dump());
        expect_error(create({{"com.beeper.initial_members", c.members}}, *c.who), c.status,
                     c.errcode);
    }
    expect_error(create({{"com.beeper.auto_join_invites", "yes"}}, bot_), 400, "M_BAD_JSON");
    EXPECT_TRUE(joined_rooms(bot_).empty());
    EXPECT_TRUE(joined_rooms(owner_).empty());
    EXPECT_EQ(profile_status(fresh), 404);
}

TEST_F(BeeperCreateRoom, LocalRoomIdIsHonoured)
{
    const std::string wanted = "!portal-1.receiver:test.local";
    auto res = create({{"com.beeper.local_room_id", wanted}, {"name", "Portal"}}, bot_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", v3 + "/createRoom");
    EXPECT_EQ(res.json().at("room_id"), wanted);
    EXPECT_EQ(state_content(wanted, "m.room.name", "", &bot_), (json{{"name", "Portal"}}));
    EXPECT_EQ(find_state(full_state(wanted, bot_), "m.room.create").at("room_id"), wanted);

    const std::string mau = "!portal-2:test.local";
    EXPECT_EQ(create_room({{"fi.mau.room_id", mau}}, bot_), mau);
    // Both, the same: fine.
    const std::string both = "!portal-3:test.local";
    EXPECT_EQ(create_room({{"fi.mau.room_id", both}, {"com.beeper.local_room_id", both}}, bot_),
              both);
}

TEST_F(BeeperCreateRoom, BadOrTakenLocalRoomIdsCreateNothing)
{
    const std::string taken = create_room({{"com.beeper.local_room_id", "!taken:test.local"}}, bot_);
    ASSERT_EQ(taken, "!taken:test.local");
    const auto taken_before = fingerprint(taken, bot_);
    struct Case
    {
        json body;
        int status;
        std::string errcode;
    };
    const Case cases[] = {
        {{{"com.beeper.local_room_id", taken}, {"name", "Again"}}, 400, "M_ROOM_IN_USE"},
        {{{"fi.mau.room_id", taken}}, 400, "M_ROOM_IN_USE"},
        {{{"com.beeper.local_room_id", "!portal:elsewhere.org"}}, 400, "M_INVALID_PARAM"},
        {{{"com.beeper.local_room_id", "!portal"}}, 400, "M_INVALID_PARAM"},
        {{{"com.beeper.local_room_id", "portal:test.local"}}, 400, "M_INVALID_PARAM"},
        {{{"com.beeper.local_room_id", "!a:test.local"}, {"fi.mau.room_id", "!b:test.local"}},
         400, "M_INVALID_PARAM"},
        {{{"com.beeper.local_room_id", 5}}, 400, "M_BAD_JSON"},
        // The id is taken only once the whole creation succeeds.
        {{{"com.beeper.local_room_id", "!never:test.local"}, {"invite", {"@nobody:test.local"}}},
         404, "M_NOT_FOUND"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body.dump());
        expect_error(create(c.body, bot_), c.status, c.errcode);
    }
    EXPECT_EQ(fingerprint(taken, bot_), taken_before);
    EXPECT_EQ(joined_rooms(bot_), (std::set<std::string>{taken}));
    EXPECT_EQ(create_room({{"com.beeper.local_room_id", "!never:test.local"}}, bot_),
              "!never:test.local");
}

TEST_F(BeeperCreateRoom, OriginServerTsDatesTheCreationForAppservicesOnly)
{
    constexpr std::int64_t then = 1'500'000'000'000;
    const std::string room = create_room(
        {{"fi.mau.origin_server_ts", then}, {"com.beeper.initial_members", {alice_.user_id}},
         {"name", "Old chat"}},
        bot_);
    const json events = timeline(room, bot_);
    ASSERT_FALSE(events.empty());
    for (const auto& event : events)
        EXPECT_EQ(event.at("origin_server_ts"), then) << event.dump();

    const std::string own = create_room({{"fi.mau.origin_server_ts", then}}, owner_);
    for (const auto& event : timeline(own))
        EXPECT_GT(event.at("origin_server_ts").get<std::int64_t>(), then) << event.dump();
    expect_error(create({{"fi.mau.origin_server_ts", "yesterday"}}, bot_), 400, "M_BAD_JSON");
    expect_error(create({{"fi.mau.origin_server_ts", -5}}, bot_), 400, "M_INVALID_PARAM");
}

} // namespace
} // namespace ravenous::test::sync
