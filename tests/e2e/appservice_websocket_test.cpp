// Delivery over the WebSocket a bridge opens (fi.mau.as_sync, protocol version 3): the connect
// message, transactions in order that advance the durable cursor only once acknowledged,
// resends with the same txn_id after a timeout and 4002 after too many, one connection per
// appservice (4001), 1012 at shutdown, and nothing lost while the bridge or the server is away.
// The bridge is a WsBridge.

#include "websocket_fixture.hpp"

#include <set>

namespace ravenous::test::room {
namespace {

using WebSocketDelivery = WebSocketFixture;

TEST_F(WebSocketDelivery, TheFirstFrameIsTheConnectMessage)
{
    auto bridge = connect_bridge();
    ASSERT_TRUE(bridge->wait_for([](const WsBridge& b) { return !b.frames().empty(); }, 5s));
    EXPECT_EQ(bridge->frames().front(), json({{"command", "connect"}, {"status", "connected"}}));
    const json delivery = wait_delivery([](const json& d) {
        return d.at("websocket").at("connected").get<bool>();
    });
    EXPECT_EQ(delivery.value("transport", ""), "websocket");
    EXPECT_EQ(delivery.at("websocket").value("process_id", ""), "ws-bridge-1");
}

TEST_F(WebSocketDelivery, TransactionsArriveInOrderAndTheCursorFollowsTheAcks)
{
    auto bridge = connect_bridge();
    const std::string room = bridged_room();
    auto sent = flood(room, owner_, 5);
    ASSERT_TRUE(wait_delivered(*bridge, sent.back()));
    EXPECT_EQ(delivered(*bridge, room), sent);
    std::set<std::int64_t> ids;
    for (const auto& txn : bridge->transactions()) {
        EXPECT_EQ(txn.frame.value("command", ""), "transaction");
        EXPECT_EQ(txn.frame.value("status", ""), "ok");
        EXPECT_FALSE(txn.txn_id.empty());
        EXPECT_TRUE(ids.insert(txn.id).second) << "request id reused: " << txn.id;
        EXPECT_TRUE(txn.frame.at("events").is_array());
        EXPECT_FALSE(txn.frame.contains("data")) << "the body's keys go at the top level";
    }
    // Every transaction acknowledged: the cursor reaches the head, nothing failed.
    const json delivery = wait_delivery([](const json& d) {
        return d.at("cursor") == d.at("stream_head");
    });
    EXPECT_EQ(delivery.value("failures_in_a_row", -1), 0);
    EXPECT_EQ(delivery.value("transactions_sent", 0u), bridge->transaction_count());
}

TEST_F(WebSocketDelivery, EventsSentWhileNoBridgeIsConnectedArriveWhenOneConnects)
{
    const std::string room = bridged_room();
    auto sent = flood(room, alice_, 30);
    // Nothing failed meanwhile: the consumer waited for a connection instead of trying.
    EXPECT_EQ(admin_entry().at("delivery").value("failures_in_a_row", -1), 0);
    auto bridge = connect_bridge();
    ASSERT_TRUE(wait_delivered(*bridge, sent.back(), 15s));
    EXPECT_EQ(delivered(*bridge, room), sent);
}

TEST_F(WebSocketDelivery, AcknowledgedTransactionsAreNotResentAfterARestart)
{
    const std::string room = bridged_room();
    std::vector<std::string> first;
    {
        auto bridge = connect_bridge();
        first = flood(room, owner_, 3);
        ASSERT_TRUE(wait_delivered(*bridge, first.back()));
        wait_delivery([](const json& d) { return d.at("cursor") == d.at("stream_head"); });
    }
    server_->restart();
    auto bridge = connect_bridge();
    const std::string marker = text(room, owner_, "after the restart");
    ASSERT_TRUE(wait_delivered(*bridge, marker));
    EXPECT_EQ(delivered(*bridge, room), std::vector<std::string>{marker});
}

TEST_F(WebSocketDelivery, EventsSentWhileTheServerAndTheBridgeWereDownArriveInOrder)
{
    const std::string room = bridged_room();
    auto bridge = connect_bridge();
    const std::string before = text(room, owner_, "before");
    ASSERT_TRUE(wait_delivered(*bridge, before));
    bridge->disconnect();
    ASSERT_TRUE(bridge->wait_closed());
    auto sent = flood(room, alice_, 40);
    server_->restart();
    ASSERT_TRUE(bridge->connect().upgraded);  // the bridge reconnects
    ASSERT_TRUE(wait_delivered(*bridge, sent.back(), 15s));
    auto messages = delivered(*bridge, room);
    ASSERT_EQ(messages.size(), sent.size() + 1);
    EXPECT_EQ(std::vector<std::string>(messages.begin() + 1, messages.end()), sent);
}

TEST_F(WebSocketDelivery, AnUnacknowledgedTransactionIsResentWithTheSameTxnId)
{
    auto bridge = connect_bridge(/*ack=*/false);
    const std::string room = bridged_room();
    const std::string event_id = text(room, owner_, "ack me");
    ASSERT_TRUE(bridge->wait_for([](const WsBridge& b) { return b.transaction_count() >= 2; }, 5s));
    bridge->set_ack(true);
    ASSERT_TRUE(wait_delivered(*bridge, event_id));
    auto txns = bridge->transactions();
    ASSERT_GE(txns.size(), 3u);
    EXPECT_EQ(txns[0].txn_id, txns[1].txn_id);
    EXPECT_EQ(txns[0].frame.at("events"), txns[1].frame.at("events"));
    EXPECT_NE(txns[0].id, txns[1].id) << "each send is a request of its own";
    const json delivery = admin_entry().at("delivery");
    EXPECT_NE(delivery.at("cursor"), 0);
    // The bridge processed it once (it dedupes by txn_id).
    auto messages = delivered(*bridge, room);
    EXPECT_EQ(std::count(messages.begin(), messages.end(), event_id), 1);
}

TEST_F(WebSocketDelivery, SevenTimeoutsInARowCloseTheConnectionWith4002)
{
    auto bridge = connect_bridge(/*ack=*/false);
    const std::string room = bridged_room();
    const std::string event_id = text(room, owner_, "never acknowledged");
    auto close = bridge->wait_closed(10s);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->code, 4002);
    EXPECT_EQ(json::parse(close->reason), disconnect_reason("transactions_not_acknowledged"));
    auto txns = bridge->transactions();
    EXPECT_EQ(txns.size(), 7u);
    for (const auto& txn : txns)
        EXPECT_EQ(txn.txn_id, txns.front().txn_id);
    const json delivery = admin_entry().at("delivery");
    EXPECT_EQ(delivery.at("websocket").at("last_close"),
              json({{"code", 4002}, {"status", "transactions_not_acknowledged"}}));
    EXPECT_FALSE(delivery.at("websocket").at("connected").get<bool>());

    // A bridge that acknowledges gets it on its next connection.
    bridge->set_ack(true);
    ASSERT_TRUE(bridge->connect().upgraded);
    ASSERT_TRUE(wait_delivered(*bridge, event_id));
}

TEST_F(WebSocketDelivery, ASecondConnectionReplacesTheFirstWith4001)
{
    auto first = connect_bridge();
    auto options = bridge_options();
    options.process_id = "ws-bridge-2";
    auto second = connect_bridge(options);
    auto close = first->wait_closed(5s);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->code, 4001);
    EXPECT_EQ(json::parse(close->reason), disconnect_reason("conn_replaced"));

    const std::string room = bridged_room();
    const std::string event_id = text(room, owner_, "to the newer one");
    ASSERT_TRUE(wait_delivered(*second, event_id));
    EXPECT_TRUE(first->events().empty());
    const json websocket = admin_entry().at("delivery").at("websocket");
    EXPECT_EQ(websocket.value("process_id", ""), "ws-bridge-2");
    EXPECT_EQ(websocket.value("connections", 0), 2);
}

TEST_F(WebSocketDelivery, ShutdownClosesWith1012)
{
    auto bridge = connect_bridge();
    ASSERT_TRUE(bridge->wait_for([](const WsBridge& b) { return !b.frames().empty(); }, 5s));
    const auto status = server_->stop();
    EXPECT_EQ(status, 0);
    auto close = bridge->wait_closed(5s);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->code, 1012);
    EXPECT_EQ(json::parse(close->reason), disconnect_reason("server_shutting_down"));
}

TEST_F(WebSocketDelivery, AFrameThatIsNotJsonClosesWith1007)
{
    auto bridge = connect_bridge();
    bridge->send_text("not json");
    auto close = bridge->wait_closed(5s);
    ASSERT_TRUE(close);
    EXPECT_EQ(close->code, 1007);
}

} // namespace
} // namespace ravenous::test::room
