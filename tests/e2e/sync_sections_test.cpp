// /sync sections other services feed: typing and receipts (ephemeral), account data; and
// lazy-loaded members in incremental syncs.

#include "support/spec_assert.hpp"
#include "sync_fixture.hpp"

#include <chrono>
#include <thread>

namespace ravenous::test::sync {
namespace {

using Clock = std::chrono::steady_clock;

class SyncSectionsTest : public SyncFixture
{
protected:
    // The ephemeral event of `type` in a joined room of a response (null if none).
    static json ephemeral_event(const json& body, const std::string& room, std::string_view type)
    {
        const json joined = room_of(body, room);
        if (!joined.is_object())
            return json();
        for (const auto& event : joined.at("ephemeral").at("events"))
            if (event.value("type", "") == type)
                return event;
        return json();
    }
};

TEST_F(SyncSectionsTest, TypingWakesALongPoll)
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
    const auto typed = Clock::now();
    auto res = put(room_path(room, "/typing/" + enc(alice_.user_id)),
                   {{"typing", true}, {"timeout", 20000}}, alice_);
    EXPECT_EQ(res.status, 200) << res.body;
    thread.join();

    ASSERT_EQ(polled.status, 200) << polled.body;
    EXPECT_SPEC(polled, "GET", v3 + "/sync");
    EXPECT_LT(returned - typed, std::chrono::seconds(5));
    const json typing = ephemeral_event(polled.json(), room, "m.typing");
    ASSERT_FALSE(typing.is_null()) << polled.body;
    EXPECT_EQ(typing.at("content").at("user_ids"), json::array({alice_.user_id}));

    // Stopping is news too: the room comes back with an empty list.
    res = put(room_path(room, "/typing/" + enc(alice_.user_id)), {{"typing", false}}, alice_);
    EXPECT_EQ(res.status, 200) << res.body;
    const json stopped = sync_since(polled.json().at("next_batch"));
    const json stop = ephemeral_event(stopped, room, "m.typing");
    ASSERT_FALSE(stop.is_null()) << stopped.dump();
    EXPECT_EQ(stop.at("content").at("user_ids"), json::array());
}

TEST_F(SyncSectionsTest, ReceiptsAreInEphemeral)
{
    const std::string room = shared_room();
    const std::string id = text(room, owner_, "read me");
    const std::string since = sync().at("next_batch");
    auto res = post(room_path(room, "/receipt/m.read/" + enc(id)), json::object(), alice_);
    ASSERT_EQ(res.status, 200) << res.body;
    const json body = sync_since(since);
    const json receipt = ephemeral_event(body, room, "m.receipt");
    ASSERT_FALSE(receipt.is_null()) << body.dump();
    EXPECT_TRUE(receipt.at("content").at(id).at("m.read").contains(alice_.user_id));
}

TEST_F(SyncSectionsTest, AccountDataAndItsFilter)
{
    const std::string room = shared_room();
    const std::string since = sync().at("next_batch");
    const std::string user_path = v3 + "/user/" + enc(owner_id);
    ASSERT_EQ(put(user_path + "/account_data/org.example.global", {{"a", 1}}, owner_).status, 200);
    ASSERT_EQ(put(user_path + "/rooms/" + enc(room) + "/account_data/org.example.room", {{"b", 2}},
                  owner_)
                  .status,
              200);

    const json body = sync_since(since);
    bool found = false;
    for (const auto& event : body.at("account_data").at("events"))
        if (event.at("type") == "org.example.global") {
            found = true;
            EXPECT_EQ(event.at("content"), json({{"a", 1}}));
        }
    EXPECT_TRUE(found) << body.dump();
    const json joined = room_of(body, room);
    ASSERT_TRUE(joined.is_object()) << body.dump();
    const json room_events = joined.at("account_data").at("events");
    ASSERT_EQ(room_events.size(), 1u) << room_events.dump();
    EXPECT_EQ(room_events[0].at("type"), "org.example.room");

    const json filter = {{"account_data", {{"not_types", {"org.example.*"}}}},
                         {"room", {{"account_data", {{"not_types", {"org.example.*"}}}}}}};
    const json filtered = sync_since(since, "filter=" + enc(filter.dump()));
    for (const auto& event : filtered.at("account_data").at("events"))
        EXPECT_NE(event.at("type"), "org.example.global");
    EXPECT_TRUE(room_of(filtered, room).is_null()) << filtered.dump();
}

TEST_F(SyncSectionsTest, IncrementalLazyLoadingSendsNewSendersMembers)
{
    const std::string room = shared_room();
    invite(room, owner_, bob_);
    join(room, bob_);
    const json filter = {{"room", {{"state", {{"lazy_load_members", true}}}}}};
    const std::string query = "filter=" + enc(filter.dump());
    const std::string since = sync(query).at("next_batch");
    text(room, bob_, "bob speaks");
    const json joined = room_of(sync_since(since, query), room);
    ASSERT_TRUE(joined.is_object());
    const json member = find_state(joined.at("state").at("events"), "m.room.member", bob_.user_id);
    ASSERT_FALSE(member.is_null()) << joined.dump();
    EXPECT_EQ(member.at("content").at("membership"), "join");
}

} // namespace
} // namespace ravenous::test::sync

namespace ravenous::test::sync {
namespace {

// The owner's push rules reach clients as m.push_rules global account data: all of them in an
// initial sync, again after a change.
class SyncPushRules : public SyncFixture
{
protected:
    static bool has_push_rules(const json& body)
    {
        if (!body.contains("account_data"))
            return false;
        for (const auto& event : body.at("account_data").at("events"))
            if (event.at("type") == "m.push_rules")
                return event.at("content").at("global").contains("override");
        return false;
    }
};

TEST_F(SyncPushRules, InitialSyncCarriesThemAndAChangeSendsThemAgain)
{
    create_room();  // a log that has begun: a token at position 0 reads as "from the start"
    const json first = sync();
    EXPECT_TRUE(has_push_rules(first));
    const std::string since = first.at("next_batch");
    const json second = sync_since(since);
    EXPECT_FALSE(has_push_rules(second)) << since << " " << second.dump().substr(0, 600);

    auto res = put(v3 + "/pushrules/global/override/.m.rule.master/enabled", {{"enabled", true}},
                   owner_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_TRUE(has_push_rules(sync_since(since)));
}

} // namespace
} // namespace ravenous::test
