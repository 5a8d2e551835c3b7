#include "ravenous/rooms/auth_rules.hpp"

#include "ravenous/matrix/errors.hpp"
#include "unit/rooms/auth_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::rooms {
namespace {

using namespace test;

// --- rule 4.3: join --------------------------------------------------------------------

TEST(AuthRules, CreatorJoinsRightAfterCreate)
{
    auto ctx = room("invite", std::nullopt);
    ctx.join_rules.reset();
    ctx.only_create_event = true;
    EXPECT_NO_THROW(membership(ctx, alice, "", alice, "", "join"));
    // Anyone else, or the creator later on, follows the join rules.
    EXPECT_TRUE(refused([&] { membership(ctx, bob, "", bob, "", "join"); }, "not invited"));
    ctx.only_create_event = false;
    EXPECT_TRUE(refused([&] { membership(ctx, alice, "", alice, "", "join"); }, "not invited"));
}

TEST(AuthRules, AnyoneMayJoinAPublicRoom)
{
    EXPECT_NO_THROW(membership(room("public"), bob, "", bob, "", "join"));
    EXPECT_NO_THROW(membership(room("public"), bob, "leave", bob, "leave", "join"));
}

TEST(AuthRules, InviteOnlyRoomNeedsAnInvite)
{
    EXPECT_TRUE(refused([] { membership(room("invite"), bob, "", bob, "", "join"); },
                        "You are not invited to this room."));
    EXPECT_NO_THROW(membership(room("invite"), bob, "invite", bob, "invite", "join"));
}

TEST(AuthRules, NoJoinRulesEventCountsAsInviteOnly)
{
    auto ctx = room();
    ctx.join_rules.reset();
    EXPECT_TRUE(refused([&] { membership(ctx, bob, "", bob, "", "join"); }, "not invited"));
    EXPECT_NO_THROW(membership(ctx, bob, "invite", bob, "invite", "join"));
}

TEST(AuthRules, KnockAndRestrictedRoomsAdmitInvitedUsersOnly)
{
    // Restricted joins need another server's say-so (join_authorised_via_users_server),
    // which a server without federation never gets: they behave as invite-only.
    for (const char* rule : {"knock", "restricted", "knock_restricted"}) {
        EXPECT_TRUE(
            refused([&] { membership(room(rule), bob, "", bob, "", "join"); }, "not invited"))
            << rule;
        EXPECT_NO_THROW(membership(room(rule), bob, "invite", bob, "invite", "join")) << rule;
    }
}

TEST(AuthRules, PrivateOrUnknownJoinRuleRefusesJoins)
{
    EXPECT_TRUE(refused([] { membership(room("private"), bob, "", bob, "", "join"); },
                        "You are not allowed to join this room"));
    EXPECT_TRUE(
        refused([] { membership(room("xyz"), bob, "", bob, "", "join"); }, "not allowed to join"));
}

TEST(AuthRules, BannedUserCannotJoinEvenAPublicRoom)
{
    EXPECT_TRUE(refused([] { membership(room("public"), bob, "ban", bob, "ban", "join"); },
                        "You are banned from this room"));
}

TEST(AuthRules, NobodyJoinsForSomeoneElse)
{
    EXPECT_TRUE(refused([] { membership(room("public"), alice, "join", bob, "", "join"); },
                        "Cannot force another user to join."));
}

TEST(AuthRules, JoinedUserMayRejoinToChangeTheirProfile)
{
    EXPECT_NO_THROW(
        membership(room("invite"), bob, "join", bob, "join", "join", {{"displayname", "Bob"}}));
}

TEST(AuthRules, MemberEventsNeedAUserIdStateKeyAndAMembership)
{
    const json content = {{"membership", "join"}};
    auto ctx = room("public");
    EXPECT_TRUE(refused(
        [&] {
            authorize(ctx, {"m.room.member", "bob", bob, content});
        },
        "valid user ID"));
    EXPECT_TRUE(refused(
        [&] {
            authorize(ctx, {"m.room.member", std::nullopt, bob, content});
        },
        "valid user ID"));
    const json empty = json::object();
    EXPECT_TRUE(refused([&] { authorize(ctx, {"m.room.member", bob, bob, empty}); }, "membership"));
    EXPECT_TRUE(
        refused([&] { membership(ctx, bob, "", bob, "", "dance"); }, "Unknown membership dance"));
}

TEST(AuthRules, MemberEventsIgnoreTheEventsLevels)
{
    // Rule 4 decides member events alone: events["m.room.member"] does not apply.
    auto levels = default_levels();
    levels["events"] = {{"m.room.member", 100}};
    EXPECT_NO_THROW(membership(room("public", levels), bob, "", bob, "", "join"));
}

// --- rule 4.4: invite ------------------------------------------------------------------

TEST(AuthRules, JoinedUserInvites)
{
    EXPECT_NO_THROW(membership(room(), bob, "join", carol, "", "invite"));
    EXPECT_NO_THROW(membership(room(), bob, "join", carol, "leave", "invite"));
}

TEST(AuthRules, InviterMustBeJoined)
{
    EXPECT_TRUE(
        refused([] { membership(room(), bob, "invite", carol, "", "invite"); }, "not in room"));
    EXPECT_TRUE(refused([] { membership(room(), bob, "", carol, "", "invite"); }, "not in room"));
}

TEST(AuthRules, InvitingAJoinedUserSaysAlreadyInTheRoom)
{
    // mautrix bridges match "is already in the room" to treat the invite as done.
    EXPECT_TRUE(refused([] { membership(room(), alice, "join", bob, "join", "invite"); },
                        bob + " is already in the room."));
}

TEST(AuthRules, BannedUserCannotBeInvited)
{
    EXPECT_TRUE(refused([] { membership(room(), alice, "join", bob, "ban", "invite"); },
                        bob + " is banned from the room"));
}

TEST(AuthRules, InviteNeedsTheInviteLevel)
{
    auto levels = default_levels();
    levels["invite"] = 50;
    EXPECT_TRUE(
        refused([&] { membership(room("invite", levels), bob, "join", carol, "", "invite"); },
                "You don't have permission to invite users (need 50, have 0)"));
    EXPECT_NO_THROW(membership(room("invite", levels), mod, "join", carol, "", "invite"));
}

TEST(AuthRules, ThirdPartyInvitesAreRefused)
{
    EXPECT_TRUE(refused(
        [] {
            membership(room(), alice, "join", bob, "", "invite",
                       {{"third_party_invite", {{"display_name", "b"}}}});
        },
        "Third-party invites"));
}

// --- rule 4.5: leave, kick, unban ------------------------------------------------------

TEST(AuthRules, UserLeavesFromJoinInviteOrKnock)
{
    for (const char* was : {"join", "invite", "knock"})
        EXPECT_NO_THROW(membership(room(), bob, was, bob, was, "leave")) << was;
}

TEST(AuthRules, UserCannotLeaveARoomTheyAreNotIn)
{
    EXPECT_TRUE(refused([] { membership(room(), bob, "", bob, "", "leave"); }, "not in room"));
    EXPECT_TRUE(
        refused([] { membership(room(), bob, "leave", bob, "leave", "leave"); }, "not in room"));
    EXPECT_TRUE(refused([] { membership(room(), bob, "ban", bob, "ban", "leave"); },
                        "You are banned from this room"));
}

TEST(AuthRules, KickNeedsTheKickLevel)
{
    EXPECT_TRUE(refused([] { membership(room(), bob, "join", carol, "join", "leave"); },
                        "You don't have permission to kick user " + carol + " (need 50, have 0)"));
    EXPECT_NO_THROW(membership(room(), mod, "join", carol, "join", "leave"));
}

TEST(AuthRules, KickNeedsHigherLevelThanTarget)
{
    auto levels = default_levels();
    levels["users"][bob] = 50;
    EXPECT_TRUE(
        refused([&] { membership(room("invite", levels), mod, "join", bob, "join", "leave"); },
                "their power level (50) is not below yours (50)"));
    EXPECT_TRUE(refused([] { membership(room(), mod, "join", alice, "join", "leave"); },
                        "You cannot kick user " + alice));
    EXPECT_NO_THROW(membership(room("invite", levels), alice, "join", bob, "join", "leave"));
}

TEST(AuthRules, KickerMustBeJoined)
{
    EXPECT_TRUE(
        refused([] { membership(room(), alice, "leave", bob, "join", "leave"); }, "not in room"));
}

TEST(AuthRules, KickingAnInviteRevokesIt)
{
    EXPECT_NO_THROW(membership(room(), mod, "join", bob, "invite", "leave"));
}

TEST(AuthRules, UnbanNeedsBanAndKickLevelsAndAHigherLevelThanTarget)
{
    // The spec: "To unban somebody, you must have power level greater than or equal to both
    // the kick and ban levels, and greater than the target user's power level."
    auto levels = default_levels();
    levels["ban"] = 60;
    levels["kick"] = 40;
    EXPECT_TRUE(
        refused([&] { membership(room("invite", levels), mod, "join", bob, "ban", "leave"); },
                "You cannot unban user " + bob + " (need 60, have 50)"));
    levels["ban"] = 40;
    levels["kick"] = 60;
    EXPECT_TRUE(
        refused([&] { membership(room("invite", levels), mod, "join", bob, "ban", "leave"); },
                "You don't have permission to unban user " + bob + " (need 60, have 50)"));
    levels["kick"] = 50;
    levels["users"][bob] = 50;
    EXPECT_TRUE(
        refused([&] { membership(room("invite", levels), mod, "join", bob, "ban", "leave"); },
                "You cannot unban user " + bob + ": their power level (50)"));
    levels["users"].erase(bob);
    EXPECT_NO_THROW(membership(room("invite", levels), mod, "join", bob, "ban", "leave"));
}

// --- rule 4.6: ban ---------------------------------------------------------------------

TEST(AuthRules, BanNeedsTheBanLevel)
{
    EXPECT_TRUE(refused([] { membership(room(), bob, "join", carol, "join", "ban"); },
                        "You don't have permission to ban (need 50, have 0)"));
    EXPECT_NO_THROW(membership(room(), mod, "join", carol, "join", "ban"));
}

TEST(AuthRules, BanNeedsHigherLevelThanTarget)
{
    EXPECT_TRUE(refused([] { membership(room(), mod, "join", alice, "join", "ban"); },
                        "You don't have permission to ban this user"));
    EXPECT_NO_THROW(membership(room(), alice, "join", mod, "join", "ban"));
}

TEST(AuthRules, BannerMustBeJoinedButTargetNeedNot)
{
    EXPECT_TRUE(refused([] { membership(room(), alice, "leave", bob, "", "ban"); }, "not in room"));
    EXPECT_NO_THROW(membership(room(), alice, "join", bob, "", "ban"));
    EXPECT_NO_THROW(membership(room(), alice, "join", bob, "leave", "ban"));
}

// --- rule 4.7: knock -------------------------------------------------------------------

TEST(AuthRules, KnockNeedsAKnockJoinRule)
{
    EXPECT_TRUE(refused([] { membership(room("invite"), bob, "", bob, "", "knock"); },
                        "You don't have permission to knock"));
    EXPECT_TRUE(refused([] { membership(room("public"), bob, "", bob, "", "knock"); },
                        "permission to knock"));
    EXPECT_NO_THROW(membership(room("knock"), bob, "", bob, "", "knock"));
    EXPECT_NO_THROW(membership(room("knock_restricted"), bob, "leave", bob, "leave", "knock"));
}

TEST(AuthRules, KnockIsForOneselfAndOnlyFromOutside)
{
    EXPECT_TRUE(refused([] { membership(room("knock"), alice, "join", bob, "", "knock"); },
                        "You cannot knock for other users"));
    EXPECT_TRUE(refused([] { membership(room("knock"), bob, "join", bob, "join", "knock"); },
                        "already in"));
    EXPECT_TRUE(refused([] { membership(room("knock"), bob, "invite", bob, "invite", "knock"); },
                        "already invited"));
    EXPECT_TRUE(
        refused([] { membership(room("knock"), bob, "ban", bob, "ban", "knock"); }, "banned"));
}

} // namespace
} // namespace ravenous::rooms
