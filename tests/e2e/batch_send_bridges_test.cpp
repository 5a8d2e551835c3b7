// Batch send, what bridges rely on: memberships inferred for the senders (history only when
// backward), mark_read_by, delivery to the other appservices of the room but never back to the
// sender, and the MSC2716 path of legacy Python bridges.

#include "batch_send_fixture.hpp"

#include <chrono>
#include <set>

namespace ravenous::test::batch {
namespace {

using namespace std::chrono_literals;

class BatchSendBridges : public BatchFixture
{
protected:
    bool delivered(const FakeBridge& bridge, const std::string& event_id)
    {
        for (const auto& event : bridge.events())
            if (event.value("event_id", "") == event_id)
                return true;
        return false;
    }
    bool wait_delivered(const FakeBridge& bridge, const std::string& event_id)
    {
        return bridge.wait_for([&](const FakeBridge& b) { return delivered(b, event_id); }, 10s);
    }

    // The m.read receipt of `user` in the room, as an initial /sync's ephemeral events say.
    std::string read_receipt(const std::string& room, const std::string& user)
    {
        const json joined = room_of(sync("timeout=0"), room);
        std::string at;
        for (const auto& edu : joined.at("ephemeral").at("events"))
            if (edu.value("type", "") == "m.receipt")
                for (const auto& [event_id, receipt] : edu.at("content").items())
                    if (receipt.contains("m.read") && receipt.at("m.read").contains(user))
                        at = event_id;
        return at;
    }

    // The ids of the room's current state events.
    std::set<std::string> state_ids(const std::string& room)
    {
        std::set<std::string> ids;
        for (const auto& event : full_state(room))
            ids.insert(event.at("event_id").get<std::string>());
        return ids;
    }
};

TEST_F(BatchSendBridges, BackwardSendersJoinInHistoryOnlyWithTheirNames)
{
    const std::string room = portal();
    auto named = put(v3 + "/profile/" + enc(bob_.user_id) + "/displayname",
                     {{"displayname", "Bob Remote"}}, bob_);
    ASSERT_EQ(named.status, 200) << named.body;
    const auto state_before = state_ids(room);
    backward(room, json::array({message(bob_.user_id, "from the past")}));

    // /messages with lazy-loaded members names the sender as he was then: joined, with his name.
    auto res = get(room_path(room, "/messages?dir=b&limit=50&filter=" +
                                       enc(R"({"lazy_load_members":true})")),
                   owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    const json page = res.json();
    const json member = find_state(page.value("state", json::array()), "m.room.member",
                                   bob_.user_id);
    ASSERT_TRUE(member.is_object()) << page.dump().substr(0, 1000);
    EXPECT_EQ(member.at("content").value("membership", ""), "join");
    EXPECT_EQ(member.at("content").value("displayname", ""), "Bob Remote");
    // History only: the room's state and members are as they were.
    EXPECT_EQ(state_ids(room), state_before);
    EXPECT_EQ(membership(room, bob_.user_id), "");
    auto members = get(room_path(room, "/joined_members"), owner_);
    ASSERT_EQ(members.status, 200) << members.body;
    EXPECT_FALSE(members.json().at("joined").contains(bob_.user_id));
    // The state at the end of the log, as the log gives it, does not hold the history's join.
    auto newest = get(room_path(room, "/messages?dir=b&limit=1"), owner_);
    ASSERT_EQ(newest.status, 200) << newest.body;
    const std::string now = newest.json().at("start");
    auto at_end = get(room_path(room, "/members?at=" + enc(now)), owner_);
    ASSERT_EQ(at_end.status, 200) << at_end.body;
    EXPECT_TRUE(find_state(at_end.json().at("chunk"), "m.room.member", bob_.user_id).is_null())
        << at_end.body;
}

TEST_F(BatchSendBridges, ForwardSendersJoinForRealBeforeTheirFirstEvent)
{
    const std::string room = portal();
    const std::string since = sync("timeout=0").at("next_batch");
    batch(room, {{"events", messages({carol_.user_id}, "now ", 2)}, {"forward", true}});
    EXPECT_EQ(membership(room, carol_.user_id), "join");
    const json events = timeline_events(room_of(sync_since(since), room));
    ASSERT_EQ(events.size(), 3u) << events.dump();
    EXPECT_EQ(events[0].value("type", ""), "m.room.member");
    EXPECT_EQ(events[0].value("state_key", ""), carol_.user_id);
    EXPECT_EQ(bodies(events), numbered("now ", 0, 1));

    // A banned sender is not joined back by a batch.
    ASSERT_EQ(member_op(room, "ban", owner_, {{"user_id", bob_.user_id}}).status, 200);
    const auto before = fingerprint(room);
    expect_error(batch_raw(room, {{"events", {message(bob_.user_id, "x")}}, {"forward", true}},
                           bot_),
                 403, "M_FORBIDDEN");
    EXPECT_EQ(fingerprint(room), before);
}

TEST_F(BatchSendBridges, MarkReadByMovesTheReceiptToTheLastEventOfAForwardBatch)
{
    const std::string room = portal();
    const Actor personal = register_appservice("personal", {}, {"@owner:test\\.local"});
    invite(room, owner_, personal);
    join(room, personal);
    text(room, alice_, "unread");
    ASSERT_EQ(unread(room).value("notification_count", -1), 1);

    const std::string dan = "@personal_dan:test.local";
    const auto sent = batch(room, {{"events", messages({dan}, "read ", 3)},
                                   {"forward", true},
                                   {"send_notification", true},
                                   {"mark_read_by", owner_id}},
                            &personal);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(read_receipt(room, owner_id), sent.back());
    EXPECT_EQ(unread(room).value("notification_count", -1), 0);

    // A backward batch never moves it (it would go back in time).
    backward(room, messages({alice_.user_id}, "old ", 2));
    auto res = batch_raw(room, {{"events", messages({dan}, "older ", 1)},
                                {"mark_read_by", owner_id}},
                         personal);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(read_receipt(room, owner_id), sent.back());
    // Nor may a bridge mark it for a user it cannot act as.
    expect_error(batch_raw(room, {{"events", messages({alice_.user_id}, "x ", 1)},
                                  {"forward", true},
                                  {"mark_read_by", owner_id}},
                           bot_),
                 403, "M_FORBIDDEN");
}

TEST_F(BatchSendBridges, OtherAppservicesOfTheRoomGetTheBatchTheSenderDoesNot)
{
    FakeBridge telegram_bridge{"telegram-hs"};
    const Actor telegram = register_appservice("telegram", telegram_bridge.url());
    const Actor tom = as_user(telegram, "@telegram_tom:test.local");
    ASSERT_EQ(get(v3 + "/account/whoami", tom).status, 200); // created on first use
    const std::string room = portal();
    invite(room, owner_, tom);
    join(room, tom);

    const auto history = backward(room, messages({alice_.user_id, bob_.user_id}, "old ", 3));
    const auto forward = batch(room, {{"events", messages({alice_.user_id}, "new ", 2)},
                                      {"forward", true}});
    const std::string marker = text(room, alice_, "marker");
    ASSERT_TRUE(wait_delivered(telegram_bridge, marker));
    ASSERT_TRUE(wait_delivered(*bridge_, marker));
    for (const auto* ids : {&history, &forward})
        for (const auto& id : *ids) {
            EXPECT_TRUE(delivered(telegram_bridge, id)) << id;
            EXPECT_FALSE(delivered(*bridge_, id)) << id;
        }
    // History's state (the joins inferred for it) is no state of the room now: nobody gets it.
    for (const auto& event : telegram_bridge.events()) {
        if (event.value("type", "") == "m.room.member") {
            EXPECT_NE(event.value("state_key", ""), bob_.user_id) << event.dump();
        }
    }
}

TEST_F(BatchSendBridges, TheMsc2716PathOfPythonBridges)
{
    const std::string room = portal();
    const std::string live = text(room, alice_, "live");
    const std::string path = msc2716_prefix + enc(room) + "/batch_send?prev_event_id=" + enc(live);
    const json join = {{"type", "m.room.member"},
                       {"sender", bob_.user_id},
                       {"state_key", bob_.user_id},
                       {"origin_server_ts", history_ts},
                       {"content", {{"membership", "join"}, {"displayname", "Bob Legacy"}}}};
    auto res = post(path, {{"state_events_at_start", {join}},
                           {"events", messages({bob_.user_id}, "legacy ", 2)}},
                    bot_);
    ASSERT_EQ(res.status, 200) << res.body;
    const json first = res.json();
    EXPECT_EQ(first.at("state_event_ids").size(), 1u);
    ASSERT_EQ(first.at("event_ids").size(), 2u);
    for (const char* key : {"next_batch_id", "insertion_event_id", "batch_event_id",
                            "base_insertion_event_id"})
        EXPECT_TRUE(first.contains(key) && first.at(key).is_string()) << key;

    // The next older batch, with the batch id the bridge was given.
    res = post(path + "&batch_id=" + enc(first.at("next_batch_id").get<std::string>()),
               {{"events", messages({bob_.user_id}, "older ", 1)}}, bot_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(bodies(history(room)), (std::vector<std::string>{"live", "legacy 1", "legacy 0",
                                                               "older 0"}));
    EXPECT_EQ(membership(room, bob_.user_id), "");

    // com.beeper.new_messages: a forward batch, synced.
    const std::string since = sync("timeout=0").at("next_batch");
    res = post(msc2716_prefix + enc(room) + "/batch_send?com.beeper.new_messages=true",
               {{"events", messages({alice_.user_id}, "fresh ", 1)}}, bot_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(bodies(timeline_events(room_of(sync_since(since), room))),
              std::vector<std::string>{"fresh 0"});
    expect_error(post(msc2716_prefix + enc(room) + "/batch_send", {{"events", 3}}, bot_), 400,
                 "M_BAD_JSON");
}

} // namespace
} // namespace ravenous::test::batch
