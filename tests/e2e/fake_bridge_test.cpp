// The test bridge itself (support/fake_bridge.hpp): what the appservice tests rely on when they
// read what the server pushed. Talks to it with the support HttpClient, as the server would.

#include "support/fake_bridge.hpp"

#include "support/http_client.hpp"

#include <gtest/gtest.h>
#include <thread>

namespace ravenous::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::string_view hs_token = "bridge-hs-token";
constexpr std::string_view txn_path = "/_matrix/app/v1/transactions/";
constexpr std::string_view ping_path = "/_matrix/app/v1/ping";

json transaction(std::initializer_list<std::string> bodies)
{
    json events = json::array();
    for (const auto& text : bodies)
        events.push_back({{"type", "m.room.message"}, {"content", {{"body", text}}}});
    return {{"events", events}};
}

HttpResponse put_txn(HttpClient& client, std::string_view txn_id, const json& body,
                     std::string_view token = hs_token)
{
    return client.put(std::string(txn_path) + std::string(txn_id), body, token);
}

std::vector<std::string> bodies_of(const std::vector<json>& events)
{
    std::vector<std::string> result;
    for (const auto& event : events)
        result.push_back(event.at("content").at("body"));
    return result;
}

TEST(FakeBridge, AcceptsTransactionsAndFlattensTheirEventsOnce)
{
    FakeBridge bridge{std::string(hs_token)};
    HttpClient client{"127.0.0.1", bridge.port()};
    EXPECT_EQ(bridge.url(), "http://127.0.0.1:" + std::to_string(bridge.port()));

    auto res = put_txn(client, "1", transaction({"a", "b"}));
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json(), json::object());
    ASSERT_EQ(put_txn(client, "2", transaction({"c"})).status, 200);
    ASSERT_EQ(put_txn(client, "1", transaction({"a", "b"})).status, 200); // a retry

    EXPECT_EQ(bodies_of(bridge.events()), (std::vector<std::string>{"a", "b", "c"}));
    const auto received = bridge.received();
    ASSERT_EQ(received.size(), 3u);
    EXPECT_EQ(received[0].txn_id, "1");
    EXPECT_EQ(received[0].authorization, "Bearer " + std::string(hs_token));
    EXPECT_EQ(received[0].target, "/_matrix/app/v1/transactions/1");
    EXPECT_EQ(received[0].answered_status, 200);
    EXPECT_EQ(received[1].body, transaction({"c"}));
    EXPECT_EQ(bridge.accepted().size(), 3u);
}

TEST(FakeBridge, RefusesMissingAndWrongTokensAsMautrixDoes)
{
    FakeBridge bridge{std::string(hs_token)};
    HttpClient client{"127.0.0.1", bridge.port()};

    auto missing = put_txn(client, "1", transaction({"a"}), "");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.json().at("errcode"), "M_MISSING_TOKEN");
    // The query parameter is not a token for a Go bridge.
    auto query = client.put(std::string(txn_path) + "2?access_token=" + std::string(hs_token),
                            transaction({"a"}));
    EXPECT_EQ(query.status, 401);
    auto wrong = put_txn(client, "3", transaction({"a"}), "not-the-token");
    EXPECT_EQ(wrong.status, 403);
    EXPECT_EQ(wrong.json().at("errcode"), "M_UNKNOWN_TOKEN");

    const auto received = bridge.received();
    ASSERT_EQ(received.size(), 3u);
    EXPECT_EQ(received[1].target, "/_matrix/app/v1/transactions/2?access_token=bridge-hs-token");
    EXPECT_EQ(received[2].authorization, "Bearer not-the-token");
    EXPECT_EQ(received[2].answered_status, 403);
    EXPECT_TRUE(bridge.accepted().empty());
    EXPECT_TRUE(bridge.events().empty());
}

TEST(FakeBridge, FailNextAnswersTheStatusThenAcceptsTheRetry)
{
    FakeBridge bridge{std::string(hs_token)};
    HttpClient client{"127.0.0.1", bridge.port()};
    bridge.fail_next(2, 503);

    for (int attempt = 0; attempt < 2; ++attempt) {
        auto res = put_txn(client, "7", transaction({"x"}));
        EXPECT_EQ(res.status, 503);
        EXPECT_EQ(res.json().at("errcode"), "M_UNKNOWN");
    }
    EXPECT_TRUE(bridge.events().empty());
    EXPECT_EQ(put_txn(client, "7", transaction({"x"})).status, 200);
    EXPECT_EQ(bodies_of(bridge.events()), std::vector<std::string>{"x"});
    EXPECT_EQ(bridge.received().size(), 3u);
    EXPECT_EQ(bridge.accepted().size(), 1u);
}

TEST(FakeBridge, NotJsonIsRefusedAndRecorded)
{
    FakeBridge bridge{std::string(hs_token)};
    HttpClient client{"127.0.0.1", bridge.port()};
    auto res = client.request("PUT", std::string(txn_path) + "1", std::string("{nope"),
                              {{"Authorization", "Bearer " + std::string(hs_token)}});
    EXPECT_EQ(res.status, 400);
    ASSERT_EQ(bridge.received().size(), 1u);
    EXPECT_TRUE(bridge.received()[0].body.is_null());
}

TEST(FakeBridge, WaitForWakesOnARequestFromAnotherThreadAndTimesOut)
{
    FakeBridge bridge{std::string(hs_token)};
    EXPECT_FALSE(bridge.wait_for_events(1, 50ms));

    bridge.set_delay(100ms);
    std::thread sender([port = bridge.port()] {
        HttpClient client{"127.0.0.1", port};
        put_txn(client, "1", transaction({"late"}));
    });
    EXPECT_TRUE(bridge.wait_for_events(1, 10s));
    sender.join();
    EXPECT_TRUE(bridge.wait_for([](const FakeBridge& b) { return b.accepted().size() == 1; }, 0ms));
}

TEST(FakeBridge, StopRefusesConnectionsAndRestartListensOnTheSamePort)
{
    FakeBridge bridge{std::string(hs_token)};
    const auto port = bridge.port();
    HttpClient client{"127.0.0.1", port};
    client.set_timeout(2s);
    ASSERT_EQ(put_txn(client, "1", transaction({"a"})).status, 200);

    bridge.stop();
    EXPECT_FALSE(bridge.listening());
    EXPECT_THROW(put_txn(client, "2", transaction({"b"})), std::runtime_error);
    HttpClient fresh{"127.0.0.1", port};
    fresh.set_timeout(2s);
    EXPECT_THROW(put_txn(fresh, "2", transaction({"b"})), std::runtime_error);

    bridge.restart();
    EXPECT_EQ(bridge.port(), port);
    EXPECT_EQ(put_txn(client, "2", transaction({"b"})).status, 200);
    EXPECT_EQ(bodies_of(bridge.events()), (std::vector<std::string>{"a", "b"}));
}

TEST(FakeBridge, RecordsPingsAndAnswersAsToldTo)
{
    FakeBridge bridge{std::string(hs_token)};
    HttpClient client{"127.0.0.1", bridge.port()};

    auto ok = client.post(ping_path, {{"transaction_id", "p1"}}, hs_token);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.json(), json::object());
    EXPECT_EQ(client.post(ping_path, json::object(), "wrong").status, 403);
    bridge.set_ping_answer(500, {{"errcode", "M_UNKNOWN"}});
    auto failing = client.post(ping_path, json::object(), hs_token);
    EXPECT_EQ(failing.status, 500);
    EXPECT_EQ(failing.json().at("errcode"), "M_UNKNOWN");

    const auto pings = bridge.pings();
    ASSERT_EQ(pings.size(), 3u);
    EXPECT_EQ(pings[0], json({{"transaction_id", "p1"}}));
    const auto requests = bridge.ping_requests();
    EXPECT_EQ(requests[0].authorization, "Bearer " + std::string(hs_token));
    EXPECT_EQ(requests[1].answered_status, 403);
    EXPECT_TRUE(bridge.received().empty());
}

} // namespace
} // namespace ravenous::test
