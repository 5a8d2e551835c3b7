// initial_sync: how long the owner's initial /sync takes with 1,000 and 5,000 rooms (issue
// #5). For each size a fresh database is pre-filled through the storage layer (EventLog: N
// rooms created by the owner, two puppets joined to each, three messages per room), the
// server starts on it, the owner logs in and asks a few times for
//   GET /sync?filter={"room":{"state":{"lazy_load_members":true},"timeline":{"limit":10}}}&timeout=0
// on one keep-alive connection. Reported: ms per initial sync (over the repetitions) and the
// response size. One request at a time: a latency, not a throughput, so no ceiling applies.

#include "bench/bench_server.hpp"
#include "bench/event_log.hpp"
#include "bench/scenario.hpp"
#include "support/url.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t puppet_count = 2;
constexpr std::size_t messages_per_room = 3;
constexpr std::size_t full_reps = 5;
constexpr std::size_t quick_reps = 2;
// One initial sync of 5,000 rooms on a busy 2-core machine: generous, but bounded.
constexpr std::chrono::milliseconds sync_timeout{180'000};

const std::string lazy_filter =
    R"({"room":{"state":{"lazy_load_members":true},"timeline":{"limit":10}}})";

class InitialSync final : public Scenario
{
public:
    std::string_view name() const override { return "initial_sync"; }
    std::string_view description() const override
    {
        return "the owner's initial /sync (lazy-loaded members, timeline limit 10) with 1,000 "
               "and 5,000 rooms, each with 2 puppets and 3 messages";
    }

    ScenarioResult run(const RunContext& ctx) override
    {
        ScenarioResult result;
        const std::size_t small = ctx.quick ? 200 : 1'000;
        const std::size_t large = ctx.quick ? 1'000 : 5'000;
        const std::size_t reps = ctx.quick ? quick_reps : full_reps;
        for (std::size_t rooms : {small, large}) {
            result.metrics.push_back(measure(ctx, rooms, reps));
        }
        result.notes.push_back(
            "per size a fresh database: N rooms (create, the owner's join, power levels, join "
            "rules, history_visibility shared), " + std::to_string(puppet_count) +
            " puppets joined to each, " + std::to_string(messages_per_room) +
            " ~500-byte messages per room, written through the storage layer (EventLog)");
        result.notes.push_back(
            "GET /sync?filter=" + lazy_filter + "&timeout=0 with the owner's token, " +
            std::to_string(reps) + " times one after the other on one keep-alive connection; "
            "value = median ms; a latency, not bound by http_ceiling (no ratio)");
        return result;
    }

private:
    static Metric measure(const RunContext& ctx, std::size_t rooms, std::size_t reps)
    {
        const std::string label = "initial_sync_" + std::to_string(rooms);
        BenchServer server;
        {
            ctx.progress("initial_sync: pre-filling " + std::to_string(rooms) + " rooms");
            const auto started = std::chrono::steady_clock::now();
            EventLog log(server.database_path().string());
            log.create_rooms(rooms, test::default_owner_user_id);
            log.join_puppets(puppet_count);
            log.insert(log.make_messages(rooms * messages_per_room, puppet_count));
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            ctx.progress("initial_sync: pre-filled " + std::to_string(log.events()) +
                         " events in " + std::to_string(ms) + " ms");
        }
        server.start();
        const std::string token = server.owner_token();
        auto http = server.client();
        http.set_timeout(sync_timeout);
        const std::string target =
            "/_matrix/client/v3/sync?filter=" + test::url_encode(lazy_filter) + "&timeout=0";

        Histogram latency_us;
        std::uint64_t errors = 0;
        std::size_t bytes = 0;
        std::size_t joined = 0;
        for (std::size_t rep = 0; rep < reps; ++rep) {
            const auto t0 = std::chrono::steady_clock::now();
            auto response = http.get(target, token);
            const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - t0)
                                .count();
            if (response.status != 200) {
                ++errors;
                ctx.progress(label + ": status " + std::to_string(response.status) + ": " +
                             response.body.substr(0, 200));
                continue;
            }
            const auto body = response.json();
            const auto& join = body["rooms"]["join"];
            joined = join.is_object() ? join.size() : 0;
            if (joined != rooms) {
                ++errors;
                ctx.progress(label + ": " + std::to_string(joined) + " joined rooms in the "
                             "response, expected " + std::to_string(rooms));
                continue;
            }
            bytes = response.body.size();
            latency_us.record(static_cast<std::uint64_t>(us));
            ctx.progress(label + ": rep " + std::to_string(rep + 1) + ": " +
                         std::to_string(us / 1000) + " ms, " + std::to_string(bytes) + " bytes");
        }

        Metric m;
        m.name = label;
        m.unit = "ms";
        m.count = latency_us.count();
        m.errors = errors;
        m.latency = summarize_us_as_ms(latency_us);
        m.value = m.latency->p50;
        m.note = "response " + std::to_string(bytes / 1024) + " KiB (" + std::to_string(joined) +
                 " joined rooms); one request at a time, no ratio";
        m.server_memory = server.memory();
        server.stop();
        return m;
    }
};

const ScenarioRegistrar<InitialSync> registered;

} // namespace
} // namespace ravenous::bench
