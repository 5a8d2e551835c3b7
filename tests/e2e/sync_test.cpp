// GET /sync: initial and incremental syncs, long polls, limited timelines, lazy-loaded members,
// invites and leaves.

#include "support/spec_assert.hpp"
#include "sync_fixture.hpp"

#include <chrono>
#include <thread>

namespace ravenous::test::sync {
namespace {

using Clock = std::chrono::steady_clock;

class SyncTest : public SyncFixture
{
};

TEST_F(SyncTest, InitialSyncShowsJoinedRoomsWithStateAndTimeline)
{
    const std::string room = shared_room("Garden");
    text(room, alice_, "hello owner");
    const json body = sync();
    ASSERT_TRUE(body.contains("next_batch"));
    for (const char* key : {"join", "invite", "leave", "knock"})
        EXPECT_TRUE(body.at("rooms").contains(key)) << key;
    EXPECT_TRUE(body.at("account_data").contains("events"));
    EXPECT_TRUE(body.at("presence").contains("events"));
    EXPECT_EQ(body.at("to_device"), json({{"events", json::array()}}));
    EXPECT_EQ(body.at("device_lists"), json({{"changed", json::array()}, {"left", json::array()}}));
    EXPECT_TRUE(body.at("device_one_time_keys_count").is_object());
    EXPECT_TRUE(body.at("device_unused_fallback_key_types").is_array());

    const json joined = room_of(body, room);
    ASSERT_TRUE(joined.is_object()) << body.dump();
    const json events = timeline_events(joined);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().at("content").at("body"), "hello owner");
    // State and timeline together hold the room's state.
    json all = joined.at("state").at("events");
    for (const auto& event : events)
        all.push_back(event);
    EXPECT_FALSE(find_state(all, "m.room.create").is_null());
    EXPECT_EQ(find_state(all, "m.room.name").at("content").at("name"), "Garden");
    EXPECT_FALSE(find_state(all, "m.room.member", alice_.user_id).is_null());
    // State events before the timeline are not repeated in it.
    for (const auto& event : joined.at("state").at("events"))
        for (const auto& timeline_event : events)
            EXPECT_NE(event.at("event_id"), timeline_event.at("event_id"));
    EXPECT_EQ(joined.at("summary").at("m.joined_member_count"), 2);
    EXPECT_EQ(joined.at("summary").at("m.invited_member_count"), 0);
    EXPECT_EQ(joined.at("summary").at("m.heroes"), json::array({alice_.user_id}));
    EXPECT_TRUE(joined.at("unread_notifications").is_object());
    EXPECT_TRUE(joined.at("ephemeral").contains("events"));
    EXPECT_TRUE(joined.at("account_data").contains("events"));
    EXPECT_TRUE(joined.at("timeline").contains("prev_batch"));
}

TEST_F(SyncTest, IncrementalSyncReturnsOnlyNewEvents)
{
    const std::string room = shared_room();
    const std::string quiet = create_room({{"name", "Quiet"}});
    text(room, alice_, "before");
    const json first = sync();
    const std::string since = first.at("next_batch");

    const std::string id = text(room, alice_, "after");
    const json second = sync_since(since);
    EXPECT_NE(second.at("next_batch"), since);
    const json joined = room_of(second, room);
    ASSERT_TRUE(joined.is_object()) << second.dump();
    const json events = timeline_events(joined);
    ASSERT_EQ(events.size(), 1u) << events.dump();
    EXPECT_EQ(events[0].at("event_id"), id);
    EXPECT_FALSE(joined.at("timeline").at("limited").get<bool>());
    EXPECT_TRUE(joined.at("state").at("events").empty());
    EXPECT_TRUE(room_of(second, quiet).is_null());

    // Nothing new: nothing to say, and the token stays put.
    const json third = sync_since(second.at("next_batch"));
    EXPECT_TRUE(third.at("rooms").at("join").empty()) << third.dump();
    EXPECT_EQ(third.at("next_batch"), second.at("next_batch"));
}

TEST_F(SyncTest, LongPollWakesWhenAMessageIsCommitted)
{
    const std::string room = shared_room();
    const std::string since = sync().at("next_batch");

    HttpClient poller = server_->client();
    poller.set_timeout(std::chrono::milliseconds(40'000));
    HttpResponse polled;
    Clock::time_point returned;
    std::thread thread([&] {
        polled = poller.get(v3 + "/sync?timeout=30000&since=" + enc(since), owner_.token);
        returned = Clock::now();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto sent = Clock::now();
    const std::string id = text(room, alice_, "wake up");
    thread.join();

    ASSERT_EQ(polled.status, 200) << polled.body;
    EXPECT_SPEC(polled, "GET", v3 + "/sync");
    // Woken by the send, not by the 30 s timeout.
    EXPECT_LT(returned - sent, std::chrono::seconds(5));
    const json events = timeline_events(room_of(polled.json(), room));
    ASSERT_EQ(events.size(), 1u) << polled.body;
    EXPECT_EQ(events[0].at("event_id"), id);
}

TEST_F(SyncTest, LongPollReturnsEmptyAfterTheTimeout)
{
    shared_room();
    const std::string since = sync().at("next_batch");
    const auto start = Clock::now();
    const json body = sync("timeout=200&since=" + enc(since));
    EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(150));
    EXPECT_TRUE(body.at("rooms").at("join").empty()) << body.dump();
    EXPECT_EQ(body.at("next_batch"), since);
}

TEST_F(SyncTest, LimitedTimelineAndPrevBatchContinueInMessages)
{
    const std::string room = shared_room();
    const std::string since = sync().at("next_batch");
    for (int i = 0; i < 15; ++i)
        text(room, alice_, "m" + std::to_string(i));

    const json filter = {{"room", {{"timeline", {{"limit", 5}}}}}};
    const json body = sync_since(since, "filter=" + enc(filter.dump()));
    const json joined = room_of(body, room);
    ASSERT_TRUE(joined.is_object()) << body.dump();
    EXPECT_TRUE(joined.at("timeline").at("limited").get<bool>());
    EXPECT_EQ(bodies(timeline_events(joined)),
              (std::vector<std::string>{"m10", "m11", "m12", "m13", "m14"}));

    const std::string prev = joined.at("timeline").at("prev_batch");
    auto res = get(room_path(room, "/messages?dir=b&limit=10&from=" + enc(prev)), owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(
        bodies(res.json().at("chunk")),
        (std::vector<std::string>{"m9", "m8", "m7", "m6", "m5", "m4", "m3", "m2", "m1", "m0"}));
}

TEST_F(SyncTest, LazyLoadedMembersAreTheTimelineSenders)
{
    const std::string room = shared_room();
    for (const Actor* who : {&bob_, &carol_}) {
        invite(room, owner_, *who);
        join(room, *who);
    }
    text(room, bob_, "bob talks");
    for (int i = 0; i < 3; ++i)
        text(room, alice_, "alice talks " + std::to_string(i));

    const json filter = {
        {"room", {{"timeline", {{"limit", 3}}}, {"state", {{"lazy_load_members", true}}}}}};
    const json body = sync("filter=" + enc(filter.dump()));
    const json joined = room_of(body, room);
    ASSERT_TRUE(joined.is_object()) << body.dump();
    std::set<std::string> members;
    for (const auto& event : joined.at("state").at("events"))
        if (event.at("type") == "m.room.member")
            members.insert(event.at("state_key").get<std::string>());
    EXPECT_EQ(members, (std::set<std::string>{owner_id, alice_.user_id})) << joined.dump();
    EXPECT_FALSE(find_state(joined.at("state").at("events"), "m.room.create").is_null());
    EXPECT_EQ(joined.at("summary").at("m.joined_member_count"), 4);
}

TEST_F(SyncTest, InvitesCarryStrippedState)
{
    const std::string since = sync().at("next_batch");
    const std::string room = create_room({{"name", "Alice's"}}, alice_);
    invite(room, alice_, owner_);

    for (const json& body : {sync_since(since), sync()}) {
        const json invited = room_of(body, room, "invite");
        ASSERT_TRUE(invited.is_object()) << body.dump();
        const json events = invited.at("invite_state").at("events");
        EXPECT_FALSE(find_state(events, "m.room.create").is_null());
        EXPECT_EQ(find_state(events, "m.room.name").at("content").at("name"), "Alice's");
        const json member = find_state(events, "m.room.member", owner_id);
        ASSERT_FALSE(member.is_null()) << events.dump();
        EXPECT_EQ(member.at("content").at("membership"), "invite");
        EXPECT_EQ(member.at("sender"), alice_.user_id);
        EXPECT_FALSE(member.contains("event_id"));
        EXPECT_TRUE(room_of(body, room).is_null());
    }
}

TEST_F(SyncTest, LeavesKicksAndBansAreInRoomsLeave)
{
    const std::string left = create_room({{"name", "Left"}}, alice_);
    const std::string kicked = create_room({{"name", "Kicked"}}, alice_);
    const std::string banned = create_room({{"name", "Banned"}}, alice_);
    for (const auto& room : {left, kicked, banned}) {
        invite(room, alice_, owner_);
        join(room, owner_);
    }
    const std::string since = sync().at("next_batch");

    EXPECT_EQ(member_op(left, "leave", owner_).status, 200);
    EXPECT_EQ(member_op(kicked, "kick", alice_, {{"user_id", owner_id}}).status, 200);
    EXPECT_EQ(member_op(banned, "ban", alice_, {{"user_id", owner_id}}).status, 200);
    text(kicked, alice_, "after the kick");

    const json body = sync_since(since);
    for (const auto& [room, membership] :
         {std::pair{left, "leave"}, std::pair{kicked, "leave"}, std::pair{banned, "ban"}}) {
        const json room_body = room_of(body, room, "leave");
        ASSERT_TRUE(room_body.is_object()) << room << " " << body.dump();
        const json events = timeline_events(room_body);
        ASSERT_FALSE(events.empty());
        EXPECT_EQ(events.back().at("type"), "m.room.member");
        EXPECT_EQ(events.back().at("state_key"), owner_id);
        EXPECT_EQ(events.back().at("content").at("membership"), membership);
        EXPECT_TRUE(room_of(body, room).is_null());
    }
    // Nothing sent after the kick reaches the owner.
    EXPECT_TRUE(bodies(timeline_events(room_of(body, kicked, "leave"))).empty());

    // An initial sync shows left rooms only with include_leave.
    EXPECT_TRUE(sync().at("rooms").at("leave").empty());
    const json filter = {{"room", {{"include_leave", true}}}};
    const json with_leave = sync("filter=" + enc(filter.dump()));
    for (const auto& room : {left, kicked, banned})
        EXPECT_TRUE(room_of(with_leave, room, "leave").is_object()) << room;
}

TEST_F(SyncTest, NewlyJoinedRoomComesWithItsState)
{
    const std::string room = create_room({{"name", "Later"}}, alice_);
    text(room, alice_, "before the owner");
    invite(room, alice_, owner_);
    const std::string since = sync().at("next_batch");
    join(room, owner_);
    const json joined = room_of(sync_since(since), room);
    ASSERT_TRUE(joined.is_object());
    json all = joined.at("state").at("events");
    for (const auto& event : timeline_events(joined))
        all.push_back(event);
    EXPECT_FALSE(find_state(all, "m.room.create").is_null());
    EXPECT_EQ(find_state(all, "m.room.name").at("content").at("name"), "Later");
}

TEST_F(SyncTest, AProfileChangeIsNotANewJoin)
{
    const std::string room = shared_room();
    for (int i = 0; i < 12; ++i)
        text(room, alice_, "m" + std::to_string(i));
    const std::string since = sync().at("next_batch");
    put_state(room, owner_, "m.room.member", owner_id,
              {{"membership", "join"}, {"displayname", "Boss"}});
    const json joined = room_of(sync_since(since), room);
    ASSERT_TRUE(joined.is_object());
    // Only the new member event, not the room again from the start.
    const json events = timeline_events(joined);
    ASSERT_EQ(events.size(), 1u) << events.dump();
    EXPECT_EQ(events[0].at("content").at("displayname"), "Boss");
    EXPECT_FALSE(joined.at("timeline").at("limited").get<bool>());
    EXPECT_TRUE(joined.at("state").at("events").empty());
}

TEST_F(SyncTest, BadTokensAndParametersAreRefused)
{
    // As Synapse answers a token it cannot parse.
    expect_error(sync_raw("since=garbage", owner_), 400, "M_UNKNOWN");
    expect_error(sync_raw("since=s1_x", owner_), 400, "M_UNKNOWN");
    expect_error(sync_raw("timeout=soon", owner_), 400, "M_INVALID_PARAM");
    expect_error(sync_raw("full_state=maybe", owner_), 400, "M_INVALID_PARAM");
    expect_error(sync_raw("set_presence=busy", owner_), 400, "M_INVALID_PARAM");
    EXPECT_EQ(sync_raw("set_presence=online", owner_).status, 200);
    // A token from an earlier process (ephemeral serial larger than now) still works.
    const std::string next = sync().at("next_batch");
    const std::string stream = next.substr(0, next.find('_'));
    EXPECT_EQ(sync_raw("timeout=0&since=" + enc(stream + "_999999"), owner_).status, 200);
}

TEST_F(SyncTest, FullStateRepeatsTheState)
{
    const std::string room = shared_room("Full");
    const std::string quiet = create_room({{"name", "Quiet"}});
    const std::string since = sync().at("next_batch");
    text(room, alice_, "one more");
    const json body = sync_since(since, "full_state=true");
    const json joined = room_of(body, room);
    ASSERT_TRUE(joined.is_object());
    EXPECT_EQ(find_state(joined.at("state").at("events"), "m.room.name").at("content").at("name"),
              "Full");
    // Every joined room, changed or not.
    const json unchanged = room_of(body, quiet);
    ASSERT_TRUE(unchanged.is_object()) << body.dump();
    EXPECT_TRUE(timeline_events(unchanged).empty());
    EXPECT_EQ(
        find_state(unchanged.at("state").at("events"), "m.room.name").at("content").at("name"),
        "Quiet");
}

} // namespace
} // namespace ravenous::test::sync
