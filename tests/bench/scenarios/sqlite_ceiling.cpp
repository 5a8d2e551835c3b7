// sqlite_ceiling: rows/s of plain batched INSERTs of event-sized rows into the events table of
// a fresh database, opened with the server's own pragmas and migrations (EventLog). No HTTP,
// no JSON parsing, no writer thread: what SQLite on this disk allows, the bound of every
// scenario that writes many events (backfill, ingest at scale).

#include "bench/event_log.hpp"
#include "bench/scenario.hpp"
#include "support/test_server.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace ravenous::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t batch_rows = 1000;
constexpr std::size_t rooms = 10;

// A temporary directory removed at the end (WAL needs a real file next to its -wal and -shm).
class TempDir
{
public:
    TempDir()
    {
        std::string pattern = "/tmp/ravenous-bench-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp " + pattern + " failed");
        }
        path_ = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

class SqliteCeiling final : public Scenario
{
public:
    std::string_view name() const override { return "sqlite_ceiling"; }
    std::string_view description() const override
    {
        return "rows/s of 200,000 event rows (~500 bytes, 1,000 per transaction) INSERTed into a "
               "fresh database with the server's pragmas (WAL, synchronous=NORMAL); quick: 50,000";
    }
    bool is_ceiling() const override { return true; }

    ScenarioResult run(const RunContext& ctx) override
    {
        TempDir dir;
        EventLog log((dir.path() / "ceiling.db").string());
        log.create_rooms(rooms, test::default_owner_user_id);

        // A fixed number of rows, not a fixed time: the rate falls as the indexes grow, so a
        // time bound would make the figure depend on the machine's speed. The time bound is
        // only a safety net.
        const std::size_t target_rows = ctx.quick ? 50'000 : 200'000;
        const auto time_limit = ctx.quick ? 10s : 60s;
        ctx.progress("sqlite_ceiling: " + std::to_string(target_rows) + " rows in batches of " +
                     std::to_string(batch_rows));
        Histogram batch_us;
        Clock::duration inserting{};
        std::uint64_t rows = 0;
        // Row building is not timed: the figure is SQLite's.
        while (rows < target_rows && inserting < time_limit) {
            auto batch = log.make_messages(std::min(batch_rows, target_rows - rows));
            const auto start = Clock::now();
            log.insert(batch);
            const auto took = Clock::now() - start;
            inserting += took;
            rows += batch.size();
            batch_us.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
        }
        const double seconds = std::chrono::duration<double>(inserting).count();

        ScenarioResult result;
        Metric metric;
        metric.name = "event rows";
        metric.value = seconds > 0 ? static_cast<double>(rows) / seconds : 0.0;
        metric.unit = "rows/s";
        metric.count = rows;
        metric.latency = summarize_us_as_ms(batch_us);
        result.metrics.push_back(std::move(metric));
        const auto size_mib =
            static_cast<double>(std::filesystem::file_size(dir.path() / "ceiling.db")) / 1048576.0;
        result.notes.push_back(
            "latencies are per transaction of " + std::to_string(batch_rows) + " rows; " +
            std::to_string(rows) + " rows in " + std::to_string(rooms) + " rooms, database " +
            std::to_string(static_cast<long>(size_mib)) + " MiB (+ WAL) in /tmp, in-process");
        return result;
    }
};

const ScenarioRegistrar<SqliteCeiling> registered;

} // namespace
} // namespace ravenous::bench
