// Account data (global and per room) and room tags: the endpoints and their place in /sync.
#include "sync_fixture.hpp"

namespace ravenous::test::sync {
namespace {

class AccountData : public SyncFixture
{
protected:
    std::string global_path(const std::string& user, std::string_view type)
    {
        return v3 + "/user/" + enc(user) + "/account_data/" + enc(type);
    }
    std::string room_data_path(const std::string& user, const std::string& room,
                               std::string_view type)
    {
        return v3 + "/user/" + enc(user) + "/rooms/" + enc(room) + "/account_data/" + enc(type);
    }
    std::string tags_path(const std::string& room, std::string_view tag = {})
    {
        return v3 + "/user/" + enc(owner_id) + "/rooms/" + enc(room) + "/tags" +
               (tag.empty() ? "" : "/" + enc(tag));
    }
    static json find_type(const json& events, std::string_view type)
    {
        json found;
        for (const auto& event : events)
            if (event.value("type", "") == type)
                found = event;
        return found;
    }
};

TEST_F(AccountData, PutThenGetGlobalAndSeenInSync)
{
    const json content = {{"theme", "dark"}, {"n", 3}};
    auto put_res = put(global_path(owner_id, "org.example.settings"), content, owner_);
    ASSERT_EQ(put_res.status, 200) << put_res.body;
    EXPECT_SPEC(put_res, "PUT", global_path(owner_id, "org.example.settings"));
    auto get_res = get(global_path(owner_id, "org.example.settings"), owner_);
    ASSERT_EQ(get_res.status, 200) << get_res.body;
    EXPECT_SPEC(get_res, "GET", global_path(owner_id, "org.example.settings"));
    EXPECT_EQ(get_res.json(), content);

    const json body = sync();
    const json event = find_type(body.at("account_data").at("events"), "org.example.settings");
    ASSERT_TRUE(event.is_object()) << body.at("account_data").dump();
    EXPECT_EQ(event.at("content"), content);

    // An incremental sync after a change carries only the new content.
    const std::string since = body.at("next_batch");
    ASSERT_EQ(
        put(global_path(owner_id, "org.example.settings"), {{"theme", "light"}}, owner_).status,
        200);
    const json next = sync_since(since);
    const json changed = find_type(next.at("account_data").at("events"), "org.example.settings");
    ASSERT_TRUE(changed.is_object()) << next.dump().substr(0, 500);
    EXPECT_EQ(changed.at("content"), json({{"theme", "light"}}));
}

TEST_F(AccountData, UnknownTypeIs404)
{
    expect_error(get(global_path(owner_id, "org.example.unset"), owner_), 404, "M_NOT_FOUND");
}

TEST_F(AccountData, OtherUsersDataIsForbiddenAndChangesNothing)
{
    expect_error(put(global_path(alice_.user_id, "org.example.x"), {{"a", 1}}, owner_), 403,
                 "M_FORBIDDEN");
    expect_error(get(global_path(alice_.user_id, "org.example.x"), owner_), 403, "M_FORBIDDEN");
    expect_error(get(global_path(alice_.user_id, "org.example.x"), alice_), 404, "M_NOT_FOUND");
}

TEST_F(AccountData, NonObjectBodyIs400AndChangesNothing)
{
    expect_error(put(global_path(owner_id, "org.example.x"), json::array({1, 2}), owner_), 400,
                 "M_BAD_JSON");
    expect_error(get(global_path(owner_id, "org.example.x"), owner_), 404, "M_NOT_FOUND");
}

TEST_F(AccountData, ServerControlledTypesAre405BadJson)
{
    const std::string room = create_room();
    expect_error(put(global_path(owner_id, "m.push_rules"), json::object(), owner_), 405,
                 "M_BAD_JSON");
    expect_error(put(room_data_path(owner_id, room, "m.fully_read"), {{"event_id", "$x"}}, owner_),
                 405, "M_BAD_JSON");
    expect_error(get(room_data_path(owner_id, room, "m.fully_read"), owner_), 404, "M_NOT_FOUND");
}

TEST_F(AccountData, RoomAccountDataIsPerRoomAndSeenInSync)
{
    const std::string room = create_room();
    const std::string other = create_room();
    const json content = {{"draft", "hello"}};
    auto put_res = put(room_data_path(owner_id, room, "org.example.draft"), content, owner_);
    ASSERT_EQ(put_res.status, 200) << put_res.body;
    EXPECT_SPEC(put_res, "PUT", room_data_path(owner_id, room, "org.example.draft"));
    auto get_res = get(room_data_path(owner_id, room, "org.example.draft"), owner_);
    ASSERT_EQ(get_res.status, 200) << get_res.body;
    EXPECT_SPEC(get_res, "GET", room_data_path(owner_id, room, "org.example.draft"));
    EXPECT_EQ(get_res.json(), content);
    expect_error(get(room_data_path(owner_id, other, "org.example.draft"), owner_), 404,
                 "M_NOT_FOUND");
    expect_error(get(global_path(owner_id, "org.example.draft"), owner_), 404, "M_NOT_FOUND");

    const json joined = room_of(sync(), room);
    ASSERT_TRUE(joined.is_object());
    const json event = find_type(joined.at("account_data").at("events"), "org.example.draft");
    ASSERT_TRUE(event.is_object()) << joined.at("account_data").dump();
    EXPECT_EQ(event.at("content"), content);
}

TEST_F(AccountData, RoomAccountDataNeedsAValidRoomIdAndOwnUser)
{
    const std::string room = create_room();
    expect_error(put(room_data_path(owner_id, "not-a-room", "org.example.x"), {{"a", 1}}, owner_),
                 400, "M_INVALID_PARAM");
    expect_error(get(room_data_path(owner_id, "not-a-room", "org.example.x"), owner_), 400,
                 "M_INVALID_PARAM");
    expect_error(put(room_data_path(alice_.user_id, room, "org.example.x"), {{"a", 1}}, owner_),
                 403, "M_FORBIDDEN");
    expect_error(get(room_data_path(alice_.user_id, room, "org.example.x"), alice_), 404,
                 "M_NOT_FOUND");
}

TEST_F(AccountData, TagsPutGetDeleteAndSeenInSync)
{
    const std::string room = create_room();
    auto empty = get(tags_path(room), owner_);
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_SPEC(empty, "GET", tags_path(room));
    EXPECT_EQ(empty.json(), json({{"tags", json::object()}}));

    auto put_res = put(tags_path(room, "m.favourite"), {{"order", 0.25}}, owner_);
    ASSERT_EQ(put_res.status, 200) << put_res.body;
    EXPECT_SPEC(put_res, "PUT", tags_path(room, "m.favourite"));
    ASSERT_EQ(put(tags_path(room, "u.work"), json::object(), owner_).status, 200);
    auto tags = get(tags_path(room), owner_);
    ASSERT_EQ(tags.status, 200);
    EXPECT_SPEC(tags, "GET", tags_path(room));
    EXPECT_EQ(tags.json(),
              json({{"tags", {{"m.favourite", {{"order", 0.25}}}, {"u.work", json::object()}}}}));

    const json joined = room_of(sync(), room);
    ASSERT_TRUE(joined.is_object());
    const json tag_event = find_type(joined.at("account_data").at("events"), "m.tag");
    ASSERT_TRUE(tag_event.is_object()) << joined.at("account_data").dump();
    EXPECT_EQ(tag_event.at("content").at("tags").size(), 2u);

    auto del_res = del(tags_path(room, "u.work"), owner_);
    ASSERT_EQ(del_res.status, 200) << del_res.body;
    EXPECT_SPEC(del_res, "DELETE", tags_path(room, "u.work"));
    EXPECT_EQ(get(tags_path(room), owner_).json(),
              json({{"tags", {{"m.favourite", {{"order", 0.25}}}}}}));
}

TEST_F(AccountData, TagErrorsChangeNothing)
{
    const std::string room = create_room();
    expect_error(put(tags_path(room, "u.x"), {{"order", "first"}}, owner_), 400, "M_BAD_JSON");
    expect_error(put(v3 + "/user/" + enc(alice_.user_id) + "/rooms/" + enc(room) + "/tags/u.x",
                     json::object(), owner_),
                 403, "M_FORBIDDEN");
    expect_error(get(tags_path("not-a-room"), owner_), 400, "M_INVALID_PARAM");
    EXPECT_EQ(get(tags_path(room), owner_).json(), json({{"tags", json::object()}}));
}

} // namespace
} // namespace ravenous::test::sync
