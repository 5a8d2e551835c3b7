#include "ravenous/matrix/ids.hpp"

#include <gtest/gtest.h>

namespace ravenous::matrix {
namespace {

TEST(Ids, ParsesUserIds)
{
    auto id = parse_user_id("@alice:beeper.com");
    ASSERT_TRUE(id);
    EXPECT_EQ(id->localpart, "alice");
    EXPECT_EQ(id->server_name, "beeper.com");
    EXPECT_EQ(id->to_string(), "@alice:beeper.com");
    EXPECT_TRUE(is_valid_user_id("@whatsapp_123:beeper.local"));
    EXPECT_TRUE(is_valid_user_id("@Historical.User!:example.org"));  // historical charset
    EXPECT_TRUE(is_valid_user_id("@a:[::1]:8448"));
    EXPECT_TRUE(is_valid_user_id("@a:127.0.0.1:8008"));
}

TEST(Ids, RejectsMalformedUserIds)
{
    for (const char* bad : {"", "@", "alice:example.org", "@:example.org", "@alice", "@alice:",
                            "@al ice:example.org", "@alice:exa mple.org", "@alice:example.org:99999999",
                            "@alice:[::1", "@ali\xc3\xa9:example.org"}) {
        EXPECT_FALSE(is_valid_user_id(bad)) << bad;
    }
    EXPECT_FALSE(is_valid_user_id("@" + std::string(250, 'a') + ":example.org"));
}

TEST(Ids, NewLocalpartsUseTheStrictGrammar)
{
    EXPECT_TRUE(is_valid_new_localpart("whatsapp_123=x.y-z/+"));
    EXPECT_FALSE(is_valid_new_localpart(""));
    EXPECT_FALSE(is_valid_new_localpart("Upper"));
    EXPECT_FALSE(is_valid_new_localpart("a:b"));
    EXPECT_FALSE(is_valid_new_localpart("a b"));
}

TEST(Ids, RoomEventAndDeviceIds)
{
    EXPECT_TRUE(is_valid_room_id("!abc:example.org"));
    EXPECT_TRUE(is_valid_room_id("!opaqueWithoutServer"));
    EXPECT_FALSE(is_valid_room_id("#alias:example.org"));
    EXPECT_FALSE(is_valid_room_id("!:example.org"));
    EXPECT_TRUE(is_valid_event_id("$abc123_-"));
    EXPECT_FALSE(is_valid_event_id("$"));
    EXPECT_FALSE(is_valid_event_id("abc"));
    EXPECT_TRUE(is_valid_device_id("ABCDEFGHIJ"));
    EXPECT_FALSE(is_valid_device_id(""));
    EXPECT_FALSE(is_valid_device_id(std::string(256, 'A')));
    EXPECT_FALSE(is_valid_device_id("with space"));
}

TEST(Ids, ServerNames)
{
    EXPECT_TRUE(is_valid_server_name("localhost"));
    EXPECT_TRUE(is_valid_server_name("matrix.org:8448"));
    EXPECT_TRUE(is_valid_server_name("[2001:db8::1]"));
    EXPECT_FALSE(is_valid_server_name(""));
    EXPECT_FALSE(is_valid_server_name("bad_host!"));
    EXPECT_FALSE(is_valid_server_name("host:"));
    EXPECT_FALSE(is_valid_server_name("[zz::1]"));
}

} // namespace
} // namespace ravenous::matrix
