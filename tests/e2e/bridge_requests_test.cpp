// What mautrix bridges ask of a homeserver besides the appservice API proper, and the shape in
// which they read events back (reference: /work/shared/reference/beeper-bridges.md): the media
// config, registration of puppets, membership through the member state event, the "already in
// the room" answer they treat as success, prev_content, redacts, and their own content keys.

#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

constexpr std::string_view media_config_v1 = "/_matrix/client/v1/media/config";
constexpr std::string_view media_config_legacy = "/_matrix/media/v3/config";
constexpr std::string_view puppet_source = "fi.mau.double_puppet_source";

class BridgeRequests : public RoomFixture
{
protected:
    json event(const std::string& room, const std::string& event_id, const Actor& who)
    {
        const std::string path = room_path(room, "/event/" + enc(event_id));
        auto res = get(path, who);
        EXPECT_EQ(res.status, 200) << res.body;
        EXPECT_SPEC(res, "GET", path);
        return res.status == 200 ? res.json() : json::object();
    }

    // The event with this id in the room's /messages, as `who` reads it; null if absent.
    json from_messages(const std::string& room, const std::string& event_id, const Actor& who)
    {
        const json events = timeline(room, who);
        for (const auto& e : events)
            if (e.value("event_id", "") == event_id)
                return e;
        return nullptr;
    }

    void set_displayname(const Actor& who, std::string_view name)
    {
        auto res = put(v3 + "/profile/" + enc(who.user_id) + "/displayname",
                       {{"displayname", name}}, who);
        ASSERT_EQ(res.status, 200) << res.body;
    }

    static json mautrix_register(std::string_view username)
    {
        return {{"username", username},
                {"type", "m.login.application_service"},
                {"inhibit_login", true}};
    }
};

TEST(BridgeMediaConfig, AnswersTheConfiguredUploadSizeOnBothPaths)
{
    TestServer::Options options;
    options.extra_yaml = "max_upload_size: 12M";
    TestServer server{options};
    server.start();
    auto client = server.client();
    const std::string token = login_owner(client);
    for (std::string_view path : {media_config_v1, media_config_legacy}) {
        auto res = client.get(path, token);
        ASSERT_EQ(res.status, 200) << path << " -> " << res.body;
        EXPECT_SPEC(res, "GET", path);
        EXPECT_EQ(res.json(), json({{"m.upload.size", 12 * 1024 * 1024}})) << path;

        auto anonymous = client.get(path);
        EXPECT_EQ(anonymous.status, 401) << path;
        EXPECT_EQ(anonymous.json().value("errcode", ""), "M_MISSING_TOKEN") << path;
        auto wrong = client.get(path, "not-a-token");
        EXPECT_EQ(wrong.status, 401) << path;
        EXPECT_EQ(wrong.json().value("errcode", ""), "M_UNKNOWN_TOKEN") << path;
    }
}

TEST_F(BridgeRequests, MediaConfigForAPuppetHasTheDefaultUploadSize)
{
    auto res = get(std::string(media_config_v1), alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", std::string(media_config_v1));
    // Synapse's default, 50 MiB.
    EXPECT_EQ(res.json().at("m.upload.size"), 50 * 1024 * 1024);
}

TEST_F(BridgeRequests, RegisterAsMautrixDoesIt)
{
    const std::string path = v3 + "/register?kind=user";
    auto res = client_->post(path, mautrix_register("whatsapp_dan"), as_token);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", v3 + "/register");
    EXPECT_EQ(res.json().at("user_id"), "@whatsapp_dan:test.local");
    EXPECT_FALSE(res.json().contains("access_token")) << res.body;
    EXPECT_FALSE(res.json().contains("device_id")) << res.body;

    // A puppet registered before: the bridge takes M_USER_IN_USE as success.
    expect_error(client_->post(path, mautrix_register("whatsapp_dan"), as_token), 400,
                 "M_USER_IN_USE");
    expect_error(client_->post(path, mautrix_register("whatsapp_alice"), as_token), 400,
                 "M_USER_IN_USE");
    // Outside the appservice's namespace (fatal for a bridge at start-up).
    expect_error(client_->post(path, mautrix_register("telegram_dan"), as_token), 400,
                 "M_EXCLUSIVE");
    // Kinds other than user: guests are disabled, anything else is not understood.
    expect_error(client_->post(v3 + "/register?kind=guest", mautrix_register("whatsapp_erin"),
                               as_token),
                 403, "M_FORBIDDEN");
    expect_error(unchecked_->post(v3 + "/register?kind=bot", mautrix_register("whatsapp_erin"),
                                  as_token),
                 400, "M_UNRECOGNIZED");
    for (std::string user : {"@telegram_dan:test.local", "@whatsapp_erin:test.local"})
        EXPECT_EQ(client_->get(v3 + "/profile/" + enc(user)).status, 404) << user;
}

TEST_F(BridgeRequests, MemberStatePutJoinsAfterAnInviteAndLeavesAsTheEndpointsDo)
{
    const std::string room = create_room({{"preset", "private_chat"}});
    set_displayname(alice_, "Alice");
    set_displayname(bob_, "Bob");
    const std::string alice_member =
        room_path(room, "/state/m.room.member/" + enc(alice_.user_id));

    // Not invited to a private room: refused, as /join would be, and nothing is written.
    const auto before = fingerprint(room);
    expect_error(put(alice_member, {{"membership", "join"}}, alice_), 403, "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(room), before);
    EXPECT_FALSE(joined_rooms(alice_).contains(room));

    // Invited: a double puppet joins by PUTting its member event.
    invite(room, owner_, alice_);
    auto joined = put(alice_member, {{"membership", "join"}, {puppet_source, "whatsapp"}}, alice_);
    ASSERT_EQ(joined.status, 200) << joined.body;
    EXPECT_SPEC(joined, "PUT", alice_member);
    EXPECT_EQ(membership(room, alice_.user_id), "join");
    EXPECT_TRUE(joined_rooms(alice_).contains(room));

    // The same event as /join makes: membership plus the global profile.
    invite(room, owner_, bob_);
    join(room, bob_);
    const json by_put = event(room, joined.json().at("event_id"), owner_);
    const json by_join = get_state_event(room, "m.room.member", bob_.user_id, owner_).json();
    EXPECT_EQ(by_put.at("content"),
              json({{"membership", "join"}, {"displayname", "Alice"}, {puppet_source, "whatsapp"}}));
    EXPECT_EQ(by_join.at("content"), json({{"membership", "join"}, {"displayname", "Bob"}}));
    EXPECT_EQ(by_put.at("unsigned").at("prev_content").value("membership", ""), "invite");
    EXPECT_EQ(by_join.at("unsigned").at("prev_content").value("membership", ""), "invite");

    // A name meant for this room alone is kept as sent.
    ASSERT_EQ(put(alice_member, {{"membership", "join"}, {"displayname", "Alice (WA)"}}, alice_).status, 200);
    EXPECT_EQ(state_content(room, "m.room.member", alice_.user_id).value("displayname", ""),
              "Alice (WA)");

    // Leaving the same way.
    auto left = put(alice_member, {{"membership", "leave"}}, alice_);
    ASSERT_EQ(left.status, 200) << left.body;
    EXPECT_EQ(state_content(room, "m.room.member", alice_.user_id), json({{"membership", "leave"}}));
    EXPECT_FALSE(joined_rooms(alice_).contains(room));
    auto members = get(room_path(room, "/joined_members"), owner_);
    ASSERT_EQ(members.status, 200) << members.body;
    EXPECT_FALSE(members.json().at("joined").contains(alice_.user_id));
    // Gone, a PUT cannot bring it back without a new invite.
    const auto after = fingerprint(room);
    expect_error(put(alice_member, {{"membership", "join"}}, alice_), 403, "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(room), after);
}

TEST_F(BridgeRequests, InvitingAJoinedUserSaysTheyAreAlreadyInTheRoom)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    const auto before = fingerprint(room);

    // mautrix takes an error containing "is already in the room" as success.
    auto by_endpoint = member_op(room, "invite", owner_, {{"user_id", alice_.user_id}});
    expect_error(by_endpoint, 403, "M_FORBIDDEN");
    EXPECT_NE(by_endpoint.json().value("error", "").find("is already in the room"),
              std::string::npos)
        << by_endpoint.body;
    auto by_state = put_state_raw(room, owner_, "m.room.member", alice_.user_id,
                                  {{"membership", "invite"}});
    expect_error(by_state, 403, "M_FORBIDDEN");
    EXPECT_NE(by_state.json().value("error", "").find("is already in the room"), std::string::npos)
        << by_state.body;

    EXPECT_EQ(fingerprint(room), before);
    EXPECT_EQ(membership(room, alice_.user_id), "join");
}

TEST_F(BridgeRequests, StateChangesCarryWhatTheyReplace)
{
    const std::string room = create_room(
        {{"preset", "public_chat"},
         {"power_level_content_override", {{"users", {{owner_id, 100}, {alice_.user_id, 50}}}}}});
    join(room, alice_);
    const std::string first = put_state(room, owner_, "m.room.topic", "", {{"topic", "one"}});
    const json second_content = {{"topic", "two"}, {puppet_source, "whatsapp"}};
    const std::string second = put_state(room, alice_, "m.room.topic", "", second_content);

    for (const json& read : {event(room, second, owner_),
                             from_messages(room, second, alice_)}) {
        ASSERT_TRUE(read.is_object()) << read.dump();
        EXPECT_EQ(read.at("content"), second_content);
        const json& unsigned_ = read.at("unsigned");
        EXPECT_EQ(unsigned_.at("prev_content"), json({{"topic", "one"}}));
        EXPECT_EQ(unsigned_.at("prev_sender"), owner_id);
        EXPECT_EQ(unsigned_.at("replaces_state"), first);
        // Go bridges read it under unsigned only.
        EXPECT_FALSE(read.contains("prev_content"));
    }
    // The first of its kind replaces nothing.
    const json original = event(room, first, owner_);
    EXPECT_FALSE(original.value("unsigned", json::object()).contains("prev_content"))
        << original.dump();
}

TEST_F(BridgeRequests, BridgeContentKeysPassThroughUntouched)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    const json content = {{"msgtype", "m.text"},
                          {"body", "hi"},
                          {puppet_source, "whatsapp"},
                          {"fi.mau.double_puppet_ts", 1700000000000},
                          {"com.beeper.linkpreviews", json::array()}};
    const std::string id = send(room, alice_, content);
    EXPECT_EQ(event(room, id, owner_).at("content"), content);
    EXPECT_EQ(from_messages(room, id, owner_).at("content"), content);
}

TEST_F(BridgeRequests, RedactionsCarryRedactsAtTheTopLevelInV10AndV11)
{
    for (std::string version : {"10", "11"}) {
        SCOPED_TRACE("room version " + version);
        const std::string room =
            create_room({{"preset", "public_chat"}, {"room_version", version}});
        join(room, alice_);

        // PUT /redact with the keys mautrix adds to the body.
        const std::string first = text(room, alice_, "one");
        const json body = {{"reason", "deleted on WhatsApp"},
                           {puppet_source, "whatsapp"},
                           {"com.beeper.dont_render_redacted_placeholder", true}};
        auto redacted = put(room_path(room, "/redact/" + enc(first) + "/r1"), body, alice_);
        ASSERT_EQ(redacted.status, 200) << redacted.body;
        const std::string by_redact = redacted.json().at("event_id");
        // PUT /send/m.room.redaction (MSC4169), the target in the content.
        const std::string second = text(room, alice_, "two");
        const std::string by_send = send(room, alice_,
                                         {{"redacts", second}, {"reason", "again"}},
                                         "m.room.redaction");

        for (const auto& [id, target] : {std::pair{by_redact, first}, std::pair{by_send, second}}) {
            for (const json& read : {event(room, id, owner_), from_messages(room, id, owner_)}) {
                ASSERT_TRUE(read.is_object()) << id;
                EXPECT_EQ(read.value("redacts", ""), target) << read.dump();
                EXPECT_EQ(read.at("content").value("redacts", ""), target) << read.dump();
            }
        }
        const json content = event(room, by_redact, owner_).at("content");
        EXPECT_EQ(content.value(puppet_source, ""), "whatsapp");
        EXPECT_EQ(content.value("reason", ""), "deleted on WhatsApp");
        EXPECT_EQ(content.value("com.beeper.dont_render_redacted_placeholder", false), true);
        // The path names the target, not the body.
        const std::string third = text(room, alice_, "three");
        auto mismatched = put(room_path(room, "/redact/" + enc(third) + "/r2"),
                              {{"redacts", second}}, alice_);
        ASSERT_EQ(mismatched.status, 200) << mismatched.body;
        EXPECT_EQ(event(room, mismatched.json().at("event_id"), owner_).value("redacts", ""), third);
    }
}

TEST_F(BridgeRequests, RedactWithAMistypedReasonChangesNothing)
{
    const std::string room = create_room({{"preset", "public_chat"}});
    join(room, alice_);
    const std::string target = text(room, alice_, "stays");
    const auto before = fingerprint(room);
    expect_error(put(room_path(room, "/redact/" + enc(target) + "/r1"), {{"reason", 5}}, alice_),
                 400, "M_BAD_JSON");
    EXPECT_EQ(fingerprint(room), before);
    EXPECT_EQ(event(room, target, owner_).at("content").value("body", ""), "stays");
}

} // namespace
} // namespace ravenous::test::room
