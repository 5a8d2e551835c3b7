// POST /_matrix/client/v1/appservice/{appserviceId}/ping: a bridge asks the server to call its
// /_matrix/app/v1/ping (mautrix bridges do it at every start and refuse to start on failure).

#include "e2e/room_fixture.hpp"
#include "support/fake_bridge.hpp"

namespace ravenous::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::string_view wa_as_token = "wa-as-token";
constexpr std::string_view wa_hs_token = "wa-hs-token";
constexpr std::string_view tg_as_token = "tg-as-token";
constexpr std::string_view tg_hs_token = "tg-hs-token";

std::string registration(std::string_view id, std::string_view url, std::string_view prefix)
{
    return "id: " + std::string(id) + "\nurl: " + std::string(url) + "\nas_token: " +
           std::string(prefix) + "-as-token\nhs_token: " + std::string(prefix) +
           "-hs-token\nsender_localpart: " + std::string(id) +
           "bot\nnamespaces:\n  users:\n    - exclusive: true\n      regex: '@" +
           std::string(id) + "_.+:test\\.local'\n";
}

std::string ping_path(std::string_view id)
{
    return "/_matrix/client/v1/appservice/" + std::string(id) + "/ping";
}

using room::expect_error;

// "whatsapp" pushes to its FakeBridge, "telegram" to another, "signal" has no url.
class AppservicePing : public ::testing::Test
{
protected:
    void SetUp() override
    {
        TestServer::Options options;
        options.appservices = {registration("whatsapp", wa_bridge_.url(), "wa"),
                               registration("telegram", tg_bridge_.url(), "tg"),
                               registration("signal", "null", "sg")};
        server_ = std::make_unique<TestServer>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->client());
    }

    HttpResponse ping(std::string_view id, const json& body, std::string_view token = wa_as_token)
    {
        return client_->post(ping_path(id), body, token);
    }

    FakeBridge wa_bridge_{std::string(wa_hs_token)};
    FakeBridge tg_bridge_{std::string(tg_hs_token)};
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
};

TEST_F(AppservicePing, ReachesTheBridgeWithTheTransactionIdAndTheHsToken)
{
    const std::string txn = "mautrix-go_1683636478256400935_123";
    auto res = ping("whatsapp", {{"transaction_id", txn}});
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_SPEC(res, "POST", ping_path("whatsapp"));
    EXPECT_TRUE(res.json().at("duration_ms").is_number_integer());
    EXPECT_GE(res.json().at("duration_ms").get<std::int64_t>(), 0);

    // Without a transaction id the bridge gets an empty object.
    ASSERT_EQ(ping("whatsapp", json::object()).status, 200);

    const auto pings = wa_bridge_.ping_requests();
    ASSERT_EQ(pings.size(), 2u);
    EXPECT_EQ(pings[0].body, json({{"transaction_id", txn}}));
    EXPECT_EQ(pings[0].authorization, "Bearer " + std::string(wa_hs_token));
    EXPECT_EQ(pings[0].answered_status, 200);
    EXPECT_EQ(pings[1].body, json::object());
    EXPECT_TRUE(tg_bridge_.pings().empty());
}

TEST_F(AppservicePing, ABridgeErrorIsBadStatusWithItsStatusAndBody)
{
    wa_bridge_.set_ping_answer(500, {{"errcode", "M_UNKNOWN"}, {"error", "bridge is sad"}});
    auto res = ping("whatsapp", {{"transaction_id", "t1"}});
    expect_error(res, 502, "M_BAD_STATUS");
    EXPECT_SPEC(res, "POST", ping_path("whatsapp"));
    const json body = res.json();
    EXPECT_EQ(body.value("status", 0), 500);
    EXPECT_EQ(json::parse(body.value("body", "")).value("error", ""), "bridge is sad");
    EXPECT_EQ(wa_bridge_.pings().size(), 1u);
}

TEST_F(AppservicePing, ABridgeRefusingTheHsTokenIsBadStatus)
{
    // The bridge was configured with another hs_token than the server's registration.
    FakeBridge confused{"some-other-token"};
    server_->stop();
    server_->options().appservices = {registration("whatsapp", confused.url(), "wa")};
    server_->start();
    auto res = ping("whatsapp", {{"transaction_id", "t1"}});
    expect_error(res, 502, "M_BAD_STATUS");
    EXPECT_EQ(res.json().value("status", 0), 403);
    EXPECT_NE(res.json().value("body", "").find("M_UNKNOWN_TOKEN"), std::string::npos);
}

TEST_F(AppservicePing, ABridgeThatIsDownIsConnectionFailed)
{
    wa_bridge_.stop();
    auto res = ping("whatsapp", {{"transaction_id", "t1"}});
    expect_error(res, 502, "M_CONNECTION_FAILED");
    EXPECT_SPEC(res, "POST", ping_path("whatsapp"));

    wa_bridge_.restart();
    EXPECT_EQ(ping("whatsapp", {{"transaction_id", "t2"}}).status, 200);
    EXPECT_EQ(wa_bridge_.pings(), std::vector<json>{json({{"transaction_id", "t2"}})});
}

TEST_F(AppservicePing, OnlyTheAppserviceItselfMayPingIt)
{
    // Another appservice's id, an id nobody has, a user's token, no token.
    expect_error(ping("telegram", {{"transaction_id", "t1"}}), 403, "M_FORBIDDEN");
    expect_error(ping("nobody", {{"transaction_id", "t1"}}), 403, "M_FORBIDDEN");
    const std::string owner_token = login_owner(*client_);
    expect_error(ping("whatsapp", {{"transaction_id", "t1"}}, owner_token), 403, "M_FORBIDDEN");
    expect_error(ping("whatsapp", {{"transaction_id", "t1"}}, ""), 401, "M_MISSING_TOKEN");
    expect_error(ping("whatsapp", {{"transaction_id", "t1"}}, "wrong"), 401, "M_UNKNOWN_TOKEN");
    // A puppet asserted by its own appservice is still that appservice.
    auto puppet = client_->post(ping_path("telegram") + "?user_id=%40telegram_x%3Atest.local",
                                {{"transaction_id", "t2"}}, tg_as_token);
    EXPECT_EQ(puppet.status, 200) << puppet.body;

    EXPECT_TRUE(wa_bridge_.pings().empty());
    EXPECT_EQ(tg_bridge_.pings(), std::vector<json>{json({{"transaction_id", "t2"}})});
}

TEST_F(AppservicePing, WithoutAUrlIsUrlNotSet)
{
    auto res = ping("signal", {{"transaction_id", "t1"}}, "sg-as-token");
    expect_error(res, 400, "M_URL_NOT_SET");
    EXPECT_SPEC(res, "POST", ping_path("signal"));
}

TEST_F(AppservicePing, MalformedBodiesReachNoBridge)
{
    const HeaderList auth = {{"Authorization", "Bearer " + std::string(wa_as_token)},
                             {"Content-Type", "application/json"}};
    expect_error(client_->request("POST", ping_path("whatsapp"), std::string("{nope"), auth), 400,
                 "M_NOT_JSON");
    expect_error(client_->request("POST", ping_path("whatsapp"), std::string(""), auth), 400,
                 "M_NOT_JSON");
    expect_error(ping("whatsapp", json::array()), 400, "M_BAD_JSON");
    expect_error(ping("whatsapp", {{"transaction_id", 12}}), 400, "M_BAD_JSON");
    EXPECT_TRUE(wa_bridge_.pings().empty());
}

// mautrix reads /versions before pinging: "fi.mau.msc2659.stable" makes it use the v1 path
// although the server claims no spec version with it; older mautrix-python uses the unstable
// path on "fi.mau.msc2659".
TEST_F(AppservicePing, VersionsAdvertiseItAndTheUnstablePathAnswersToo)
{
    auto versions = client_->get("/_matrix/client/versions");
    ASSERT_EQ(versions.status, 200) << versions.body;
    EXPECT_SPEC(versions, "GET", "/_matrix/client/versions");
    const json body = versions.json();
    EXPECT_EQ(body.at("unstable_features").value("fi.mau.msc2659.stable", false), true);
    EXPECT_EQ(body.at("unstable_features").value("fi.mau.msc2659", false), true);
    const json spec_versions = body.at("versions");
    EXPECT_NE(std::find(spec_versions.begin(), spec_versions.end(), "v1.4"), spec_versions.end());

    auto unstable = client_->post(
        "/_matrix/client/unstable/fi.mau.msc2659/appservice/whatsapp/ping",
        {{"transaction_id", "u1"}}, wa_as_token);
    ASSERT_EQ(unstable.status, 200) << unstable.body;
    EXPECT_TRUE(unstable.json().at("duration_ms").is_number_integer());
    EXPECT_EQ(wa_bridge_.pings(), std::vector<json>{json({{"transaction_id", "u1"}})});
    expect_error(client_->post("/_matrix/client/unstable/fi.mau.msc2659/appservice/telegram/ping",
                               {{"transaction_id", "u2"}}, wa_as_token),
                 403, "M_FORBIDDEN");
}

// A bridge pings when it comes back: delivery backing off after failures resumes at once
// instead of waiting out the back-off.
TEST_F(AppservicePing, APingEndsTheDeliveryBackOff)
{
    wa_bridge_.fail_next(4);
    const std::string owner_token = login_owner(*client_);
    auto created = client_->post("/_matrix/client/v3/createRoom",
                                 {{"invite", {"@whatsappbot:test.local"}}}, owner_token);
    ASSERT_EQ(created.status, 200) << created.body;
    // 0.5 + 1 + 2 s of back-off between the four failures; the next wait is 4 s.
    ASSERT_TRUE(wa_bridge_.wait_for([](const FakeBridge& b) { return b.received().size() >= 4; },
                                    15s));
    ASSERT_TRUE(wa_bridge_.accepted().empty());

    ASSERT_EQ(ping("whatsapp", {{"transaction_id", "back"}}).status, 200);
    EXPECT_TRUE(wa_bridge_.wait_for([](const FakeBridge& b) { return !b.accepted().empty(); },
                                    3s))
        << "the consumer waited out its back-off despite the ping";
}

} // namespace
} // namespace ravenous::test
