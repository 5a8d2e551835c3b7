// as_push: delivery to a bridge (issue #6). The bench appservice's receiver (receiver.hpp) is
// the bridge: it answers every transaction at once, so what is measured is the server's side.
// Set-up as in ingest (puppets and portal rooms with the owner joined), then:
//  1. wake-up and 2. steady, as bench/push_phases.hpp has them (commit -> PUT);
//  3. catch-up: the receiver stops listening (connections to its url are refused), a backlog
//     is written, the receiver comes back on the same port and the bridge pings
//     (POST /_matrix/client/v1/appservice/{id}/ping, so that the pusher need not wait out its
//     back-off); the backlog's delivery rate, its transactions and their sizes.
// Every sent event must arrive exactly once: a missing one fails the scenario.

#include "bench/push_phases.hpp"
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
constexpr std::size_t full_backlog = 20'000;
constexpr std::size_t quick_backlog = 2'000;
constexpr std::size_t full_batch = 100; // the most events a transaction may carry
const std::string appservice_id = "bench-bridge";

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
        push_wake_up(name(), ctx, server, bridge, owner_token, tracker, result);
        push_steady(name(), ctx, server, bridge, owner_token, tracker, result);
        catch_up(ctx, server, bridge, tracker, result);
        server.report_memory(result);
        result.notes.push_back(
            std::to_string(puppets) + " puppets @bridge_push<i>:test.local in " +
            std::to_string(bridge.rooms.size()) + " private portal rooms of " +
            std::to_string(puppets_per_room) + " with the owner; ~" +
            std::to_string(push_message_bytes) + "-byte m.text messages; the bridge's receiver "
            "answers 200 {} at once on its own thread");
        server.stop();
        return result;
    }

private:
    static void catch_up(const RunContext& ctx, BenchServer& server, const BridgeRooms& bridge,
                         DeliveryTracker& tracker, ScenarioResult& result)
    {
        const std::size_t backlog = ctx.quick ? quick_backlog : full_backlog;
        ctx.progress("as_push: bridge down, writing a backlog of " + std::to_string(backlog) +
                     " events");
        server.stop_receiver();
        LoadOptions options;
        options.port = server.port();
        options.connections = push_connections;
        options.duration = 300s; // bounded by max_requests
        options.max_requests = backlog;
        options.max_errors = 20;
        tracker.start_phase(); // no transaction arrives while the receiver is down
        auto load = send_tracked_load(options, [&](std::size_t, std::uint64_t seq) {
            const std::string txn = "backlog" + std::to_string(seq);
            return bridge.puppet_message(seq % bridge.puppets.size(), txn,
                                         message_text(txn, push_message_bytes));
        }, tracker);

        ctx.progress("as_push: bridge up, pinging");
        server.start_receiver();
        const auto up = Clock::now();
        nlohmann::json ping = nlohmann::json::object();
        ping["transaction_id"] = "bench-catch-up";
        auto http = server.client();
        const auto pinged = http.post("/_matrix/client/v1/appservice/" + appservice_id + "/ping",
                                      ping, bridge_as_token);
        tracker.wait_all(up + push_delivery_deadline);
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
            " puppet messages were written over " + std::to_string(push_connections) +
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
