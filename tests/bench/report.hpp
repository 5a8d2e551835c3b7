#pragma once

// A run's results: the table on stdout and the JSON of --json, both from the same data.

#include "bench/machine.hpp"
#include "bench/scenario.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ravenous::bench {

struct ScenarioOutcome
{
    std::string name;
    std::string bound_by;  // the scenario's ceiling, "" if none
    bool requested = true; // false: run only to give a bound scenario its ratio
    bool ok = true;        // ran, and no metric counted an error
    std::string error;     // why it failed (an exception's message, or the error counts)
    double seconds = 0;    // wall time of the scenario, set-up included
    ScenarioResult result;
};

struct Report
{
    Machine machine;
    std::string command;    // argv joined by spaces
    std::string started_at; // UTC, ISO 8601
    bool quick = false;
    double seconds = 0;
    std::vector<ScenarioOutcome> scenarios;

    bool ok() const;
    // value / the ceiling's first metric, when `metric` is vs_ceiling and the ceiling ran in
    // this report with a non-zero first figure.
    std::optional<double> ratio(const ScenarioOutcome& scenario, const Metric& metric) const;
};

// Marks a scenario failed when a metric counted errors (speed is never judged).
void check_errors(ScenarioOutcome& outcome);

void print_table(std::ostream& out, const Report& report);
nlohmann::json to_json(const Report& report);

// "12,345" / "123.4" / "1.23": a figure with the precision its size deserves.
std::string format_figure(double value);

} // namespace ravenous::bench
