#include "ravenous/sync/ephemeral.hpp"
#include "ravenous/sync/notifier.hpp"

#include <gtest/gtest.h>
#include <thread>

namespace ravenous::sync {
namespace {

using namespace std::chrono_literals;

class Ephemeral : public ::testing::Test
{
protected:
    Notifier notifier{0};
    EphemeralState state{notifier};
};

TEST_F(Ephemeral, TypingAppearsAndStopsAndBumpsTheSerial)
{
    state.set_typing("!r:x", "@b:x", true, 30s);
    state.set_typing("!r:x", "@a:x", true, 30s);
    EXPECT_EQ(state.typing_in("!r:x"), (std::vector<std::string>{"@a:x", "@b:x"}));
    const auto serial = notifier.current().ephemeral;
    EXPECT_EQ(serial, 2);
    state.set_typing("!r:x", "@a:x", false, 0ms);
    EXPECT_EQ(state.typing_in("!r:x"), (std::vector<std::string>{"@b:x"}));
    EXPECT_GT(notifier.current().ephemeral, serial);
    EXPECT_TRUE(state.typing_in("!other:x").empty());
}

TEST_F(Ephemeral, RefreshingOrStoppingTwiceDoesNotBumpTheSerial)
{
    state.set_typing("!r:x", "@a:x", true, 30s);
    const auto serial = notifier.current().ephemeral;
    state.set_typing("!r:x", "@a:x", true, 30s);
    state.set_typing("!r:x", "@b:x", false, 0ms);
    EXPECT_EQ(notifier.current().ephemeral, serial);
}

TEST_F(Ephemeral, TimeoutIsClamped)
{
    const auto before = EphemeralState::Clock::now();
    state.set_typing("!r:x", "@a:x", true, 3600s);
    auto expiry = state.next_expiry();
    ASSERT_TRUE(expiry);
    EXPECT_LE(*expiry - before, EphemeralState::max_typing_timeout + 1s);
    state.set_typing("!r:x", "@b:x", true, -5s);
    EXPECT_EQ(state.typing_in("!r:x"), (std::vector<std::string>{"@a:x"}));
}

TEST_F(Ephemeral, ExpiredTypingVanishesAndBumpsTheSerial)
{
    state.set_typing("!r:x", "@a:x", true, 1ms);
    const auto serial = notifier.current().ephemeral;
    const auto expiry = state.next_expiry();
    ASSERT_TRUE(expiry);
    // Bounded wait for the 1 ms timeout to pass (no fixed sleep).
    const auto deadline = EphemeralState::Clock::now() + 5s;
    while (EphemeralState::Clock::now() <= *expiry && EphemeralState::Clock::now() < deadline)
        std::this_thread::yield();
    EXPECT_TRUE(state.typing_in("!r:x").empty());
    EXPECT_GT(notifier.current().ephemeral, serial);
    EXPECT_FALSE(state.next_expiry());
    // The room still counts as changed for a client that synced before the expiry.
    EXPECT_EQ(state.typing_rooms_since(serial), (std::vector<std::string>{"!r:x"}));
    EXPECT_TRUE(state.typing_rooms_since(notifier.current().ephemeral).empty());
}

TEST_F(Ephemeral, PresenceDefaultsToOffline)
{
    const auto p = state.presence_of("@a:x");
    EXPECT_EQ(p.presence, "offline");
    EXPECT_FALSE(p.status_msg);
    const auto content = state.presence_content("@a:x");
    EXPECT_EQ(content.at("presence"), "offline");
    EXPECT_EQ(content.at("currently_active"), false);
    EXPECT_FALSE(content.contains("last_active_ago"));
}

TEST_F(Ephemeral, PresenceChangesBumpTheSerialOnlyWhenTheyChangeSomething)
{
    state.set_presence("@a:x", "online", std::string("hi"));
    const auto serial = notifier.current().ephemeral;
    EXPECT_EQ(serial, 1);
    state.set_presence("@a:x", "online", std::string("hi"));
    EXPECT_EQ(notifier.current().ephemeral, serial);
    state.set_presence("@a:x", "unavailable", std::nullopt);
    EXPECT_GT(notifier.current().ephemeral, serial);
    const auto content = state.presence_content("@a:x");
    EXPECT_EQ(content.at("presence"), "unavailable");
    EXPECT_FALSE(content.contains("status_msg"));
    EXPECT_EQ(state.presence_users(), (std::vector<std::string>{"@a:x"}));
    EXPECT_TRUE(state.presence_users(notifier.current().ephemeral).empty());
}

TEST_F(Ephemeral, ValidPresenceValues)
{
    EXPECT_TRUE(EphemeralState::is_valid_presence("online"));
    EXPECT_TRUE(EphemeralState::is_valid_presence("offline"));
    EXPECT_TRUE(EphemeralState::is_valid_presence("unavailable"));
    EXPECT_FALSE(EphemeralState::is_valid_presence("busy"));
    EXPECT_FALSE(EphemeralState::is_valid_presence(""));
}

} // namespace
} // namespace ravenous::sync
