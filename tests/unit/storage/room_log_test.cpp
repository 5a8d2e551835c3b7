#include "ravenous/storage/events_table.hpp"

#include "unit/storage/room_log_fixture.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage {
namespace {

using test::alice;
using test::bob;
using test::NewRow;
using Topos = std::vector<std::int64_t>;

class RoomLogPaging : public test::RoomLog
{
protected:
    // Ten messages in !a (topo 1..10), interleaved with ten in !b.
    void fill()
    {
        add_room("!a");
        add_room("!b");
        for (int i = 0; i < 10; ++i) {
            a_.push_back(message("!a"));
            message("!b");
        }
    }

    Topos page(std::int64_t from, Direction dir, int limit,
               std::optional<std::int64_t> to = std::nullopt)
    {
        return topos(
            read([&](ReadTxn& txn) { return events::page(txn, "!a", from, dir, limit, to); }));
    }

    std::vector<EventRow> a_;
};

TEST_F(RoomLogPaging, EmptyRoomHasBoundaryOneAndNoPages)
{
    add_room("!a");
    EXPECT_EQ(read([](ReadTxn& txn) { return events::end_boundary(txn, "!a"); }), 1);
    EXPECT_EQ(read([](ReadTxn& txn) { return events::start_boundary(txn, "!a"); }), 1);
    EXPECT_EQ(read([](ReadTxn& txn) { return events::boundary_at_stream(txn, "!a", 100); }), 1);
    EXPECT_TRUE(page(1, Direction::backward, 10).empty());
    EXPECT_TRUE(page(1, Direction::forward, 10).empty());
}

TEST_F(RoomLogPaging, CreationEventsSitInTheirOwnBandFarBelowLaterEvents)
{
    add_room("!a");
    std::vector<std::int64_t> creation;
    write([&](WriteTxn& txn) {
        for (int i = 0; i < 3; ++i)
            creation.push_back(
                append(txn, "!a", NewRow{.topo = events::next_creation_topo(txn, "!a")}).topo);
    });
    EXPECT_EQ(creation, (Topos{events::creation_topo_base, events::creation_topo_base + 1,
                               events::creation_topo_base + 2}));
    // The first later event starts the live band: the gap between is free for history.
    EXPECT_EQ(message("!a").topo, events::live_topo_start);
    EXPECT_EQ(message("!a").topo, events::live_topo_start + 1);
    EXPECT_EQ(read([](ReadTxn& txn) { return events::start_boundary(txn, "!a"); }),
              events::creation_topo_base);
    EXPECT_EQ(page(events::live_topo_start, Direction::backward, 10),
              (Topos{creation[2], creation[1], creation[0]}));
}

TEST_F(RoomLogPaging, BackwardPagesAreBelowFromNewestFirst)
{
    fill();
    EXPECT_EQ(read([](ReadTxn& txn) { return events::end_boundary(txn, "!a"); }), 11);
    EXPECT_EQ(read([](ReadTxn& txn) { return events::start_boundary(txn, "!a"); }), 1);
    EXPECT_EQ(page(11, Direction::backward, 3), (Topos{10, 9, 8}));
    EXPECT_EQ(page(8, Direction::backward, 3), (Topos{7, 6, 5})); // from = last row's topo
    EXPECT_EQ(page(3, Direction::backward, 3), (Topos{2, 1}));
    EXPECT_TRUE(page(1, Direction::backward, 3).empty());
    EXPECT_TRUE(page(11, Direction::backward, 0).empty());
    EXPECT_EQ(
        ids(read([](ReadTxn& txn) { return events::page(txn, "!a", 11, Direction::backward, 1); })),
        std::vector<std::string>{a_.back().event_id});
}

TEST_F(RoomLogPaging, BackwardPagesStopAtTo)
{
    fill();
    EXPECT_EQ(page(11, Direction::backward, 50, 8), (Topos{10, 9, 8})); // topo >= to
    EXPECT_EQ(page(6, Direction::backward, 2, 1), (Topos{5, 4}));
    EXPECT_TRUE(page(6, Direction::backward, 50, 6).empty());
}

TEST_F(RoomLogPaging, ForwardPagesAreFromOnOldestFirstAndStopBeforeTo)
{
    fill();
    EXPECT_EQ(page(1, Direction::forward, 3), (Topos{1, 2, 3}));
    EXPECT_EQ(page(4, Direction::forward, 3), (Topos{4, 5, 6})); // from = last row's topo + 1
    EXPECT_EQ(page(9, Direction::forward, 3), (Topos{9, 10}));
    EXPECT_TRUE(page(11, Direction::forward, 3).empty());
    EXPECT_EQ(page(4, Direction::forward, 50, 6), (Topos{4, 5})); // topo < to
    EXPECT_TRUE(page(4, Direction::forward, 50, 4).empty());
}

TEST_F(RoomLogPaging, BackfillGoesBeforeTheStartAndMovesTheStartBoundary)
{
    fill();
    write([&](WriteTxn& txn) {
        append(txn, "!a", NewRow{.topo = 0});
        append(txn, "!a", NewRow{.topo = -1});
    });
    EXPECT_EQ(read([](ReadTxn& txn) { return events::start_boundary(txn, "!a"); }), -1);
    EXPECT_EQ(read([](ReadTxn& txn) { return events::end_boundary(txn, "!a"); }), 11);
    EXPECT_EQ(page(2, Direction::backward, 10), (Topos{1, 0, -1}));
    EXPECT_EQ(page(-1, Direction::forward, 3), (Topos{-1, 0, 1}));
}

TEST_F(RoomLogPaging, BoundaryAtStreamIsJustAfterTheRoomsLastEventAtThatPosition)
{
    add_room("!a");
    add_room("!b");
    const auto b0 = message("!b");
    const auto a1 = message("!a");
    const auto a2 = message("!a");
    const auto b1 = message("!b");
    message("!a");
    auto at = [&](std::int64_t pos) {
        return read([&](ReadTxn& txn) { return events::boundary_at_stream(txn, "!a", pos); });
    };
    EXPECT_EQ(at(b0.stream_pos), 1); // before !a had events: its start boundary
    EXPECT_EQ(at(a1.stream_pos), a1.topo + 1);
    EXPECT_EQ(at(a2.stream_pos), a2.topo + 1);
    EXPECT_EQ(at(b1.stream_pos), a2.topo + 1);
    EXPECT_EQ(at(a2.stream_pos - 1), a1.topo + 1);

    // A backfilled event has a later stream position but an earlier topo: it moves neither
    // the boundary at the current position nor at the older ones.
    const auto back = append("!a", NewRow{.topo = -5});
    const auto now = read([](ReadTxn& txn) { return stream::current(txn); });
    EXPECT_EQ(back.stream_pos, now);
    EXPECT_EQ(at(now), read([](ReadTxn& txn) { return events::end_boundary(txn, "!a"); }));
    EXPECT_EQ(at(b0.stream_pos), -5); // no event then: the start boundary, now moved
}

TEST_F(RoomLogPaging, ClosestToTsBreaksTiesByTopo)
{
    add_room("!a");
    add_room("!b");
    const auto t100 = append("!a", NewRow{.ts = 100});
    const auto t200a = append("!a", NewRow{.ts = 200});
    const auto t200b = append("!a", NewRow{.ts = 200});
    const auto t300 = append("!a", NewRow{.ts = 300});
    append("!b", NewRow{.ts = 250});
    auto closest = [&](std::int64_t ts, Direction dir) -> std::string {
        auto row = read([&](ReadTxn& txn) { return events::closest_to_ts(txn, "!a", ts, dir); });
        return row ? row->event_id : "none";
    };
    EXPECT_EQ(closest(200, Direction::backward), t200b.event_id); // the last with ts <= t
    EXPECT_EQ(closest(299, Direction::backward), t200b.event_id);
    EXPECT_EQ(closest(100, Direction::backward), t100.event_id);
    EXPECT_EQ(closest(99, Direction::backward), "none");
    EXPECT_EQ(closest(200, Direction::forward), t200a.event_id); // the first with ts >= t
    EXPECT_EQ(closest(101, Direction::forward), t200a.event_id);
    EXPECT_EQ(closest(1000, Direction::backward), t300.event_id);
    EXPECT_EQ(closest(301, Direction::forward), "none");
}

TEST_F(RoomLogPaging, InsertKeepsEveryColumn)
{
    add_room("!a");
    EventRow row{7,  "!a",         3,    "$x",   "m.room.message", std::nullopt, alice,
                 99, R"({"a":1})", "$r", "$rel", "m.reference",    "DEV",        "txn1",
                 true, "whatsapp"};
    write([&](WriteTxn& txn) { events::insert(txn, row); });
    auto got = read([](ReadTxn& txn) { return events::get(txn, "$x"); });
    ASSERT_TRUE(got);
    EXPECT_EQ(got->stream_pos, 7);
    EXPECT_EQ(got->room_id, "!a");
    EXPECT_EQ(got->topo, 3);
    EXPECT_EQ(got->type, "m.room.message");
    EXPECT_EQ(got->state_key, std::nullopt);
    EXPECT_EQ(got->sender, alice);
    EXPECT_EQ(got->origin_server_ts, 99);
    EXPECT_EQ(got->json, R"({"a":1})");
    EXPECT_EQ(got->redacted_by, std::optional<std::string>{"$r"});
    EXPECT_EQ(got->relates_to, std::optional<std::string>{"$rel"});
    EXPECT_EQ(got->rel_type, std::optional<std::string>{"m.reference"});
    EXPECT_EQ(got->device_id, std::optional<std::string>{"DEV"});
    EXPECT_TRUE(got->silent);
    EXPECT_EQ(got->backfilled_by, std::optional<std::string>{"whatsapp"});
    EXPECT_EQ(got->txn_id, std::optional<std::string>{"txn1"});
    EXPECT_FALSE(read([](ReadTxn& txn) { return events::get(txn, "$missing"); }));
}

TEST_F(RoomLogPaging, GetManyLeavesOutMissingIds)
{
    fill();
    auto rows = read([&](ReadTxn& txn) {
        return events::get_many(txn, {a_[2].event_id, "$missing", a_[5].event_id});
    });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(sorted_ids(rows), sorted_ids({a_[2], a_[5]}));
    const auto& got = rows[0].event_id == a_[2].event_id ? rows[0] : rows[1];
    EXPECT_EQ(got.json, a_[2].json);
    EXPECT_EQ(got.topo, a_[2].topo);
    EXPECT_EQ(got.stream_pos, a_[2].stream_pos);
    EXPECT_EQ(got.origin_server_ts, a_[2].origin_server_ts);
}

} // namespace
} // namespace ravenous::storage
