#include "bench/load.hpp"
#include "bench/receiver.hpp"
#include "support/http_client.hpp"

#include <gtest/gtest.h>
#include <mutex>
#include <nlohmann/json.hpp>

namespace ravenous::bench {
namespace {

using nlohmann::json;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

const json transaction{
    {"events", json::array({json{{"type", "m.room.message"}}, json{{"type", "m.room.message"}}})},
    {"ephemeral", json::array({json{{"type", "m.typing"}}})}};

TEST(Receiver, AcceptsTransactionsWithTheHsTokenAndCountsEvents)
{
    std::mutex mutex;
    std::vector<json> seen;
    AppserviceReceiver receiver("hs-secret", [&](const json& txn, auto) {
        std::lock_guard lock(mutex);
        seen.push_back(txn);
    });
    test::HttpClient client("127.0.0.1", receiver.port());
    auto res = client.put("/_matrix/app/v1/transactions/1", transaction, "hs-secret");
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.body, "{}");
    auto stats = receiver.stats();
    EXPECT_EQ(stats.transactions, 1u);
    EXPECT_EQ(stats.events, 2u);
    EXPECT_EQ(stats.ephemeral, 1u);
    std::lock_guard lock(mutex);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], transaction);
}

TEST(Receiver, RefusesAWrongHsToken)
{
    AppserviceReceiver receiver("hs-secret");
    test::HttpClient client("127.0.0.1", receiver.port());
    EXPECT_EQ(client.put("/_matrix/app/v1/transactions/1", transaction, "nope").status, 403);
    EXPECT_EQ(client.put("/_matrix/app/v1/transactions/1", transaction).status, 403);
    EXPECT_EQ(receiver.stats().transactions, 0u);
    EXPECT_EQ(receiver.stats().rejected, 2u);
}

TEST(Load, StopsAtTheRequestCount)
{
    AppserviceReceiver receiver("hs-secret");
    LoadOptions options;
    options.port = receiver.port();
    options.connections = 4;
    options.duration = 10s;
    options.max_requests = 200;
    const std::string body = transaction.dump();
    auto result = run_load(options, [&](std::size_t, std::uint64_t seq) {
        return make_request(http::verb::put, "/_matrix/app/v1/transactions/" + std::to_string(seq),
                            body, "hs-secret");
    });
    EXPECT_EQ(result.ok, 200u);
    EXPECT_EQ(result.errors, 0u);
    EXPECT_EQ(result.latency_us.count(), 200u);
    EXPECT_EQ(result.connections_opened, 4u); // keep-alive: one connection each
    EXPECT_EQ(receiver.stats().transactions, 200u);
    EXPECT_GT(result.per_second(), 0.0);
}

TEST(Load, StopsAtTheDeadlineAndWarmUpIsNotMeasured)
{
    AppserviceReceiver receiver("hs-secret");
    LoadOptions options;
    options.port = receiver.port();
    options.connections = 2;
    options.warmup = 100ms;
    options.duration = 200ms;
    options.max_requests = 100'000'000;
    const auto start = std::chrono::steady_clock::now();
    auto result = run_load(options, [](std::size_t, std::uint64_t) {
        return make_request(http::verb::post, "/_matrix/app/v1/ping", "{}", "hs-secret");
    });
    EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
    EXPECT_GT(result.ok, 0u);
    EXPECT_GT(result.warmup_requests, 0u);
    EXPECT_EQ(result.errors, 0u);
    // The measured interval is the duration, give or take the requests in flight at its end
    // (generous bounds: this checks the deadline logic, not anybody's speed).
    EXPECT_GT(result.seconds, 0.15);
    EXPECT_LT(result.seconds, 3.0);
}

TEST(Load, CountsFailuresAndStopsAfterTooMany)
{
    AppserviceReceiver receiver("hs-secret");
    LoadOptions options;
    options.port = receiver.port();
    options.connections = 2;
    options.duration = 10s;
    options.max_errors = 5;
    auto result = run_load(options, [](std::size_t, std::uint64_t) {
        return make_request(http::verb::post, "/_matrix/app/v1/ping", "{}", "wrong");
    });
    EXPECT_EQ(result.ok, 0u);
    EXPECT_GE(result.errors, 5u);
    EXPECT_LE(result.errors, 6u); // the other connection's request in flight
    EXPECT_EQ(result.statuses.at(403), result.errors);
    EXPECT_FALSE(result.error_samples.empty());
}

TEST(Load, ConnectionRefusedIsAnErrorNotAHang)
{
    LoadOptions options;
    options.port = 1; // nothing listens there
    options.connections = 1;
    options.duration = 10s;
    options.max_errors = 3;
    auto result = run_load(
        options, [](std::size_t, std::uint64_t) { return make_request(http::verb::get, "/"); });
    EXPECT_EQ(result.errors, 3u);
    EXPECT_EQ(result.statuses.at(0), 3u);
}

} // namespace
} // namespace ravenous::bench
