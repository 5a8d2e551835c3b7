#pragma once

// What a scenario is, what it reports, and the registry scenarios add themselves to.
//
// A new scenario is one file in tests/bench/scenarios/ (picked up by the CMake glob):
//
//   class Ingest final : public Scenario {
//       std::string_view name() const override { return "ingest"; }
//       std::string_view description() const override { return "events/s sent by ..."; }
//       std::string_view bound_by() const override { return "http_ceiling"; }
//       ScenarioResult run(const RunContext& ctx) override { ... }
//   };
//   const ScenarioRegistrar<Ingest> registered;
//
// A metric with vs_ceiling set is printed with its ratio to the first metric of the ceiling
// scenario named by bound_by(), measured in the same run (the planner runs that ceiling first
// even when only the bound scenario was asked for): absolute figures on a shared machine drift
// from run to run, the ratios much less.

#include "bench/histogram.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::bench {

// What the kernel says of the server process's memory (/proc/<pid>/status).
struct ProcessMemory
{
    std::uint64_t peak_rss_kib = 0;    // VmHWM
    std::uint64_t current_rss_kib = 0; // VmRSS
};

struct Metric
{
    std::string name;                      // "requests", "logins", "empty database"...
    double value = 0;                      // the figure: a rate, or a duration
    std::string unit;                      // "req/s", "rows/s", "ms"...
    std::uint64_t count = 0;               // operations measured
    std::uint64_t errors = 0;              // failed operations: any makes the scenario fail
    std::optional<LatencySummary> latency; // per operation, in ms
    bool vs_ceiling = false;               // print value / (the bound_by ceiling's first metric)
    std::string note;
    // The server's memory for this metric alone, when a scenario has several servers.
    std::optional<ProcessMemory> server_memory;
};

struct ScenarioResult
{
    std::vector<Metric> metrics;
    std::optional<ProcessMemory> server_memory; // scenarios that run one server
    std::vector<std::string> notes;             // how the figures were made, in one line each
};

struct RunContext
{
    bool quick = false;
    // Progress lines (stderr), so stdout holds the table alone.
    std::function<void(const std::string&)> progress;
};

class Scenario
{
public:
    virtual ~Scenario() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;
    // A ceiling measures the machine, not a feature; ceilings run before everything else.
    virtual bool is_ceiling() const { return false; }
    // The ceiling this scenario's throughput is limited by ("" when none applies).
    virtual std::string_view bound_by() const { return {}; }
    // Throws on failure (the report shows the message and the run exits non-zero).
    virtual ScenarioResult run(const RunContext& ctx) = 0;
};

using ScenarioFactory = std::function<std::unique_ptr<Scenario>()>;

// Every registered scenario, ceilings first, then by name.
std::vector<std::unique_ptr<Scenario>> all_scenarios();
void register_scenario(ScenarioFactory factory);

template <class S> struct ScenarioRegistrar
{
    ScenarioRegistrar()
    {
        register_scenario([] { return std::make_unique<S>(); });
    }
};

struct PlannedScenario
{
    std::string name;
    bool requested = true; // false: added only because a requested scenario is bound by it
};

// What to run for `requested` (empty: everything), in run order (that of `available`, which
// puts ceilings first). Throws std::invalid_argument naming an unknown scenario.
std::vector<PlannedScenario> plan_run(const std::vector<std::string>& requested,
                                      const std::vector<std::unique_ptr<Scenario>>& available);

} // namespace ravenous::bench
