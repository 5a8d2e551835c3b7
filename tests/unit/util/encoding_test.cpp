#include "ravenous/util/encoding.hpp"

#include <gtest/gtest.h>

namespace ravenous::util {
namespace {

TEST(Encoding, Base64IsUnpaddedAndRoundTrips)
{
    EXPECT_EQ(base64_encode_unpadded("a"), "YQ");
    EXPECT_EQ(base64_encode_unpadded("\xfb\xff"), "+/8");
    EXPECT_EQ(base64url_encode_unpadded("\xfb\xff"), "-_8");
    EXPECT_EQ(base64_decode("YQ"), "a");
    EXPECT_EQ(base64_decode("YQ=="), "a");
    EXPECT_FALSE(base64_decode("Y*Q").has_value());
}

TEST(Encoding, Utf8Validation)
{
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));  // é € 😀
    EXPECT_FALSE(is_valid_utf8("\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

TEST(Encoding, SecretsEqualAndHashes)
{
    EXPECT_TRUE(secrets_equal("abc", "abc"));
    EXPECT_FALSE(secrets_equal("abc", "abd"));
    EXPECT_FALSE(secrets_equal("abc", "abcd"));
    EXPECT_EQ(hex_encode("\x01\xab"), "01ab");
    EXPECT_EQ(blake2b_hex("x").size(), 64u);
    EXPECT_EQ(sha256("").size(), 32u);
}

} // namespace
} // namespace ravenous::util
