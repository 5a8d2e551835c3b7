// Room aliases: PUT/GET/DELETE /directory/room/{roomAlias} and GET /rooms/{roomId}/aliases.

#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

class Directory : public RoomFixture
{
protected:
    static std::string alias_path(std::string_view alias)
    {
        return v3 + "/directory/room/" + enc(alias);
    }

    std::set<std::string> aliases_of(const std::string& room, const Actor& who)
    {
        auto res = get(room_path(room, "/aliases"), who);
        EXPECT_EQ(res.status, 200) << res.body;
        EXPECT_SPEC(res, "GET", room_path(room, "/aliases"));
        std::set<std::string> out;
        const json body = res.json();
        for (const auto& alias : body.value("aliases", json::array()))
            out.insert(alias.get<std::string>());
        return out;
    }
};

TEST_F(Directory, PutGetDelete)
{
    const std::string room = create_room();
    const std::string path = alias_path("#family:test.local");
    auto created = put(path, {{"room_id", room}}, owner_);
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_SPEC(created, "PUT", path);

    auto resolved = client_->get(path);  // no access token needed
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_SPEC(resolved, "GET", path);
    EXPECT_EQ(resolved.json(), (json{{"room_id", room}, {"servers", {"test.local"}}}));
    EXPECT_EQ(aliases_of(room, owner_), (std::set<std::string>{"#family:test.local"}));

    // Taken, for this room or another.
    const std::string other = create_room();
    expect_error(put(path, {{"room_id", room}}, owner_), 409, "M_UNKNOWN");
    expect_error(put(path, {{"room_id", other}}, owner_), 409, "M_UNKNOWN");
    EXPECT_EQ(client_->get(path).json().value("room_id", ""), room);

    auto deleted = del(path, owner_);
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_SPEC(deleted, "DELETE", path);
    expect_error(client_->get(path), 404, "M_NOT_FOUND");
    expect_error(del(path, owner_), 404, "M_NOT_FOUND");
    EXPECT_TRUE(aliases_of(room, owner_).empty());

    // Free again.
    ASSERT_EQ(put(path, {{"room_id", other}}, owner_).status, 200);
    EXPECT_EQ(client_->get(path).json().value("room_id", ""), other);
}

TEST_F(Directory, SeveralAliasesForOneRoom)
{
    const std::string room = create_room({{"room_alias_name", "main"}});
    ASSERT_EQ(put(alias_path("#second:test.local"), {{"room_id", room}}, owner_).status, 200);
    ASSERT_EQ(put(alias_path("#ünïcode:test.local"), {{"room_id", room}}, owner_).status, 200);
    EXPECT_EQ(aliases_of(room, owner_),
              (std::set<std::string>{"#main:test.local", "#second:test.local", "#ünïcode:test.local"}));
    EXPECT_EQ(client_->get(alias_path("#ünïcode:test.local")).json().value("room_id", ""), room);
}

TEST_F(Directory, PuppetsManageAliasesOfTheirRooms)
{
    const std::string room = create_room({{"preset", "public_chat"}}, alice_);
    const std::string path = alias_path("#whatsapp_group:test.local");
    ASSERT_EQ(put(path, {{"room_id", room}}, alice_).status, 200);
    auto joined = post(v3 + "/join/" + enc("#whatsapp_group:test.local"), json::object(), owner_);
    ASSERT_EQ(joined.status, 200) << joined.body;
    EXPECT_EQ(joined.json().at("room_id"), room);

    // Bob (power level 0, not the alias's creator) may not delete it; the room's creator may.
    join(room, bob_);
    expect_error(del(path, bob_), 403, "M_FORBIDDEN");
    EXPECT_EQ(client_->get(path).json().value("room_id", ""), room);
    join(room, carol_);
    ASSERT_EQ(put(alias_path("#by_carol:test.local"), {{"room_id", room}}, carol_).status, 200);
    EXPECT_EQ(del(alias_path("#by_carol:test.local"), alice_).status, 200);
    EXPECT_EQ(del(path, alice_).status, 200);
}

TEST_F(Directory, BadRequestsChangeNothing)
{
    const std::string room = create_room();
    const std::string private_room = create_room({{"preset", "private_chat"}}, alice_);
    ASSERT_EQ(put(alias_path("#kept:test.local"), {{"room_id", room}}, owner_).status, 200);
    struct Case
    {
        std::string method;
        std::string alias;
        std::string body;
        std::string token;
        int status;
        std::string errcode;
    };
    const std::string& token = owner_.token;
    const std::string body = R"({"room_id": ")" + room + R"("})";
    const Case cases[] = {
        {"PUT", "#new:elsewhere.org", body, token, 400, "M_INVALID_PARAM"},
        {"PUT", "no-hash:test.local", body, token, 400, "M_INVALID_PARAM"},
        {"PUT", "#nocolon", body, token, 400, "M_INVALID_PARAM"},
        {"PUT", "#new:test.local", "{", token, 400, "M_NOT_JSON"},
        {"PUT", "#new:test.local", "{}", token, 400, "M_MISSING_PARAM"},
        {"PUT", "#new:test.local", R"({"room_id": 5})", token, 400, "M_BAD_JSON"},
        {"PUT", "#new:test.local", R"({"room_id": "!unknown:test.local"})", token, 404, "M_NOT_FOUND"},
        {"PUT", "#new:test.local", R"({"room_id": ")" + private_room + R"("})", token, 403, "M_FORBIDDEN"},
        {"PUT", "#new:test.local", body, "", 401, "M_MISSING_TOKEN"},
        {"PUT", "#new:test.local", body, "bad", 401, "M_UNKNOWN_TOKEN"},
        {"DELETE", "#kept:test.local", "", "", 401, "M_MISSING_TOKEN"},
        {"DELETE", "#kept:elsewhere.org", "", token, 400, "M_INVALID_PARAM"},
        {"GET", "#unknown:test.local", "", "", 404, "M_NOT_FOUND"},
        {"GET", "not-an-alias", "", "", 400, "M_INVALID_PARAM"},
    };
    for (const auto& c : cases) {
        HeaderList headers;
        if (c.method == "PUT")
            headers.emplace_back("Content-Type", "application/json");
        if (!c.token.empty())
            headers.emplace_back("Authorization", "Bearer " + c.token);
        std::optional<std::string> request_body;
        if (c.method == "PUT")
            request_body = c.body;
        auto res = client_->request(c.method, alias_path(c.alias), request_body, headers);
        SCOPED_TRACE(c.method + " " + c.alias + " " + c.body);
        expect_error(res, c.status, c.errcode);
    }
    EXPECT_EQ(client_->get(alias_path("#kept:test.local")).json().value("room_id", ""), room);
    expect_error(client_->get(alias_path("#new:test.local")), 404, "M_NOT_FOUND");
    EXPECT_EQ(aliases_of(room, owner_), (std::set<std::string>{"#kept:test.local"}));
    // Who is not in a room may not list its aliases.
    expect_error(get(room_path(room, "/aliases"), alice_), 403, "M_FORBIDDEN");
}

} // namespace
} // namespace ravenous::test::room
