// backfill: how fast a bridge imports a user's history through batch send (issue #7). The
// bench appservice sets up portal rooms as in ingest (puppets, the owner joined), then 4
// keep-alive connections POST .../com.beeper.backfill/rooms/{roomId}/batch_send with 100
// m.room.message events each (the rooms in turn, the room's puppets as senders, ~200-byte
// bodies, deterministic event ids as bridgev2 makes them), for a fixed time: first backward
// batches (history, below each room's log), then forward ones (appended, send_notification
// false). Each request is one write job inserting 100 rows, so the bound is sqlite_ceiling's
// rows/s (the ratio printed). The pusher runs meanwhile: the batches are not echoed to the
// bench appservice that sent them, so it only reads past them.

#include "bench/bench_server.hpp"
#include "bench/bridge_rooms.hpp"
#include "bench/load.hpp"
#include "bench/scenario.hpp"

#include "support/url.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

constexpr std::size_t full_puppets = 50;
constexpr std::size_t quick_puppets = 20;
constexpr std::size_t puppets_per_room = 5;
constexpr std::size_t connections = 4;
constexpr std::size_t events_per_batch = 100;
constexpr std::size_t message_bytes = 200;

// One batch as a bridge sends it, built as text (the load generator shares the machine).
LoadRequest batch_request(const BridgeRooms& bridge, std::uint64_t seq, bool forward)
{
    const std::size_t room = seq % bridge.rooms.size();
    std::vector<const std::string*> senders;
    for (std::size_t p = 0; p < bridge.puppets.size(); ++p)
        if (bridge.room_of[p] == room)
            senders.push_back(&bridge.puppets[p]);
    const std::string tag = (forward ? "f" : "b") + std::to_string(seq);
    std::string body = "{\"forward\":";
    body += forward ? "true" : "false";
    body += ",\"send_notification\":false,\"events\":[";
    for (std::size_t i = 0; i < events_per_batch; ++i) {
        const std::string id = tag + "." + std::to_string(i);
        if (i > 0)
            body += ',';
        body += "{\"type\":\"m.room.message\",\"sender\":\"" + *senders[i % senders.size()] +
                "\",\"origin_server_ts\":" + std::to_string(1'500'000'000'000 + seq * 1000 + i) +
                ",\"event_id\":\"$" + id + ":backfill.bench\",\"content\":{\"msgtype\":\"m.text\"," +
                "\"body\":\"" + message_text(id, message_bytes) + "\"}}";
    }
    body += "]}";
    return make_request(http::verb::post,
                        "/_matrix/client/unstable/com.beeper.backfill/rooms/" +
                            test::url_encode(bridge.rooms[room]) + "/batch_send",
                        std::move(body), bridge_as_token);
}

bool all_ids_back(const LoadResponse& response)
{
    if (response.result_int() != 200)
        return false;
    const auto body = nlohmann::json::parse(response.body(), nullptr, false);
    return body.is_object() && body.contains("event_ids") &&
           body["event_ids"].size() == events_per_batch;
}

class Backfill final : public Scenario
{
public:
    std::string_view name() const override { return "backfill"; }
    std::string_view description() const override
    {
        return "events/s imported through batch_send in 100-event requests (backward, then "
               "forward) by an appservice into 10 portal rooms over 4 keep-alive connections";
    }
    std::string_view bound_by() const override { return "sqlite_ceiling"; }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t puppets = ctx.quick ? quick_puppets : full_puppets;
        const std::size_t rooms = puppets / puppets_per_room;
        BenchServer server;
        server.start();
        ctx.progress("backfill: " + std::to_string(puppets) + " puppets, " +
                     std::to_string(rooms) + " rooms");
        const BridgeRooms bridge =
            set_up_bridge_rooms(server, "backfill", puppets, rooms, server.owner_token());

        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.warmup = ctx.quick ? 300ms : 1000ms;
        options.duration = ctx.quick ? 2000ms : 10000ms;
        options.max_requests = ctx.quick ? 20'000 : 200'000;
        options.max_errors = 10;

        ScenarioResult result;
        std::uint64_t written = 0;
        for (const bool forward : {false, true}) {
            const std::string way = forward ? "forward" : "backward";
            ctx.progress("backfill: " + way + " batches for " +
                         std::to_string(options.duration.count()) + " ms");
            const auto load = run_load(
                options,
                [&bridge, forward](std::size_t, std::uint64_t seq) {
                    return batch_request(bridge, seq, forward);
                },
                all_ids_back);
            auto metric = load_metric(way + " batch_send, 100 events each", "events/s", load);
            metric.value *= static_cast<double>(events_per_batch);
            metric.count *= events_per_batch;
            metric.vs_ceiling = true;
            metric.note = "latency per request of 100 events";
            result.metrics.push_back(std::move(metric));
            add_error_notes(result, load);
            written += (load.ok + load.warmup_requests) * events_per_batch;
        }
        server.report_memory(result);
        result.notes.push_back(
            std::to_string(puppets) + " puppets in " + std::to_string(rooms) + " private rooms of " +
            std::to_string(puppets_per_room) + " (the owner joined); each request: one room in "
            "turn, its puppets as senders, ~" + std::to_string(message_bytes) +
            "-byte m.text bodies, event ids chosen as bridgev2 does");
        result.notes.push_back(
            std::to_string(connections) + " keep-alive connections, " +
            std::to_string(options.duration.count()) + " ms per direction after " +
            std::to_string(options.warmup.count()) + " ms warm-up; about " +
            std::to_string(written) + " events written in all (warm-up included)");
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<Backfill> registered;

} // namespace
} // namespace ravenous::bench
