#include "ravenous/auth/passwords.hpp"

#include <gtest/gtest.h>

namespace ravenous::auth {
namespace {

TEST(Passwords, HashIsArgon2idAndVerifies)
{
    const auto hash = passwords::hash("correct horse");
    EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
    EXPECT_TRUE(passwords::looks_like_hash(hash));
    EXPECT_TRUE(passwords::verify(hash, "correct horse"));
    EXPECT_FALSE(passwords::verify(hash, "correct horse "));
    EXPECT_FALSE(passwords::verify(hash, ""));
}

TEST(Passwords, SamePasswordHashesDifferently)
{
    EXPECT_NE(passwords::hash("pw"), passwords::hash("pw"));  // a fresh salt each time
}

TEST(Passwords, GarbageHashesNeverVerify)
{
    EXPECT_FALSE(passwords::verify("", "pw"));
    EXPECT_FALSE(passwords::verify("$2b$12$bcrypt-is-not-accepted", "pw"));
    EXPECT_FALSE(passwords::verify("$argon2id$v=19$m=65536,t=2,p=1$broken", "pw"));
    EXPECT_FALSE(passwords::looks_like_hash("$argon2i$v=19$m=65536,t=2,p=1$x$y"));
}

} // namespace
} // namespace ravenous::auth
