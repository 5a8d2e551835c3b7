// Unread notification and highlight counts in /sync, reset by the owner's read receipt.
#include "e2e/room_fixture.hpp"

namespace ravenous::test::room {
namespace {

class UnreadCounts : public RoomFixture
{
protected:
    // rooms.join[room].unread_notifications of an initial /sync.
    json counts(const std::string& room)
    {
        auto res = get(v3 + "/sync?timeout=0", owner_);
        EXPECT_EQ(res.status, 200) << res.body.substr(0, 500);
        const json body = res.json();
        const json* joined = &body;
        for (const char* key : {"rooms", "join"}) {
            if (!joined->contains(key))
                return json();
            joined = &joined->at(key);
        }
        if (!joined->contains(room))
            return json();
        return joined->at(room).value("unread_notifications", json());
    }
};

TEST_F(UnreadCounts, MessagesCountMentionsHighlightReceiptResets)
{
    const std::string room = create_room();
    invite(room, owner_, alice_);
    join(room, alice_);
    text(room, alice_, "one");
    text(room, alice_, "two");
    const std::string mention =
        send(room, alice_,
             {{"msgtype", "m.text"}, {"body", "hey"}, {"m.mentions", {{"user_ids", {owner_id}}}}});
    text(room, owner_, "mine");

    json unread = counts(room);
    ASSERT_TRUE(unread.is_object());
    EXPECT_EQ(unread.value("notification_count", -1), 3);
    EXPECT_EQ(unread.value("highlight_count", -1), 1);

    auto res = post(room_path(room, "/receipt/m.read/" + enc(mention)), json::object(), owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    unread = counts(room);
    EXPECT_EQ(unread.value("notification_count", -1), 0);
    EXPECT_EQ(unread.value("highlight_count", -1), 0);

    // A room muted with a room rule counts nothing new.
    res = put(v3 + "/pushrules/global/room/" + enc(room), {{"actions", json::array()}}, owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    text(room, alice_, "muted");
    EXPECT_EQ(counts(room).value("notification_count", -1), 0);
}

} // namespace
} // namespace ravenous::test::room
