// The history band: where backward batches go, and how the log's readers treat them (state at
// a boundary, the boundary of a stream position), plus batch send's own reads.
#include "ravenous/storage/backfill_rows.hpp"

#include "unit/storage/room_log_fixture.hpp"

namespace ravenous::storage::test {
namespace {

using events::creation_topo_base;
using events::live_topo_start;

class HistoryBand : public RoomLog
{
protected:
    // A room whose creation is in the creation band: its create event and alice's join.
    void SetUp() override
    {
        RoomLog::SetUp();
        add_room("!r");
        append("!r", NewRow{.type = "m.room.create", .state_key = "", .topo = creation_topo_base});
        const auto join = append("!r", NewRow{.type = "m.room.member",
                                              .state_key = alice,
                                              .content = {{"membership", "join"}},
                                              .topo = creation_topo_base + 1});
        write([&](WriteTxn& txn) {
            current_state::set(txn, "!r", "m.room.member", alice, join.stream_pos);
            memberships::set(txn, "!r", alice, "join", join.stream_pos);
        });
    }
    std::string membership_at(const std::string& user, std::int64_t boundary)
    {
        return read([&](ReadTxn& txn) {
            auto row = current_state::get_at(txn, "!r", "m.room.member", user, boundary);
            return row ? nlohmann::json::parse(row->json)["content"].value("membership", "")
                       : std::string("none");
        });
    }
};

TEST_F(HistoryBand, OldestAfterCreationAndMessagesIgnoreTheCreationBand)
{
    EXPECT_FALSE(read([](ReadTxn& txn) { return backfill::oldest_after_creation(txn, "!r"); }));
    EXPECT_FALSE(read([](ReadTxn& txn) { return backfill::has_messages(txn, "!r"); }));
    member("!r", bob, "join"); // live, not a message
    EXPECT_EQ(read([](ReadTxn& txn) { return backfill::oldest_after_creation(txn, "!r"); }),
              std::optional<std::int64_t>{live_topo_start});
    EXPECT_FALSE(read([](ReadTxn& txn) { return backfill::has_messages(txn, "!r"); }));
    append("!r", NewRow{.topo = -5}); // a history message
    EXPECT_EQ(read([](ReadTxn& txn) { return backfill::oldest_after_creation(txn, "!r"); }),
              std::optional<std::int64_t>{-5});
    EXPECT_TRUE(read([](ReadTxn& txn) { return backfill::has_messages(txn, "!r"); }));
}

TEST_F(HistoryBand, RoomsOfEventsNamesOnlyStoredIds)
{
    const auto row = message("!r");
    const auto rooms = read([&](ReadTxn& txn) {
        return backfill::rooms_of_events(txn, {row.event_id, "$missing"});
    });
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms.at(row.event_id), "!r");
}

TEST_F(HistoryBand, HistoryStateCountsOnlyAtBoundariesInsideIt)
{
    // bob joins in history only; carol leaves there after a live join.
    append("!r", NewRow{.type = "m.room.member",
                        .state_key = bob,
                        .sender = bob,
                        .content = {{"membership", "join"}},
                        .topo = -10});
    EXPECT_EQ(membership_at(bob, -9), "join");
    EXPECT_EQ(membership_at(bob, live_topo_start), "join");
    message("!r");
    EXPECT_EQ(membership_at(bob, live_topo_start + 1), "none");
    const auto state = read([](ReadTxn& txn) { return current_state::at(txn, "!r", 100); });
    for (const auto& row : state)
        EXPECT_NE(row.state_key, std::optional<std::string>{bob});
    EXPECT_EQ(membership_at(alice, 100), "join");
}

TEST_F(HistoryBand, AStreamPositionWithoutLiveEventsEndsAfterAllHistory)
{
    const auto since = read([](ReadTxn& txn) { return stream::current(txn); });
    // History written after `since`: the boundary of `since` is past it all the same.
    append("!r", NewRow{.topo = -3});
    append("!r", NewRow{.topo = -2});
    EXPECT_EQ(read([&](ReadTxn& txn) { return events::boundary_at_stream(txn, "!r", since); }),
              -1);
    // A live event after `since` is after its boundary; one before it sets it.
    const auto live = message("!r");
    EXPECT_EQ(read([&](ReadTxn& txn) { return events::boundary_at_stream(txn, "!r", since); }),
              -1);
    EXPECT_EQ(read([&](ReadTxn& txn) {
                  return events::boundary_at_stream(txn, "!r", live.stream_pos);
              }),
              live.topo + 1);
    // Before the room existed: its start.
    EXPECT_EQ(read([&](ReadTxn& txn) { return events::boundary_at_stream(txn, "!r", 0); }),
              creation_topo_base);
}

} // namespace
} // namespace ravenous::storage::test
