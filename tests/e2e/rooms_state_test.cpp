// PUT and GET /rooms/{roomId}/state/{eventType}[/{stateKey}] and GET /state: state keys,
// replacement, identical state, and bad requests that must write nothing.

#include "e2e/room_fixture.hpp"

#include <tuple>

namespace ravenous::test::room {
namespace {

class RoomState : public RoomFixture
{
protected:
    void SetUp() override
    {
        RoomFixture::SetUp();
        room_ = create_room({{"preset", "public_chat"}, {"name", "State"}});
        join(room_, alice_);
    }
    std::string room_;
};

TEST_F(RoomState, WithAndWithoutTrailingEmptyStateKey)
{
    const std::string without = room_path(room_, "/state/m.room.topic");
    auto first = put(without, {{"topic", "one"}}, owner_);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_SPEC(first, "PUT", room_path(room_, "/state/m.room.topic/"));
    EXPECT_EQ(state_content(room_, "m.room.topic"), (json{{"topic", "one"}}));

    auto second = put(without + "/", {{"topic", "two"}}, owner_);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_SPEC(second, "PUT", without + "/");
    auto read = get(without, owner_);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.json(), (json{{"topic", "two"}}));

    // One m.room.topic with the empty key, which replaced the first.
    const json state = full_state(room_);
    int topics = 0;
    for (const auto& event : state)
        topics += event.at("type") == "m.room.topic";
    EXPECT_EQ(topics, 1);
    const json event = find_state(state, "m.room.topic");
    EXPECT_EQ(event.at("event_id"), second.json().at("event_id"));
    EXPECT_EQ(event.at("unsigned").value("replaces_state", ""), first.json().at("event_id"));
    EXPECT_EQ(event.at("unsigned").value("prev_content", json()), (json{{"topic", "one"}}));
}

TEST_F(RoomState, StateKeysAreSeparate)
{
    const std::string a = put_state(room_, owner_, "org.example.setting", "a", {{"v", 1}});
    const std::string b = put_state(room_, owner_, "org.example.setting", "b", {{"v", 2}});
    const std::string empty = put_state(room_, owner_, "org.example.setting", "", {{"v", 3}});
    EXPECT_NE(a, b);
    EXPECT_EQ(state_content(room_, "org.example.setting", "a"), (json{{"v", 1}}));
    EXPECT_EQ(state_content(room_, "org.example.setting", "b"), (json{{"v", 2}}));
    EXPECT_EQ(state_content(room_, "org.example.setting"), (json{{"v", 3}}));
    // A key with characters that need encoding, as bridges use for m.bridge.
    put_state(room_, owner_, "m.bridge", "whatsapp://+49 151/ä", {{"v", 4}});
    EXPECT_EQ(state_content(room_, "m.bridge", "whatsapp://+49 151/ä"), (json{{"v", 4}}));

    auto missing = get(room_path(room_, "/state/org.example.setting/c"), owner_);
    expect_error(missing, 404, "M_NOT_FOUND");
    expect_error(get(room_path(room_, "/state/m.room.avatar/"), owner_), 404, "M_NOT_FOUND");
}

TEST_F(RoomState, IdenticalStateIsNotStoredTwice)
{
    const std::string first = put_state(room_, owner_, "m.room.topic", "", {{"topic", "same"}});
    const auto before = fingerprint(room_);
    EXPECT_EQ(put_state(room_, owner_, "m.room.topic", "", {{"topic", "same"}}), first);
    EXPECT_EQ(fingerprint(room_), before);
    EXPECT_NE(put_state(room_, owner_, "m.room.topic", "", {{"topic", "different"}}), first);
}

TEST_F(RoomState, PuppetsSetStateThroughTheAppservice)
{
    // state_default is 50: the owner makes alice a moderator first.
    json levels = state_content(room_, "m.room.power_levels");
    levels["users"][alice_.user_id] = 50;
    put_state(room_, owner_, "m.room.power_levels", "", levels);
    const std::string id = put_state(room_, alice_, "m.custom", alice_.user_id, {{"on", true}});
    auto hidden = get_state_event(room_, "m.custom", alice_.user_id, bob_);
    EXPECT_EQ(hidden.status, 403) << "bob is not in the room: " << hidden.body;
    auto event = get_state_event(room_, "m.custom", alice_.user_id, alice_);
    ASSERT_EQ(event.status, 200) << event.body;
    EXPECT_EQ(event.json().at("sender"), alice_.user_id);
    EXPECT_EQ(event.json().at("event_id"), id);
    EXPECT_EQ(event.json().at("state_key"), alice_.user_id);
}

TEST_F(RoomState, StateIsReadByMembers)
{
    auto res = get(room_path(room_, "/state"), alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", room_path(room_, "/state"));
    const json state = res.json();
    for (const auto& event : state) {
        EXPECT_EQ(event.at("room_id"), room_);
        EXPECT_TRUE(event.contains("state_key") && event.contains("event_id") &&
                    event.contains("origin_server_ts") && event.contains("sender"))
            << event.dump();
    }
    EXPECT_EQ(find_state(state, "m.room.name").at("content"), (json{{"name", "State"}}));
    EXPECT_EQ(find_state(state, "m.room.member", alice_.user_id).at("content").at("membership"), "join");
}

TEST_F(RoomState, BadRequestsChangeNothing)
{
    const auto before = fingerprint(room_);
    struct Case
    {
        std::string method;
        std::string path;
        std::string body;
        std::string token;
        int status;
        std::string errcode;
    };
    const std::string& token = owner_.token;
    const std::string name = room_path(room_, "/state/m.room.name/");
    const std::string long_key(300, 'k');
    const Case cases[] = {
        {"PUT", name, "{", token, 400, "M_NOT_JSON"},
        {"PUT", name, "[]", token, 400, "M_BAD_JSON"},
        {"PUT", name, R"({"name": 5})", token, 400, "M_BAD_JSON"},
        {"PUT", name, "{}", token, 400, "M_BAD_JSON"},
        {"PUT", room_path(room_, "/state/m.room.member/" + enc(alice_.user_id)), R"({"membership": "dance"})", token, 400, "M_BAD_JSON"},
        {"PUT", room_path(room_, "/state/m.room.power_levels/"), R"({"users": {"@owner:test.local": "100"}})", token, 400, "M_BAD_JSON"},
        {"PUT", room_path(room_, "/state/m.room.history_visibility/"), R"({"history_visibility": "everyone"})", token, 400, "M_BAD_JSON"},
        {"PUT", room_path(room_, "/state/m.custom/" + long_key), R"({"x": 1})", token, 413, "M_TOO_LARGE"},
        {"PUT", v3 + "/rooms/not-a-room/state/m.room.name/", R"({"name": "x"})", token, 400, "M_INVALID_PARAM"},
        {"PUT", room_path("!unknown:test.local", "/state/m.room.name/"), R"({"name": "x"})", token, 404, "M_NOT_FOUND"},
        {"PUT", name, R"({"name": "x"})", "", 401, "M_MISSING_TOKEN"},
        {"PUT", name, R"({"name": "x"})", "bad", 401, "M_UNKNOWN_TOKEN"},
        {"GET", v3 + "/rooms/not-a-room/state", "", token, 400, "M_INVALID_PARAM"},
        {"GET", v3 + "/rooms/not-a-room/state/m.room.name/", "", token, 400, "M_INVALID_PARAM"},
        {"GET", room_path("!unknown:test.local", "/state"), "", token, 404, "M_NOT_FOUND"},
        {"GET", room_path("!unknown:test.local", "/members"), "", token, 404, "M_NOT_FOUND"},
        {"GET", room_path(room_, "/state"), "", "", 401, "M_MISSING_TOKEN"},
        {"GET", room_path(room_, "/joined_members"), "", "bad", 401, "M_UNKNOWN_TOKEN"},
    };
    for (const auto& c : cases) {
        HeaderList headers;
        if (c.method == "PUT")
            headers.emplace_back("Content-Type", "application/json");
        if (!c.token.empty())
            headers.emplace_back("Authorization", "Bearer " + c.token);
        auto res = c.method == "PUT" ? client_->request("PUT", c.path, c.body, headers)
                                     : client_->request("GET", c.path, std::nullopt, headers);
        SCOPED_TRACE(c.method + " " + c.path + " " + c.body);
        expect_error(res, c.status, c.errcode);
    }
    EXPECT_EQ(fingerprint(room_), before);
}

// Every room endpoint: a malformed room id is 400 M_INVALID_PARAM, an unknown one 404
// M_NOT_FOUND, and the owner's rooms are untouched.
TEST_F(RoomState, MalformedAndUnknownRoomIdsOnEveryEndpoint)
{
    const auto before = fingerprint(room_);
    struct Endpoint
    {
        std::string method;
        std::string rest;
        std::string body;
    };
    const std::string user = R"({"user_id": "@whatsapp_bob:test.local"})";
    const Endpoint endpoints[] = {
        {"POST", "/join", "{}"},          {"POST", "/leave", "{}"},
        {"POST", "/forget", "{}"},        {"POST", "/invite", user},
        {"POST", "/kick", user},          {"POST", "/ban", user},
        {"POST", "/unban", user},         {"GET", "/state", ""},
        {"GET", "/state/m.room.name/", ""}, {"GET", "/members", ""},
        {"GET", "/joined_members", ""},   {"GET", "/aliases", ""},
        {"GET", "/messages?dir=b", ""},   {"GET", "/event/$abc", ""},
        {"PUT", "/state/m.room.name/", R"({"name": "x"})"},
        {"PUT", "/send/m.room.message/t1", R"({"msgtype": "m.text", "body": "x"})"},
        {"PUT", "/redact/$abc/t2", "{}"},
    };
    for (const auto& e : endpoints) {
        HeaderList headers = {{"Authorization", "Bearer " + owner_.token}};
        std::optional<std::string> body;
        if (e.method != "GET") {
            headers.emplace_back("Content-Type", "application/json");
            body = e.body;
        }
        for (const auto& [room, status, errcode] :
             {std::tuple{std::string("not-a-room"), 400, "M_INVALID_PARAM"},
              std::tuple{std::string("!unknown:test.local"), 404, "M_NOT_FOUND"}}) {
            SCOPED_TRACE(e.method + " " + room + e.rest);
            expect_error(client_->request(e.method, room_path(room, e.rest), body, headers), status, errcode);
        }
    }
    EXPECT_EQ(fingerprint(room_), before);
    EXPECT_EQ(joined_rooms(owner_), (std::set<std::string>{room_}));
}

} // namespace
} // namespace ravenous::test::room
