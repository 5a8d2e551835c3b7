#include "http/access_log.hpp"

#include <gtest/gtest.h>

namespace ravenous::http::access_log {
namespace {

TEST(AccessLog, RedactsAccessTokenValues)
{
    EXPECT_EQ(redact_target("/_matrix/client/v3/sync?access_token=syt_secret&since=s1"),
              "/_matrix/client/v3/sync?access_token=<redacted>&since=s1");
    EXPECT_EQ(redact_target("/p?since=1&access_token=a&access_token=b"),
              "/p?since=1&access_token=<redacted>&access_token=<redacted>");
}

TEST(AccessLog, RedactsEncodedKeyAndMalformedKeys)
{
    EXPECT_EQ(redact_target("/p?access%5Ftoken=secret"), "/p?access%5Ftoken=<redacted>");
    EXPECT_EQ(redact_target("/p?%zz=secret"), "/p?%zz=<redacted>");
}

TEST(AccessLog, KeepsPathsAndOtherParameters)
{
    EXPECT_EQ(redact_target("/_matrix/client/versions"), "/_matrix/client/versions");
    EXPECT_EQ(redact_target("/p?user_id=%40a%3Ab&flag"), "/p?user_id=%40a%3Ab&flag");
}

TEST(AccessLog, EscapesUnprintableBytes)
{
    EXPECT_EQ(redact_target("/a b\x01\xff"), "/a%20b%01%FF");
}

} // namespace
} // namespace ravenous::http::access_log
