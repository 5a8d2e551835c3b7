// ingest: how many events per second a bridge's puppets can send (issue #6). The bench
// appservice registers N puppets and sets up portal rooms (each created by a puppet, the other
// puppets and the owner invited and joined: bridge_rooms.hpp); then 8 keep-alive connections
// send m.room.message events as the puppets (PUT /send?user_id= with the as_token), each
// request from the next puppet in turn, for a fixed time. The bench appservice's pusher runs
// meanwhile (its receiver answers at once): every event is also pushed to the bridge, as it
// would be. One cheap request per event: bound by http_ceiling (the ratio printed); each is
// also one job of the group-committing writer, so sqlite_ceiling's rows/s is the other bound
// (run it in the same invocation to compare).

#include "bench/bench_server.hpp"
#include "bench/bridge_rooms.hpp"
#include "bench/load.hpp"
#include "bench/scenario.hpp"

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t full_puppets = 200;
constexpr std::size_t quick_puppets = 50;
constexpr std::size_t puppets_per_room = 10;
constexpr std::size_t connections = 8;
constexpr std::size_t message_bytes = 200;

bool has_event_id(const LoadResponse& response)
{
    return response.result_int() == 200 &&
           response.body().find("\"event_id\"") != std::string::npos;
}

class Ingest final : public Scenario
{
public:
    std::string_view name() const override { return "ingest"; }
    std::string_view description() const override
    {
        return "m.room.message events/s sent by 200 appservice puppets (?user_id=, as_token) "
               "into 20 portal rooms over 8 keep-alive connections";
    }
    std::string_view bound_by() const override { return "http_ceiling"; }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t puppets = ctx.quick ? quick_puppets : full_puppets;
        const std::size_t rooms = puppets / puppets_per_room;
        BenchServer server;
        server.start();
        ctx.progress("ingest: registering " + std::to_string(puppets) + " puppets, " +
                     std::to_string(rooms) + " rooms");
        const auto setup_started = std::chrono::steady_clock::now();
        const BridgeRooms bridge =
            set_up_bridge_rooms(server, "ingest", puppets, rooms, server.owner_token());
        const auto setup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - setup_started)
                                  .count();

        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.warmup = ctx.quick ? 300ms : 1000ms;
        options.duration = ctx.quick ? 2000ms : 10000ms;
        options.max_requests = ctx.quick ? 200'000 : 2'000'000;
        options.max_errors = 20;
        ctx.progress("ingest: " + std::to_string(connections) + " connections for " +
                     std::to_string(options.duration.count()) + " ms");
        const auto before = server.receiver().stats();
        auto load = run_load(
            options,
            [&bridge](std::size_t, std::uint64_t seq) {
                const std::size_t puppet = seq % bridge.puppets.size();
                const std::string txn = "ingest" + std::to_string(seq);
                return bridge.puppet_message(puppet, txn, message_text(txn, message_bytes));
            },
            has_event_id);
        const auto after = server.receiver().stats();

        ScenarioResult result;
        auto sent = load_metric("PUT /send as a puppet", "events/s", load);
        sent.vs_ceiling = true;
        result.metrics.push_back(std::move(sent));
        add_error_notes(result, load);
        server.report_memory(result);
        result.notes.push_back(
            std::to_string(puppets) + " puppets @bridge_ingest<i>:test.local (POST /register, "
            "inhibit_login) in " + std::to_string(rooms) + " private rooms of " +
            std::to_string(puppets_per_room) + " (created by a puppet, the others and the "
            "owner invited and joined); set-up took " + std::to_string(setup_ms) + " ms");
        result.notes.push_back(
            std::to_string(connections) + " keep-alive connections, request n from puppet n mod " +
            std::to_string(puppets) + " with a fresh txnId, ~" + std::to_string(message_bytes) +
            "-byte m.text bodies; " + std::to_string(options.duration.count()) + " ms after " +
            std::to_string(options.warmup.count()) + " ms warm-up");
        result.notes.push_back(
            "meanwhile the pusher delivered " +
            std::to_string(after.events - before.events) + " events in " +
            std::to_string(after.transactions - before.transactions) +
            " transactions to the bench bridge (an instant receiver)");
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<Ingest> registered;

} // namespace
} // namespace ravenous::bench
