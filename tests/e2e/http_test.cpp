// The HTTP layer of the real binary: discovery endpoints, routing errors, CORS, limits,
// keep-alive and pipelining, malformed requests.

#include "support/spec_assert.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ravenous::test {
namespace {

using nlohmann::json;

class Http : public ::testing::Test
{
protected:
    void SetUp() override { server_.start(); }

    TestServer server_;
    HttpClient client_ = server_.client();
};

TEST_F(Http, DiscoveryEndpointsMatchTheSpec)
{
    auto versions = client_.get("/_matrix/client/versions");
    ASSERT_EQ(versions.status, 200);
    EXPECT_SPEC(versions, "GET", "/_matrix/client/versions");
    const auto list = versions.json().at("versions");
    EXPECT_NE(std::find(list.begin(), list.end(), "v1.4"), list.end()) << "mautrix needs v1.4";
    EXPECT_TRUE(versions.json().at("unstable_features").is_object());

    auto well_known = client_.get("/.well-known/matrix/client");
    ASSERT_EQ(well_known.status, 200);
    EXPECT_EQ(well_known.json().at("m.homeserver").at("base_url"), server_.base_url());

    auto token = login_owner(client_);
    auto caps = client_.get("/_matrix/client/v3/capabilities", token);
    ASSERT_EQ(caps.status, 200) << caps.body;
    EXPECT_SPEC(caps, "GET", "/_matrix/client/v3/capabilities");
    EXPECT_EQ(caps.json().at("capabilities").at("m.room_versions").at("default"), "10");
    EXPECT_EQ(client_.get("/_matrix/client/v3/capabilities").status, 401);
}

TEST_F(Http, UnknownPathIs404AndWrongMethodIs405)
{
    auto unknown = client_.get("/_matrix/client/v3/definitely/not/here");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.json().at("errcode"), "M_UNRECOGNIZED");
    auto outside = client_.get("/favicon.ico");
    EXPECT_EQ(outside.status, 404);

    auto wrong = client_.request("DELETE", "/_matrix/client/v3/login");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.json().at("errcode"), "M_UNRECOGNIZED");
}

TEST_F(Http, LegacyR0PrefixIsServed)
{
    auto flows = client_.get("/_matrix/client/r0/login");
    ASSERT_EQ(flows.status, 200) << flows.body;
    auto token = login_owner(client_);
    auto who = client_.get("/_matrix/client/r0/account/whoami", token);
    ASSERT_EQ(who.status, 200);
    EXPECT_EQ(who.json().at("user_id"), default_owner_user_id);
    // Unversioned endpoints have no r0 twin.
    EXPECT_EQ(client_.get("/_matrix/client/r0/versions").status, 404);
}

TEST_F(Http, CorsPreflightAndHeaders)
{
    auto preflight = client_.request("OPTIONS", "/_matrix/client/v3/login", std::nullopt,
                                     {{"Origin", "https://app.example"},
                                      {"Access-Control-Request-Method", "POST"}});
    EXPECT_TRUE(preflight.status == 200 || preflight.status == 204) << preflight.status;
    EXPECT_EQ(preflight.header("access-control-allow-origin"), "*");
    EXPECT_NE(preflight.header("access-control-allow-methods").find("POST"), std::string::npos);
    EXPECT_NE(preflight.header("access-control-allow-headers").find("Authorization"), std::string::npos);

    auto normal = client_.get("/_matrix/client/versions");
    EXPECT_EQ(normal.header("access-control-allow-origin"), "*");
    auto error = client_.get("/_matrix/client/v3/nope");
    EXPECT_EQ(error.header("access-control-allow-origin"), "*");
    EXPECT_TRUE(error.header("content-type").starts_with("application/json"));
}

TEST_F(Http, OversizedBodiesAre413AndChangeNothing)
{
    auto token = login_owner(client_);
    const std::string path = "/_matrix/client/v3/profile/" + std::string(default_owner_user_id) + "/displayname";
    const std::string huge = R"({"displayname":")" + std::string(200 * 1024, 'x') + R"("})";
    auto res = client_.request("PUT", path, huge,
                               {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    EXPECT_EQ(res.status, 413);
    EXPECT_EQ(res.json().at("errcode"), "M_TOO_LARGE");

    // The same through chunked transfer encoding, which has no Content-Length to check up front.
    std::string chunked = "PUT " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                          "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n";
    for (int i = 0; i < 20; ++i) {
        const std::string chunk(10 * 1024, 'y');
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
        chunked += size + chunk + "\r\n";
    }
    chunked += "0\r\n\r\n";
    auto raw = client_.raw(chunked);
    auto first = raw.first_response();
    ASSERT_TRUE(first.has_value()) << raw.data.substr(0, 200);
    EXPECT_EQ(first->status, 413);
    EXPECT_EQ(first->json().at("errcode"), "M_TOO_LARGE");

    EXPECT_FALSE(client_.get("/_matrix/client/v3/profile/" + std::string(default_owner_user_id))
                     .json().contains("displayname"));
}

TEST_F(Http, MalformedRequestsAre400AndTheServerLivesOn)
{
    for (std::string_view garbage : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                                     "GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
        auto raw = client_.raw(garbage);
        auto first = raw.first_response();
        ASSERT_TRUE(first.has_value()) << garbage << ": " << raw.data;
        EXPECT_EQ(first->status, 400) << garbage;
    }
    auto bad_escape = client_.get("/_matrix/client/v3/profile/%zz/displayname");
    EXPECT_EQ(bad_escape.status, 400);
    EXPECT_EQ(bad_escape.json().at("errcode"), "M_INVALID_PARAM");

    auto long_path = client_.raw("GET /" + std::string(64 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = long_path.first_response();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->status, 431);

    EXPECT_EQ(client_.get("/_matrix/client/versions").status, 200);
}

TEST_F(Http, KeepAliveAndPipelining)
{
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(client_.get("/_matrix/client/versions").status, 200);
    EXPECT_EQ(client_.connections_opened(), 1u);

    // Two requests in one write: two responses, in order.
    auto raw = client_.raw("GET /_matrix/client/v3/nope HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto first = raw.data.find("HTTP/1.1 404");
    const auto second = raw.data.find("HTTP/1.1 200");
    ASSERT_NE(first, std::string::npos) << raw.data;
    ASSERT_NE(second, std::string::npos) << raw.data;
    EXPECT_LT(first, second);
    EXPECT_TRUE(raw.closed_by_server);
}

TEST_F(Http, UnknownQueryParametersAreIgnored)
{
    auto res = client_.get("/_matrix/client/versions?_cacheBuster=123&org.matrix.msc4222.use_state_after=true");
    EXPECT_EQ(res.status, 200);
}

} // namespace
} // namespace ravenous::test
