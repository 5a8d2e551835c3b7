// POST /createRoom: the spec's initial state, in the spec's order, for every preset and the
// options bridges use (initial_state, is_direct, invite, power_level_content_override).

#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

class RoomCreate : public RoomFixture
{
};

const std::string create_path = v3 + "/createRoom";

TEST_F(RoomCreate, PrivateChatHasTheSpecsInitialStateInOrder)
{
    auto res = create({{"preset", "private_chat"}, {"name", "Family"}, {"topic", "Plans"}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", create_path);
    const std::string room = res.json().at("room_id");
    EXPECT_TRUE(room.starts_with('!') && room.ends_with(":test.local")) << room;

    const json events = timeline(room);
    EXPECT_EQ(kinds(events),
              (std::vector<std::string>{"m.room.create", "m.room.member/" + owner_id,
                                        "m.room.power_levels", "m.room.join_rules",
                                        "m.room.history_visibility", "m.room.guest_access",
                                        "m.room.name", "m.room.topic"}));
    for (const auto& event : events)
        EXPECT_EQ(event.at("sender"), owner_id) << event.dump();

    auto state_res = get(room_path(room, "/state"), owner_);
    ASSERT_EQ(state_res.status, 200) << state_res.body;
    EXPECT_SPEC(state_res, "GET", room_path(room, "/state"));
    const json state = state_res.json();
    EXPECT_EQ(state.size(), 8u) << state.dump();
    const json create_content = find_state(state, "m.room.create").at("content");
    EXPECT_EQ(create_content.at("room_version"), "10");
    EXPECT_EQ(create_content.at("creator"), owner_id);
    EXPECT_EQ(find_state(state, "m.room.member", owner_id).at("content").at("membership"), "join");
    const json levels = find_state(state, "m.room.power_levels").at("content");
    EXPECT_EQ(levels.at("users"), (json{{owner_id, 100}}));
    EXPECT_EQ(levels.value("state_default", -1), 50);
    EXPECT_EQ(levels.value("events_default", -1), 0);
    EXPECT_EQ(levels.value("users_default", -1), 0);
    EXPECT_EQ(levels.value("ban", -1), 50);
    EXPECT_EQ(levels.value("kick", -1), 50);
    EXPECT_EQ(levels.value("redact", -1), 50);
    EXPECT_EQ(levels.value("invite", -1), 0);
    EXPECT_EQ(find_state(state, "m.room.join_rules").at("content"), (json{{"join_rule", "invite"}}));
    EXPECT_EQ(find_state(state, "m.room.history_visibility").at("content"),
              (json{{"history_visibility", "shared"}}));
    EXPECT_EQ(find_state(state, "m.room.guest_access").at("content"),
              (json{{"guest_access", "can_join"}}));

    // One state event: its content, or with ?format=event the whole client event.
    auto name = get(room_path(room, "/state/m.room.name/"), owner_);
    ASSERT_EQ(name.status, 200) << name.body;
    EXPECT_SPEC(name, "GET", room_path(room, "/state/m.room.name/"));
    EXPECT_EQ(name.json(), (json{{"name", "Family"}}));
    auto topic = get(room_path(room, "/state/m.room.topic"), owner_);  // no trailing slash
    ASSERT_EQ(topic.status, 200) << topic.body;
    EXPECT_EQ(topic.json(), (json{{"topic", "Plans"}}));
    auto whole = get_state_event(room, "m.room.name", "", owner_);
    ASSERT_EQ(whole.status, 200) << whole.body;
    const json event = whole.json();
    EXPECT_EQ(event.at("type"), "m.room.name");
    EXPECT_EQ(event.at("state_key"), "");
    EXPECT_EQ(event.at("room_id"), room);
    EXPECT_EQ(event.at("sender"), owner_id);
    EXPECT_EQ(event.at("content"), (json{{"name", "Family"}}));
    EXPECT_EQ(event.at("event_id"), find_state(state, "m.room.name").at("event_id"));

    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room}));
}

TEST_F(RoomCreate, PublicChatAndVisibilityPublic)
{
    for (const json& body : {json{{"preset", "public_chat"}}, json{{"visibility", "public"}}}) {
        const std::string room = create_room(body);
        const json state = full_state(room);
        EXPECT_EQ(find_state(state, "m.room.join_rules").at("content").at("join_rule"), "public")
            << body.dump();
        EXPECT_EQ(find_state(state, "m.room.history_visibility").at("content").at("history_visibility"),
                  "shared");
        EXPECT_EQ(find_state(state, "m.room.guest_access").at("content").at("guest_access"),
                  "forbidden");
    }
    // No preset and no visibility: private_chat.
    const json state = full_state(create_room());
    EXPECT_EQ(find_state(state, "m.room.join_rules").at("content").at("join_rule"), "invite");
}

TEST_F(RoomCreate, TrustedPrivateChatMakesInviteesAdmins)
{
    const std::string room = create_room(
        {{"preset", "trusted_private_chat"}, {"invite", {alice_.user_id, bob_.user_id}}});
    const json state = full_state(room);
    EXPECT_EQ(find_state(state, "m.room.power_levels").at("content").at("users"),
              (json{{owner_id, 100}, {alice_.user_id, 100}, {bob_.user_id, 100}}));
    EXPECT_EQ(membership(room, alice_.user_id), "invite");
    EXPECT_EQ(membership(room, bob_.user_id), "invite");
    EXPECT_FALSE(state_content(room, "m.room.member", alice_.user_id).contains("is_direct"));
}

// A WhatsApp DM the way mautrix creates it: the bridge bot creates the room with the owner
// and the contact's puppet invited, bridge info in initial_state, its own power levels.
TEST_F(RoomCreate, BridgeStyleDirectMessage)
{
    const json bridge_info = {{"bridgebot", bot_.user_id},
                              {"protocol", {{"id", "whatsapp"}, {"displayname", "WhatsApp"}}},
                              {"channel", {{"id", "4915112345678@s.whatsapp.net"}}}};
    const std::string room = create_room(
        {{"preset", "private_chat"},
         {"is_direct", true},
         {"invite", {owner_id, alice_.user_id}},
         {"initial_state",
          {{{"type", "m.bridge"}, {"state_key", "whatsapp://4915112345678"}, {"content", bridge_info}},
           {{"type", "uk.half-shot.bridge"}, {"state_key", "whatsapp://4915112345678"}, {"content", bridge_info}}}},
         {"power_level_content_override",
          {{"users", {{bot_.user_id, 100}, {alice_.user_id, 50}}},
           {"events", {{"m.bridge", 100}, {"uk.half-shot.bridge", 100}, {"m.reaction", 0}}},
           {"events_default", 0}}}},
        bot_);
    ASSERT_FALSE(room.empty());

    // The owner sees the invite (is_direct, from the bot) and joins through /join/{roomId}.
    const json owner_invite = state_content(room, "m.room.member", owner_id, &bot_);
    EXPECT_EQ(owner_invite.value("membership", ""), "invite");
    EXPECT_EQ(owner_invite.value("is_direct", false), true) << owner_invite.dump();
    EXPECT_EQ(state_content(room, "m.room.member", alice_.user_id, &bot_).value("is_direct", false), true);
    join(room, alice_);
    auto joined = post(v3 + "/join/" + enc(room), json::object(), owner_);
    ASSERT_EQ(joined.status, 200) << joined.body;
    EXPECT_SPEC(joined, "POST", v3 + "/join/" + enc(room));
    EXPECT_EQ(joined.json().at("room_id"), room);

    const std::string hello = text(room, alice_, "Hallo!");
    const json events = timeline(room);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().at("event_id"), hello);
    EXPECT_EQ(events.back().at("sender"), alice_.user_id);
    EXPECT_EQ(kinds(events),
              (std::vector<std::string>{"m.room.create", "m.room.member/" + bot_.user_id,
                                        "m.room.power_levels", "m.room.join_rules",
                                        "m.room.history_visibility", "m.room.guest_access",
                                        "m.bridge/whatsapp://4915112345678",
                                        "uk.half-shot.bridge/whatsapp://4915112345678",
                                        "m.room.member/" + owner_id, "m.room.member/" + alice_.user_id,
                                        "m.room.member/" + alice_.user_id,
                                        "m.room.member/" + owner_id, "m.room.message"}));

    // The override replaced whole top-level keys (as in Synapse) and kept the other defaults.
    const json levels = state_content(room, "m.room.power_levels");
    EXPECT_EQ(levels.at("users"), (json{{bot_.user_id, 100}, {alice_.user_id, 50}}));
    EXPECT_EQ(levels.at("events"), (json{{"m.bridge", 100}, {"uk.half-shot.bridge", 100}, {"m.reaction", 0}}));
    EXPECT_EQ(levels.value("state_default", -1), 50);
    EXPECT_EQ(state_content(room, "m.bridge", "whatsapp://4915112345678"), bridge_info);
    EXPECT_EQ(state_content(room, "m.room.create").at("creator"), bot_.user_id);
}

// A group created by a puppet (as some bridges do for groups a contact created), joined by
// the other puppets, with the owner invited.
TEST_F(RoomCreate, PuppetCreatesAGroupThatPuppetsJoin)
{
    const std::string room = create_room({{"preset", "private_chat"},
                                          {"name", "Soccer team"},
                                          {"invite", {bob_.user_id, carol_.user_id, owner_id}}},
                                         alice_);
    ASSERT_FALSE(room.empty());
    EXPECT_EQ(state_content(room, "m.room.power_levels", "", &alice_).at("users"),
              (json{{alice_.user_id, 100}}));
    join(room, bob_);
    join(room, carol_);
    join(room, owner_);
    text(room, bob_, "who brings the ball?");
    text(room, carol_, "me");
    const json events = timeline(room);
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[events.size() - 2].at("sender"), bob_.user_id);
    EXPECT_EQ(events.back().at("sender"), carol_.user_id);
    EXPECT_EQ(joined_rooms(bob_), (std::set<std::string>{room}));
    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room}));
}

TEST_F(RoomCreate, InitialStateReplacesPresetEventsAndNameWins)
{
    const std::string room = create_room(
        {{"preset", "private_chat"},
         {"name", "From name"},
         {"initial_state",
          {{{"type", "m.room.join_rules"}, {"content", {{"join_rule", "public"}}}},
           {{"type", "m.room.history_visibility"}, {"state_key", ""}, {"content", {{"history_visibility", "joined"}}}},
           {{"type", "m.room.name"}, {"content", {{"name", "From initial_state"}}}}}}});
    const json events = timeline(room);
    EXPECT_EQ(kinds(events),
              (std::vector<std::string>{"m.room.create", "m.room.member/" + owner_id,
                                        "m.room.power_levels", "m.room.guest_access",
                                        "m.room.join_rules", "m.room.history_visibility",
                                        "m.room.name", "m.room.name"}));
    EXPECT_EQ(state_content(room, "m.room.join_rules").at("join_rule"), "public");
    EXPECT_EQ(state_content(room, "m.room.history_visibility").at("history_visibility"), "joined");
    EXPECT_EQ(state_content(room, "m.room.name").at("name"), "From name");
}

TEST_F(RoomCreate, CreationContentAndRoomVersion)
{
    const std::string room = create_room(
        {{"room_version", "11"},
         {"creation_content", {{"m.federate", false}, {"type", "m.space"}, {"room_version", "1"}}}});
    const json content = state_content(room, "m.room.create");
    EXPECT_EQ(content.at("room_version"), "11");  // the request's room_version, not the content's
    EXPECT_FALSE(content.contains("creator")) << "room version 11 has no creator: " << content.dump();
    EXPECT_EQ(content.value("type", ""), "m.space");
    // Spec: creation_content holds "extra keys, such as m.federate, to be added to the
    // content of the m.room.create event"; Synapse keeps m.federate: false.
    EXPECT_EQ(content.value("m.federate", true), false) << content.dump();

    for (std::string version : {"1", "9", "12", "foo"}) {
        auto res = create({{"room_version", version}}, owner_);
        expect_error(res, 400, "M_UNSUPPORTED_ROOM_VERSION");
    }
    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room}));
}

TEST_F(RoomCreate, RoomAliasNameBecomesTheCanonicalAlias)
{
    const std::string room = create_room({{"room_alias_name", "family"}});
    EXPECT_EQ(kinds(timeline(room)).at(3), "m.room.canonical_alias");
    EXPECT_EQ(state_content(room, "m.room.canonical_alias"), (json{{"alias", "#family:test.local"}}));
    auto resolved = client_->get(v3 + "/directory/room/" + enc("#family:test.local"));
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_EQ(resolved.json().at("room_id"), room);

    auto taken = create({{"room_alias_name", "family"}, {"name", "Second"}}, owner_);
    expect_error(taken, 400, "M_ROOM_IN_USE");
    auto bad = create({{"room_alias_name", "a:b"}}, owner_);
    expect_error(bad, 400, "M_INVALID_PARAM");
    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room}));
    EXPECT_EQ(client_->get(v3 + "/directory/room/" + enc("#family:test.local")).json().value("room_id", ""), room);
}

TEST_F(RoomCreate, BadRequestsCreateNothing)
{
    struct Case
    {
        std::string body;
        std::string token;
        int status;
        std::string errcode;
    };
    const std::string& token = owner_.token;
    const Case cases[] = {
        {"{", token, 400, "M_NOT_JSON"},
        {"[]", token, 400, "M_BAD_JSON"},
        {R"({"invite": "x"})", token, 400, "M_BAD_JSON"},
        {R"({"invite": [1]})", token, 400, "M_BAD_JSON"},
        {R"({"invite": ["not-a-user"]})", token, 400, "M_INVALID_PARAM"},
        {R"({"initial_state": [1]})", token, 400, "M_BAD_JSON"},
        {R"({"initial_state": {}})", token, 400, "M_BAD_JSON"},
        {R"({"initial_state": [{"type": 5, "content": {}}]})", token, 400, "M_BAD_JSON"},
        {R"({"initial_state": [{"type": "m.x", "content": "c"}]})", token, 400, "M_BAD_JSON"},
        {R"({"name": 5})", token, 400, "M_BAD_JSON"},
        {R"({"topic": ["t"]})", token, 400, "M_BAD_JSON"},
        {R"({"is_direct": "yes"})", token, 400, "M_BAD_JSON"},
        {R"({"preset": "everyone"})", token, 400, "M_BAD_JSON"},
        {R"({"room_version": 11})", token, 400, "M_BAD_JSON"},
        {R"({"power_level_content_override": "x"})", token, 400, "M_BAD_JSON"},
        {R"({"power_level_content_override": {"ban": "high"}})", token, 400, "M_BAD_JSON"},
        {R"({"creation_content": []})", token, 400, "M_BAD_JSON"},
        {R"({"name": "x"})", "", 401, "M_MISSING_TOKEN"},
        {R"({"name": "x"})", "wrong-token", 401, "M_UNKNOWN_TOKEN"},
    };
    for (const auto& c : cases) {
        HeaderList headers = {{"Content-Type", "application/json"}};
        if (!c.token.empty())
            headers.emplace_back("Authorization", "Bearer " + c.token);
        auto res = client_->request("POST", create_path, c.body, headers);
        SCOPED_TRACE(c.body);
        expect_error(res, c.status, c.errcode);
    }
    EXPECT_TRUE(joined_rooms(owner_).empty());
}

} // namespace
} // namespace ravenous::test::room
