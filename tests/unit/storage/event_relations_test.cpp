#include "ravenous/storage/events_table.hpp"

#include "unit/storage/room_log_fixture.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <map>

namespace ravenous::storage {
namespace {

using test::alice;
using test::bob;
using test::NewRow;
using Ids = std::vector<std::string>;
using nlohmann::json;

const std::string carol = "@carol:example.org";
constexpr auto top = std::numeric_limits<std::int64_t>::max();

class Relations : public test::RoomLog
{
protected:
    Relations()
    {
        add_room("!a");
        add_room("!b");
    }

    EventRow relate(const std::string& to, const std::string& rel_type,
                    const std::string& sender = alice, std::string type = "m.room.message",
                    std::optional<std::int64_t> ts = std::nullopt, json content = json::object())
    {
        return append("!a", NewRow{.type = std::move(type),
                                   .sender = sender,
                                   .content = std::move(content),
                                   .ts = ts,
                                   .relates_to = to,
                                   .rel_type = rel_type});
    }
    EventRow edit(const std::string& to, const std::string& sender, std::int64_t ts)
    {
        return relate(to, "m.replace", sender, "m.room.message", ts,
                      {{"m.new_content", {{"body", "edited"}}}});
    }
    EventRow reply(const std::string& root, const std::string& sender = alice)
    {
        return relate(root, "m.thread", sender);
    }

    Ids relations(const std::string& id, std::optional<std::string> rel_type,
                  std::optional<std::string> type, std::int64_t from, Direction dir, int limit,
                  std::optional<std::int64_t> to = std::nullopt)
    {
        return ids(read([&](ReadTxn& txn) {
            return events::relations(txn, "!a", id, rel_type, type, from, dir, limit, to);
        }));
    }

    std::map<std::string, std::string> latest_edits(const Ids& originals)
    {
        std::map<std::string, std::string> out;
        for (auto& [id, row] :
             read([&](ReadTxn& txn) { return events::latest_edits(txn, originals); })) {
            out[id] = row.event_id;
        }
        return out;
    }
};

TEST_F(Relations, ArePagedByTopoAndFilteredByRelTypeAndEventType)
{
    const auto root = message("!a");
    const auto r1 = relate(root.event_id, "m.annotation", alice, "m.reaction");
    const auto t1 = reply(root.event_id);
    const auto r2 = relate(root.event_id, "m.annotation", bob, "m.reaction");
    const auto ref = relate(root.event_id, "m.reference");
    const auto r3 = relate(root.event_id, "m.annotation", carol, "m.reaction");
    message("!a");
    append("!b", NewRow{.relates_to = root.event_id, .rel_type = "m.annotation"}); // other room

    EXPECT_EQ(relations(root.event_id, {}, {}, top, Direction::backward, 10),
              (Ids{r3.event_id, ref.event_id, r2.event_id, t1.event_id, r1.event_id}));
    EXPECT_EQ(relations(root.event_id, {}, {}, r2.topo, Direction::backward, 10, t1.topo),
              (Ids{t1.event_id}));
    EXPECT_EQ(relations(root.event_id, {}, {}, 1, Direction::forward, 2),
              (Ids{r1.event_id, t1.event_id}));
    EXPECT_EQ(relations(root.event_id, "m.annotation", {}, top, Direction::backward, 2),
              (Ids{r3.event_id, r2.event_id}));
    EXPECT_EQ(relations(root.event_id, "m.annotation", {}, r2.topo, Direction::backward, 2),
              (Ids{r1.event_id}));
    EXPECT_EQ(
        relations(root.event_id, "m.annotation", {}, r1.topo + 1, Direction::forward, 5, r3.topo),
        (Ids{r2.event_id}));
    EXPECT_EQ(relations(root.event_id, {}, "m.room.message", top, Direction::backward, 10),
              (Ids{ref.event_id, t1.event_id}));
    EXPECT_EQ(
        relations(root.event_id, "m.annotation", "m.room.message", top, Direction::backward, 10),
        Ids{});
    EXPECT_TRUE(relations(root.event_id, {}, {}, top, Direction::backward, 0).empty());
    EXPECT_TRUE(relations("$unrelated", {}, {}, top, Direction::backward, 10).empty());
}

TEST_F(Relations, LatestEditIsTheNewestValidOneByTheOriginalSender)
{
    const auto root = message("!a"); // by alice
    const auto plain = message("!a");
    edit(root.event_id, alice, 5'000'000);
    const auto latest = edit(root.event_id, alice, 9'000'000);
    edit(root.event_id, alice, 6'000'000); // later in the log, but older by ts
    edit(root.event_id, bob, 10'000'000);  // another sender: ignored
    relate(root.event_id, "m.replace", alice, "m.room.message", 11'000'000); // no m.new_content
    relate(root.event_id, "m.replace", alice, "m.sticker", 12'000'000,
           {{"m.new_content", json::object()}}); // another type
    const auto bobs = message("!a", bob);
    const auto bobs_edit = edit(bobs.event_id, bob, 1);
    edit(latest.event_id, alice, 13'000'000); // an edit of an edit is not one

    const auto edits =
        latest_edits({root.event_id, plain.event_id, bobs.event_id, latest.event_id, "$missing"});
    EXPECT_EQ(edits, (std::map<std::string, std::string>{{root.event_id, latest.event_id},
                                                         {bobs.event_id, bobs_edit.event_id}}));
}

TEST_F(Relations, EncryptedEditsNeedNoVisibleNewContent)
{
    const auto root = append("!a", NewRow{.type = "m.room.encrypted"});
    const auto enc = relate(root.event_id, "m.replace", alice, "m.room.encrypted");
    EXPECT_EQ(latest_edits({root.event_id}),
              (std::map<std::string, std::string>{{root.event_id, enc.event_id}}));
}

TEST_F(Relations, ARedactedEditOrReplyNoLongerCounts)
{
    const auto root = message("!a");
    const auto first = edit(root.event_id, alice, 5'000'000);
    const auto second = edit(root.event_id, alice, 6'000'000);
    const auto r1 = reply(root.event_id, bob);
    const auto r2 = reply(root.event_id, bob);
    write([&](WriteTxn& txn) {
        events::set_redacted(txn, second.event_id, R"({"redacted":true})", "$redaction1");
        events::set_redacted(txn, r2.event_id, R"({"redacted":true})", "$redaction2");
    });
    auto row = read([&](ReadTxn& txn) { return events::get(txn, second.event_id); });
    ASSERT_TRUE(row);
    EXPECT_EQ(row->json, R"({"redacted":true})");
    EXPECT_EQ(row->redacted_by, std::optional<std::string>{"$redaction1"});
    EXPECT_FALSE(row->relates_to);
    EXPECT_EQ(latest_edits({root.event_id}),
              (std::map<std::string, std::string>{{root.event_id, first.event_id}}));
    auto summaries =
        read([&](ReadTxn& txn) { return events::thread_summaries(txn, {root.event_id}, alice); });
    ASSERT_EQ(summaries.size(), 1u);
    EXPECT_EQ(summaries[0].count, 1);
    EXPECT_EQ(summaries[0].latest.event_id, r1.event_id);
}

TEST_F(Relations, ThreadSummariesCountRepliesAndKnowWhoParticipated)
{
    const auto root1 = message("!a", alice);
    const auto root2 = message("!a", bob);
    const auto root3 = message("!a", bob);
    const auto lonely = message("!a", alice);
    reply(root1.event_id, bob);
    reply(root2.event_id, bob);
    relate(root1.event_id, "m.annotation", carol, "m.reaction"); // not a reply
    const auto last1 = reply(root1.event_id, bob);
    const auto last2 = reply(root2.event_id, alice);
    const auto last3 = reply(root3.event_id, carol);

    auto summaries = read([&](ReadTxn& txn) {
        return events::thread_summaries(
            txn, {root3.event_id, root1.event_id, lonely.event_id, root2.event_id}, alice);
    });
    ASSERT_EQ(summaries.size(), 3u);
    EXPECT_EQ(summaries[0].root_id, root3.event_id);
    EXPECT_EQ(summaries[0].count, 1);
    EXPECT_EQ(summaries[0].latest.event_id, last3.event_id);
    EXPECT_FALSE(summaries[0].participated);
    EXPECT_EQ(summaries[1].root_id, root1.event_id);
    EXPECT_EQ(summaries[1].count, 2);
    EXPECT_EQ(summaries[1].latest.event_id, last1.event_id);
    EXPECT_EQ(summaries[1].latest.json, last1.json);
    EXPECT_TRUE(summaries[1].participated); // alice sent the root
    EXPECT_EQ(summaries[2].root_id, root2.event_id);
    EXPECT_EQ(summaries[2].count, 2);
    EXPECT_EQ(summaries[2].latest.event_id, last2.event_id);
    EXPECT_TRUE(summaries[2].participated); // alice replied
}

TEST_F(Relations, ThreadRootsAreOrderedByLatestReplyAndPaged)
{
    const auto r1 = message("!a", alice);
    const auto r2 = message("!a", bob);
    const auto r3 = message("!a", bob);
    message("!a");
    reply(r1.event_id, bob);
    reply(r3.event_id, bob);
    reply(r2.event_id, alice);
    const auto last = reply(r1.event_id, bob);
    append("!b", NewRow{.relates_to = r3.event_id, .rel_type = "m.thread"}); // other room

    auto roots = [&](std::int64_t from, int limit, std::optional<std::string> who = std::nullopt) {
        return ids(
            read([&](ReadTxn& txn) { return events::thread_roots(txn, "!a", from, limit, who); }));
    };
    const auto end = read([](ReadTxn& txn) { return events::end_boundary(txn, "!a"); });
    EXPECT_EQ(roots(end, 10), (Ids{r1.event_id, r2.event_id, r3.event_id}));
    EXPECT_EQ(roots(end, 2), (Ids{r1.event_id, r2.event_id}));
    // The next page starts at the last root's latest reply topo.
    auto summary =
        read([&](ReadTxn& txn) { return events::thread_summaries(txn, {r2.event_id}, alice); });
    EXPECT_EQ(roots(summary.at(0).latest.topo, 2), (Ids{r3.event_id}));
    EXPECT_EQ(roots(last.topo, 10), (Ids{r2.event_id, r3.event_id}));  // r1's latest is not < from
    EXPECT_EQ(roots(end, 10, alice), (Ids{r1.event_id, r2.event_id})); // sent r1, replied in r2
    EXPECT_EQ(roots(end, 10, carol), Ids{});
    EXPECT_TRUE(roots(end, 0).empty());
}

} // namespace
} // namespace ravenous::storage
