// The bridge manager's exec (POST /_matrix/asmux/mxauth/appservice/{user}/{bridge}/exec/
// {command}, as mautrix-asmux had it): the owner's JSON body goes to the bridge's WebSocket as
// {"command":<command>,"id":N,"data":<body>} and the answer's data comes back with 200; a bridge
// that is away, silent or answers with an error, and every refused request (which sends
// nothing); a bridge moved to HTTP or deleted loses its connection. The bridge is a WsBridge
// connected as a bridge the owner registered.

#include "websocket_fixture.hpp"

namespace ravenous::test::room {
namespace {

const std::string exec_base = "/_matrix/asmux/mxauth/appservice/owner/signal/exec/";

class WebSocketExec : public WebSocketFixture
{
protected:
    // The signal bridge, registered for a WebSocket and connected.
    std::unique_ptr<WsBridge> connect_signal()
    {
        auto options = bridge_options();
        options.as_token = register_bridge("signal", {{"push", false}, {"self_hosted", true}});
        return connect_bridge(options);
    }

    HttpResponse exec(std::string_view command, const json& body)
    {
        return unchecked_->post(exec_base + std::string(command), body, owner_.token);
    }

    // The commands the bridge received besides the connect message.
    static std::vector<std::string> commands(const WsBridge& bridge)
    {
        std::vector<std::string> out;
        for (const auto& frame : bridge.frames())
            if (frame.value("command", "") != "connect")
                out.push_back(frame.value("command", ""));
        return out;
    }
};

TEST_F(WebSocketExec, TheBodyGoesToTheBridgeAndItsAnswerComesBack)
{
    auto bridge = connect_signal();
    bridge->set_answer("list_contacts", [](const json& data) -> std::optional<WsBridge::Reply> {
        return WsBridge::Reply{"response", {{"contacts", json::array()}, {"asked", data}}};
    });
    auto res = exec("list_contacts", {{"limit", 10}});
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json(), json({{"contacts", json::array()}, {"asked", {{"limit", 10}}}}));
    auto sent = received(*bridge, "list_contacts");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].at("data"), json({{"limit", 10}}));
    EXPECT_TRUE(sent[0].at("id").is_number_integer());

    // No body at all is an empty object.
    res = unchecked_->request("POST", exec_base + "list_contacts", std::nullopt,
                              {{"Authorization", "Bearer " + owner_.token}});
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json().at("asked"), json::object());
}

TEST_F(WebSocketExec, AnErrorAnswerIs502WithTheBridgesError)
{
    auto bridge = connect_signal();
    // WsBridge, like mautrix, answers a command it has no handler for with an error.
    auto res = exec("create_group", {{"name", "x"}});
    expect_error(res, 502, "M_UNKNOWN");
    EXPECT_EQ(res.json().at("bridge_error"), json({{"message", "unknown request type"}}));
    EXPECT_EQ(commands(*bridge), std::vector<std::string>{"create_group"});
}

TEST_F(WebSocketExec, ASilentBridgeIs504AndAnAbsentOne503)
{
    auto bridge = connect_signal();
    bridge->set_answer("resolve_identifier",
                       [](const json&) -> std::optional<WsBridge::Reply> { return std::nullopt; });
    expect_error(exec("resolve_identifier", {{"identifier", "+4915123"}}), 504,
                 "M_CONNECTION_TIMEOUT");
    bridge->disconnect();
    ASSERT_TRUE(bridge->wait_closed(5s));
    expect_error(exec("resolve_identifier", {{"identifier", "+4915123"}}), 503,
                 "M_CONNECTION_FAILED");
}

TEST_F(WebSocketExec, RefusedRequestsSendNothing)
{
    auto bridge = connect_signal();
    bridge->set_answer("list_contacts", [](const json&) -> std::optional<WsBridge::Reply> {
        return WsBridge::Reply{};
    });
    const std::string owner = owner_.token;
    const std::string ok = "list_contacts";
    const std::string other_user = "/_matrix/asmux/mxauth/appservice/someone/signal/exec/" + ok;
    const BadRequest cases[] = {
        {exec_base + ok, "not json", owner, 400, "M_NOT_JSON"},
        {exec_base + ok, "[1]", owner, 400, "M_BAD_JSON"},
        // The protocol's own commands would pass for the homeserver's.
        {exec_base + "transaction", "{}", owner, 400, "M_INVALID_PARAM"},
        {exec_base + "response", "{}", owner, 400, "M_INVALID_PARAM"},
        {exec_base + "error", "{}", owner, 400, "M_INVALID_PARAM"},
        {exec_base + "disconnect", "{}", owner, 400, "M_INVALID_PARAM"},
        {exec_base + "List_Contacts", "{}", owner, 400, "M_INVALID_PARAM"},
        {exec_base + ok, "{}", "", 401, "M_MISSING_TOKEN"},
        {exec_base + ok, "{}", "not-a-token", 401, "M_UNKNOWN_TOKEN"},
        // Not a bridge, nor one double-puppeting the owner, nor a puppet.
        {exec_base + ok, "{}", std::string(as_token), 403, "M_FORBIDDEN"},
        {exec_base + ok + "?user_id=" + enc(alice_.user_id), "{}", std::string(as_token), 403,
         "M_FORBIDDEN"},
        {other_user, "{}", owner, 403, "M_FORBIDDEN"},
        {"/_matrix/asmux/mxauth/appservice/owner/nope/exec/" + ok, "{}", owner, 404,
         "M_NOT_FOUND"},
        // The whatsapp appservice comes from a file, not from the bridge manager.
        {"/_matrix/asmux/mxauth/appservice/owner/whatsapp/exec/" + ok, "{}", owner, 404,
         "M_NOT_FOUND"},
    };
    expect_refused(*unchecked_, "POST", cases);
    EXPECT_TRUE(commands(*bridge).empty());
    EXPECT_EQ(exec(ok, json::object()).status, 200);
    EXPECT_EQ(commands(*bridge), std::vector<std::string>{ok});
}

// Moved to HTTP or deleted, a bridge loses its WebSocket and cannot open another.
TEST_F(WebSocketExec, ABridgeMovedToHttpOrDeletedIsDisconnected)
{
    auto options = bridge_options();
    options.as_token = register_bridge("signal", {{"push", false}});
    auto bridge = connect_bridge(options);
    auto moved = unchecked_->put("/_matrix/asmux/mxauth/appservice/owner/signal",
                                 {{"address", "http://127.0.0.1:9"}, {"push", true}},
                                 owner_.token);
    ASSERT_EQ(moved.status, 200) << moved.body;
    auto close = bridge->wait_closed(5s);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->code, 1008);
    EXPECT_EQ(json::parse(close->reason), disconnect_reason("appservice_unregistered"));
    auto refused = bridge->connect();
    EXPECT_FALSE(refused.upgraded);
    EXPECT_EQ(refused.status, 403) << refused.body;
    // Not a WebSocket bridge any more: refused as the operator's proxy refuses it.
    expect_error(exec("list_contacts", json::object()), 400, "M_INVALID_PARAM");

    ASSERT_EQ(unchecked_->put("/_matrix/asmux/mxauth/appservice/owner/signal", {{"push", false}},
                              owner_.token).status, 200);
    ASSERT_TRUE(bridge->connect().upgraded);
    auto deleted = unchecked_->del("/_matrix/asmux/mxauth/appservice/owner/signal", nullptr,
                                   owner_.token);
    ASSERT_EQ(deleted.status, 204) << deleted.body;
    close = bridge->wait_closed(5s);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->code, 1008);
    refused = bridge->connect();
    EXPECT_FALSE(refused.upgraded);
    EXPECT_EQ(refused.status, 401) << refused.body;
}

} // namespace
} // namespace ravenous::test::room
