#include "ravenous/push/ruleset.hpp"
#include "ravenous/storage/push_rules_table.hpp"
#include "sync/sections.hpp"
#include "unit/storage/room_log_fixture.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage::test {
namespace {

using nlohmann::json;

// The room log fixture with the owner (bob, localpart "bob") joined after alice. Room ids are
// unique per test: unread counts are cached in memory by room and log end.
class UnreadCounts : public RoomLog
{
protected:
    std::string room(const std::string& name)
    {
        const std::string id = "!" + name + ":example.org";
        add_room(id);
        member(id, alice, "join");
        return id;
    }
    EventRow say(const std::string& room_id, const std::string& body,
                 const std::string& sender = alice,
                 std::optional<std::string> thread = std::nullopt)
    {
        NewRow row{.sender = sender, .content = {{"msgtype", "m.text"}, {"body", body}}};
        if (thread) {
            row.relates_to = *thread;
            row.rel_type = "m.thread";
        }
        return append(room_id, row);
    }
    void receipt(const std::string& room_id, const EventRow& event,
                 const std::string& type = "m.read", const std::string& thread = "")
    {
        write([&](WriteTxn& txn) {
            txn.prepare(
                   "INSERT OR REPLACE INTO receipts (room_id, user_id, receipt_type, thread_id, "
                   "event_id, ts, stream_pos) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind_all(room_id, bob, type, thread, event.event_id, std::int64_t{1},
                          stream::next(txn))
                .run();
        });
    }
    sync::sections::UnreadCounts counts(const std::string& room_id)
    {
        return read([&](ReadTxn& txn) { return sync::sections::unread_counts(txn, bob, room_id); });
    }
    static std::int64_t notes(const sync::sections::UnreadCounts& c)
    {
        return c.room.at("notification_count").get<std::int64_t>();
    }
    static std::int64_t highlights(const sync::sections::UnreadCounts& c)
    {
        return c.room.at("highlight_count").get<std::int64_t>();
    }
};

TEST_F(UnreadCounts, CountsMessagesAfterJoinAndHighlightsMentions)
{
    const auto r = room("counts");
    say(r, "before bob joined");
    member(r, bob, "join");
    say(r, "one");
    say(r, "two");
    say(r, "hey bob, look");
    say(r, "mine", bob);
    const auto c = counts(r);
    EXPECT_EQ(notes(c), 3);
    EXPECT_EQ(highlights(c), 1);
    EXPECT_TRUE(c.threads.empty());
}

TEST_F(UnreadCounts, ReadReceiptResetsEitherKind)
{
    const auto r = room("receipts");
    member(r, bob, "join");
    say(r, "one");
    const auto second = say(r, "two");
    say(r, "three");
    receipt(r, second);
    EXPECT_EQ(notes(counts(r)), 1);
    const auto last = say(r, "four");
    EXPECT_EQ(notes(counts(r)), 2);
    receipt(r, last, "m.read.private");
    EXPECT_EQ(notes(counts(r)), 0);
}

TEST_F(UnreadCounts, ThreadsAreCountedPerRootAndReadSeparately)
{
    const auto r = room("threads");
    member(r, bob, "join");
    const auto root = say(r, "root");
    say(r, "reply 1", alice, root.event_id);
    const auto reply = say(r, "reply 2 for bob", alice, root.event_id);
    auto c = counts(r);
    EXPECT_EQ(notes(c), 3);
    ASSERT_TRUE(c.threads.contains(root.event_id));
    EXPECT_EQ(c.threads[root.event_id]["notification_count"], 2);
    EXPECT_EQ(c.threads[root.event_id]["highlight_count"], 1);

    receipt(r, reply, "m.read", root.event_id);
    c = counts(r);
    EXPECT_EQ(notes(c), 1); // the root, in the main timeline
    EXPECT_TRUE(c.threads.empty());
    receipt(r, root, "m.read", "main");
    EXPECT_EQ(notes(counts(r)), 0);
}

TEST_F(UnreadCounts, UserRulesApply)
{
    const auto r = room("rules");
    member(r, bob, "join");
    say(r, "one");
    EXPECT_EQ(notes(counts(r)), 1);
    write([&](WriteTxn& txn) {
        push_rules::put(txn, bob, PushRuleRow{"room", r, 1, "{}", true, "[]"});
        push_rules::mark_changed(txn, bob);
    });
    EXPECT_EQ(notes(counts(r)), 0);
    const json data = read([&](ReadTxn& txn) { return push::push_rules_account_data(txn, bob); });
    EXPECT_EQ(data.at("global").at("room")[0].at("rule_id"), r);
}

} // namespace
} // namespace ravenous::storage::test
