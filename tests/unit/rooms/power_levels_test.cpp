#include "ravenous/rooms/power_levels.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::rooms {
namespace {

using nlohmann::json;

TEST(PowerLevels, AbsentKeysTakeTheSpecDefaults)
{
    const auto levels = PowerLevels::from_content(json::object());
    EXPECT_EQ(levels.ban, 50);
    EXPECT_EQ(levels.kick, 50);
    EXPECT_EQ(levels.redact, 50);
    EXPECT_EQ(levels.invite, 0);
    EXPECT_EQ(levels.events_default, 0);
    EXPECT_EQ(levels.state_default, 50);
    EXPECT_EQ(levels.users_default, 0);
    EXPECT_EQ(levels.notifications_room, 50);
    EXPECT_TRUE(levels.users.empty());
    EXPECT_TRUE(levels.events.empty());
}

TEST(PowerLevels, ReadsTheSpecExample)
{
    // The example of m.room.power_levels in the spec's event schemas.
    const auto content = json::parse(R"({
        "ban": 50,
        "events": {"m.room.name": 100, "m.room.power_levels": 100},
        "events_default": 0,
        "invite": 50,
        "kick": 50,
        "notifications": {"room": 20},
        "redact": 50,
        "state_default": 50,
        "users": {"@example:localhost": 100},
        "users_default": 0
    })");
    const auto levels = PowerLevels::from_content(content);
    EXPECT_EQ(levels.invite, 50);
    EXPECT_EQ(levels.notifications_room, 20);
    EXPECT_EQ(levels.user_level("@example:localhost"), 100);
    EXPECT_EQ(levels.user_level("@other:localhost"), 0);
    EXPECT_EQ(levels.event_level("m.room.name", true), 100);
    EXPECT_EQ(levels.event_level("m.room.topic", true), 50);
    EXPECT_EQ(levels.event_level("m.room.message", false), 0);
}

TEST(PowerLevels, UsersDefaultAppliesToUnlistedUsers)
{
    const auto levels =
        PowerLevels::from_content({{"users_default", 10}, {"users", {{"@a:x", 5}}}});
    EXPECT_EQ(levels.user_level("@a:x"), 5);
    EXPECT_EQ(levels.user_level("@b:x"), 10);
}

TEST(PowerLevels, EventsMapOverridesDefaultsForStateAndMessages)
{
    const auto levels = PowerLevels::from_content(
        {{"events", {{"m.reaction", 20}, {"m.room.topic", 0}}}, {"events_default", 5}});
    EXPECT_EQ(levels.event_level("m.reaction", false), 20);
    EXPECT_EQ(levels.event_level("m.room.topic", true), 0);
    EXPECT_EQ(levels.event_level("m.room.message", false), 5);
    EXPECT_EQ(levels.event_level("m.room.avatar", true), 50);
}

TEST(PowerLevels, WithoutEventCreatorHas100OthersZeroAndRequiredLevelsAreDefaults)
{
    const auto levels = PowerLevels::without_event("@creator:x");
    EXPECT_EQ(levels.user_level("@creator:x"), 100);
    EXPECT_EQ(levels.user_level("@someone:x"), 0);
    EXPECT_EQ(levels.event_level("m.room.message", false), 0);
    EXPECT_EQ(levels.event_level("m.room.name", true), 50);
    EXPECT_EQ(levels.invite, 0);
    EXPECT_EQ(levels.kick, 50);
    EXPECT_EQ(levels.ban, 50);
    EXPECT_EQ(levels.redact, 50);
}

TEST(PowerLevels, FromStateChoosesContentOrCreatorDefaults)
{
    EXPECT_EQ(PowerLevels::from_state(std::nullopt, "@c:x").user_level("@c:x"), 100);
    EXPECT_EQ(PowerLevels::from_state(json::object(), "@c:x").user_level("@c:x"), 0);
}

TEST(PowerLevels, NonIntegerValuesKeepTheirDefaults)
{
    const auto levels = PowerLevels::from_content(
        {{"ban", "10"}, {"kick", 1.5}, {"users", {{"@a:x", "100"}, {"@b:x", true}}}});
    EXPECT_EQ(levels.ban, 50);
    EXPECT_EQ(levels.kick, 50);
    EXPECT_EQ(levels.user_level("@a:x"), 0);
    EXPECT_EQ(levels.user_level("@b:x"), 0);
}

TEST(PowerLevels, AsPowerLevelAcceptsCanonicalJsonIntegersOnly)
{
    EXPECT_EQ(as_power_level(json(0)), 0);
    EXPECT_EQ(as_power_level(json(-5)), -5);
    EXPECT_EQ(as_power_level(json(9007199254740991)), 9007199254740991);
    EXPECT_EQ(as_power_level(json(-9007199254740991)), -9007199254740991);
    EXPECT_EQ(as_power_level(json(9007199254740992)), std::nullopt);
    EXPECT_EQ(as_power_level(json(std::uint64_t{18446744073709551615ULL})), std::nullopt);
    EXPECT_EQ(as_power_level(json("50")), std::nullopt);
    EXPECT_EQ(as_power_level(json(50.0)), std::nullopt);
    EXPECT_EQ(as_power_level(json(true)), std::nullopt);
    EXPECT_EQ(as_power_level(json(nullptr)), std::nullopt);
}

} // namespace
} // namespace ravenous::rooms
