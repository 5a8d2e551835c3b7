// ravenous-bench: runs scenarios against the real binary, prints a table, optionally JSON.
//   ravenous-bench --list
//   ravenous-bench [SCENARIO...] [--quick] [--json FILE]
// Exit 0 when every scenario ran without a failed operation, 1 otherwise, 2 on a usage error.
// Speed is never judged: the figures are this machine's, at this moment.

#include "bench/report.hpp"
#include "bench/scenario.hpp"

#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

namespace {

using namespace ravenous::bench;
using Clock = std::chrono::steady_clock;

void print_usage(std::ostream& out)
{
    out << "Usage:\n"
           "  ravenous-bench --list                               the scenarios\n"
           "  ravenous-bench [SCENARIO...] [--quick] [--json FILE]\n"
           "No SCENARIO: all of them. --quick: short runs (the whole set in well under a\n"
           "minute, for CI). A scenario bound by a ceiling runs that ceiling first.\n";
}

void print_list(const std::vector<std::unique_ptr<Scenario>>& scenarios)
{
    for (const auto& s : scenarios) {
        std::cout << s->name() << (s->is_ceiling() ? "  (ceiling)" : "");
        if (!s->bound_by().empty()) {
            std::cout << "  (bound by " << s->bound_by() << ")";
        }
        std::cout << "\n    " << s->description() << "\n";
    }
}

std::string utc_now()
{
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

ScenarioOutcome run_one(Scenario& scenario, bool requested, const RunContext& ctx)
{
    ScenarioOutcome outcome;
    outcome.name = std::string(scenario.name());
    outcome.bound_by = std::string(scenario.bound_by());
    outcome.requested = requested;
    const auto start = Clock::now();
    try {
        outcome.result = scenario.run(ctx);
    } catch (const std::exception& e) {
        outcome.ok = false;
        outcome.error = e.what();
    }
    outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    check_errors(outcome);
    return outcome;
}

} // namespace

int main(int argc, char** argv)
{
    // A peer that closes early must be an error code on our side, not a dead benchmark.
    std::signal(SIGPIPE, SIG_IGN);
    // The receiver runs the project's http::Server, which logs every request at info.
    spdlog::set_level(spdlog::level::warn);

    bool quick = false;
    bool list = false;
    std::string json_path;
    std::vector<std::string> names;
    std::string command = "ravenous-bench";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        command += " " + arg;
        if (arg == "--quick") {
            quick = true;
        } else if (arg == "--list") {
            list = true;
        } else if (arg == "--json" && i + 1 < argc) {
            json_path = argv[++i];
            command += " " + json_path;
        } else if (arg == "--json") {
            std::cerr << "ravenous-bench: --json needs a FILE\n";
            return 2;
        } else if (arg == "--help" || arg == "-h") {
            print_usage(std::cout);
            return 0;
        } else if (arg.starts_with("-")) {
            std::cerr << "ravenous-bench: unknown option '" << arg << "'\n";
            print_usage(std::cerr);
            return 2;
        } else {
            names.push_back(arg);
        }
    }

    auto scenarios = all_scenarios();
    if (list) {
        print_list(scenarios);
        return 0;
    }
    std::vector<PlannedScenario> plan;
    try {
        plan = plan_run(names, scenarios);
    } catch (const std::invalid_argument& e) {
        std::cerr << "ravenous-bench: " << e.what() << "\n";
        return 2;
    }

    Report report;
    report.machine = describe_machine();
    report.command = command;
    report.started_at = utc_now();
    report.quick = quick;
    RunContext ctx;
    ctx.quick = quick;
    ctx.progress = [](const std::string& line) { std::cerr << "  " << line << std::endl; };

    const auto start = Clock::now();
    for (const auto& planned : plan) {
        for (auto& scenario : scenarios) {
            if (scenario->name() == planned.name) {
                std::cerr << "ravenous-bench: " << planned.name
                          << (planned.requested ? "" : " (ceiling for a ratio)") << std::endl;
                report.scenarios.push_back(run_one(*scenario, planned.requested, ctx));
            }
        }
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();

    std::cout << "\n";
    print_table(std::cout, report);
    if (!json_path.empty()) {
        std::ofstream out(json_path, std::ios::trunc);
        out << to_json(report).dump(2) << "\n";
        if (!out.flush()) {
            std::cerr << "ravenous-bench: cannot write " << json_path << "\n";
            return 1;
        }
    }
    return report.ok() ? 0 : 1;
}
