// history_100k: a room with 100,000 events still answers /messages and /context quickly
// (issue #4). One room is pre-filled through the storage layer (EventLog: the owner's room,
// a few puppets joined, then their messages), the server starts on that database, the owner
// logs in, and N keep-alive connections ask for:
//  - GET /rooms/{roomId}/messages?dir=b&limit=20 from the end of the log (t<end>);
//  - the same from random points spread over the whole log (t<boundary> tokens);
//  - GET /rooms/{roomId}/context/{eventId}?limit=10 for event ids sampled from the pre-fill.
// Each for a bounded time; requests/s and latency per kind, bound by http_ceiling.

#include "bench/bench_server.hpp"
#include "bench/event_log.hpp"
#include "bench/load.hpp"
#include "bench/scenario.hpp"
#include "support/url.hpp"

#include <algorithm>
#include <filesystem>
#include <random>

namespace ravenous::bench {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr std::size_t full_events = 100'000;
constexpr std::size_t quick_events = 20'000;
constexpr std::size_t puppet_count = 5;
constexpr std::size_t batch = 5'000;
constexpr std::size_t sample_ids = 2'000;
constexpr std::size_t connections = 8;

std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// A 200 whose body holds a "chunk" (messages) or an "event" (context): an empty or error
// answer is not a success.
bool has(const LoadResponse& response, std::string_view key)
{
    return response.result_int() == 200 && response.body().find(key) != std::string::npos;
}

class History100k final : public Scenario
{
public:
    std::string_view name() const override { return "history_100k"; }
    std::string_view description() const override
    {
        return "/messages (dir=b, limit=20; from the end and from random points) and /context "
               "(limit=10, random events) in one room of 100,000 events, 8 clients";
    }
    std::string_view bound_by() const override { return "http_ceiling"; }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t target = ctx.quick ? quick_events : full_events;
        BenchServer server;
        std::string room_id;
        std::vector<std::string> ids;
        std::int64_t end_boundary = 0;
        {
            ctx.progress("history_100k: pre-filling one room with " + std::to_string(target) +
                         " events");
            const auto started = std::chrono::steady_clock::now();
            EventLog log(server.database_path().string());
            log.create_rooms(1, test::default_owner_user_id);
            log.join_puppets(puppet_count);
            room_id = log.room_id(0);
            // Every (target / sample_ids)-th message id, so the sample spans the whole log.
            const std::size_t stride = std::max<std::size_t>(1, target / sample_ids);
            std::size_t seen = 0;
            while (log.events() < target) {
                auto rows = log.make_messages(
                    std::min<std::size_t>(batch, target - log.events()), puppet_count);
                for (const auto& row : rows) {
                    if (seen++ % stride == 0) {
                        ids.push_back(row.event_id);
                    }
                }
                log.insert(rows);
            }
            // Topos run 1..events: the boundary after the last one.
            end_boundary = static_cast<std::int64_t>(log.events()) + 1;
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            ctx.progress("history_100k: pre-filled in " + std::to_string(ms) + " ms");
        }
        server.start();
        const std::string token = server.owner_token();
        const std::string room_path = "/_matrix/client/v3/rooms/" + test::url_encode(room_id);

        LoadOptions options;
        options.port = server.port();
        options.connections = connections;
        options.warmup = ctx.quick ? 300ms : 1000ms;
        options.duration = ctx.quick ? 2000ms : 10000ms;
        options.max_requests = ctx.quick ? 200'000 : 2'000'000;
        options.max_errors = 20;

        ScenarioResult result;
        auto measure = [&](const std::string& label, const std::string& metric,
                       const RequestMaker& maker, std::string_view key) {
            ctx.progress("history_100k: " + label + ", " + std::to_string(connections) +
                         " clients for " + std::to_string(options.duration.count()) + " ms");
            auto load = run_load(options, maker, [key](const LoadResponse& response) {
                return has(response, key);
            });
            auto m = load_metric(metric, "req/s", load);
            m.vs_ceiling = true;
            result.metrics.push_back(std::move(m));
            add_error_notes(result, load);
        };

        const std::string end_target =
            room_path + "/messages?dir=b&limit=20&from=t" + std::to_string(end_boundary);
        measure("/messages from the end", "messages, from the end",
            [&](std::size_t, std::uint64_t) {
                return make_request(http::verb::get, end_target, {}, token);
            },
            "\"chunk\"");

        measure("/messages from random points", "messages, random points",
            [&](std::size_t, std::uint64_t seq) {
                // Boundaries 2..end: every page has at least one event.
                const auto boundary =
                    2 + static_cast<std::int64_t>(mix(seq) % static_cast<std::uint64_t>(
                                                                 end_boundary - 1));
                return make_request(http::verb::get,
                                    room_path + "/messages?dir=b&limit=20&from=t" +
                                        std::to_string(boundary),
                                    {}, token);
            },
            "\"chunk\"");

        measure("/context of random events", "context, random events",
            [&](std::size_t, std::uint64_t seq) {
                const auto& id = ids[mix(seq ^ 0xc0de) % ids.size()];
                return make_request(http::verb::get,
                                    room_path + "/context/" + test::url_encode(id) + "?limit=10",
                                    {}, token);
            },
            "\"event\"");

        server.report_memory(result);
        const auto db_mib = std::filesystem::file_size(server.database_path()) / 1048576;
        result.notes.push_back(
            "one room: create, the owner's join, power levels, join rules, history_visibility "
            "shared, " + std::to_string(puppet_count) + " puppets joined, then ~500-byte "
            "m.room.message events from them; " + std::to_string(target) + " events in all (" +
            std::to_string(db_mib) + " MiB), written through the storage layer (EventLog)");
        result.notes.push_back(
            "messages: dir=b&limit=20 from t<end> or from t<random boundary>; context: limit=10 "
            "around one of " + std::to_string(ids.size()) +
            " message ids sampled evenly over the log; the owner's access token; " +
            std::to_string(connections) + " keep-alive clients, " +
            std::to_string(options.duration.count()) + " ms each after " +
            std::to_string(options.warmup.count()) + " ms warm-up");
        server.stop();
        return result;
    }
};

const ScenarioRegistrar<History100k> registered;

} // namespace
} // namespace ravenous::bench
