// as_push: delivery to a bridge (issue #6). The bench appservice's receiver (receiver.hpp) is
// the bridge: it answers every transaction at once, so what is measured is the server's side.
// Set-up as in ingest (puppets and portal rooms with the owner joined), then:
//  1. wake-up: one message at a time (the owner's and a puppet's in turn), from the send's 200
//     being read to the receiver holding the transaction with that event (commit -> PUT; the
//     push can even beat the 200: counted as 0) and from just before the send;
//  2. steady: 8 connections send (2 as the owner, 6 as puppets) for a fixed time; events/s
//     delivered, from the first send to the last delivery, and each event's delivery lag;
//  3. catch-up: the receiver stops listening (connections to its url are refused), a backlog
//     is written, the receiver comes back on the same port and the bridge pings
//     (POST /_matrix/client/v1/appservice/{id}/ping, so that the pusher need not wait out its
//     back-off); the backlog's delivery rate, its transactions and their sizes.
// Every sent event must arrive exactly once: a missing one fails the scenario.

#include "bench/bench_server.hpp"
#include "bench/bridge_rooms.hpp"
#include "bench/delivery_tracker.hpp"
#include "bench/load.hpp"
#include "bench/report.hpp"
#include "bench/scenario.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t full_puppets = 200;
constexpr std::size_t quick_puppets = 50;
constexpr std::size_t puppets_per_room = 10;
constexpr std::size_t full_rounds = 200;
constexpr std::size_t quick_rounds = 30;
constexpr std::size_t connections = 8;
constexpr std::size_t owner_connections = 2;
constexpr std::size_t full_backlog = 20'000;
constexpr std::size_t quick_backlog = 2'000;
constexpr std::size_t message_bytes = 200;
constexpr std::size_t full_batch = 100; // the most events a transaction may carry
constexpr auto delivery_deadline = 60s;
const std::string appservice_id = "bench-bridge";

double ms_between(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

std::uint64_t us_between(Clock::time_point from, Clock::time_point to)
{
    return to > from ? static_cast<std::uint64_t>(
                           std::chrono::duration_cast<std::chrono::microseconds>(to - from).count())
                     : 0;
}

// A latency figure: its p50, with the histogram's percentiles.
Metric latency_metric(std::string name, const Histogram& us, std::string note)
{
    Metric metric;
    metric.name = std::move(name);
    metric.unit = "ms";
    metric.count = us.count();
    metric.latency = summarize_us_as_ms(us);
    metric.value = metric.latency->p50;
    metric.note = std::move(note);
    return metric;
}

// The load's failures, and the events of this phase the bridge never got.
void note_failures(ScenarioResult& result, const LoadResult& load,
                   const DeliveryTracker::Phase& phase, std::string_view what)
{
    add_error_notes(result, load);
    if (phase.pending > 0) {
        result.notes.push_back("error: " + std::to_string(phase.pending) + " " +
                               std::string(what) + " events never reached the bridge");
    }
}

class AsPush final : public Scenario
{
public:
    std::string_view name() const override { return "as_push"; }
    std::string_view description() const override
    {
        return "appservice delivery to an instant bridge: wake-up latency commit -> PUT, "
               "events/s delivered while 8 connections send, catch-up rate after an outage";
    }
    std::string_view bound_by() const override { return "http_ceiling"; }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t puppets = ctx.quick ? quick_puppets : full_puppets;
        DeliveryTracker tracker;
        BenchServer::Options server_options;
        server_options.on_transaction = [&tracker](const nlohmann::json& txn,
                                                   Clock::time_point at) {
            tracker.on_transaction(txn, at);
        };
        BenchServer server(std::move(server_options));
        server.start();
        const std::string owner_token = server.owner_token();
        ctx.progress("as_push: " + std::to_string(puppets) + " puppets in portal rooms");
        const BridgeRooms bridge = set_up_bridge_rooms(server, "push", puppets,
                                                       puppets / puppets_per_room, owner_token);

        ScenarioResult result;
        wake_up(ctx, server, bridge, owner_token, tracker, result);
        steady(ctx, server, bridge, owner_token, tracker, result);
        catch_up(ctx, server, bridge, tracker, result);
        server.report_memory(result);
        result.notes.push_back(
            std::to_string(puppets) + " puppets @bridge_push<i>:test.local in " +
            std::to_string(bridge.rooms.size()) + " private portal rooms of " +
            std::to_string(puppets_per_room) + " with the owner; ~" +
            std::to_string(message_bytes) + "-byte m.text messages; the bridge's receiver "
            "answers 200 {} at once on its own thread");
        server.stop();
        return result;
    }

private:
    // A message as request `seq` of a run: the owner's on the first connections, else a puppet's.
    static LoadRequest message(const BridgeRooms& bridge, const std::string& owner_token,
                               bool as_owner, std::uint64_t seq, std::string_view prefix)
    {
        const std::string txn = std::string(prefix) + std::to_string(seq);
        const std::string text = message_text(txn, message_bytes);
        if (as_owner) {
            return message_request(bridge.rooms[seq % bridge.rooms.size()], txn, text,
                                   owner_token);
        }
        return bridge.puppet_message(seq % bridge.puppets.size(), txn, text);
    }

    // Load whose every 200 is recorded as sent (with its event id) in the tracker.
    static LoadResult send_load(const LoadOptions& options, const RequestMaker& maker,
                                DeliveryTracker& tracker)
    {
        return run_load(options, maker, [&tracker](const LoadResponse& response) {
            if (response.result_int() != 200) {
                return false;
            }
            const auto id = event_id_of(response.body());
            if (id.empty()) {
                return false;
            }
            tracker.sent(id, Clock::now());
            return true;
        });
    }

    static void wake_up(const RunContext& ctx, BenchServer& server, const BridgeRooms& bridge,
                        const std::string& owner_token, DeliveryTracker& tracker,
                        ScenarioResult& result)
    {
        const std::size_t rounds = ctx.quick ? quick_rounds : full_rounds;
        ctx.progress("as_push: wake-up, " + std::to_string(rounds) + " rounds");
        LoadOptions one;
        one.port = server.port();
        one.connections = 1;
        one.duration = 10s;
        one.max_requests = 1;
        one.max_errors = 1;
        // The set-up's events go out first, so that the rounds find an idle pusher.
        const auto drained = send_load(one, [&](std::size_t, std::uint64_t) {
            return message(bridge, owner_token, true, 0, "drain");
        }, tracker);
        std::uint64_t errors = drained.errors;
        if (errors == 0 && !tracker.wait_all(Clock::now() + delivery_deadline)) {
            ++errors;
            result.notes.push_back("error: the set-up's events never reached the bridge");
        }
        tracker.start_phase();
        Histogram from_send_us;
        auto http = server.client();
        for (std::size_t round = 0; round < rounds && errors == 0; ++round) {
            const auto request = message(bridge, owner_token, round % 2 == 0, round, "wake");
            const auto target = request.target();
            const auto bearer = request[boost::beast::http::field::authorization];
            test::HeaderList headers{{"Content-Type", "application/json"},
                                     {"Authorization", std::string(bearer.data(), bearer.size())}};
            const auto started = Clock::now();
            auto response = http.request("PUT", std::string_view(target.data(), target.size()),
                                         request.body(), std::move(headers));
            const auto answered = Clock::now();
            const auto id = response.status == 200 ? event_id_of(response.body) : std::string();
            if (id.empty()) {
                ++errors;
                result.notes.push_back("error: wake-up send -> " +
                                       std::to_string(response.status) + " " +
                                       response.body.substr(0, 200));
                break;
            }
            tracker.sent(id, answered);
            auto delivered = tracker.wait_for(id, answered + delivery_deadline);
            if (!delivered) {
                ++errors;
                result.notes.push_back("error: " + id + " was never pushed to the bridge");
                break;
            }
            from_send_us.record(us_between(started, *delivered));
        }
        const auto phase = tracker.phase();
        auto wake = latency_metric("wake-up: send's 200 -> bridge has it", phase.lag_us,
                                   "p50; one event at a time (" + std::to_string(phase.early) +
                                       " pushes arrived before the 200 was read: 0)");
        wake.errors = errors;
        result.metrics.push_back(std::move(wake));
        result.metrics.push_back(latency_metric("wake-up: from just before the send",
                                                from_send_us,
                                                "p50; the send's own handling included"));
        result.notes.push_back(
            "wake-up: " + std::to_string(phase.matched) + " rounds of one message (the owner's "
            "and a puppet's in turn) on an idle pusher; " + std::to_string(phase.early) +
            " pushes reached the bridge before the client had read the send's 200 (counted "
            "as 0: the pusher wakes at commit, before the answer is written)");
    }

    static void steady(const RunContext& ctx, BenchServer& server, const BridgeRooms& bridge,
                       const std::string& owner_token, DeliveryTracker& tracker,
                       ScenarioResult& result)
    {
        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.duration = ctx.quick ? 2000ms : 10000ms;
        options.max_requests = ctx.quick ? 200'000 : 2'000'000;
        options.max_errors = 20;
        ctx.progress("as_push: steady, " + std::to_string(connections) + " connections for " +
                     std::to_string(options.duration.count()) + " ms");
        tracker.start_phase();
        const auto started = Clock::now();
        auto load = send_load(options, [&](std::size_t connection, std::uint64_t seq) {
            return message(bridge, owner_token, connection < owner_connections, seq, "steady");
        }, tracker);
        tracker.wait_all(Clock::now() + delivery_deadline);
        const auto phase = tracker.phase();
        const auto last = phase.last_match.value_or(started);
        Metric delivered;
        delivered.name = "steady: delivered while 8 connections send";
        delivered.unit = "events/s";
        delivered.count = phase.matched;
        delivered.errors = load.errors + phase.pending + phase.redelivered;
        delivered.value = last > started ? phase.matched / (ms_between(started, last) / 1000) : 0;
        delivered.latency = summarize_us_as_ms(phase.lag_us);
        delivered.vs_ceiling = true;
        delivered.note = "latency: each event's send's 200 -> bridge has it; " +
                         std::to_string(phase.batch_sizes.size()) + " transactions";
        result.metrics.push_back(std::move(delivered));
        note_failures(result, load, phase, "sent");
        result.notes.push_back(
            "steady: " + std::to_string(owner_connections) + " connections send as the owner, " +
            std::to_string(connections - owner_connections) + " as puppets (?user_id=), for " +
            std::to_string(options.duration.count()) + " ms, " +
            format_figure(load.per_second()) + " sends/s; the rate is events delivered over "
            "the time from the first send to the last delivery; " +
            std::to_string(phase.batch_sizes.size()) + " transactions, " +
            format_figure(phase.batch_sizes.empty()
                              ? 0.0
                              : static_cast<double>(phase.matched) / phase.batch_sizes.size()) +
            " events each on average");
    }

    static void catch_up(const RunContext& ctx, BenchServer& server, const BridgeRooms& bridge,
                         DeliveryTracker& tracker, ScenarioResult& result)
    {
        const std::size_t backlog = ctx.quick ? quick_backlog : full_backlog;
        ctx.progress("as_push: bridge down, writing a backlog of " + std::to_string(backlog) +
                     " events");
        server.stop_receiver();
        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.duration = 300s; // bounded by max_requests
        options.max_requests = backlog;
        options.max_errors = 20;
        tracker.start_phase(); // no transaction arrives while the receiver is down
        auto load = send_load(options, [&](std::size_t, std::uint64_t seq) {
            const std::string txn = "backlog" + std::to_string(seq);
            return bridge.puppet_message(seq % bridge.puppets.size(), txn,
                                         message_text(txn, message_bytes));
        }, tracker);

        ctx.progress("as_push: bridge up, pinging");
        server.start_receiver();
        const auto up = Clock::now();
        nlohmann::json ping = nlohmann::json::object();
        ping["transaction_id"] = "bench-catch-up";
        auto http = server.client();
        const auto pinged = http.post("/_matrix/client/v1/appservice/" + appservice_id + "/ping",
                                      ping, bridge_as_token);
        tracker.wait_all(up + delivery_deadline);
        const auto phase = tracker.phase();

        const auto& sizes = phase.batch_sizes;
        const std::size_t events = std::accumulate(sizes.begin(), sizes.end(), std::size_t{0});
        const auto full = static_cast<std::size_t>(
            std::count(sizes.begin(), sizes.end(), full_batch));
        Metric rate;
        rate.name = "catch-up after an outage";
        rate.unit = "events/s";
        rate.count = phase.matched;
        rate.errors = load.errors + phase.pending;
        // From the first transaction's arrival to the last: the events after the first batch.
        if (phase.first_transaction && phase.last_match && sizes.size() > 1) {
            const double seconds = ms_between(*phase.first_transaction, *phase.last_match) / 1000;
            rate.value = seconds > 0 ? static_cast<double>(events - sizes.front()) / seconds : 0;
        }
        rate.vs_ceiling = true;
        rate.note = std::to_string(sizes.size()) + " transactions, " + std::to_string(full) +
                    " of " + std::to_string(full_batch) + " events";
        result.metrics.push_back(std::move(rate));
        Metric first;
        first.name = "catch-up: bridge up -> first transaction";
        first.unit = "ms";
        first.count = phase.first_transaction ? 1 : 0;
        first.value = phase.first_transaction ? ms_between(up, *phase.first_transaction) : 0;
        first.note = "ping answered " + std::to_string(pinged.status);
        result.metrics.push_back(std::move(first));
        note_failures(result, load, phase, "backlog");
        result.notes.push_back(
            "catch-up: the receiver stopped listening, " + std::to_string(backlog) +
            " puppet messages were written over " + std::to_string(connections) +
            " connections (" + format_figure(load.per_second()) + " sends/s), then it "
            "listened again on the same port and the bridge pinged (" +
            std::to_string(pinged.status) + " " + pinged.body.substr(0, 120) + "); the rate "
            "counts the events after the first transaction, from its arrival to the last's; " +
            std::to_string(sizes.size()) + " transactions, " + std::to_string(full) + " of them "
            "full (" + std::to_string(full_batch) + " events); " +
            std::to_string(phase.redelivered) + " events arrived a second time");
    }
};

const ScenarioRegistrar<AsPush> registered;

} // namespace
} // namespace ravenous::bench
