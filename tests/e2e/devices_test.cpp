// Devices and the password: listing, renaming, deleting behind user-interactive auth.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::test {
namespace {

using nlohmann::json;

constexpr std::string_view devices_path = "/_matrix/client/v3/devices";

json password_auth(std::string_view password, std::string_view session = {})
{
    json auth = {{"type", "m.login.password"},
                 {"identifier", {{"type", "m.id.user"}, {"user", default_owner_user_id}}},
                 {"password", password}};
    if (!session.empty())
        auth["session"] = session;
    return auth;
}

class Devices : public ::testing::Test
{
protected:
    void SetUp() override
    {
        server_.start();
        token_ = login_owner(client_);
        device_ = client_.get("/_matrix/client/v3/account/whoami", token_).json().at("device_id");
    }

    std::string device_path(std::string_view id) const
    {
        return std::string(devices_path) + "/" + std::string(id);
    }

    TestServer server_;
    HttpClient client_ = server_.client();
    std::string token_;
    std::string device_;
};

TEST_F(Devices, ListAndGetShowTheLoginDevice)
{
    auto list = client_.get(devices_path, token_);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_SPEC(list, "GET", devices_path);
    ASSERT_EQ(list.json().at("devices").size(), 1u);
    EXPECT_EQ(list.json().at("devices")[0].at("device_id"), device_);

    auto one = client_.get(device_path(device_), token_);
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_SPEC(one, "GET", device_path(device_));
    EXPECT_EQ(one.json().at("device_id"), device_);

    auto missing = client_.get(device_path("NOSUCHDEVICE"), token_);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json().at("errcode"), "M_NOT_FOUND");
}

TEST_F(Devices, RenameChangesTheDisplayName)
{
    auto res = client_.put(device_path(device_), {{"display_name", "Laptop"}}, token_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "PUT", device_path(device_));
    EXPECT_EQ(client_.get(device_path(device_), token_).json().at("display_name"), "Laptop");

    auto unknown = client_.put(device_path("NOSUCHDEVICE"), {{"display_name", "x"}}, token_);
    EXPECT_EQ(unknown.status, 404);
    auto wrong_type = client_.put(device_path(device_), {{"display_name", 5}}, token_);
    EXPECT_EQ(wrong_type.status, 400);
    EXPECT_EQ(wrong_type.json().at("errcode"), "M_BAD_JSON");
    EXPECT_EQ(client_.get(device_path(device_), token_).json().at("display_name"), "Laptop");
}

TEST_F(Devices, DeleteAsksForAuthThenDeletes)
{
    auto other_token = login_owner(client_);
    const std::string other = client_.get("/_matrix/client/v3/account/whoami", other_token).json().at("device_id");

    auto challenge = client_.del(device_path(other), json::object(), token_);
    ASSERT_EQ(challenge.status, 401) << challenge.body;
    EXPECT_SPEC(challenge, "DELETE", device_path(other));
    const std::string session = challenge.json().at("session");
    EXPECT_EQ(challenge.json().at("flows")[0].at("stages")[0], "m.login.password");

    auto wrong = client_.del(device_path(other), {{"auth", password_auth("wrong", session)}}, token_);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.json().at("errcode"), "M_FORBIDDEN");
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", other_token).status, 200);

    auto done = client_.del(device_path(other),
                            {{"auth", password_auth(default_owner_password, session)}}, token_);
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", other_token).status, 401);
    EXPECT_EQ(client_.get(device_path(other), token_).status, 404);
}

TEST_F(Devices, DeleteDevicesInBulk)
{
    auto a = login_owner(client_);
    auto b = login_owner(client_);
    auto id_of = [&](const std::string& t) {
        return client_.get("/_matrix/client/v3/account/whoami", t).json().at("device_id").get<std::string>();
    };
    json body = {{"devices", {id_of(a), id_of(b), "UNKNOWNDEVICE"}}};
    auto challenge = client_.post("/_matrix/client/v3/delete_devices", body, token_);
    EXPECT_EQ(challenge.status, 401);
    body["auth"] = password_auth(default_owner_password, challenge.json().at("session").get<std::string>());
    auto res = client_.post("/_matrix/client/v3/delete_devices", body, token_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", a).status, 401);
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", b).status, 401);
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", token_).status, 200);

    auto bad = client_.post("/_matrix/client/v3/delete_devices", {{"devices", {1, 2}}}, token_);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json().at("errcode"), "M_BAD_JSON");
    auto missing = client_.post("/_matrix/client/v3/delete_devices", json::object(), token_);
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.json().at("errcode"), "M_MISSING_PARAM");
}

TEST_F(Devices, PasswordChangeLogsOutOtherDevicesAndSurvivesRestart)
{
    auto other = login_owner(client_);
    const json change = {{"new_password", "new-password-2"},
                         {"auth", password_auth(default_owner_password)}};
    auto res = client_.post("/_matrix/client/v3/account/password", change, token_);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", "/_matrix/client/v3/account/password");
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", other).status, 401);
    EXPECT_EQ(client_.get("/_matrix/client/v3/account/whoami", token_).status, 200);

    server_.restart();
    auto client = server_.client();
    EXPECT_THROW(login_owner(client), std::runtime_error);
    EXPECT_NO_THROW(login_owner(client, default_owner_user_id, "new-password-2"));
}

TEST_F(Devices, PasswordChangeNeedsTheOldPassword)
{
    auto none = client_.post("/_matrix/client/v3/account/password", {{"new_password", "x-1"}}, token_);
    EXPECT_EQ(none.status, 401);
    EXPECT_TRUE(none.json().contains("flows"));
    auto wrong = client_.post("/_matrix/client/v3/account/password",
                              {{"new_password", "x-1"}, {"auth", password_auth("nope")}}, token_);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.json().at("errcode"), "M_FORBIDDEN");
    auto missing = client_.post("/_matrix/client/v3/account/password",
                                {{"auth", password_auth(default_owner_password)}}, token_);
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.json().at("errcode"), "M_MISSING_PARAM");
    EXPECT_NO_THROW(login_owner(client_));
}

} // namespace
} // namespace ravenous::test
