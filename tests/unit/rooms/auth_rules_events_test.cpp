// Auth rules 5 to 9 (every event but m.room.member) and the redaction checks; the membership
// rules are in auth_rules_test.cpp.
#include "ravenous/rooms/auth_rules.hpp"

#include "ravenous/matrix/errors.hpp"
#include "unit/rooms/auth_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::rooms {
namespace {

using namespace test;

TEST(AuthRules, CreateEventIsNeverAcceptedAfterCreation)
{
    EXPECT_TRUE(refused([] { send(room(), alice, "m.room.create", ""); }, "m.room.create"));
}

TEST(AuthRules, SenderMustBeJoinedForEveryOtherEvent)
{
    const json content = {{"msgtype", "m.text"}, {"body", "hi"}};
    for (const char* was : {"", "invite", "leave", "ban", "knock"}) {
        auto ctx = room("public");
        ctx.sender_membership = was;
        EXPECT_TRUE(refused(
            [&] {
                authorize(ctx, {"m.room.message", std::nullopt, bob, content});
            },
            "User " + bob + " not in room"))
            << was;
    }
}

TEST(AuthRules, MessagesNeedEventsDefault)
{
    EXPECT_NO_THROW(send(room(), bob, "m.room.message", std::nullopt));
    auto levels = default_levels();
    levels["events_default"] = 10;
    EXPECT_TRUE(refused([&] { send(room("invite", levels), bob, "m.room.message", std::nullopt); },
                        "user_level (0) < send_level (10)"));
}

TEST(AuthRules, StateEventsNeedStateDefault)
{
    EXPECT_TRUE(refused([] { send(room(), bob, "m.room.name", ""); },
                        "You don't have permission to post that to the room. user_level (0) < "
                        "send_level (50)"));
    EXPECT_NO_THROW(send(room(), mod, "m.room.name", ""));
    EXPECT_NO_THROW(send(room(), mod, "org.example.custom", "key"));
}

TEST(AuthRules, EventsMapSetsTheLevelOfOneType)
{
    auto levels = default_levels();
    levels["events"] = {{"m.room.topic", 0}, {"m.reaction", 60}};
    EXPECT_NO_THROW(send(room("invite", levels), bob, "m.room.topic", ""));
    EXPECT_TRUE(refused([&] { send(room("invite", levels), mod, "m.reaction", std::nullopt); },
                        "user_level (50) < send_level (60)"));
}

TEST(AuthRules, WithoutPowerLevelsCreatorHas100AndOthersZero)
{
    const auto ctx = room("invite", std::nullopt);
    EXPECT_NO_THROW(send(ctx, alice, "m.room.power_levels", "", default_levels()));
    EXPECT_NO_THROW(send(ctx, bob, "m.room.message", std::nullopt));
    EXPECT_TRUE(refused([&] { send(ctx, bob, "m.room.name", ""); }, "send_level (50)"));
}

TEST(AuthRules, StateKeyStartingWithAtIsTheSendersOwn)
{
    auto levels = default_levels();
    levels["state_default"] = 0;
    const auto ctx = room("invite", levels);
    EXPECT_NO_THROW(send(ctx, bob, "org.example.status", bob));
    EXPECT_NO_THROW(send(ctx, bob, "org.example.status", "not-a-user"));
    EXPECT_TRUE(refused([&] { send(ctx, bob, "org.example.status", carol); },
                        "You are not allowed to set others state"));
    EXPECT_TRUE(refused([&] { send(ctx, alice, "org.example.status", bob); }, "others state"));
}

TEST(AuthRules, ThirdPartyInviteEventNeedsTheInviteLevel)
{
    auto levels = default_levels();
    levels["invite"] = 50;
    EXPECT_TRUE(
        refused([&] { send(room("invite", levels), bob, "m.room.third_party_invite", "t"); },
                "permission to invite users (need 50, have 0)"));
    // Rule 6 allows at once: state_default does not apply.
    levels["state_default"] = 100;
    EXPECT_NO_THROW(send(room("invite", levels), mod, "m.room.third_party_invite", "t"));
}

// --- rule 9: m.room.power_levels -------------------------------------------------------

void change_levels(const std::string& sender, const json& new_levels,
                   const json& old_levels = default_levels())
{
    send(room("invite", old_levels), sender, "m.room.power_levels", "", new_levels);
}

TEST(AuthRules, PowerLevelsMustHoldIntegersAndUserIds)
{
    auto bad = default_levels();
    bad["users"]["not-a-user"] = 10;
    EXPECT_TRUE(refused([&] { change_levels(alice, bad); }, "Not a valid user_id: not-a-user"));
    for (const json& value : {json("50"), json(50.5), json(true), json(nullptr)}) {
        auto content = default_levels();
        content["kick"] = value;
        EXPECT_TRUE(refused([&] { change_levels(alice, content); }, "'kick' must be an integer"))
            << value;
    }
    auto stringy = default_levels();
    stringy["events"] = {{"m.room.name", "50"}};
    EXPECT_TRUE(refused([&] { change_levels(alice, stringy); }, "'events' must be an object"));
}

TEST(AuthRules, PowerLevelsChangesAreFreeWhenThereWereNone)
{
    // 9.4: no previous m.room.power_levels event (the creator, at 100, sends the first one).
    json content = {{"users", {{alice, 100}, {bob, 100}}}, {"ban", 100}};
    EXPECT_NO_THROW(send(room("invite", std::nullopt), alice, "m.room.power_levels", "", content));
}

TEST(AuthRules, CannotRaiseANamedLevelAboveOwn)
{
    auto levels = default_levels();
    levels["state_default"] = 0;
    auto content = levels;
    content["kick"] = 60;
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); },
                        "permission to add ops level greater than your own (kick: 60"));
    content["kick"] = 50; // up to one's own level is fine
    EXPECT_NO_THROW(change_levels(mod, content, levels));
}

TEST(AuthRules, CannotTouchANamedLevelAboveOwn)
{
    auto levels = default_levels();
    levels["state_default"] = 0;
    levels["ban"] = 80;
    auto content = levels;
    content["ban"] = 10; // lowering it
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); }, "(ban: 80"));
    content.erase("ban"); // removing it (back to the default 50)
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); }, "(ban: 80"));
    content["ban"] = 80; // unchanged: fine
    content["redact"] = 20;
    EXPECT_NO_THROW(change_levels(mod, content, levels));
}

TEST(AuthRules, CannotPromoteAUserAboveOwnLevel)
{
    auto levels = default_levels();
    levels["state_default"] = 0;
    auto content = levels;
    content["users"][bob] = 51;
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); },
                        "users." + bob + ": 51, your level: 50"));
    content["users"][bob] = 50;
    EXPECT_NO_THROW(change_levels(mod, content, levels));
}

TEST(AuthRules, CannotDemoteAUserAtOrAboveOwnLevel)
{
    auto levels = default_levels();
    levels["users"][carol] = 50;
    auto content = levels;
    content["users"][carol] = 0;
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); },
                        "remove ops level equal to your own"));
    content = levels;
    content["users"].erase(carol);
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); }, "equal to your own"));
    content = levels;
    content["users"][alice] = 0;
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); }, "greater than your own"));
    content = levels;
    content["users"][mod] = 10; // an admin demotes a moderator
    EXPECT_NO_THROW(change_levels(alice, content, levels));
}

TEST(AuthRules, UserMayLowerTheirOwnLevel)
{
    auto content = default_levels();
    content["users"][alice] = 10;
    EXPECT_NO_THROW(change_levels(alice, content));
}

TEST(AuthRules, UnchangedHighEntriesDoNotBlockOtherChanges)
{
    auto content = default_levels(); // alice stays at 100, above mod
    content["users"][bob] = 20;
    content["events"] = {{"m.room.topic", 40}};
    EXPECT_NO_THROW(change_levels(mod, content));
}

TEST(AuthRules, EventsAndNotificationsEntriesFollowTheSameRules)
{
    auto levels = default_levels();
    levels["events"] = {{"m.room.server_acl", 100}, {"m.room.name", 50}};
    levels["notifications"] = {{"room", 100}};
    levels["state_default"] = 0;
    auto content = levels;
    content["events"]["m.room.server_acl"] = 50; // changing an entry above one's level
    EXPECT_TRUE(
        refused([&] { change_levels(mod, content, levels); }, "events.m.room.server_acl: 100"));
    content = levels;
    content["events"].erase("m.room.server_acl"); // removing it
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); }, "events.m.room.server_acl"));
    content = levels;
    content["events"]["m.room.tombstone"] = 75; // adding one above one's level
    EXPECT_TRUE(
        refused([&] { change_levels(mod, content, levels); }, "events.m.room.tombstone: 75"));
    content = levels;
    content["notifications"]["room"] = 0;
    EXPECT_TRUE(refused([&] { change_levels(mod, content, levels); }, "notifications.room: 100"));
    content = levels;
    content["events"]["m.room.name"] = 0; // an entry at one's own level may change
    content["events"]["m.room.topic"] = 50;
    EXPECT_NO_THROW(change_levels(mod, content, levels));
}

TEST(AuthRules, PowerLevelsEventItselfNeedsItsRequiredLevel)
{
    // Rule 7 comes first: the events entry for m.room.power_levels (or state_default).
    auto content = default_levels();
    EXPECT_TRUE(refused([&] { change_levels(bob, content); }, "send_level (50)"));
}

// --- redactions ------------------------------------------------------------------------

void redact_event_of(const std::string& sender, std::optional<std::string> original_sender,
                     std::optional<std::string> original_type = "m.room.message",
                     json levels = default_levels())
{
    auto ctx = room("invite", std::move(levels));
    ctx.redacted_event_sender = std::move(original_sender);
    ctx.redacted_event_type = original_sender ? std::move(original_type) : std::nullopt;
    send(ctx, sender, "m.room.redaction", std::nullopt, {{"redacts", "$target"}});
}

TEST(AuthRules, AnyoneMayRedactTheirOwnEvents)
{
    EXPECT_NO_THROW(redact_event_of(bob, bob));
}

TEST(AuthRules, RedactingOthersNeedsTheRedactLevel)
{
    EXPECT_TRUE(refused([] { redact_event_of(bob, carol); },
                        "You don't have permission to redact events (need 50, have 0)"));
    EXPECT_NO_THROW(redact_event_of(mod, carol));
    EXPECT_NO_THROW(redact_event_of(mod, alice)); // the redact level is all it takes
}

TEST(AuthRules, RedactingAnUnknownEventNeedsTheRedactLevel)
{
    EXPECT_TRUE(refused([] { redact_event_of(bob, std::nullopt); }, "Could not find",
                        ErrCode::M_NOT_FOUND));
    EXPECT_NO_THROW(redact_event_of(mod, std::nullopt));
}

TEST(AuthRules, CreateAndServerAclEventsCannotBeRedacted)
{
    EXPECT_TRUE(refused([] { redact_event_of(alice, alice, "m.room.create"); },
                        "Redacting create events is not permitted"));
    EXPECT_TRUE(refused([] { redact_event_of(alice, alice, "m.room.server_acl"); },
                        "Redacting server ACL events is not permitted"));
}

TEST(AuthRules, RedactionEventsNeedTheirOwnSendLevelFirst)
{
    // The auth rules proper: m.room.redaction is an event like any other (rule 7).
    auto levels = default_levels();
    levels["events"] = {{"m.room.redaction", 50}};
    EXPECT_TRUE(
        refused([&] { redact_event_of(bob, bob, "m.room.message", levels); }, "send_level (50)"));
}

} // namespace
} // namespace ravenous::rooms
