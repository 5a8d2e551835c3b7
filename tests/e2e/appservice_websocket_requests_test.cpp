// Requests both ways over a bridge's WebSocket (fi.mau.as_sync), as mautrix bridges make and
// answer them (reference: /work/shared/reference/beeper-bridges.md §1.4): the handshake's
// refusals, each a JSON Matrix error that leaves no connection behind; ping, bridge_status and
// message_checkpoint from the bridge, kept and shown by the operator API; an error answer for
// anything else; the operator's http_proxy (POST /_ravenous/admin/v1/appservices/{id}/proxy)
// from the server, with each way it fails. The bridge is a WsBridge. The bridge manager's exec
// is in appservice_websocket_exec_test.cpp.

#include "websocket_fixture.hpp"

#include <future>

namespace ravenous::test::room {
namespace {

const std::string proxy_path = whatsapp_admin + "/proxy";

std::int64_t unix_ms()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void expect_handshake_refused(const WsBridge::Handshake& handshake, int status,
                              std::string_view errcode)
{
    EXPECT_FALSE(handshake.upgraded);
    EXPECT_EQ(handshake.status, status) << handshake.body << " " << handshake.error;
    const json body = json::parse(handshake.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "not a JSON error: " << handshake.body;
    EXPECT_EQ(body.value("errcode", ""), errcode) << handshake.body;
    EXPECT_TRUE(body.contains("error") && body.at("error").is_string()) << handshake.body;
}

class WebSocketRequestsFixture : public WebSocketFixture
{
protected:
    WsBridge::Handshake handshake(WsBridge::Options options)
    {
        WsBridge bridge{server_->port(), std::move(options)};
        return bridge.connect();
    }

    json websocket_status() { return admin_entry().at("delivery").at("websocket"); }

    // Waits until the operator API's websocket status satisfies `predicate`.
    json wait_websocket(const std::function<bool(const json&)>& predicate)
    {
        return wait_delivery([&](const json& d) { return predicate(d.at("websocket")); })
            .at("websocket");
    }
};

using WebSocketHandshake = WebSocketRequestsFixture;
using WebSocketRequests = WebSocketRequestsFixture;
using WebSocketProxy = WebSocketRequestsFixture;

// ---- The handshake ----

TEST_F(WebSocketHandshake, AMissingOrUnknownTokenIsRefusedWith401)
{
    auto options = bridge_options();
    options.as_token.clear();
    expect_handshake_refused(handshake(options), 401, "M_MISSING_TOKEN");
    options.as_token = "not-a-token";
    expect_handshake_refused(handshake(options), 401, "M_UNKNOWN_TOKEN");
    const json websocket = websocket_status();
    EXPECT_FALSE(websocket.at("connected").get<bool>());
    EXPECT_EQ(websocket.at("connections"), 0);
}

TEST_F(WebSocketHandshake, OnlyAWebSocketBridgesOwnTokenOpensIt)
{
    auto options = bridge_options();
    options.as_token = owner_.token;
    expect_handshake_refused(handshake(options), 403, "M_FORBIDDEN");
    // A bridge the server pushes to over HTTP has no WebSocket.
    options.as_token = register_bridge(
        "telegram", {{"address", "http://127.0.0.1:9"}, {"push", true}, {"self_hosted", true}});
    expect_handshake_refused(handshake(options), 403, "M_FORBIDDEN");
    EXPECT_EQ(websocket_status().at("connections"), 0);
    const json telegram = unchecked_->get("/_ravenous/admin/v1/appservices/telegram",
                                          default_admin_token).json();
    EXPECT_EQ(telegram.at("delivery").value("transport", ""), "http");
    EXPECT_FALSE(telegram.at("delivery").contains("websocket"));
}

TEST_F(WebSocketHandshake, AMissingOrOldProtocolVersionIsRefusedWith400)
{
    auto options = bridge_options();
    for (std::string version : {"", "1", "2", "three"}) {
        SCOPED_TRACE("X-Mautrix-Websocket-Version: " + version);
        options.version = version;
        expect_handshake_refused(handshake(options), 400, "M_INVALID_PARAM");
    }
    EXPECT_EQ(websocket_status().at("connections"), 0);
    // The same bridge with version 3 is let in.
    options.version = "3";
    EXPECT_TRUE(handshake(options).upgraded);
}

TEST_F(WebSocketHandshake, APlainGetIsRefusedWith400)
{
    auto res = unchecked_->request("GET", as_sync_path, std::nullopt,
                                   {{"Authorization", "Bearer " + std::string(as_token)},
                                    {"X-Mautrix-Websocket-Version", "3"}});
    expect_error(res, 400, "M_UNRECOGNIZED");
    EXPECT_EQ(websocket_status().at("connections"), 0);
}

// ---- Bridge -> server ----

TEST_F(WebSocketRequests, PingIsAnsweredWithTheServerClock)
{
    auto bridge = connect_bridge();
    // Without an id nothing is answered (nothing could be matched to it).
    bridge->send({{"command", "ping"}, {"data", {{"timestamp", unix_ms()}}}});
    const auto before = unix_ms();
    auto answer = bridge->request("ping", {{"timestamp", before}});
    const auto after = unix_ms();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->value("command", ""), "response");
    EXPECT_EQ(answer->at("data").size(), 1u) << answer->dump();
    const auto timestamp = answer->at("data").at("timestamp").get<std::int64_t>();
    EXPECT_GE(timestamp, before - 1000);
    EXPECT_LE(timestamp, after + 1000);
    auto second = bridge->request("ping", {{"timestamp", unix_ms()}});
    ASSERT_TRUE(second);
    EXPECT_NE(second->at("id"), answer->at("id"));
    EXPECT_EQ(received(*bridge, "response").size(), 2u);
    EXPECT_TRUE(bridge->connected());
}

TEST_F(WebSocketRequests, TheLatestBridgeStatusIsShownByTheOperatorApi)
{
    auto bridge = connect_bridge();
    EXPECT_TRUE(websocket_status().at("bridge_state").is_null());
    const json starting = {{"state_event", "STARTING"}, {"timestamp", 1732412345},
                           {"ttl", 240}, {"source", "bridge"}};
    const json running = {{"state_event", "RUNNING"}, {"timestamp", 1732412350},
                          {"ttl", 3600}, {"source", "bridge"}, {"info", {{"version", "0.11"}}}};
    bridge->send({{"command", "bridge_status"}, {"data", starting}});
    // Asked with an id, a report is answered with an empty response.
    auto answer = bridge->request("bridge_status", running);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->value("command", ""), "response");
    EXPECT_EQ(answer->at("data"), json::object());
    // Not an object: ignored.
    bridge->send({{"command", "bridge_status"}, {"data", "RUNNING"}});

    const json websocket = wait_websocket([](const json& w) {
        return w.at("bridge_state").is_object() &&
               w.at("bridge_state").value("state_event", "") == "RUNNING";
    });
    json state = websocket.at("bridge_state");
    const auto received_ms = state.at("received_ms").get<std::int64_t>();
    EXPECT_NEAR(static_cast<double>(received_ms), static_cast<double>(unix_ms()), 10'000);
    state.erase("received_ms");
    EXPECT_EQ(state, running) << "kept as the bridge sent it";
    EXPECT_EQ(websocket.at("remote_states"), json::array());
    EXPECT_TRUE(bridge->connected());
}

TEST_F(WebSocketRequests, RemoteLoginStatesAreKeptPerRemoteId)
{
    auto bridge = connect_bridge();
    auto remote = [](std::string_view id, std::string_view state) {
        return json{{"state_event", state}, {"timestamp", 1732412345}, {"ttl", 3600},
                    {"source", "bridge"}, {"user_id", owner_id}, {"remote_id", id},
                    {"remote_name", "+49 151 " + std::string(id)}};
    };
    const json bridge_running = {{"state_event", "RUNNING"}, {"timestamp", 1732412340}};
    bridge->send({{"command", "bridge_status"}, {"data", bridge_running}});
    bridge->send({{"command", "bridge_status"}, {"data", remote("1111", "CONNECTED")}});
    bridge->send({{"command", "bridge_status"}, {"data", remote("2222", "CONNECTED")}});
    ASSERT_TRUE(bridge->request("bridge_status", remote("1111", "BAD_CREDENTIALS")));

    const json websocket = admin_entry().at("delivery").at("websocket");
    EXPECT_EQ(websocket.at("bridge_state").value("state_event", ""), "RUNNING");
    const json remotes = websocket.at("remote_states");
    ASSERT_EQ(remotes.size(), 2u) << remotes.dump();
    std::map<std::string, std::string> states;
    for (const auto& state : remotes)
        states[state.at("remote_id").get<std::string>()] = state.at("state_event");
    EXPECT_EQ(states, (std::map<std::string, std::string>{{"1111", "BAD_CREDENTIALS"},
                                                          {"2222", "CONNECTED"}}));
}

TEST_F(WebSocketRequests, AStatusTooLargeToKeepWholeKeepsItsMainFields)
{
    auto bridge = connect_bridge();
    const json large = {{"state_event", "BAD_CREDENTIALS"}, {"timestamp", 1732412345},
                        {"error", "wa-logged-out"}, {"message", "Logged out from phone"},
                        {"info", {{"padding", std::string(20'000, 'x')}}}};
    ASSERT_TRUE(bridge->request("bridge_status", large));
    json state = admin_entry().at("delivery").at("websocket").at("bridge_state");
    ASSERT_TRUE(state.is_object()) << state.dump();
    EXPECT_TRUE(state.at("received_ms").is_number_integer());
    state.erase("received_ms");
    EXPECT_EQ(state, json({{"state_event", "BAD_CREDENTIALS"}, {"timestamp", 1732412345},
                           {"error", "wa-logged-out"}, {"message", "Logged out from phone"}}));
}

TEST_F(WebSocketRequests, MessageCheckpointsAreCountedAndTheLastKept)
{
    auto bridge = connect_bridge();
    auto checkpoint = [](std::string_view event_id, std::string_view step,
                         std::string_view status) {
        return json{{"event_id", event_id}, {"room_id", "!room:test.local"}, {"step", step},
                    {"timestamp", 1732412345000}, {"status", status},
                    {"event_type", "m.room.message"}, {"reported_by", "BRIDGE"},
                    {"retry_num", 0}};
    };
    bridge->send({{"command", "message_checkpoint"},
                  {"data", {{"checkpoints", {checkpoint("$a", "BRIDGE", "SUCCESS"),
                                             "not an object",
                                             checkpoint("$a", "REMOTE", "PERM_FAILURE")}}}}});
    // Neither a list of checkpoints nor an object: nothing counted.
    bridge->send({{"command", "message_checkpoint"}, {"data", {{"checkpoints", "$a"}}}});
    bridge->send({{"command", "message_checkpoint"}, {"data", 5}});
    const json last = checkpoint("$b", "BRIDGE", "SUCCESS");
    auto answer = bridge->request("message_checkpoint", {{"checkpoints", {last}}});
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->value("command", ""), "response");

    const json checkpoints = admin_entry().at("delivery").at("websocket").at("checkpoints");
    EXPECT_EQ(checkpoints.at("received"), 3);
    EXPECT_EQ(checkpoints.at("by_step_and_status"),
              json({{"BRIDGE/SUCCESS", 2}, {"REMOTE/PERM_FAILURE", 1}}));
    EXPECT_EQ(checkpoints.at("last"), last);
}

TEST_F(WebSocketRequests, AnUnknownCommandGetsAnErrorAndTheConnectionStays)
{
    auto bridge = connect_bridge();
    for (std::string command : {"start_dm", "", "transaction"}) {
        SCOPED_TRACE("command '" + command + "'");
        auto answer = bridge->request(command, {{"user_id", "@someone:test.local"}});
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->value("command", ""), "error");
        const json data = answer->at("data");
        EXPECT_EQ(data.value("message", ""), "unknown request type") << data.dump();
        EXPECT_EQ(data.value("code", ""), "M_UNRECOGNIZED") << data.dump();
    }
    // An answer to nothing the server asked is ignored.
    bridge->send({{"command", "response"}, {"id", 987654}, {"data", json::object()}});
    EXPECT_TRUE(bridge->request("ping", {{"timestamp", unix_ms()}}));
    EXPECT_TRUE(bridge->connected());
    EXPECT_TRUE(bridge->closes().empty());
    EXPECT_TRUE(websocket_status().at("connected").get<bool>());
}

// ---- Server -> bridge: the operator's proxy ----

TEST_F(WebSocketProxy, TheBridgesAnswerComesBack)
{
    auto bridge = connect_bridge();
    bridge->set_proxy_answer([](const json& request) -> std::optional<json> {
        return json{{"status", 201},
                    {"headers", {{"Content-Type", {"application/json"}}}},
                    {"body", {{"login_id", "abc"}, {"path", request.at("path")}}}};
    });
    const json request = {{"method", "POST"},
                          {"path", "/_matrix/provision/v3/login/start/qr"},
                          {"query", "user_id=%40owner%3Atest.local"},
                          {"headers", {{"X-Single", "a"}, {"X-List", {"b", "c"}}}},
                          {"body", {{"phone", "+4915123"}}}};
    auto res = proxy(request);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json(),
              json({{"status", 201},
                    {"headers", {{"Content-Type", {"application/json"}}}},
                    {"body", {{"login_id", "abc"},
                              {"path", "/_matrix/provision/v3/login/start/qr"}}}}));

    // What mautrix's WebsocketHTTPProxy reads: headers as lists.
    auto sent = received(*bridge, "http_proxy");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].at("id").is_number_integer());
    EXPECT_NE(sent[0].at("id"), 0);
    EXPECT_EQ(sent[0].at("data"),
              json({{"method", "POST"},
                    {"path", "/_matrix/provision/v3/login/start/qr"},
                    {"query", "user_id=%40owner%3Atest.local"},
                    {"headers", {{"X-Single", {"a"}}, {"X-List", {"b", "c"}}}},
                    {"body", {{"phone", "+4915123"}}}}));
}

TEST_F(WebSocketProxy, AnAnswerWithOnlyAStatusHasEmptyHeadersAndANullBody)
{
    auto bridge = connect_bridge();
    bridge->set_proxy_answer([](const json&) -> std::optional<json> {
        return json{{"status", 204}, {"headers", nullptr}};
    });
    auto res = proxy({{"method", "GET"}, {"path", "/_matrix/mau/ready"}});
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json(), json({{"status", 204}, {"headers", json::object()}, {"body", nullptr}}));
    auto sent = received(*bridge, "http_proxy");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].at("data"), json({{"method", "GET"},
                                        {"path", "/_matrix/mau/ready"},
                                        {"query", ""},
                                        {"headers", json::object()}}));
}

TEST_F(WebSocketProxy, WithoutABridgeItIs503)
{
    expect_error(proxy({{"method", "GET"}, {"path", "/_matrix/mau/ready"}}), 503,
                 "M_CONNECTION_FAILED");
    // Nor once the bridge has gone.
    auto bridge = connect_bridge();
    bridge->disconnect();
    ASSERT_TRUE(bridge->wait_closed(5s));
    wait_websocket([](const json& w) { return !w.at("connected").get<bool>(); });
    expect_error(proxy({{"method", "GET"}, {"path", "/_matrix/mau/ready"}}), 503,
                 "M_CONNECTION_FAILED");
}

TEST_F(WebSocketProxy, ABridgeThatNeverAnswersTimesOutWith504)
{
    auto bridge = connect_bridge();
    const auto start = std::chrono::steady_clock::now();
    expect_error(proxy({{"method", "GET"}, {"path", "/_matrix/mau/ready"}}), 504,
                 "M_CONNECTION_TIMEOUT");
    EXPECT_GE(std::chrono::steady_clock::now() - start, request_timeout - 50ms);
    auto sent = received(*bridge, "http_proxy");
    ASSERT_EQ(sent.size(), 1u);
    // Its late answer is dropped; the connection serves the next request.
    bridge->send({{"command", "response"}, {"id", sent[0].at("id")}, {"data", {{"status", 200}}}});
    bridge->set_proxy_answer([](const json&) -> std::optional<json> {
        return json{{"status", 200}, {"headers", json::object()}, {"body", "late"}};
    });
    auto res = proxy({{"method", "GET"}, {"path", "/_matrix/mau/ready"}});
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json().at("body"), "late");
    EXPECT_TRUE(bridge->connected());
}

TEST_F(WebSocketProxy, ABridgeThatLeavesBeforeAnsweringIs503)
{
    auto bridge = connect_bridge();
    auto client = server_->client();
    client.set_spec_validation(false);
    auto pending = std::async(std::launch::async, [&] {
        return client.post(proxy_path, {{"method", "GET"}, {"path", "/_matrix/mau/ready"}},
                           default_admin_token);
    });
    ASSERT_TRUE(bridge->wait_for(
        [](const WsBridge& b) { return !received(b, "http_proxy").empty(); }, 5s));
    bridge->disconnect();
    expect_error(pending.get(), 503, "M_CONNECTION_FAILED");
}

TEST_F(WebSocketProxy, AnErrorAnswerIs502WithTheBridgesError)
{
    auto bridge = connect_bridge();
    const json error = {{"code", "FI.MAU.PROVISIONING_FAILED"}, {"message", "boom"}};
    bridge->set_answer("http_proxy", [&](const json&) -> std::optional<WsBridge::Reply> {
        return WsBridge::Reply{"error", error};
    });
    auto res = proxy({{"method", "GET"}, {"path", "/_matrix/provision/v3/logins"}});
    expect_error(res, 502, "M_UNKNOWN");
    EXPECT_NE(res.json().value("error", "").find("boom"), std::string::npos) << res.body;
    EXPECT_EQ(res.json().at("bridge_error"), error);

    // A response with no status is no HTTP answer either.
    bridge->set_proxy_answer([](const json&) -> std::optional<json> {
        return json{{"body", "no status"}};
    });
    expect_error(proxy({{"method", "GET"}, {"path", "/x"}}), 502, "M_UNKNOWN");
    EXPECT_TRUE(bridge->connected());
}

TEST_F(WebSocketProxy, BadRequestsAreRefusedAndNothingIsSent)
{
    auto bridge = connect_bridge();
    bridge->set_proxy_answer([](const json&) -> std::optional<json> {
        return json{{"status", 200}};
    });
    const std::string admin(default_admin_token);
    const std::string ok = R"({"method":"GET","path":"/x"})";
    const BadRequest cases[] = {
        {proxy_path, "not json", admin, 400, "M_NOT_JSON"},
        {proxy_path, "[]", admin, 400, "M_BAD_JSON"},
        {proxy_path, "{}", admin, 400, "M_MISSING_PARAM"},
        {proxy_path, R"({"path":"/x"})", admin, 400, "M_MISSING_PARAM"},
        {proxy_path, R"({"method":"GET"})", admin, 400, "M_MISSING_PARAM"},
        {proxy_path, R"({"method":5,"path":"/x"})", admin, 400, "M_BAD_JSON"},
        {proxy_path, R"({"method":"get","path":"/x"})", admin, 400, "M_INVALID_PARAM"},
        {proxy_path, R"({"method":"GET","path":"x"})", admin, 400, "M_INVALID_PARAM"},
        {proxy_path, R"({"method":"GET","path":["/x"]})", admin, 400, "M_BAD_JSON"},
        {proxy_path, R"({"method":"GET","path":"/x","query":1})", admin, 400, "M_BAD_JSON"},
        {proxy_path, R"({"method":"GET","path":"/x","headers":[]})", admin, 400, "M_BAD_JSON"},
        {proxy_path, R"({"method":"GET","path":"/x","headers":{"A":1}})", admin, 400,
         "M_BAD_JSON"},
        {proxy_path, R"({"method":"GET","path":"/x","headers":{"A":["a",2]}})", admin, 400,
         "M_BAD_JSON"},
        {proxy_path, ok, "", 401, "M_MISSING_TOKEN"},
        {proxy_path, ok, "not-the-admin-token", 401, "M_UNKNOWN_TOKEN"},
        {proxy_path, ok, owner_.token, 401, "M_UNKNOWN_TOKEN"},
        {proxy_path, ok, std::string(as_token), 401, "M_UNKNOWN_TOKEN"},
        {"/_ravenous/admin/v1/appservices/nope/proxy", ok, admin, 404, "M_NOT_FOUND"},
    };
    expect_refused(*unchecked_, "POST", cases);
    EXPECT_TRUE(received(*bridge, "http_proxy").empty());
    // The same request with the admin token goes through.
    EXPECT_EQ(proxy(json::parse(ok)).status, 200);
}

TEST_F(WebSocketProxy, AnAppserviceReachedOverHttpIsRefused)
{
    register_bridge("telegram",
                    {{"address", "http://127.0.0.1:9"}, {"push", true}, {"self_hosted", true}});
    auto res = unchecked_->post("/_ravenous/admin/v1/appservices/telegram/proxy",
                                {{"method", "GET"}, {"path", "/x"}}, default_admin_token);
    expect_error(res, 400, "M_INVALID_PARAM");
}

} // namespace
} // namespace ravenous::test::room
