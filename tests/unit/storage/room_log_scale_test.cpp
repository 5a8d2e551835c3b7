#include "ravenous/storage/rooms_table.hpp"

#include "unit/storage/room_log_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>

namespace ravenous::storage {
namespace {

using test::alice;
using test::NewRow;

constexpr int total_events = 100'000;
constexpr int members = 5'000;
constexpr int leavers = 100; // the first 100 members leave at topo leave_topo
constexpr int leave_topo = 50'001;
constexpr int name_every = 10'000; // the room name changes at every multiple of this topo

std::string puppet(int i)
{
    return "@puppet" + std::to_string(i) + ":example.org";
}

// Prints how long `fn` took. Informational only: tests never assert on time (STYLE.md).
template <class F> auto timed(const char* what, F fn)
{
    const auto start = std::chrono::steady_clock::now();
    auto result = fn();
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    std::cout << "[   info   ] " << what << ": " << took.count() << " ms\n";
    return result;
}

// A bridged room at the size DESIGN.md calls typical: 100,000 events, 5,000 puppet members.
class RoomLogAtScale : public test::RoomLog
{
protected:
    void SetUp() override
    {
        timed("building 100,000 events in one write job", [&] {
            write([&](WriteTxn& txn) {
                add_room(txn, "!big");
                append(txn, "!big",
                       NewRow{.type = "m.room.create", .state_key = "", .sender = alice});
                for (int i = 0; i < members; ++i) {
                    append(txn, "!big",
                           NewRow{.type = "m.room.member",
                                  .state_key = puppet(i),
                                  .sender = puppet(i),
                                  .content = {{"membership", "join"}}});
                }
                for (std::int64_t topo = members + 2; topo <= total_events; ++topo) {
                    if (topo % name_every == 0) {
                        append(txn, "!big",
                               NewRow{.type = "m.room.name",
                                      .state_key = "",
                                      .content = {{"name", std::to_string(topo)}}});
                    } else if (topo >= leave_topo && topo < leave_topo + leavers) {
                        const auto who = puppet(static_cast<int>(topo - leave_topo));
                        append(txn, "!big",
                               NewRow{.type = "m.room.member",
                                      .state_key = who,
                                      .sender = who,
                                      .content = {{"membership", "leave"}}});
                    } else {
                        append(txn, "!big",
                               NewRow{.sender = puppet(static_cast<int>(topo % members))});
                    }
                }
            });
            return 0;
        });
    }

    // (type, state_key) -> the event's topo.
    static std::map<std::pair<std::string, std::string>, std::int64_t>
    by_key(const std::vector<EventRow>& rows)
    {
        std::map<std::pair<std::string, std::string>, std::int64_t> out;
        for (const auto& row : rows) {
            out[{row.type, row.state_key.value_or("?")}] = row.topo;
        }
        return out;
    }
};

TEST_F(RoomLogAtScale, PageAndStateAtAreRight)
{
    const auto end = read([](ReadTxn& txn) { return events::end_boundary(txn, "!big"); });
    ASSERT_EQ(end, total_events + 1);

    auto latest = timed("page: 50 newest", [&] {
        return read(
            [&](ReadTxn& txn) { return events::page(txn, "!big", end, Direction::backward, 50); });
    });
    ASSERT_EQ(latest.size(), 50u);
    EXPECT_EQ(latest.front().topo, total_events);
    EXPECT_EQ(latest.back().topo, total_events - 49);
    auto middle = timed("page: 50 forward from the middle, bounded by to", [&] {
        return read([&](ReadTxn& txn) {
            return events::page(txn, "!big", 50'000, Direction::forward, 50, 50'020);
        });
    });
    ASSERT_EQ(middle.size(), 20u);
    EXPECT_EQ(middle.front().topo, 50'000);
    EXPECT_EQ(middle.back().topo, 50'019);

    auto now = timed("at: end of the log", [&] {
        return read([&](ReadTxn& txn) { return current_state::at(txn, "!big", end); });
    });
    ASSERT_EQ(now.size(), static_cast<std::size_t>(members + 2)); // members, create, name
    auto keys = by_key(now);
    EXPECT_EQ((keys[{"m.room.name", ""}]), 100'000);
    EXPECT_EQ((keys[{"m.room.member", puppet(0)}]), leave_topo);
    EXPECT_EQ((keys[{"m.room.member", puppet(leavers)}]), leavers + 2);

    auto before = timed("at: the middle of the log", [&] {
        return read([&](ReadTxn& txn) { return current_state::at(txn, "!big", leave_topo); });
    });
    ASSERT_EQ(before.size(), static_cast<std::size_t>(members + 2));
    keys = by_key(before);
    EXPECT_EQ((keys[{"m.room.name", ""}]), 50'000);
    EXPECT_EQ((keys[{"m.room.member", puppet(0)}]), 2); // the join, not yet the leave

    auto joined = timed("at: members only", [&] {
        return read([&](ReadTxn& txn) {
            return current_state::at(txn, "!big", end, std::string{"m.room.member"});
        });
    });
    EXPECT_EQ(joined.size(), static_cast<std::size_t>(members));

    auto name = timed("get_at: the name at 35,000", [&] {
        return read([&](ReadTxn& txn) {
            return current_state::get_at(txn, "!big", "m.room.name", "", 35'000);
        });
    });
    ASSERT_TRUE(name);
    EXPECT_EQ(name->topo, 30'000);

    auto boundary = timed("boundary_at_stream: 30,000 events back", [&] {
        return read([&](ReadTxn& txn) {
            auto row = events::page(txn, "!big", 70'001, Direction::backward, 1);
            return events::boundary_at_stream(txn, "!big", row.at(0).stream_pos);
        });
    });
    EXPECT_EQ(boundary, 70'001);
    EXPECT_EQ(read([](ReadTxn& txn) { return memberships::count(txn, "!big", "join"); }),
              members - leavers);
}

} // namespace
} // namespace ravenous::storage
