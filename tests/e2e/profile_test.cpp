// Profiles: read by anyone, changed only by their user.

#include "bad_requests.hpp"
#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::test {
namespace {

using nlohmann::json;

const std::string owner_profile = "/_matrix/client/v3/profile/" + std::string(default_owner_user_id);

class Profile : public ::testing::Test
{
protected:
    void SetUp() override
    {
        server_.start();
        token_ = login_owner(client_);
    }

    TestServer server_;
    HttpClient client_ = server_.client();
    std::string token_;
};

TEST_F(Profile, SetAndReadDisplaynameAndAvatar)
{
    auto empty = client_.get(owner_profile);
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_SPEC(empty, "GET", owner_profile);
    EXPECT_EQ(empty.json(), json::object());

    auto set_name = client_.put(owner_profile + "/displayname", {{"displayname", "Owner Ö"}}, token_);
    ASSERT_EQ(set_name.status, 200) << set_name.body;
    EXPECT_SPEC(set_name, "PUT", owner_profile + "/displayname");
    auto set_avatar = client_.put(owner_profile + "/avatar_url",
                                  {{"avatar_url", "mxc://test.local/abc"}}, token_);
    ASSERT_EQ(set_avatar.status, 200) << set_avatar.body;

    auto name = client_.get(owner_profile + "/displayname");
    EXPECT_SPEC(name, "GET", owner_profile + "/displayname");
    EXPECT_EQ(name.json().at("displayname"), "Owner Ö");
    auto avatar = client_.get(owner_profile + "/avatar_url");
    EXPECT_SPEC(avatar, "GET", owner_profile + "/avatar_url");
    EXPECT_EQ(avatar.json().at("avatar_url"), "mxc://test.local/abc");
    auto whole = client_.get(owner_profile);
    EXPECT_EQ(whole.json(), (json{{"displayname", "Owner Ö"}, {"avatar_url", "mxc://test.local/abc"}}));

    // null clears a field.
    ASSERT_EQ(client_.put(owner_profile + "/displayname", {{"displayname", nullptr}}, token_).status, 200);
    EXPECT_FALSE(client_.get(owner_profile).json().contains("displayname"));
}

TEST_F(Profile, BadRequestsChangeNothing)
{
    ASSERT_EQ(client_.put(owner_profile + "/displayname", {{"displayname", "Kept"}}, token_).status, 200);
    const std::string long_name(300, 'x');
    const BadRequest cases[] = {
        {owner_profile + "/displayname", R"({"displayname": 5})", token_, 400, "M_BAD_JSON"},
        {owner_profile + "/displayname", R"({})", token_, 400, "M_MISSING_PARAM"},
        {owner_profile + "/displayname", R"({"displayname": ")" + long_name + R"("})", token_, 400, "M_BAD_JSON"},
        {owner_profile + "/displayname", "not json", token_, 400, "M_NOT_JSON"},
        {owner_profile + "/displayname", R"({"displayname": "x"})", "", 401, "M_MISSING_TOKEN"},
        {owner_profile + "/displayname", R"({"displayname": "x"})", "bad", 401, "M_UNKNOWN_TOKEN"},
        {"/_matrix/client/v3/profile/@other:test.local/displayname", R"({"displayname": "x"})", token_, 403, "M_FORBIDDEN"},
        {"/_matrix/client/v3/profile/not-a-user/displayname", R"({"displayname": "x"})", token_, 400, "M_INVALID_PARAM"},
    };
    expect_refused(client_, "PUT", cases);
    EXPECT_EQ(client_.get(owner_profile).json().at("displayname"), "Kept");
}

TEST_F(Profile, UnknownUsersAre404)
{
    for (std::string path : {"/_matrix/client/v3/profile/@ghost:test.local",
                             "/_matrix/client/v3/profile/@ghost:test.local/displayname",
                             "/_matrix/client/v3/profile/@ghost:test.local/avatar_url"}) {
        auto res = client_.get(path);
        EXPECT_EQ(res.status, 404) << path;
        EXPECT_EQ(res.json().at("errcode"), "M_NOT_FOUND");
    }
    auto invalid = client_.get("/_matrix/client/v3/profile/%40bad%20id");
    EXPECT_EQ(invalid.status, 400);
    EXPECT_EQ(invalid.json().at("errcode"), "M_INVALID_PARAM");
}

TEST_F(Profile, PercentEncodedUserIdsAreDecodedOnce)
{
    ASSERT_EQ(client_.put(owner_profile + "/displayname", {{"displayname", "Enc"}}, token_).status, 200);
    auto res = client_.get("/_matrix/client/v3/profile/%40owner%3Atest.local/displayname");
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json().at("displayname"), "Enc");
}

} // namespace
} // namespace ravenous::test
