// Who an appservice may act as: double puppeting of the owner as Beeper does it (bridge-manager
// bridges always, file registrations only when their namespace holds the owner), puppets that
// exist on first use, and the token forms bridges send.

#include "e2e/appservice_helpers.hpp"

namespace ravenous::test {
namespace {

using namespace appservices;

// The owner lives on another domain than the bridges' users, as on Beeper.
constexpr std::string_view owner_id = "@alice:beeper.com";

class AppserviceIdentity : public ::testing::Test
{
protected:
    void SetUp() override
    {
        TestServer::Options options;
        options.owner_user_id = std::string(owner_id);
        options.appservices = {
            registration_yaml("whatsapp", "@whatsapp_.+:test\\.local"),
            registration_yaml("personal", "@alice:beeper\\.com$", false),
            registration_yaml("wide", "@.*:test\\.local", false),
        };
        server_ = std::make_unique<TestServer>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->client());
    }

    HttpResponse appservice_login(std::string_view token, std::string_view user)
    {
        return client_->post("/_matrix/client/v3/login",
                             {{"type", "m.login.application_service"},
                              {"identifier", {{"type", "m.id.user"}, {"user", user}}}},
                             token);
    }

    int profile_status(std::string_view user)
    {
        return client_->get("/_matrix/client/v3/profile/" + std::string(user)).status;
    }

    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
};

TEST_F(AppserviceIdentity, ABridgeManagerBridgeDoublePuppetsTheOwner)
{
    auto owner = login_owner(*client_, owner_id);
    auto bridge = client_->put(bridge_path("alice", "signal"), {{"push", false}}, owner);
    ASSERT_EQ(bridge.status, 201) << bridge.body;
    const std::string as_token = bridge.json().at("as_token");

    auto who = whoami(*client_, as_token, owner_id);
    ASSERT_EQ(who.status, 200) << who.body;
    EXPECT_SPEC(who, "GET", whoami_path);
    EXPECT_EQ(who.json().at("user_id"), owner_id);

    const std::string displayname =
        "/_matrix/client/v3/profile/" + std::string(owner_id) + "/displayname";
    auto set = client_->put(displayname + "?user_id=" + std::string(owner_id),
                            {{"displayname", "Alice via Signal"}}, as_token);
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(client_->get(displayname).json().value("displayname", ""), "Alice via Signal");
}

TEST_F(AppserviceIdentity, AFileBridgeDoublePuppetsOnlyWithTheOwnerInItsNamespace)
{
    auto personal = whoami(*client_, "personal-as", owner_id);
    ASSERT_EQ(personal.status, 200) << personal.body;
    EXPECT_EQ(personal.json().at("user_id"), owner_id);
    for (std::string token : {"whatsapp-as", "wide-as"})
        expect_error(whoami(*client_, token, owner_id), 403, "M_FORBIDDEN");
}

TEST_F(AppserviceIdentity, TheOwnersDevicesAreNotTheBridges)
{
    auto login = client_->post("/_matrix/client/v3/login",
                               {{"type", "m.login.password"},
                                {"identifier", {{"type", "m.id.user"}, {"user", owner_id}}},
                                {"password", default_owner_password}});
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string device = login.json().at("device_id");
    expect_error(client_->get(std::string(whoami_path) + "?user_id=" + std::string(owner_id) +
                                  "&org.matrix.msc3202.device_id=" + device,
                              "personal-as"),
                 403, "M_FORBIDDEN");
}

TEST_F(AppserviceIdentity, PuppetsExistOnFirstUse)
{
    const std::string puppet = "@whatsapp_newcomer:test.local";
    ASSERT_EQ(profile_status(puppet), 404);
    auto who = whoami(*client_, "whatsapp-as", puppet);
    ASSERT_EQ(who.status, 200) << who.body;
    EXPECT_EQ(who.json().at("user_id"), puppet);
    EXPECT_EQ(profile_status(puppet), 200);
    // Owned by that appservice: it may log it in, and registering it again says it exists.
    auto login = appservice_login("whatsapp-as", puppet);
    EXPECT_EQ(login.status, 200) << login.body;
    expect_error(client_->post("/_matrix/client/v3/register",
                               {{"type", "m.login.application_service"},
                                {"username", "whatsapp_newcomer"}},
                               "whatsapp-as"),
                 400, "M_USER_IN_USE");

    // A non-exclusive namespace creates users nobody else holds.
    EXPECT_EQ(whoami(*client_, "wide-as", "@anyone:test.local").status, 200);
    EXPECT_EQ(profile_status("@anyone:test.local"), 200);
}

TEST_F(AppserviceIdentity, RefusedAssertionsCreateNobody)
{
    struct Case
    {
        std::string token;
        std::string user;
        int status;
        std::string errcode;
    };
    const Case cases[] = {
        {"whatsapp-as", "@someone:test.local", 403, "M_FORBIDDEN"},       // outside its namespace
        {"whatsapp-as", "@whatsapp_x:elsewhere.org", 403, "M_FORBIDDEN"}, // not local
        {"whatsapp-as", "@whatsapp_Upper:test.local", 400, "M_INVALID_PARAM"},
        {"whatsapp-as", "not-a-user-id", 400, "M_INVALID_PARAM"},
        {"wide-as", "@whatsapp_y:test.local", 403, "M_FORBIDDEN"},  // another's exclusive
    };
    for (const auto& c : cases) {
        auto res = whoami(*client_, c.token, c.user);
        EXPECT_EQ(res.status, c.status) << c.token << " as " << c.user << ": " << res.body;
        EXPECT_EQ(res.json().value("errcode", ""), c.errcode) << c.user;
    }
    for (std::string user : {"@someone:test.local", "@whatsapp_Upper:test.local",
                             "@whatsapp_y:test.local"})
        EXPECT_EQ(profile_status(user), 404) << user;
}

TEST_F(AppserviceIdentity, AsTokensWorkAsBearerAndAsTheLegacyQueryParameter)
{
    auto bearer = whoami(*client_, "whatsapp-as");
    EXPECT_EQ(bearer.json().value("user_id", ""), "@whatsappbot:test.local");
    auto query = client_->get(std::string(whoami_path) +
                              "?access_token=whatsapp-as&user_id=@whatsapp_legacy:test.local");
    ASSERT_EQ(query.status, 200) << query.body;
    EXPECT_EQ(query.json().at("user_id"), "@whatsapp_legacy:test.local");
    expect_error(client_->get(std::string(whoami_path) + "?access_token=nope"), 401,
                 "M_UNKNOWN_TOKEN");
}

TEST_F(AppserviceIdentity, AnAppserviceDeviceTokenMayNameItsOwnUser)
{
    // mautrix's crypto bot: appservice login, then its device token plus ?user_id=<bot>.
    const std::string bot = "@whatsappbot:test.local";
    auto login = appservice_login("whatsapp-as", bot);
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string device_token = login.json().at("access_token");
    auto who = whoami(*client_, device_token, bot);
    ASSERT_EQ(who.status, 200) << who.body;
    EXPECT_EQ(who.json().at("user_id"), bot);
    EXPECT_EQ(who.json().at("device_id"), login.json().at("device_id"));
}

} // namespace
} // namespace ravenous::test
