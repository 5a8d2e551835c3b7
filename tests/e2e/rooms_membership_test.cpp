// Membership: join (by id and alias), invite, leave, forget, kick, ban, unban with reasons,
// double-puppet joins through the member state event, and the member lists.

#include "bad_requests.hpp"
#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

class RoomMembership : public RoomFixture
{
protected:
    json member_event(const std::string& room, const std::string& user, const Actor& who)
    {
        auto res = get_state_event(room, "m.room.member", user, who);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json() : json::object();
    }
};

TEST_F(RoomMembership, InviteJoinLeaveForgetCarryTheirReasons)
{
    const std::string room = create_room({{"preset", "private_chat"}, {"name", "Before"}});
    auto invited = member_op(room, "invite", owner_, {{"user_id", alice_.user_id}, {"reason", "welcome"}});
    ASSERT_EQ(invited.status, 200) << invited.body;
    EXPECT_SPEC(invited, "POST", room_path(room, "/invite"));
    json event = member_event(room, alice_.user_id, owner_);
    EXPECT_EQ(event.at("content").at("membership"), "invite");
    EXPECT_EQ(event.at("content").value("reason", ""), "welcome");
    EXPECT_EQ(event.at("sender"), owner_id);

    auto joined = member_op(room, "join", alice_, {{"reason", "hello"}});
    ASSERT_EQ(joined.status, 200) << joined.body;
    EXPECT_SPEC(joined, "POST", room_path(room, "/join"));
    EXPECT_EQ(joined.json().at("room_id"), room);
    event = member_event(room, alice_.user_id, alice_);
    EXPECT_EQ(event.at("content").at("membership"), "join");
    EXPECT_EQ(event.at("content").value("reason", ""), "hello");
    EXPECT_EQ(event.at("sender"), alice_.user_id);
    EXPECT_EQ(joined_rooms(alice_), (std::set<std::string>{room}));

    auto left = member_op(room, "leave", alice_, {{"reason", "bye"}});
    ASSERT_EQ(left.status, 200) << left.body;
    EXPECT_SPEC(left, "POST", room_path(room, "/leave"));
    event = member_event(room, alice_.user_id, owner_);
    EXPECT_EQ(event.at("content"), (json{{"membership", "leave"}, {"reason", "bye"}}));
    EXPECT_TRUE(joined_rooms(alice_).empty());

    // Who left sees the state as it was when they left.
    put_state(room, owner_, "m.room.name", "", {{"name", "After"}});
    EXPECT_EQ(state_content(room, "m.room.name", "", &alice_), (json{{"name", "Before"}}));
    EXPECT_EQ(state_content(room, "m.room.name"), (json{{"name", "After"}}));

    auto forgot = member_op(room, "forget", alice_);
    ASSERT_EQ(forgot.status, 200) << forgot.body;
    EXPECT_SPEC(forgot, "POST", room_path(room, "/forget"));
    // The owner is still in the room: forgetting it is refused.
    const auto before = fingerprint(room);
    expect_error(member_op(room, "forget", owner_), 400, "M_UNKNOWN");
    EXPECT_EQ(fingerprint(room), before);
}

// Spec, POST /forget: "a user will no longer be able to retrieve history for this room"
// (Complement TestRoomForget: "Forgotten room messages cannot be paginated", "Can re-join
// room if re-invited", "Can forget room we weren't an actual member").
TEST_F(RoomMembership, ForgottenRoomsCannotBeReadUntilRejoined)
{
    const std::string room = create_room({{"preset", "private_chat"}});
    invite(room, owner_, alice_);
    join(room, alice_);
    const std::string before_leave = text(room, owner_, "Before leave");
    ASSERT_EQ(member_op(room, "leave", alice_).status, 200);
    ASSERT_EQ(member_op(room, "forget", alice_).status, 200);
    expect_error(get(room_path(room, "/messages?dir=b"), alice_), 403, "M_FORBIDDEN");
    expect_error(get(room_path(room, "/state"), alice_), 403, "M_FORBIDDEN");
    // /event hides what the user may not see behind 404, as Synapse does.
    expect_error(get(room_path(room, "/event/" + enc(before_leave)), alice_), 404, "M_NOT_FOUND");
    expect_error(member_op(room, "join", alice_), 403, "M_FORBIDDEN");  // still invite-only

    invite(room, owner_, alice_);
    join(room, alice_);
    const json events = timeline(room, alice_);
    EXPECT_EQ(find_state(events, "m.room.create").value("type", ""), "m.room.create");
    bool found = false;
    for (const auto& event : events)
        found = found || event.at("event_id") == before_leave;
    EXPECT_TRUE(found) << "the message from before the leave is visible again";

    // A rejected invite can be forgotten too.
    invite(room, owner_, bob_);
    ASSERT_EQ(member_op(room, "leave", bob_).status, 200);
    EXPECT_EQ(member_op(room, "forget", bob_).status, 200);
}

TEST_F(RoomMembership, RepeatedJoinsAndInvitesAddNothing)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    ASSERT_EQ(put(v3 + "/profile/" + enc(bob_.user_id) + "/displayname", {{"displayname", "Bob"}}, bob_).status, 200);
    invite(room, owner_, bob_);
    // The invite carries the invitee's profile, as in Synapse.
    EXPECT_EQ(state_content(room, "m.room.member", bob_.user_id).value("displayname", ""), "Bob");
    // Bridges make sure of memberships by repeating them: nothing new is written.
    const auto before = fingerprint(room);
    join(room, alice_);
    invite(room, owner_, bob_);
    EXPECT_EQ(fingerprint(room), before);

    // Leaving twice: Synapse answers the repeat with the first leave (an identical member
    // event from the same sender is a duplicate, checked before the auth rules).
    ASSERT_EQ(member_op(room, "leave", alice_).status, 200);
    const auto left = fingerprint(room);
    auto again = member_op(room, "leave", alice_);
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(fingerprint(room), left);
}

TEST_F(RoomMembership, KickBanUnbanCarryTheirReasons)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    join(room, bob_);

    auto kicked = member_op(room, "kick", owner_, {{"user_id", alice_.user_id}, {"reason", "spam"}});
    ASSERT_EQ(kicked.status, 200) << kicked.body;
    EXPECT_SPEC(kicked, "POST", room_path(room, "/kick"));
    json event = member_event(room, alice_.user_id, owner_);
    EXPECT_EQ(event.at("content"), (json{{"membership", "leave"}, {"reason", "spam"}}));
    EXPECT_EQ(event.at("sender"), owner_id);
    join(room, alice_);  // a kick is no ban

    auto banned = member_op(room, "ban", owner_, {{"user_id", bob_.user_id}, {"reason", "abuse"}});
    ASSERT_EQ(banned.status, 200) << banned.body;
    EXPECT_SPEC(banned, "POST", room_path(room, "/ban"));
    EXPECT_EQ(member_event(room, bob_.user_id, owner_).at("content"),
              (json{{"membership", "ban"}, {"reason", "abuse"}}));
    // A user who never was in the room can be banned in advance.
    ASSERT_EQ(member_op(room, "ban", owner_, {{"user_id", carol_.user_id}}).status, 200);
    EXPECT_EQ(membership(room, carol_.user_id), "ban");

    auto unbanned = member_op(room, "unban", owner_, {{"user_id", bob_.user_id}, {"reason", "forgiven"}});
    ASSERT_EQ(unbanned.status, 200) << unbanned.body;
    EXPECT_SPEC(unbanned, "POST", room_path(room, "/unban"));
    EXPECT_EQ(member_event(room, bob_.user_id, owner_).at("content"),
              (json{{"membership", "leave"}, {"reason", "forgiven"}}));
    join(room, bob_);
    EXPECT_EQ(membership(room, bob_.user_id), "join");
}

TEST_F(RoomMembership, JoinByAlias)
{
    const std::string room = create_room({{"preset", "public_chat"}, {"room_alias_name", "club"}});
    const std::string target = v3 + "/join/" + enc("#club:test.local");
    auto res = post(target, json::object(), alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", target);
    EXPECT_EQ(res.json().at("room_id"), room);
    EXPECT_EQ(membership(room, alice_.user_id), "join");

    const auto before = fingerprint(room);
    expect_error(post(v3 + "/join/" + enc("#nothing:test.local"), json::object(), bob_), 404, "M_NOT_FOUND");
    expect_error(post(v3 + "/join/" + enc("!unknown:test.local"), json::object(), bob_), 404, "M_NOT_FOUND");
    expect_error(post(v3 + "/join/not-a-room", json::object(), bob_), 400, "M_INVALID_PARAM");
    EXPECT_EQ(fingerprint(room), before);
    EXPECT_TRUE(joined_rooms(bob_).empty());
}

// Double puppeting: a bridge joins the owner's invite with the member state event itself, and
// puppets set per-room display names the same way.
TEST_F(RoomMembership, JoinThroughTheMemberStateEvent)
{
    const std::string room = create_room({{"is_direct", true}, {"invite", {owner_id, alice_.user_id}}}, bot_);
    const std::string self = room_path(room, "/state/m.room.member/" + enc(owner_id));
    auto res = put(self, {{"membership", "join"}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", self);
    EXPECT_EQ(membership(room, owner_id), "join");

    ASSERT_EQ(put_state_raw(room, alice_, "m.room.member", alice_.user_id,
                            {{"membership", "join"}, {"displayname", "Alice (WA)"}}).status, 200);
    auto members = get(room_path(room, "/joined_members"), owner_);
    ASSERT_EQ(members.status, 200) << members.body;
    EXPECT_SPEC(members, "GET", room_path(room, "/joined_members"));
    const json joined = members.json().at("joined");
    EXPECT_EQ(joined.size(), 3u) << joined.dump();
    EXPECT_EQ(joined.at(alice_.user_id).value("display_name", ""), "Alice (WA)");
    EXPECT_TRUE(joined.contains(bot_.user_id));
    EXPECT_TRUE(joined.contains(owner_id));
}

TEST_F(RoomMembership, MembersFiltersAndAt)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    invite(room, owner_, carol_);
    auto page = get(room_path(room, "/messages?dir=b&limit=1"), owner_);
    ASSERT_EQ(page.status, 200) << page.body;
    const std::string now = page.json().at("start");
    join(room, bob_);
    ASSERT_EQ(member_op(room, "leave", alice_).status, 200);

    auto list = [&](const std::string& query) {
        auto res = get(room_path(room, "/members" + query), owner_);
        EXPECT_EQ(res.status, 200) << query << " -> " << res.body;
        EXPECT_SPEC(res, "GET", room_path(room, "/members"));
        std::map<std::string, std::string> out;
        const json body = res.json();
        for (const auto& event : body.at("chunk")) {
            EXPECT_EQ(event.at("type"), "m.room.member");
            out[event.at("state_key")] = event.at("content").at("membership");
        }
        return out;
    };
    using M = std::map<std::string, std::string>;
    EXPECT_EQ(list(""), (M{{owner_id, "join"}, {alice_.user_id, "leave"}, {bob_.user_id, "join"}, {carol_.user_id, "invite"}}));
    EXPECT_EQ(list("?membership=join"), (M{{owner_id, "join"}, {bob_.user_id, "join"}}));
    EXPECT_EQ(list("?not_membership=join"), (M{{alice_.user_id, "leave"}, {carol_.user_id, "invite"}}));
    EXPECT_EQ(list("?at=" + enc(now)), (M{{owner_id, "join"}, {alice_.user_id, "join"}, {carol_.user_id, "invite"}}));
    EXPECT_EQ(list("?at=" + enc(now) + "&membership=join"), (M{{owner_id, "join"}, {alice_.user_id, "join"}}));
    expect_error(get(room_path(room, "/members?at=garbage"), owner_), 400, "M_INVALID_PARAM");

    auto rooms = get(v3 + "/joined_rooms", bob_);
    ASSERT_EQ(rooms.status, 200) << rooms.body;
    EXPECT_SPEC(rooms, "GET", v3 + "/joined_rooms");
    EXPECT_EQ(rooms.json().at("joined_rooms"), json::array({room}));
}

TEST_F(RoomMembership, ProfileChangesReachJoinedRoomsOnly)
{
    const std::string first = create_room();
    const std::string second = create_room({{"preset", "public_chat"}});
    const std::string left = create_room({{"preset", "public_chat"}}, alice_);
    join(left, owner_);
    join(second, alice_);
    ASSERT_EQ(member_op(left, "leave", owner_).status, 200);
    const auto left_before = fingerprint(left, alice_);

    const std::string profile = v3 + "/profile/" + enc(owner_id);
    ASSERT_EQ(put(profile + "/displayname", {{"displayname", "The Owner"}}, owner_).status, 200);
    ASSERT_EQ(put(profile + "/avatar_url", {{"avatar_url", "mxc://test.local/face"}}, owner_).status, 200);
    for (const auto& room : {first, second}) {
        EXPECT_EQ(state_content(room, "m.room.member", owner_id),
                  (json{{"membership", "join"}, {"displayname", "The Owner"}, {"avatar_url", "mxc://test.local/face"}}))
            << room;
        EXPECT_EQ(timeline(room).back().at("type"), "m.room.member");
    }
    EXPECT_EQ(fingerprint(left, alice_), left_before);
    EXPECT_EQ(membership(left, owner_id), "leave");

    // A puppet's profile change, made through the appservice, reaches its rooms too.
    ASSERT_EQ(put(v3 + "/profile/" + enc(alice_.user_id) + "/displayname", {{"displayname", "Alice"}}, alice_).status, 200);
    EXPECT_EQ(state_content(second, "m.room.member", alice_.user_id).value("displayname", ""), "Alice");
}

TEST_F(RoomMembership, BadRequestsChangeNothing)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    const auto before = fingerprint(room);
    const std::string& token = owner_.token;
    const BadRequest cases[] = {
        {room_path(room, "/invite"), "{", token, 400, "M_NOT_JSON"},
        {room_path(room, "/invite"), "{}", token, 400, "M_MISSING_PARAM"},
        {room_path(room, "/invite"), R"({"user_id": 5})", token, 400, "M_BAD_JSON"},
        {room_path(room, "/invite"), R"({"user_id": "bob"})", token, 400, "M_INVALID_PARAM"},
        {room_path(room, "/kick"), R"({"user_id": ")" + alice_.user_id + R"(", "reason": 5})", token, 400, "M_BAD_JSON"},
        {room_path(room, "/ban"), R"({"user_id": ["x"]})", token, 400, "M_BAD_JSON"},
        {room_path(room, "/join"), "[1]", token, 400, "M_BAD_JSON"},
        {v3 + "/rooms/not-a-room/join", "{}", token, 400, "M_INVALID_PARAM"},
        {v3 + "/rooms/not-a-room/invite", R"({"user_id": "@whatsapp_bob:test.local"})", token, 400, "M_INVALID_PARAM"},
        {room_path("!unknown:test.local", "/join"), "{}", token, 404, "M_NOT_FOUND"},
        {room_path("!unknown:test.local", "/leave"), "{}", token, 404, "M_NOT_FOUND"},
        {room_path(room, "/join"), "{}", "", 401, "M_MISSING_TOKEN"},
        {room_path(room, "/kick"), R"({"user_id": ")" + alice_.user_id + R"("})", "bad", 401, "M_UNKNOWN_TOKEN"},
    };
    expect_refused(*client_, "POST", cases);
    EXPECT_EQ(fingerprint(room), before);
}

} // namespace
} // namespace ravenous::test::room
