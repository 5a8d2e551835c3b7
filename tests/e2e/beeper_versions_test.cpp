// /versions' unstable_features: mautrix bridges configured for Beeper's server (`software:
// hungry`) switch code paths on these flags, so each is advertised only once what it promises
// works (its own tests are next to its feature).

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::test {
namespace {

using nlohmann::json;

TEST(BeeperVersions, AdvertiseTheBeeperFeaturesThatAreServed)
{
    TestServer server;
    server.start();
    auto client = server.client();
    auto versions = client.get("/_matrix/client/versions");
    ASSERT_EQ(versions.status, 200) << versions.body;
    EXPECT_SPEC(versions, "GET", "/_matrix/client/versions");
    const json features = versions.json().at("unstable_features");
    for (const char* flag :
         {"com.beeper.room_yeeting", "com.beeper.batch_sending",
          "com.beeper.room_create_autojoin_invites", "com.beeper.arbitrary_profile_meta",
          "com.beeper.account_data_mute", "com.beeper.inbox_state", "com.beeper.msc4169",
          "com.beeper.hungry"})
        EXPECT_EQ(features.value(flag, false), true) << flag;
    // Flags of features not built are absent, not false: a bridge reads absent as "no".
    EXPECT_FALSE(features.contains("com.beeper.chatmerging"));
}

} // namespace
} // namespace ravenous::test
