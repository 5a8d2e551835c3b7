#include "ravenous/storage/rooms_table.hpp"

#include "unit/storage/room_log_fixture.hpp"

#include <gtest/gtest.h>

namespace ravenous::storage {
namespace {

using test::alice;
using test::bob;
using test::NewRow;
using Ids = std::vector<std::string>;

// A room whose name changes three times while members come and go:
//   topo 1 create, 2 name A, 3 alice joins, 4 message, 5 name B, 6 bob joins, 7 name C,
//   8 bob leaves, 9 message.
class StateAt : public test::RoomLog
{
protected:
    StateAt()
    {
        add_room("!a");
        add_room("!b");
        create_ = state("!a", "m.room.create", "", {{"creator", alice}});
        name_a_ = state("!a", "m.room.name", "", {{"name", "A"}});
        alice_join_ = member("!a", alice, "join");
        message("!a");
        state("!b", "m.room.name", "", {{"name", "other room"}});
        name_b_ = state("!a", "m.room.name", "", {{"name", "B"}});
        bob_join_ = member("!a", bob, "join");
        name_c_ = state("!a", "m.room.name", "", {{"name", "C"}});
        bob_leave_ = member("!a", bob, "leave");
        message("!a");
    }

    Ids at(std::int64_t boundary, const std::optional<std::string>& type = std::nullopt)
    {
        return sorted_ids(
            read([&](ReadTxn& txn) { return current_state::at(txn, "!a", boundary, type); }));
    }

    std::string name_at(std::int64_t boundary)
    {
        auto row = read([&](ReadTxn& txn) {
            return current_state::get_at(txn, "!a", "m.room.name", "", boundary);
        });
        return row ? row->event_id : "none";
    }

    static Ids sorted(Ids ids)
    {
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    EventRow create_, name_a_, alice_join_, name_b_, bob_join_, name_c_, bob_leave_;
};

TEST_F(StateAt, IsTheLastStateEventPerKeyBeforeTheBoundary)
{
    EXPECT_TRUE(at(1).empty());
    EXPECT_EQ(at(2), sorted({create_.event_id}));
    EXPECT_EQ(at(3), sorted({create_.event_id, name_a_.event_id}));
    EXPECT_EQ(at(5), sorted({create_.event_id, name_a_.event_id, alice_join_.event_id}));
    EXPECT_EQ(at(6), sorted({create_.event_id, name_b_.event_id, alice_join_.event_id}));
    EXPECT_EQ(at(7), sorted({create_.event_id, name_b_.event_id, alice_join_.event_id,
                             bob_join_.event_id}));
    EXPECT_EQ(at(8), sorted({create_.event_id, name_c_.event_id, alice_join_.event_id,
                             bob_join_.event_id}));
    const Ids end =
        sorted({create_.event_id, name_c_.event_id, alice_join_.event_id, bob_leave_.event_id});
    EXPECT_EQ(at(9), end);
    EXPECT_EQ(at(100), end);
    EXPECT_EQ(sorted_ids(read([](ReadTxn& txn) { return current_state::all(txn, "!a"); })), end);
}

TEST_F(StateAt, CanBeLimitedToOneType)
{
    EXPECT_EQ(at(8, "m.room.member"), sorted({alice_join_.event_id, bob_join_.event_id}));
    EXPECT_EQ(at(100, "m.room.member"), sorted({alice_join_.event_id, bob_leave_.event_id}));
    EXPECT_EQ(at(6, "m.room.name"), Ids{name_b_.event_id});
    EXPECT_TRUE(at(3, "m.room.member").empty());
}

TEST_F(StateAt, GetAtFollowsOneKeyThroughEachChange)
{
    EXPECT_EQ(name_at(2), "none");
    EXPECT_EQ(name_at(3), name_a_.event_id);
    EXPECT_EQ(name_at(5), name_a_.event_id);
    EXPECT_EQ(name_at(6), name_b_.event_id);
    EXPECT_EQ(name_at(7), name_b_.event_id);
    EXPECT_EQ(name_at(8), name_c_.event_id);
    EXPECT_EQ(name_at(100), name_c_.event_id);
}

TEST_F(StateAt, CurrentStateGetReturnsTheEventThatSetTheKey)
{
    auto name = read([](ReadTxn& txn) { return current_state::get(txn, "!a", "m.room.name", ""); });
    ASSERT_TRUE(name);
    EXPECT_EQ(name->event_id, name_c_.event_id);
    EXPECT_EQ(name->json, name_c_.json);
    EXPECT_EQ(name->state_key, std::optional<std::string>{""});
    auto other =
        read([](ReadTxn& txn) { return current_state::get(txn, "!b", "m.room.name", ""); });
    ASSERT_TRUE(other);
    EXPECT_NE(other->event_id, name_c_.event_id);
    EXPECT_FALSE(
        read([](ReadTxn& txn) { return current_state::get(txn, "!a", "m.room.topic", ""); }));
}

TEST_F(StateAt, VisibilityEventsAreTheUsersMembershipsAndHistoryVisibilityInTopoOrder)
{
    const auto shared =
        state("!a", "m.room.history_visibility", "", {{"history_visibility", "shared"}});
    const auto bob_again = member("!a", bob, "join");
    const auto joined =
        state("!a", "m.room.history_visibility", "", {{"history_visibility", "joined"}});
    state("!a", "m.room.history_visibility", "not-empty", {{"history_visibility", "invited"}});
    state("!b", "m.room.history_visibility", "", {{"history_visibility", "invited"}});
    member("!b", bob, "join");

    auto rows = read([](ReadTxn& txn) { return current_state::visibility_events(txn, "!a", bob); });
    EXPECT_EQ(ids(rows), (Ids{bob_join_.event_id, bob_leave_.event_id, shared.event_id,
                              bob_again.event_id, joined.event_id}));
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(),
                               [](const auto& x, const auto& y) { return x.topo < y.topo; }));
    auto none = read([](ReadTxn& txn) {
        return current_state::visibility_events(txn, "!a", "@carol:example.org");
    });
    EXPECT_EQ(ids(none), (Ids{shared.event_id, joined.event_id}));
}

} // namespace
} // namespace ravenous::storage
