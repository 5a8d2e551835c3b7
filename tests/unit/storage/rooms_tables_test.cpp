#include "ravenous/storage/rooms_table.hpp"

#include "unit/storage/room_log_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <gtest/gtest.h>

#include <atomic>

namespace ravenous::storage {
namespace {

namespace asio = boost::asio;
using test::alice;
using test::bob;
using test::NewRow;
using Ids = std::vector<std::string>;

class RoomTables : public test::RoomLog
{
protected:
    std::int64_t count_rows(const std::string& table, const std::string& room_id)
    {
        return read([&](ReadTxn& txn) {
            auto& stmt = txn.prepare("SELECT count(*) FROM " + table + " WHERE room_id = ?");
            stmt.bind_all(room_id).step();
            return stmt.column_int(0);
        });
    }
};

TEST_F(RoomTables, StreamNextCountsUpAndCurrentReadsIt)
{
    EXPECT_EQ(read([](ReadTxn& txn) { return stream::current(txn); }), 0);
    std::int64_t first = 0, second = 0;
    write([&](WriteTxn& txn) {
        first = stream::next(txn);
        second = stream::next(txn);
    });
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 2);
    EXPECT_EQ(read([](ReadTxn& txn) { return stream::current(txn); }), 2);
}

TEST_F(RoomTables, AFailedJobGivesItsStreamPositionsAndEventsBack)
{
    add_room("!a");
    std::int64_t before = read([](ReadTxn& txn) { return stream::current(txn); });
    std::int64_t a = 0, c = 0;
    std::atomic<int> ok{0}, failed{0};
    auto count = [&](std::exception_ptr e) { ++(e ? failed : ok); };
    {
        // a, b and c share one batch; b throws after taking a position and inserting.
        test::WriterBlocker blocker{db_->writer()};
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                a = co_await db_->writer().submit(
                    [&](WriteTxn& txn) { return append(txn, "!a", {}).stream_pos; });
            },
            count);
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                co_await db_->writer().submit([&](WriteTxn& txn) {
                    append(txn, "!a", {});
                    throw std::runtime_error("the job fails after stream::next");
                });
            },
            count);
        asio::co_spawn(
            ioc_,
            [&]() -> asio::awaitable<void> {
                c = co_await db_->writer().submit(
                    [&](WriteTxn& txn) { return append(txn, "!a", {}).stream_pos; });
            },
            count);
        ioc_.poll();
    }
    run_until_idle();
    EXPECT_EQ(ok, 2);
    EXPECT_EQ(failed, 1);
    EXPECT_EQ(a, before + 1);
    EXPECT_EQ(c, before + 2); // b's position was rolled back with it
    EXPECT_EQ(read([](ReadTxn& txn) { return stream::current(txn); }), before + 2);
    auto log =
        read([](ReadTxn& txn) { return events::page(txn, "!a", 100, Direction::backward, 10); });
    EXPECT_EQ(topos(log), (std::vector<std::int64_t>{2, 1})); // b's topo was given back too
}

TEST_F(RoomTables, RoomRoundTripAndPublicFlag)
{
    write([](WriteTxn& txn) { rooms::insert(txn, RoomRow{"!a", "11", bob, true, 1234}); });
    auto room = read([](ReadTxn& txn) { return rooms::get(txn, "!a"); });
    ASSERT_TRUE(room);
    EXPECT_EQ(room->room_version, "11");
    EXPECT_EQ(room->creator, bob);
    EXPECT_TRUE(room->is_public);
    EXPECT_EQ(room->created_ts, 1234);
    write([](WriteTxn& txn) { rooms::set_public(txn, "!a", false); });
    EXPECT_FALSE(read([](ReadTxn& txn) { return rooms::get(txn, "!a"); })->is_public);
    EXPECT_FALSE(read([](ReadTxn& txn) { return rooms::get(txn, "!missing"); }));
    try {
        write([](WriteTxn& txn) { rooms::insert(txn, RoomRow{"!a", "10", alice, false, 1}); });
        ADD_FAILURE() << "a second insert of the room did not throw";
    } catch (const Error& e) {
        EXPECT_TRUE(e.is_unique_violation());
    }
}

TEST_F(RoomTables, MembershipsAreUpsertedForgottenAndCounted)
{
    add_room("!a");
    add_room("!b");
    member("!a", alice, "join");
    member("!b", alice, "join");
    member("!a", bob, "invite");
    auto row = read([](ReadTxn& txn) { return memberships::get(txn, "!a", bob); });
    ASSERT_TRUE(row);
    EXPECT_EQ(row->membership, "invite");
    EXPECT_FALSE(row->forgotten);
    const auto join = member("!a", bob, "join");
    row = read([](ReadTxn& txn) { return memberships::get(txn, "!a", bob); });
    EXPECT_EQ(row->membership, "join");
    EXPECT_EQ(row->stream_pos, join.stream_pos);
    EXPECT_EQ(read([](ReadTxn& txn) { return memberships::count(txn, "!a", "join"); }), 2);
    EXPECT_EQ(read([](ReadTxn& txn) { return memberships::count(txn, "!a", "invite"); }), 0);
    EXPECT_EQ(read([](ReadTxn& txn) { return memberships::rooms_of(txn, alice, "join"); }),
              (Ids{"!a", "!b"}));

    member("!b", alice, "leave");
    write([](WriteTxn& txn) { memberships::forget(txn, "!b", alice); });
    EXPECT_TRUE(read([](ReadTxn& txn) { return memberships::get(txn, "!b", alice); })->forgotten);
    EXPECT_TRUE(
        read([](ReadTxn& txn) { return memberships::rooms_of(txn, alice, "leave"); }).empty());
    EXPECT_EQ(read([](ReadTxn& txn) { return memberships::rooms_of(txn, alice, "join"); }),
              Ids{"!a"});

    member("!b", alice, "join"); // a new membership un-forgets
    EXPECT_FALSE(read([](ReadTxn& txn) { return memberships::get(txn, "!b", alice); })->forgotten);
    auto members = read([](ReadTxn& txn) { return memberships::of_room(txn, "!a"); });
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(members[0].user_id, alice);
    EXPECT_EQ(members[1].user_id, bob);
    EXPECT_FALSE(read([](ReadTxn& txn) { return memberships::get(txn, "!b", bob); }));
}

TEST_F(RoomTables, AliasInsertReturnsFalseWhenTakenAndTheJobGoesOn)
{
    add_room("!a");
    add_room("!b");
    bool first = false, again = true, other_room = true;
    write([&](WriteTxn& txn) {
        first = aliases::insert(txn, "#x:example.org", "!a", alice, 1);
        again = aliases::insert(txn, "#x:example.org", "!a", alice, 2);
        other_room = aliases::insert(txn, "#x:example.org", "!b", bob, 3);
        aliases::insert(txn, "#y:example.org", "!a", bob, 4); // the job continues
    });
    EXPECT_TRUE(first);
    EXPECT_FALSE(again);
    EXPECT_FALSE(other_room);
    auto x = read([](ReadTxn& txn) { return aliases::get(txn, "#x:example.org"); });
    ASSERT_TRUE(x);
    EXPECT_EQ(x->first, "!a");
    EXPECT_EQ(x->second, alice);
    EXPECT_EQ(read([](ReadTxn& txn) { return aliases::of_room(txn, "!a"); }),
              (Ids{"#x:example.org", "#y:example.org"}));
    bool removed = false, removed_again = true;
    write([&](WriteTxn& txn) {
        removed = aliases::remove(txn, "#x:example.org");
        removed_again = aliases::remove(txn, "#x:example.org");
    });
    EXPECT_TRUE(removed);
    EXPECT_FALSE(removed_again);
    EXPECT_FALSE(read([](ReadTxn& txn) { return aliases::get(txn, "#x:example.org"); }));
    EXPECT_THROW(
        write([](WriteTxn& txn) { aliases::insert(txn, "#z:example.org", "!nope", alice, 1); }),
        Error);
}

TEST_F(RoomTables, TxnIdsMapToTheirEvent)
{
    EXPECT_FALSE(read([](ReadTxn& txn) { return events::event_for_txn(txn, alice, "DEV", "t1"); }));
    write([](WriteTxn& txn) { events::insert_txn(txn, alice, "DEV", "t1", "$e1", 10); });
    EXPECT_EQ(read([](ReadTxn& txn) { return events::event_for_txn(txn, alice, "DEV", "t1"); }),
              std::optional<std::string>{"$e1"});
    EXPECT_FALSE(
        read([](ReadTxn& txn) { return events::event_for_txn(txn, alice, "OTHER", "t1"); }));
    EXPECT_FALSE(read([](ReadTxn& txn) { return events::event_for_txn(txn, bob, "DEV", "t1"); }));
    EXPECT_THROW(
        write([](WriteTxn& txn) { events::insert_txn(txn, alice, "DEV", "t1", "$e2", 11); }),
        Error);
}

TEST_F(RoomTables, RemovingARoomCascadesToItsLogStateMembershipsAndAliases)
{
    for (const std::string room : {"!a", "!b"}) {
        add_room(room);
        state(room, "m.room.create", "", {{"creator", alice}});
        member(room, alice, "join");
        message(room);
        write([&](WriteTxn& txn) {
            aliases::insert(txn, "#" + room.substr(1) + ":x", room, alice, 1);
        });
    }
    bool removed = false, again = true;
    write([&](WriteTxn& txn) {
        removed = rooms::remove(txn, "!a");
        again = rooms::remove(txn, "!a");
    });
    EXPECT_TRUE(removed);
    EXPECT_FALSE(again);
    for (const std::string table : {"events", "current_state", "memberships", "room_aliases"}) {
        EXPECT_EQ(count_rows(table, "!a"), 0) << table;
        EXPECT_GT(count_rows(table, "!b"), 0) << table;
    }
    EXPECT_FALSE(read([](ReadTxn& txn) { return rooms::get(txn, "!a"); }));
    EXPECT_TRUE(read([](ReadTxn& txn) { return memberships::rooms_of(txn, alice, "join"); }) ==
                Ids{"!b"});
    EXPECT_EQ(read([](ReadTxn& txn) { return events::end_boundary(txn, "!a"); }), 1);
}

} // namespace
} // namespace ravenous::storage
