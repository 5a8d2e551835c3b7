// Beeper's inbox: a room muted with the com.beeper.mute room account data, and PUT
// .../com.beeper.inbox/.../inbox_state (marked unread, done, read markers).
#include "bad_requests.hpp"
#include "sync_fixture.hpp"

#include <chrono>
#include <thread>

namespace ravenous::test::sync {
namespace {

class BeeperInbox : public SyncFixture
{
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        room_ = shared_room("Chat");
    }

    std::string room_data_path(const std::string& room, std::string_view type,
                               const std::string& user = owner_id)
    {
        return v3 + "/user/" + enc(user) + "/rooms/" + enc(room) + "/account_data/" + enc(type);
    }
    void mute(const json& muted_until)
    {
        auto res = put(room_data_path(room_, "com.beeper.mute"), {{"muted_until", muted_until}},
                       owner_);
        ASSERT_EQ(res.status, 200) << res.body;
    }
    // rooms.join[room].unread_notifications of an initial /sync: {notification, highlight}.
    std::pair<int, int> counts()
    {
        const json joined = room_of(sync("timeout=0"), room_);
        if (!joined.is_object())
            return {-1, -1};
        const json unread = joined.value("unread_notifications", json::object());
        return {unread.value("notification_count", -1), unread.value("highlight_count", -1)};
    }
    std::int64_t server_time()
    {
        auto res = get("/_matrix/client/unstable/com.beeper.timesync", owner_);
        EXPECT_EQ(res.status, 200) << res.body;
        return res.status == 200 ? res.json().at("time_ms").get<std::int64_t>() : 0;
    }
    std::string mention()
    {
        return send(room_, alice_,
                    {{"msgtype", "m.text"},
                     {"body", "hey owner"},
                     {"m.mentions", {{"user_ids", {owner_id}}}}});
    }

    std::string inbox_path(const std::string& room, const std::string& user = owner_id)
    {
        return "/_matrix/client/unstable/com.beeper.inbox/user/" + enc(user) + "/rooms/" +
               enc(room) + "/inbox_state";
    }
    // GET of a room account data type: its content, or the errcode.
    json room_data(const std::string& room, std::string_view type)
    {
        auto res = get(room_data_path(room, type), owner_);
        return res.status == 200 ? res.json() : json(res.json().value("errcode", "?"));
    }

    std::string room_;
};

using Counts = std::pair<int, int>;

TEST_F(BeeperInbox, MuteSilencesCountsButNotMentionsAndUnmuteRestoresThem)
{
    text(room_, alice_, "one");
    EXPECT_EQ(counts(), (Counts{1, 0}));
    const std::string since = sync("timeout=0").at("next_batch");

    mute(-1);  // for ever
    // The change of counts reaches an incremental /sync with the account data.
    const json next = sync_since(since);
    const json joined = room_of(next, room_);
    ASSERT_TRUE(joined.is_object()) << next.dump().substr(0, 800);
    EXPECT_EQ(joined.at("unread_notifications").value("notification_count", -1), 0);

    text(room_, alice_, "two");
    EXPECT_EQ(counts(), (Counts{0, 0}));
    // As with a Synapse room rule without actions: mentions still notify and highlight.
    const std::string mentioned = mention();
    EXPECT_EQ(counts(), (Counts{1, 1}));
    auto notifications = get(v3 + "/notifications", owner_);
    ASSERT_EQ(notifications.status, 200) << notifications.body;
    const json listed = notifications.json().at("notifications");
    ASSERT_EQ(listed.size(), 1u) << notifications.body.substr(0, 800);
    EXPECT_EQ(listed[0].at("event").at("event_id"), mentioned);

    mute(0);  // unmuted: the counts are the rules' over the unread events, as they are now
    EXPECT_EQ(counts(), (Counts{3, 1}));
    mute(1'000);  // a time long past
    EXPECT_EQ(counts(), (Counts{3, 1}));
    mute(server_time() + 3'600'000);  // an hour from now
    EXPECT_EQ(counts(), (Counts{1, 1}));
    mute("forever");  // not a time: not muted
    EXPECT_EQ(counts(), (Counts{3, 1}));
    // Another room's mute, or another type, changes nothing here.
    auto other = put(room_data_path(create_room(), "com.beeper.mute"), {{"muted_until", -1}},
                     owner_);
    ASSERT_EQ(other.status, 200) << other.body;
    EXPECT_EQ(counts(), (Counts{3, 1}));
}

TEST_F(BeeperInbox, AMuteRunsOut)
{
    text(room_, alice_, "one");
    mute(server_time() + 2'000);
    EXPECT_EQ(counts(), (Counts{0, 0}));
    // Nothing wakes anyone when it runs out; the next look at the counts sees it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    Counts seen = counts();
    while (seen != Counts{1, 0} && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        seen = counts();
    }
    EXPECT_EQ(seen, (Counts{1, 0}));
}

TEST_F(BeeperInbox, InboxStateSetsUnreadDoneAndReadMarkers)
{
    text(room_, alice_, "one");
    const std::string last = text(room_, alice_, "two");
    EXPECT_EQ(counts(), (Counts{2, 0}));
    const std::string since = sync("timeout=0").at("next_batch");

    auto res = put(inbox_path(room_),
                   {{"marked_unread", true},
                    {"done", {{"at_delta", 86'400'000}, {"at_order", 7}}},
                    {"read_markers", {{"m.read", last}, {"m.fully_read", last}}}},
                   owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json(), json::object());

    EXPECT_EQ(room_data(room_, "m.marked_unread"), (json{{"unread", true}}));
    EXPECT_EQ(room_data(room_, "com.famedly.marked_unread"), (json{{"unread", true}}));
    const json done = room_data(room_, "com.beeper.inbox.done");
    EXPECT_EQ(done.value("at_delta", 0), 86'400'000);
    EXPECT_EQ(done.value("at_order", 0), 7);
    EXPECT_GE(done.value("updated_ts", std::int64_t{0}), server_time() - 60'000) << done.dump();
    EXPECT_EQ(room_data(room_, "m.fully_read"), (json{{"event_id", last}}));
    EXPECT_EQ(counts(), (Counts{0, 0}));

    const json next = sync_since(since);
    const json joined = room_of(next, room_);
    ASSERT_TRUE(joined.is_object()) << next.dump().substr(0, 800);
    bool receipt = false;
    for (const auto& e : joined.at("ephemeral").at("events"))
        if (e.value("type", "") == "m.receipt" && e.at("content").contains(last))
            receipt = e.at("content").at(last).at("m.read").contains(owner_id);
    EXPECT_TRUE(receipt) << joined.at("ephemeral").dump();
    std::set<std::string> types;
    for (const auto& e : joined.at("account_data").at("events"))
        types.insert(e.at("type").get<std::string>());
    EXPECT_EQ(types, (std::set<std::string>{"m.marked_unread", "com.famedly.marked_unread",
                                            "com.beeper.inbox.done", "m.fully_read"}));

    // Each part alone; an empty state changes nothing.
    ASSERT_EQ(put(inbox_path(room_), {{"marked_unread", false}}, owner_).status, 200);
    EXPECT_EQ(room_data(room_, "m.marked_unread"), (json{{"unread", false}}));
    EXPECT_EQ(room_data(room_, "com.beeper.inbox.done").value("at_order", 0), 7);
    ASSERT_EQ(put(inbox_path(room_), json::object(), owner_).status, 200);
    EXPECT_EQ(room_data(room_, "m.marked_unread"), (json{{"unread", false}}));
}

TEST_F(BeeperInbox, RefusedInboxStatesChangeNothing)
{
    const std::string last = text(room_, alice_, "one");
    ASSERT_EQ(put(inbox_path(room_), {{"marked_unread", false}}, owner_).status, 200);
    // A room of alice's the owner is not in.
    const std::string foreign = create_room(json::object(), alice_);
    const std::string& token = owner_.token;
    const std::string marked = R"("marked_unread": true)";
    const BadRequest cases[] = {
        {inbox_path(room_, alice_.user_id), "{" + marked + "}", token, 403, "M_FORBIDDEN"},
        {inbox_path(foreign), "{" + marked + "}", token, 403, "M_FORBIDDEN"},
        {inbox_path("!unknown:test.local"), "{" + marked + "}", token, 404, "M_NOT_FOUND"},
        {inbox_path("not-a-room"), "{" + marked + "}", token, 400, "M_INVALID_PARAM"},
        {inbox_path(room_), "{" + marked + R"(, "read_markers": {"m.read": "$unknown"}})", token,
         404, "M_NOT_FOUND"},
        {inbox_path(room_), "{" + marked + R"(, "read_markers": {"m.read": 5}})", token, 400,
         "M_BAD_JSON"},
        {inbox_path(room_), "{" + marked + R"(, "read_markers": 5})", token, 400, "M_BAD_JSON"},
        {inbox_path(room_), R"({"marked_unread": "yes"})", token, 400, "M_BAD_JSON"},
        {inbox_path(room_), "{" + marked + R"(, "done": "now"})", token, 400, "M_BAD_JSON"},
        {inbox_path(room_), "{" + marked + R"(, "done": {"at_order": "1"}})", token, 400,
         "M_BAD_JSON"},
        {inbox_path(room_), "not json", token, 400, "M_NOT_JSON"},
        {inbox_path(room_), "{" + marked + "}", "", 401, "M_MISSING_TOKEN"},
        {inbox_path(room_), "{" + marked + "}", "bad", 401, "M_UNKNOWN_TOKEN"},
    };
    expect_refused(*client_, "PUT", cases);
    EXPECT_EQ(room_data(room_, "m.marked_unread"), (json{{"unread", false}}));
    EXPECT_EQ(room_data(room_, "com.beeper.inbox.done"), json("M_NOT_FOUND"));
    EXPECT_EQ(room_data(room_, "m.fully_read"), json("M_NOT_FOUND"));
    EXPECT_EQ(counts(), (Counts{1, 0}));
    auto alice_data = get(room_data_path(foreign, "m.marked_unread", alice_.user_id), alice_);
    expect_error(alice_data, 404, "M_NOT_FOUND");
    EXPECT_FALSE(last.empty());
}

} // namespace
} // namespace ravenous::test::sync
