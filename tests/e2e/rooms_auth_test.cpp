// The auth rules over HTTP: every forbidden action is 403 M_FORBIDDEN and changes nothing.
//
// The room: created by the owner (100) as public_chat; alice (50) and carol (50) are
// moderators who may kick (50) but not ban (60); bob (0) is a plain member; dave is registered
// but not in the room.

#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

class RoomAuth : public RoomFixture
{
protected:
    void SetUp() override
    {
        RoomFixture::SetUp();
        dave_ = puppet("dave");
        room_ = create_room(
            {{"preset", "public_chat"},
             {"name", "Rules"},
             {"power_level_content_override",
              {{"users", {{owner_id, 100}, {alice_.user_id, 50}, {carol_.user_id, 50}}},
               {"ban", 60},
               {"kick", 50},
               {"events", {{"m.room.power_levels", 50}, {"m.room.name", 50}}}}}});
        join(room_, alice_);
        join(room_, bob_);
        join(room_, carol_);
    }

    // Runs the request, expects 403 M_FORBIDDEN and no change to the room; returns the error.
    template <typename Request>
    std::string refused(Request request)
    {
        const auto before = fingerprint(room_);
        HttpResponse res = request();
        expect_error(res, 403, "M_FORBIDDEN");
        EXPECT_EQ(fingerprint(room_), before);
        return res.status == 403 ? res.json().value("error", "") : std::string();
    }

    std::string room_;
    Actor dave_;
};

TEST_F(RoomAuth, NonMembersCannotSendOrRead)
{
    refused([&] { return send_raw(room_, dave_, {{"msgtype", "m.text"}, {"body", "hi"}}, "t1"); });
    refused([&] { return put_state_raw(room_, dave_, "m.room.topic", "", {{"topic", "x"}}); });
    for (std::string read : {"/state", "/state/m.room.name/", "/state/m.room.name", "/members",
                             "/joined_members", "/messages?dir=b", "/aliases"})
        refused([&] { return get(room_path(room_, read), dave_); });
    // Who has left is no member either.
    ASSERT_EQ(member_op(room_, "leave", bob_).status, 200);
    refused([&] { return send_raw(room_, bob_, {{"msgtype", "m.text"}, {"body", "still here?"}}, "t2"); });
}

TEST_F(RoomAuth, AnotherUsersRoomIsForbiddenToTheOwner)
{
    const std::string theirs = create_room({{"preset", "private_chat"}}, alice_);
    const auto before = fingerprint(theirs, alice_);
    expect_error(get(room_path(theirs, "/state"), owner_), 403, "M_FORBIDDEN");
    expect_error(send_raw(theirs, owner_, {{"msgtype", "m.text"}, {"body", "hi"}}, "t1"), 403, "M_FORBIDDEN");
    expect_error(put_state_raw(theirs, owner_, "m.room.name", "", {{"name", "mine"}}), 403, "M_FORBIDDEN");
    expect_error(member_op(theirs, "invite", owner_, {{"user_id", bob_.user_id}}), 403, "M_FORBIDDEN");
    expect_error(member_op(theirs, "join", owner_), 403, "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(theirs, alice_), before);
}

TEST_F(RoomAuth, StateNeedsTheEventsLevel)
{
    refused([&] { return put_state_raw(room_, bob_, "m.room.name", "", {{"name", "Mine now"}}); });
    refused([&] { return put_state_raw(room_, bob_, "m.room.topic", "", {{"topic", "state_default"}}); });
    EXPECT_EQ(state_content(room_, "m.room.name"), (json{{"name", "Rules"}}));
    EXPECT_EQ(put_state_raw(room_, alice_, "m.room.name", "", {{"name", "Renamed"}}).status, 200);
}

TEST_F(RoomAuth, NobodySendsACreateEventAfterCreation)
{
    refused([&] { return put_state_raw(room_, owner_, "m.room.create", "", {{"room_version", "10"}}); });
    refused([&] { return send_raw(room_, owner_, {{"room_version", "10"}}, "t1", "m.room.create"); });
    // Nor is the create event ever redacted.
    const std::string create_id = find_state(full_state(room_), "m.room.create").at("event_id");
    refused([&] { return put(room_path(room_, "/redact/" + enc(create_id) + "/r1"), json::object(), owner_); });
    EXPECT_EQ(state_content(room_, "m.room.create").value("creator", ""), owner_id);
}

TEST_F(RoomAuth, KickNeedsKickLevelAndAHigherLevel)
{
    refused([&] { return member_op(room_, "kick", bob_, {{"user_id", alice_.user_id}}); });    // no level
    refused([&] { return member_op(room_, "kick", alice_, {{"user_id", carol_.user_id}}); });   // equal
    refused([&] { return member_op(room_, "kick", alice_, {{"user_id", owner_id}}); });        // higher
    refused([&] { return member_op(room_, "kick", alice_, {{"user_id", dave_.user_id}}); });   // not in room
    EXPECT_EQ(member_op(room_, "kick", alice_, {{"user_id", bob_.user_id}}).status, 200);
    EXPECT_EQ(membership(room_, bob_.user_id), "leave");
}

TEST_F(RoomAuth, BanAndUnbanNeedTheBanLevel)
{
    refused([&] { return member_op(room_, "ban", alice_, {{"user_id", bob_.user_id}}); });    // kick, not ban
    refused([&] { return member_op(room_, "ban", bob_, {{"user_id", dave_.user_id}}); });
    ASSERT_EQ(member_op(room_, "ban", owner_, {{"user_id", dave_.user_id}}).status, 200);
    refused([&] { return member_op(room_, "unban", alice_, {{"user_id", dave_.user_id}}); });
    const auto before = fingerprint(room_);
    // Unbanning who is not banned: 403 (Synapse says M_BAD_STATE; the spec does not say).
    EXPECT_EQ(member_op(room_, "unban", owner_, {{"user_id", bob_.user_id}}).status, 403);
    EXPECT_EQ(fingerprint(room_), before);
    // Nor can a moderator lift a ban with a leave event of their own.
    refused([&] { return put_state_raw(room_, alice_, "m.room.member", dave_.user_id, {{"membership", "leave"}}); });
    EXPECT_EQ(membership(room_, dave_.user_id), "ban");
}

TEST_F(RoomAuth, BannedUsersCannotJoin)
{
    ASSERT_EQ(member_op(room_, "ban", owner_, {{"user_id", bob_.user_id}}).status, 200);
    refused([&] { return member_op(room_, "join", bob_); });
    refused([&] { return post(v3 + "/join/" + enc(room_), json::object(), bob_); });
    refused([&] { return put_state_raw(room_, bob_, "m.room.member", bob_.user_id, {{"membership", "join"}}); });
    refused([&] { return member_op(room_, "invite", owner_, {{"user_id", bob_.user_id}}); });
    refused([&] { return member_op(room_, "leave", bob_); });  // a ban is not left by leaving
    EXPECT_EQ(membership(room_, bob_.user_id), "ban");
}

TEST_F(RoomAuth, NonMembersCannotChangeMemberships)
{
    refused([&] { return member_op(room_, "invite", dave_, {{"user_id", dave_.user_id}}); });
    refused([&] { return member_op(room_, "kick", dave_, {{"user_id", bob_.user_id}}); });
    refused([&] { return member_op(room_, "ban", dave_, {{"user_id", bob_.user_id}}); });
    refused([&] { return member_op(room_, "leave", dave_); });
    EXPECT_EQ(membership(room_, dave_.user_id), "");
}

TEST_F(RoomAuth, LevelsForInvitesAndMessages)
{
    json levels = state_content(room_, "m.room.power_levels");
    levels["invite"] = 50;
    levels["events_default"] = 10;
    put_state(room_, owner_, "m.room.power_levels", "", levels);
    refused([&] { return member_op(room_, "invite", bob_, {{"user_id", dave_.user_id}}); });
    refused([&] { return send_raw(room_, bob_, {{"msgtype", "m.text"}, {"body", "hi"}}, "t1"); });
    EXPECT_EQ(member_op(room_, "invite", alice_, {{"user_id", dave_.user_id}}).status, 200);
    EXPECT_EQ(send_raw(room_, alice_, {{"msgtype", "m.text"}, {"body", "hi"}}, "t1").status, 200);
}

TEST_F(RoomAuth, InviteOnlyRoomsNeedAnInvite)
{
    const std::string closed = create_room({{"preset", "private_chat"}});
    const auto before = fingerprint(closed);
    expect_error(member_op(closed, "join", bob_), 403, "M_FORBIDDEN");
    expect_error(put_state_raw(closed, bob_, "m.room.member", bob_.user_id, {{"membership", "join"}}), 403, "M_FORBIDDEN");
    // Nor may anyone join others or invite themselves.
    expect_error(put_state_raw(closed, owner_, "m.room.member", bob_.user_id, {{"membership", "join"}}), 403, "M_FORBIDDEN");
    expect_error(member_op(closed, "invite", bob_, {{"user_id", bob_.user_id}}), 403, "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(closed), before);
    EXPECT_EQ(membership(closed, bob_.user_id), "");

    // Knock rooms (and unknown join rules) do not let anyone in uninvited either.
    for (std::string rule : {"knock", "private", "something_else"}) {
        const std::string other = create_room(
            {{"initial_state", {{{"type", "m.room.join_rules"}, {"content", {{"join_rule", rule}}}}}}});
        expect_error(member_op(other, "join", bob_), 403, "M_FORBIDDEN");
        EXPECT_EQ(membership(other, bob_.user_id), "") << rule;
    }
}

TEST_F(RoomAuth, InvitingAJoinedUserIsRefused)
{
    const std::string error = refused([&] { return member_op(room_, "invite", owner_, {{"user_id", alice_.user_id}}); });
    EXPECT_NE(error.find("is already in the room"), std::string::npos) << error;
}

TEST_F(RoomAuth, NobodySetsAnotherUsersStateKey)
{
    refused([&] { return put_state_raw(room_, alice_, "m.custom", bob_.user_id, {{"x", 1}}); });
    refused([&] { return put_state_raw(room_, owner_, "m.custom", bob_.user_id, {{"x", 1}}); });
    EXPECT_EQ(put_state_raw(room_, alice_, "m.custom", alice_.user_id, {{"x", 1}}).status, 200);
    EXPECT_EQ(put_state_raw(room_, alice_, "m.custom", "not-a-user", {{"x", 1}}).status, 200);
}

TEST_F(RoomAuth, PowerLevelsCannotExceedTheSendersOwn)
{
    const json current = state_content(room_, "m.room.power_levels");
    auto with = [&](const json& patch) { json c = current; c.merge_patch(patch); return c; };
    auto pl = [&](const Actor& who, const json& content) {
        return [this, who, content] { return put_state_raw(room_, who, "m.room.power_levels", "", content); };
    };
    refused(pl(bob_, with({{"users", {{bob_.user_id, 0}}}, {"invite", 0}, {"redact", 0}})));  // below the event level
    refused(pl(alice_, with({{"users", {{alice_.user_id, 60}}}})));    // raise oneself
    refused(pl(alice_, with({{"users", {{bob_.user_id, 75}}}})));      // grant above one's own
    refused(pl(alice_, with({{"users", {{carol_.user_id, 0}}}})));     // demote an equal
    refused(pl(alice_, with({{"users", {{owner_id, 0}}}})));           // demote a superior
    refused(pl(alice_, with({{"ban", 40}})));                          // change a level above one's own
    refused(pl(alice_, with({{"events", {{"m.room.topic", 70}}}})));   // set a level above one's own
    EXPECT_EQ(state_content(room_, "m.room.power_levels"), current);
    // Granting up to one's own level is fine, and so is stepping down.
    EXPECT_EQ(put_state_raw(room_, alice_, "m.room.power_levels", "", with({{"users", {{bob_.user_id, 50}}}})).status, 200);
    const json granted = state_content(room_, "m.room.power_levels");
    json demoted = granted;
    demoted["users"][alice_.user_id] = 10;
    EXPECT_EQ(put_state_raw(room_, alice_, "m.room.power_levels", "", demoted).status, 200);
    EXPECT_EQ(state_content(room_, "m.room.power_levels").at("users").value(alice_.user_id, -1), 10);
}

TEST_F(RoomAuth, RedactingOthersEventsNeedsTheRedactLevel)
{
    const std::string alices = text(room_, alice_, "alice's");
    const std::string bobs = text(room_, bob_, "bob's");
    refused([&] { return put(room_path(room_, "/redact/" + enc(alices) + "/r1"), json::object(), bob_); });
    refused([&] { return send_raw(room_, bob_, {{"redacts", alices}}, "r2", "m.room.redaction"); });
    EXPECT_EQ(put(room_path(room_, "/redact/" + enc(bobs) + "/r3"), json::object(), bob_).status, 200);
    EXPECT_EQ(put(room_path(room_, "/redact/" + enc(alices) + "/r4"), json::object(), owner_).status, 200);
}

} // namespace
} // namespace ravenous::test::room
