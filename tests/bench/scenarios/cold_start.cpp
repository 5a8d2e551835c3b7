// cold_start: milliseconds from exec to the first 200 answer of GET /_matrix/client/versions.
//  - the very first start: creates the schema and the owner (hashing its password, Argon2id);
//  - restarts on that empty database, with the owner's password in the config (every start
//    verifies it against the stored hash: Argon2id again) and with its password_hash instead
//    (no Argon2id: the server's own start-up);
//  - restarts on a database holding 100,000 events in 200 rooms (password_hash), so that a
//    start-up that grows with the log shows. The events are a pre-filled log written by
//    EventLog through the storage layer before the server opens the file.
// "Cold" is the process: the database file is in the page cache, as after any restart.

#include "bench/bench_server.hpp"
#include "bench/event_log.hpp"
#include "bench/scenario.hpp"
#include "ravenous/auth/passwords.hpp"

#include <algorithm>
#include <filesystem>

namespace ravenous::bench {
namespace {

constexpr std::size_t prefill_events = 100'000;
constexpr std::size_t prefill_rooms = 200;
constexpr std::size_t prefill_batch = 5'000;

std::uint64_t micros(std::chrono::microseconds d)
{
    return static_cast<std::uint64_t>(d.count());
}

Metric startup_metric(std::string name, const Histogram& samples_us, const ProcessMemory& memory)
{
    Metric m;
    m.server_memory = memory;
    m.name = std::move(name);
    m.latency = summarize_us_as_ms(samples_us);
    m.value = m.latency->p50;
    m.unit = "ms (median)";
    m.count = samples_us.count();
    return m;
}

// Starts and stops `server` `times` times: the start-up times, and the memory of the last
// start-up (its peak: the memory start-up needs).
Metric timed_restarts(std::string name, BenchServer& server, std::size_t times)
{
    Histogram samples;
    for (std::size_t i = 0; i < times; ++i) {
        samples.record(micros(server.start()));
        server.stop();
    }
    return startup_metric(std::move(name), samples, server.startup_memory());
}

// The owner's credential as an Argon2id hash in the environment (it replaces the config's
// password): start-up then has no password to verify.
BenchServer::Options with_password_hash(const std::string& hash)
{
    BenchServer::Options options;
    options.env.emplace_back("RAVENOUS_OWNER_PASSWORD_HASH", hash);
    return options;
}

void prefill(const BenchServer& server, const RunContext& ctx)
{
    ctx.progress("cold_start: pre-filling " + std::to_string(prefill_events) + " events in " +
                 std::to_string(prefill_rooms) + " rooms");
    EventLog log(server.database_path().string());
    log.create_rooms(prefill_rooms, test::default_owner_user_id);
    while (log.events() < prefill_events) {
        log.insert(
            log.make_messages(std::min<std::size_t>(prefill_batch, prefill_events - log.events())));
    }
}

class ColdStart final : public Scenario
{
public:
    std::string_view name() const override { return "cold_start"; }
    std::string_view description() const override
    {
        return "ms from exec to the first 200 of /versions: first start, restarts on an empty "
               "database, restarts on 100,000 events (pre-filled log)";
    }

    ScenarioResult run(const RunContext& ctx) override
    {
        const std::size_t repeats = ctx.quick ? 3 : 10;
        const std::string hash = auth::passwords::hash(test::default_owner_password);
        ScenarioResult result;

        ctx.progress("cold_start: " + std::to_string(repeats) + " first starts");
        Histogram first;
        ProcessMemory first_memory;
        for (std::size_t i = 0; i < repeats; ++i) {
            BenchServer fresh;
            first.record(micros(fresh.start()));
            first_memory = fresh.startup_memory();
            fresh.stop();
        }
        result.metrics.push_back(startup_metric("first start (empty dir)", first, first_memory));

        ctx.progress("cold_start: restarts on an empty database");
        {
            BenchServer server;
            server.start(); // the first start: schema and owner
            server.stop();
            result.metrics.push_back(timed_restarts("restart, empty, password", server, repeats));
        }
        {
            BenchServer server(with_password_hash(hash));
            server.start();
            server.stop();
            result.metrics.push_back(timed_restarts("restart, empty, hash", server, repeats));
        }
        {
            BenchServer server(with_password_hash(hash));
            prefill(server, ctx);
            server.start();
            server.stop();
            ctx.progress("cold_start: restarts on " + std::to_string(prefill_events) + " events");
            result.metrics.push_back(timed_restarts("restart, 100k events, hash", server, repeats));
            const auto db_mib = std::filesystem::file_size(server.database_path()) / 1048576;
            result.notes.push_back(
                "100k events: a pre-filled log (" + std::to_string(prefill_events) +
                " events in " + std::to_string(prefill_rooms) +
                " rooms: each room's create, owner's join, power levels, join rules and "
                "history visibility, then ~500-byte m.room.message events; " + std::to_string(db_mib) +
                " MiB) written through the storage layer before the server opened it");
        }
        result.notes.push_back(
            "password: owner.password in the config, verified with Argon2id at every start; "
            "hash: owner.password_hash instead (no Argon2id at start)");
        result.notes.push_back("exec to first 200 of GET /versions, probed every 0.25 ms; " +
                               std::to_string(repeats) +
                               " starts per case, database in the page cache; peak RSS: the "
                               "last start-up's");
        return result;
    }
};

const ScenarioRegistrar<ColdStart> registered;

} // namespace
} // namespace ravenous::bench
