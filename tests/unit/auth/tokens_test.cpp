#include "ravenous/auth/tokens.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ravenous::auth {
namespace {

TEST(Tokens, AccessTokensArePrefixedRandomAndUrlSafe)
{
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto token = tokens::new_access_token();
        EXPECT_TRUE(token.starts_with("rvt_"));
        EXPECT_EQ(token.size(), 4u + 43u);  // 32 random bytes, unpadded base64url
        EXPECT_EQ(token.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 4),
                  std::string::npos);
        EXPECT_TRUE(seen.insert(token).second);
    }
}

TEST(Tokens, HashIsStableHexAndNotTheToken)
{
    const auto token = tokens::new_access_token();
    const auto hash = tokens::hash(token);
    EXPECT_EQ(hash, tokens::hash(token));
    EXPECT_EQ(hash.size(), 64u);
    EXPECT_NE(hash, tokens::hash(token + "x"));
    EXPECT_EQ(hash.find(token), std::string::npos);
}

TEST(Tokens, DeviceIdsAreTenUpperCaseLetters)
{
    const auto id = tokens::new_device_id();
    EXPECT_EQ(id.size(), 10u);
    EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos);
}

} // namespace
} // namespace ravenous::auth
