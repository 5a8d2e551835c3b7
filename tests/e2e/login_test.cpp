// Owner login, whoami, logout, and what a bad login gets: the real binary over HTTP.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::test {
namespace {

using nlohmann::json;

constexpr std::string_view login_path = "/_matrix/client/v3/login";
constexpr std::string_view whoami_path = "/_matrix/client/v3/account/whoami";

json password_login(std::string_view user, std::string_view password)
{
    return {{"type", "m.login.password"},
            {"identifier", {{"type", "m.id.user"}, {"user", user}}},
            {"password", password}};
}

class Login : public ::testing::Test
{
protected:
    void SetUp() override { server_.start(); }

    TestServer server_;
    HttpClient client_ = server_.client();
};

TEST_F(Login, FlowsListPasswordAndAppservice)
{
    auto res = client_.get(login_path);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "GET", login_path);
    std::vector<std::string> types;
    const auto body = res.json();
    for (const auto& flow : body.at("flows"))
        types.push_back(flow.at("type"));
    EXPECT_EQ(types, (std::vector<std::string>{"m.login.password", "m.login.application_service"}));
}

TEST_F(Login, OwnerLogsInAndWhoamiNamesTheDevice)
{
    auto body = password_login(default_owner_user_id, default_owner_password);
    body["device_id"] = "MYPHONE";
    body["initial_device_display_name"] = "Phone";
    auto res = client_.post(login_path, body);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", login_path);
    const auto login = res.json();
    EXPECT_EQ(login.at("user_id"), default_owner_user_id);
    EXPECT_EQ(login.at("device_id"), "MYPHONE");

    auto who = client_.get(whoami_path, login.at("access_token").get<std::string>());
    ASSERT_EQ(who.status, 200) << who.body;
    EXPECT_SPEC(who, "GET", whoami_path);
    EXPECT_EQ(who.json().at("user_id"), default_owner_user_id);
    EXPECT_EQ(who.json().at("device_id"), "MYPHONE");
}

TEST_F(Login, LocalpartAndLegacyUserFieldWork)
{
    auto by_localpart = client_.post(login_path, password_login("owner", default_owner_password));
    ASSERT_EQ(by_localpart.status, 200) << by_localpart.body;
    EXPECT_EQ(by_localpart.json().at("user_id"), default_owner_user_id);

    json legacy = {{"type", "m.login.password"},
                   {"user", default_owner_user_id},
                   {"password", default_owner_password}};
    auto res = client_.post(login_path, legacy);
    ASSERT_EQ(res.status, 200) << res.body;
    // Each login is a new device with its own token.
    EXPECT_NE(res.json().at("device_id"), by_localpart.json().at("device_id"));
    EXPECT_NE(res.json().at("access_token"), by_localpart.json().at("access_token"));
}

TEST_F(Login, WrongPasswordOrUnknownUserIsForbidden)
{
    for (auto body : {password_login(default_owner_user_id, "wrong"),
                      password_login("@nobody:test.local", default_owner_password)}) {
        auto res = client_.post(login_path, body);
        EXPECT_EQ(res.status, 403) << res.body;
        EXPECT_EQ(res.json().at("errcode"), "M_FORBIDDEN");
    }
}

TEST_F(Login, MalformedLoginsGetTheirErrors)
{
    struct Case
    {
        std::string body;
        int status;
        std::string errcode;
    };
    const Case cases[] = {
        {"{not json", 400, "M_NOT_JSON"},
        {"[1,2]", 400, "M_BAD_JSON"},
        {R"({"identifier":{"type":"m.id.user","user":"owner"},"password":"x"})", 400, "M_MISSING_PARAM"},
        {R"({"type":42})", 400, "M_BAD_JSON"},
        {R"({"type":"m.login.sso"})", 400, "M_UNKNOWN"},
        {R"({"type":"m.login.password","password":"x"})", 400, "M_MISSING_PARAM"},
        {R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"owner"}})", 400, "M_MISSING_PARAM"},
        {R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"owner"},"password":7})", 400, "M_BAD_JSON"},
        {R"({"type":"m.login.password","identifier":{"type":"m.id.phone"},"password":"x"})", 400, "M_UNKNOWN"},
        {"{\"type\":\"m.login.password\",\"user\":\"\xff\xfe\",\"password\":\"x\"}", 400, "M_NOT_JSON"},
    };
    for (const auto& c : cases) {
        auto res = client_.request("POST", login_path, c.body, {{"Content-Type", "application/json"}});
        EXPECT_EQ(res.status, c.status) << c.body << " -> " << res.body;
        EXPECT_EQ(res.json().value("errcode", ""), c.errcode) << c.body;
    }
}

TEST_F(Login, AppserviceLoginWithoutAppserviceTokenIsRefused)
{
    json body = {{"type", "m.login.application_service"},
                 {"identifier", {{"type", "m.id.user"}, {"user", "owner"}}}};
    auto missing = client_.post(login_path, body);
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.json().at("errcode"), "M_MISSING_TOKEN");

    auto owner_token = login_owner(client_);
    auto user_token = client_.post(login_path, body, owner_token);
    EXPECT_EQ(user_token.status, 401);
    EXPECT_EQ(user_token.json().at("errcode"), "M_UNKNOWN_TOKEN");
}

TEST_F(Login, MissingAndWrongTokens)
{
    auto missing = client_.get(whoami_path);
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.json().at("errcode"), "M_MISSING_TOKEN");
    EXPECT_SPEC(missing, "GET", whoami_path);

    auto wrong = client_.get(whoami_path, "rvt_not-a-token");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.json().at("errcode"), "M_UNKNOWN_TOKEN");

    auto bad_scheme = client_.request("GET", whoami_path, std::nullopt, {{"Authorization", "Basic abc"}});
    EXPECT_EQ(bad_scheme.status, 401);
    EXPECT_EQ(bad_scheme.json().at("errcode"), "M_MISSING_TOKEN");
}

TEST_F(Login, AccessTokenQueryParameterIsAccepted)
{
    auto token = login_owner(client_);
    auto res = client_.get(std::string(whoami_path) + "?access_token=" + token);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json().at("user_id"), default_owner_user_id);
}

TEST_F(Login, LogoutEndsTheTokenAndTheDevice)
{
    auto token = login_owner(client_);
    auto other = login_owner(client_);
    auto res = client_.post("/_matrix/client/v3/logout", json::object(), token);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", "/_matrix/client/v3/logout");
    EXPECT_EQ(client_.get(whoami_path, token).status, 401);
    EXPECT_EQ(client_.get(whoami_path, other).status, 200);

    auto devices = client_.get("/_matrix/client/v3/devices", other).json().at("devices");
    EXPECT_EQ(devices.size(), 1u);
}

TEST_F(Login, LogoutAllEndsEverySession)
{
    auto first = login_owner(client_);
    auto second = login_owner(client_);
    auto res = client_.post("/_matrix/client/v3/logout/all", json::object(), first);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(client_.get(whoami_path, first).status, 401);
    EXPECT_EQ(client_.get(whoami_path, second).status, 401);
}

TEST_F(Login, UsersAndTokensSurviveARestart)
{
    auto token = login_owner(client_);
    server_.restart();
    auto client = server_.client();
    auto who = client.get(whoami_path, token);
    ASSERT_EQ(who.status, 200) << who.body;
    EXPECT_EQ(who.json().at("user_id"), default_owner_user_id);
}

TEST_F(Login, OrdinaryRegistrationIsForbidden)
{
    auto res = client_.post("/_matrix/client/v3/register",
                            {{"username", "mallory"}, {"password", "secret-password"}});
    EXPECT_EQ(res.status, 403) << res.body;
    EXPECT_EQ(res.json().at("errcode"), "M_FORBIDDEN");
    EXPECT_EQ(client_.post(login_path, password_login("mallory", "secret-password")).status, 403);
}

} // namespace
} // namespace ravenous::test
