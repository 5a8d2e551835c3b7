#include "ravenous/rooms/history_visibility.hpp"

#include <gtest/gtest.h>

namespace ravenous::rooms {
namespace {

using Change = VisibilityFilter::Change;

Change member(std::int64_t topo, std::string value)
{
    return {topo, Change::Kind::membership, std::move(value)};
}

Change visibility(std::int64_t topo, std::string value)
{
    return {topo, Change::Kind::visibility, std::move(value)};
}

// The room used below: created at 1, history_visibility set at 5 (unless said otherwise),
// the user joins at 20; messages at 10 (before the join) and 30 (after it).

TEST(VisibilityFilter, DefaultIsSharedSoNewMembersSeeEarlierHistory)
{
    const VisibilityFilter filter({member(20, "join")}, "join");
    EXPECT_EQ(filter.visibility_before(10), "shared");
    EXPECT_TRUE(filter.can_see(10));
    EXPECT_TRUE(filter.can_see(30));
}

TEST(VisibilityFilter, UnknownVisibilityValueCountsAsShared)
{
    const VisibilityFilter filter({visibility(5, "everyone"), member(20, "join")}, "join");
    EXPECT_EQ(filter.visibility_before(10), "shared");
    EXPECT_TRUE(filter.can_see(10));
}

TEST(VisibilityFilter, JoinedHidesEventsBeforeTheJoin)
{
    const VisibilityFilter filter({visibility(5, "joined"), member(20, "join")}, "join");
    EXPECT_FALSE(filter.can_see(10));
    EXPECT_TRUE(filter.can_see(30));
}

TEST(VisibilityFilter, InvitedShowsEventsFromTheInviteOn)
{
    const VisibilityFilter filter(
        {visibility(5, "invited"), member(15, "invite"), member(20, "join")}, "join");
    EXPECT_FALSE(filter.can_see(10));
    EXPECT_TRUE(filter.can_see(17)); // while invited
    EXPECT_TRUE(filter.can_see(30));
}

TEST(VisibilityFilter, JoinedVisibilityHidesEventsWhileOnlyInvited)
{
    const VisibilityFilter filter(
        {visibility(5, "joined"), member(15, "invite"), member(20, "join")}, "join");
    EXPECT_FALSE(filter.can_see(17));
}

TEST(VisibilityFilter, SharedNeedsAJoinNotJustAnInvite)
{
    const VisibilityFilter filter({member(15, "invite")}, "invite");
    EXPECT_FALSE(filter.can_see(10));
    EXPECT_FALSE(filter.can_see(17));
}

TEST(VisibilityFilter, WorldReadableIsVisibleToAnyone)
{
    const VisibilityFilter filter({visibility(5, "world_readable")}, "");
    EXPECT_TRUE(filter.can_see(10));
    EXPECT_TRUE(filter.ever_visible());
}

TEST(VisibilityFilter, LeftUserSeesHistoryUpToTheLeaveOnly)
{
    const VisibilityFilter filter({member(20, "join"), member(40, "leave")}, "leave");
    EXPECT_TRUE(filter.can_see(10));  // shared, and they joined afterwards
    EXPECT_TRUE(filter.can_see(30));  // while joined
    EXPECT_FALSE(filter.can_see(50)); // after leaving
}

TEST(VisibilityFilter, LeftUserSeesLaterWorldReadableEvents)
{
    const VisibilityFilter filter(
        {member(20, "join"), member(40, "leave"), visibility(45, "world_readable")}, "leave");
    EXPECT_FALSE(filter.can_see(42));
    EXPECT_TRUE(filter.can_see(50));
}

TEST(VisibilityFilter, KickedOrBannedUserSeesNothingAfterwards)
{
    for (const char* end : {"leave", "ban"}) {
        const VisibilityFilter filter({member(20, "join"), member(40, end)}, end);
        EXPECT_TRUE(filter.can_see(30)) << end;
        EXPECT_FALSE(filter.can_see(50)) << end;
    }
}

TEST(VisibilityFilter, RejoinedUserSeesTheGapOnlyIfShared)
{
    const std::vector<Change> moves = {member(20, "join"), member(40, "leave"), member(60, "join")};
    EXPECT_TRUE(VisibilityFilter(moves, "join").can_see(50));
    auto joined = moves;
    joined.insert(joined.begin(), visibility(5, "joined"));
    EXPECT_FALSE(VisibilityFilter(joined, "join").can_see(50));
    EXPECT_TRUE(VisibilityFilter(joined, "join").can_see(70));
}

TEST(VisibilityFilter, VisibilityChangesApplyToLaterEventsOnly)
{
    // "These options are applied at the point an event is sent."
    const VisibilityFilter filter({visibility(5, "joined"), member(20, "join"),
                                   visibility(25, "shared"), member(40, "leave")},
                                  "leave");
    EXPECT_FALSE(filter.can_see(10)); // still hidden: joined at the time
    EXPECT_TRUE(filter.can_see(30));
    EXPECT_FALSE(filter.can_see(50));
}

TEST(VisibilityFilter, HistoryVisibilityEventIsVisibleIfBeforeOrAfterAllows)
{
    // The spec's example: a non-member sees changes from and to world_readable.
    const VisibilityFilter to_open({visibility(5, "joined"), visibility(10, "world_readable")}, "");
    EXPECT_TRUE(to_open.can_see(10));
    EXPECT_FALSE(to_open.can_see(5));
    const VisibilityFilter to_closed({visibility(5, "world_readable"), visibility(10, "joined")},
                                     "");
    EXPECT_TRUE(to_closed.can_see(10));
    EXPECT_FALSE(to_closed.can_see(11));
}

TEST(VisibilityFilter, OwnMembershipEventsAreAlwaysVisible)
{
    const VisibilityFilter filter(
        {visibility(5, "joined"), member(15, "invite"), member(18, "leave")}, "leave");
    EXPECT_TRUE(filter.can_see(15)); // found among the changes
    EXPECT_TRUE(filter.can_see(18)); // the rejection of the invite
    EXPECT_FALSE(filter.can_see(16));
    EXPECT_TRUE(filter.can_see(16, true)); // flagged by the caller
}

TEST(VisibilityFilter, MembershipBeforeIsTheStateBeforeTheEvent)
{
    const VisibilityFilter filter({member(20, "join"), member(40, "leave")}, "leave");
    EXPECT_EQ(filter.membership_before(20), "");
    EXPECT_EQ(filter.membership_before(21), "join");
    EXPECT_EQ(filter.membership_before(40), "join");
    EXPECT_EQ(filter.membership_before(41), "leave");
}

TEST(VisibilityFilter, ChangesNeedNotArriveSorted)
{
    const VisibilityFilter filter({member(40, "leave"), member(20, "join")}, "leave");
    EXPECT_EQ(filter.membership_before(30), "join");
    EXPECT_FALSE(filter.can_see(50));
}

TEST(VisibilityFilter, EverVisibleMeansOnceInvitedOrJoinedOrWorldReadableNow)
{
    EXPECT_FALSE(VisibilityFilter({}, "").ever_visible());
    EXPECT_FALSE(VisibilityFilter({member(3, "knock")}, "knock").ever_visible());
    EXPECT_TRUE(VisibilityFilter({}, "invite").ever_visible());
    EXPECT_TRUE(VisibilityFilter({member(3, "join"), member(4, "leave")}, "leave").ever_visible());
    EXPECT_FALSE(VisibilityFilter({visibility(2, "world_readable"), visibility(3, "shared")}, "")
                     .ever_visible());
}

TEST(VisibilityFilter, NeverMemberSeesNothingOfASharedRoom)
{
    const VisibilityFilter filter({visibility(5, "shared")}, "");
    EXPECT_FALSE(filter.can_see(10));
    EXPECT_FALSE(filter.ever_visible());
}

} // namespace
} // namespace ravenous::rooms
