// The bridge-manager API as bbctl calls Beeper's Hungryserv:
// PUT|GET|DELETE /_matrix/asmux/mxauth/appservice/{username}/{bridge} with the owner's token.
// Registrations take effect at once, survive restarts, and refused requests change nothing.

#include "e2e/appservice_helpers.hpp"
#include "support/fake_bridge.hpp"

namespace ravenous::test {
namespace {

using namespace appservices;

constexpr std::string_view register_path = "/_matrix/client/v3/register";

class BridgeManager : public ::testing::Test
{
protected:
    void SetUp() override
    {
        TestServer::Options options;
        options.appservices = {registration_yaml("telegram", "@telegram_.+:test\\.local"),
                               registration_yaml("signal-file", "@signal_.+:test\\.local")};
        server_ = std::make_unique<TestServer>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->client());
        owner_ = login_owner(*client_);
    }

    HttpResponse put_bridge(std::string_view bridge, const json& body,
                            std::string_view username = "owner")
    {
        return client_->put(bridge_path(username, bridge), body, owner_);
    }

    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
    std::string owner_;
};

TEST_F(BridgeManager, RegistersABridgeThatWorksAtOnceAndDeletesIt)
{
    auto created = put_bridge("whatsapp", {{"push", false}, {"self_hosted", true}});
    ASSERT_EQ(created.status, 201) << created.body;
    const json reg = created.json();
    EXPECT_EQ(reg.at("id"), "whatsapp");
    EXPECT_TRUE(reg.at("url").is_null());  // push: false, the bridge will use a WebSocket
    const std::string as_token = reg.at("as_token");
    EXPECT_GE(as_token.size(), 32u);
    EXPECT_GE(reg.at("hs_token").get<std::string>().size(), 32u);
    EXPECT_NE(reg.at("hs_token"), as_token);
    EXPECT_EQ(reg.at("sender_localpart"), "whatsappbot");
    const json users = reg.at("namespaces").at("users");
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0], (json{{"exclusive", true}, {"regex", "@whatsapp_.+:test\\.local"}}));
    EXPECT_EQ(users[1], (json{{"exclusive", true}, {"regex", "@whatsappbot:test\\.local"}}));
    EXPECT_EQ(reg.at("rate_limited"), false);
    EXPECT_EQ(reg.at("receive_ephemeral"), true);
    EXPECT_EQ(reg.at("de.sorunome.msc2409.push_ephemeral"), true);
    EXPECT_EQ(reg.at("org.matrix.msc3202"), true);
    EXPECT_FALSE(reg.contains("ravenous.bridge_manager"));

    auto again = put_bridge("whatsapp", {{"push", false}, {"self_hosted", true}});
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json(), reg);

    // The token works without a restart: the bot exists, puppets can be registered.
    auto bot = whoami(*client_, as_token);
    ASSERT_EQ(bot.status, 200) << bot.body;
    EXPECT_EQ(bot.json().at("user_id"), "@whatsappbot:test.local");
    auto puppet = client_->post(
        register_path,
        {{"type", "m.login.application_service"}, {"username", "whatsapp_alice"}}, as_token);
    ASSERT_EQ(puppet.status, 200) << puppet.body;
    EXPECT_EQ(puppet.json().at("user_id"), "@whatsapp_alice:test.local");

    auto got = client_->get(bridge_path("owner", "whatsapp"), owner_);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json(), reg);

    auto deleted = client_->del(bridge_path("owner", "whatsapp"), nullptr, owner_);
    EXPECT_EQ(deleted.status, 204) << deleted.body;
    expect_error(whoami(*client_, as_token), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->get(bridge_path("owner", "whatsapp"), owner_), 404, "M_NOT_FOUND");
    expect_error(client_->del(bridge_path("owner", "whatsapp"), nullptr, owner_), 404,
                 "M_NOT_FOUND");
    EXPECT_EQ(listed_ids(*client_), (std::set<std::string>{"telegram", "signal-file"}));

    // Registered anew, it gets new tokens.
    auto fresh = put_bridge("whatsapp", {{"push", false}});
    ASSERT_EQ(fresh.status, 201) << fresh.body;
    EXPECT_NE(fresh.json().at("as_token"), as_token);
}

TEST_F(BridgeManager, AddressAndPushChangesKeepTheTokens)
{
    auto created = put_bridge("discord", {{"push", false}, {"self_hosted", true}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto pushed = put_bridge("discord", {{"address", "http://127.0.0.1:29334"},
                                         {"push", true}, {"self_hosted", true}});
    ASSERT_EQ(pushed.status, 200) << pushed.body;
    EXPECT_EQ(pushed.json().at("url"), "http://127.0.0.1:29334");
    EXPECT_EQ(pushed.json().at("as_token"), created.json().at("as_token"));
    EXPECT_EQ(pushed.json().at("hs_token"), created.json().at("hs_token"));
    EXPECT_EQ(client_->get(bridge_path("owner", "discord"), owner_).json(), pushed.json());

    auto listed = client_->get(admin_item("discord"), default_admin_token);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.json().at("source"), "bridge_manager");
    EXPECT_EQ(listed.json().at("bridge_manager").at("push"), true);
    EXPECT_EQ(listed.json().at("bridge_manager").at("address"), "http://127.0.0.1:29334");

    // Back to the WebSocket: no url, the address is remembered but not pushed to.
    auto back = put_bridge("discord", {{"address", "http://127.0.0.1:29334"}, {"push", false}});
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_TRUE(back.json().at("url").is_null());
}

TEST_F(BridgeManager, PushingBridgeReceivesEventsUntilDeleted)
{
    // The bridge listens once its hs_token is known; nothing is pushed before the first event.
    const std::uint16_t port = pick_free_port();
    const std::string address = "http://127.0.0.1:" + std::to_string(port);
    auto created = put_bridge("slack", {{"address", address}, {"push", true}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json().at("url"), address);
    const std::string hs_token = created.json().at("hs_token");
    const std::string as_token = created.json().at("as_token");
    FakeBridge bridge{hs_token, port};

    auto room = client_->post("/_matrix/client/v3/createRoom",
                              {{"invite", {"@slackbot:test.local"}}}, owner_);
    ASSERT_EQ(room.status, 200) << room.body;
    const std::string room_id = room.json().at("room_id");
    auto joined = client_->post("/_matrix/client/v3/rooms/" + room_id + "/join",
                                json::object(), as_token);
    ASSERT_EQ(joined.status, 200) << joined.body;
    // Once the bot's join arrived, nothing is in flight, and the bridge is interested in
    // everything the room gets.
    auto has_join = [](const FakeBridge& b) {
        for (const auto& event : b.events())
            if (event.value("type", "") == "m.room.member" &&
                event.value("state_key", "") == "@slackbot:test.local" &&
                event.at("content").value("membership", "") == "join")
                return true;
        return false;
    };
    ASSERT_TRUE(bridge.wait_for(has_join, std::chrono::seconds(10)))
        << "no transaction after the registration";
    EXPECT_EQ(bridge.accepted().at(0).authorization, "Bearer " + hs_token);

    ASSERT_EQ(client_->del(bridge_path("owner", "slack"), nullptr, owner_).status, 204);
    const std::size_t before = bridge.received().size();
    auto sent = client_->put("/_matrix/client/v3/rooms/" + room_id + "/send/m.room.message/t1",
                             {{"msgtype", "m.text"}, {"body", "after"}}, owner_);
    ASSERT_EQ(sent.status, 200) << sent.body;
    EXPECT_FALSE(bridge.wait_for([&](const FakeBridge& b) { return b.received().size() > before; },
                                 std::chrono::milliseconds(1500)))
        << "a deleted appservice still received a transaction";
}

TEST_F(BridgeManager, PersistsAcrossARestart)
{
    auto created = put_bridge("whatsapp", {{"push", false}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string as_token = created.json().at("as_token");
    ASSERT_EQ(put_bridge("gone", {{"push", false}}).status, 201);
    ASSERT_EQ(client_->del(bridge_path("owner", "gone"), nullptr, owner_).status, 204);

    server_->restart();
    owner_ = login_owner(*client_);
    auto got = client_->get(bridge_path("owner", "whatsapp"), owner_);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json(), created.json());
    EXPECT_EQ(put_bridge("whatsapp", {{"push", false}}).status, 200);
    EXPECT_EQ(whoami(*client_, as_token).json().value("user_id", ""), "@whatsappbot:test.local");
    // Still bridge-managed after the restart: it may double-puppet the owner.
    EXPECT_EQ(whoami(*client_, as_token, default_owner_user_id).json().value("user_id", ""),
              default_owner_user_id);
    expect_error(client_->get(bridge_path("owner", "gone"), owner_), 404, "M_NOT_FOUND");
}

TEST_F(BridgeManager, OnlyTheOwnerWithTheirOwnTokenManagesBridges)
{
    auto bridge = put_bridge("whatsapp", {{"push", false}});
    ASSERT_EQ(bridge.status, 201);
    const std::string bridge_token = bridge.json().at("as_token");
    auto puppet = client_->post(
        register_path,
        {{"type", "m.login.application_service"}, {"username", "telegram_bob"}}, "telegram-as");
    ASSERT_EQ(puppet.status, 200) << puppet.body;
    const std::string puppet_token = puppet.json().at("access_token");
    const auto before = listed_ids(*client_);

    const json body = {{"push", false}};
    const std::string path = bridge_path("owner", "signal");
    HttpClient unchecked(server_->client());
    unchecked.set_spec_validation(false);
    expect_error(unchecked.put(path, body), 401, "M_MISSING_TOKEN");
    expect_error(unchecked.put(path, body, "no-such-token"), 401, "M_UNKNOWN_TOKEN");
    expect_error(unchecked.put(path, body, default_admin_token), 401, "M_UNKNOWN_TOKEN");
    expect_error(client_->put(path, body, puppet_token), 403, "M_FORBIDDEN");
    expect_error(client_->put(path, body, "telegram-as"), 403, "M_FORBIDDEN");
    expect_error(client_->put(path + "?user_id=@owner:test.local", body, bridge_token), 403,
                 "M_FORBIDDEN");
    expect_error(client_->get(bridge_path("owner", "whatsapp"), puppet_token), 403,
                 "M_FORBIDDEN");
    expect_error(client_->del(bridge_path("owner", "whatsapp"), nullptr, bridge_token), 403,
                 "M_FORBIDDEN");

    EXPECT_EQ(listed_ids(*client_), before);
    EXPECT_EQ(client_->get(bridge_path("owner", "whatsapp"), owner_).status, 200);
}

TEST_F(BridgeManager, PathAndBodyErrorsChangeNothing)
{
    const auto before = listed_ids(*client_);
    const json ok = {{"push", false}};
    expect_error(put_bridge("whatsapp", ok, "someone"), 403, "M_FORBIDDEN");
    expect_error(client_->get(bridge_path("someone", "whatsapp"), owner_), 403, "M_FORBIDDEN");
    expect_error(put_bridge("whatsapp", ok, "Owner_1"), 400, "M_INVALID_PARAM");
    for (std::string bridge : {std::string("WhatsApp"), std::string("what_sapp"),
                               std::string(33, 'a'), std::string("a%20b")})
        expect_error(put_bridge(bridge, ok), 400, "M_INVALID_PARAM");
    EXPECT_EQ(put_bridge(std::string(32, 'a'), ok).status, 201);  // the longest name

    const json bad_types[] = {
        {{"push", "yes"}},
        {{"push", false}, {"self_hosted", 1}},
        {{"push", true}, {"address", 12}},
        json::array(),
    };
    for (const auto& body : bad_types)
        expect_error(put_bridge("whatsapp", body), 400, "M_BAD_JSON");
    auto not_json = client_->request("PUT", bridge_path("owner", "whatsapp"), "{push: false",
                                     {{"Content-Type", "application/json"},
                                      {"Authorization", "Bearer " + owner_}});
    expect_error(not_json, 400, "M_NOT_JSON");
    expect_error(put_bridge("whatsapp", {{"push", true}}), 400, "M_INVALID_PARAM");
    expect_error(put_bridge("whatsapp", {{"push", true}, {"address", "ftp://x"}}), 400,
                 "M_INVALID_PARAM");

    auto after = listed_ids(*client_);
    after.erase(std::string(32, 'a'));
    EXPECT_EQ(after, before);
    expect_error(client_->get(bridge_path("owner", "whatsapp"), owner_), 404, "M_NOT_FOUND");
}

TEST_F(BridgeManager, ConflictsWithOtherAppservicesAre409NamingThem)
{
    // The id of a file registration.
    auto same_id = put_bridge("telegram", {{"push", false}});
    expect_error(same_id, 409, "M_EXCLUSIVE");
    EXPECT_NE(same_id.json().value("error", "").find("telegram"), std::string::npos);
    // A namespace that a file registration holds exclusively.
    auto overlap = put_bridge("signal", {{"push", false}});
    expect_error(overlap, 409, "M_EXCLUSIVE");
    EXPECT_NE(overlap.json().value("error", "").find("'signal-file'"), std::string::npos)
        << overlap.body;

    EXPECT_EQ(listed_ids(*client_), (std::set<std::string>{"telegram", "signal-file"}));
    expect_error(client_->get(bridge_path("owner", "signal"), owner_), 404, "M_NOT_FOUND");
    EXPECT_EQ(client_->get("/_matrix/client/v3/profile/@signalbot:test.local").status, 404);
}

} // namespace
} // namespace ravenous::test
