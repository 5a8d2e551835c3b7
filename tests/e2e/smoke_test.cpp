// The smallest end-to-end checks: the real binary starts, answers /versions per the spec, and
// answers an unknown path with 404 M_UNRECOGNIZED. Also the example for the other e2e tests.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::test {
namespace {

class Smoke : public ::testing::Test
{
protected:
    void SetUp() override { server_.start(); }

    TestServer server_;
};

TEST_F(Smoke, VersionsAnswers200MatchingTheSpec)
{
    auto client = server_.client();
    auto response = client.get("/_matrix/client/versions");

    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_SPEC(response, "GET", "/_matrix/client/versions");
    EXPECT_TRUE(response.header("content-type").starts_with("application/json"));
    EXPECT_FALSE(response.json().at("versions").empty());
}

TEST_F(Smoke, UnknownPathIs404Unrecognized)
{
    auto client = server_.client();
    auto response = client.get("/_matrix/client/v3/nope");

    ASSERT_EQ(response.status, 404) << response.body;
    EXPECT_EQ(response.json().value("errcode", ""), "M_UNRECOGNIZED");
    EXPECT_TRUE(response.json().contains("error")) << response.body;
}

} // namespace
} // namespace ravenous::test
