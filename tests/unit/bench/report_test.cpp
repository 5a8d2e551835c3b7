#include "bench/report.hpp"
#include "bench/scenario.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ravenous::bench {
namespace {

class Fake final : public Scenario
{
public:
    Fake(std::string name, bool ceiling, std::string bound_by)
        : name_(std::move(name)), ceiling_(ceiling), bound_by_(std::move(bound_by))
    {
    }
    std::string_view name() const override { return name_; }
    std::string_view description() const override { return "fake"; }
    bool is_ceiling() const override { return ceiling_; }
    std::string_view bound_by() const override { return bound_by_; }
    ScenarioResult run(const RunContext&) override { return {}; }

private:
    std::string name_;
    bool ceiling_;
    std::string bound_by_;
};

std::vector<std::unique_ptr<Scenario>> fakes()
{
    std::vector<std::unique_ptr<Scenario>> out;
    out.push_back(std::make_unique<Fake>("http_ceiling", true, ""));
    out.push_back(std::make_unique<Fake>("sqlite_ceiling", true, ""));
    out.push_back(std::make_unique<Fake>("backfill", false, "sqlite_ceiling"));
    out.push_back(std::make_unique<Fake>("ingest", false, "http_ceiling"));
    out.push_back(std::make_unique<Fake>("login", false, ""));
    return out;
}

std::vector<std::string> names(const std::vector<PlannedScenario>& plan)
{
    std::vector<std::string> out;
    for (const auto& p : plan) {
        out.push_back(p.name + (p.requested ? "" : "*"));
    }
    return out;
}

TEST(Plan, NothingRequestedRunsEverythingInOrder)
{
    auto plan = plan_run({}, fakes());
    EXPECT_EQ(names(plan), (std::vector<std::string>{"http_ceiling", "sqlite_ceiling", "backfill",
                                                     "ingest", "login"}));
}

TEST(Plan, BoundScenarioAloneRunsItsCeilingFirst)
{
    auto plan = plan_run({"ingest"}, fakes());
    EXPECT_EQ(names(plan), (std::vector<std::string>{"http_ceiling*", "ingest"}));
}

TEST(Plan, RequestedCeilingIsNotMarkedAsHelper)
{
    auto plan = plan_run({"backfill", "sqlite_ceiling", "login"}, fakes());
    EXPECT_EQ(names(plan), (std::vector<std::string>{"sqlite_ceiling", "backfill", "login"}));
}

TEST(Plan, UnknownScenarioIsRefused)
{
    EXPECT_THROW(plan_run({"nope"}, fakes()), std::invalid_argument);
}

Report sample_report()
{
    Report report;
    report.machine.cores = 2;
    report.machine.cpu_model = "Test CPU";
    report.started_at = "2026-01-01T00:00:00Z";
    ScenarioOutcome ceiling;
    ceiling.name = "http_ceiling";
    Metric requests;
    requests.name = "GET /versions";
    requests.value = 40000;
    requests.unit = "req/s";
    requests.count = 400000;
    requests.latency = LatencySummary{400000, 0.5, 0.9, 2.0, 9.0, 0.6};
    ceiling.result.metrics.push_back(requests);
    ceiling.result.server_memory = ProcessMemory{9000, 8000};
    report.scenarios.push_back(ceiling);

    ScenarioOutcome ingest;
    ingest.name = "ingest";
    ingest.bound_by = "http_ceiling";
    Metric events;
    events.name = "events";
    events.value = 10000;
    events.unit = "events/s";
    events.vs_ceiling = true;
    ingest.result.metrics.push_back(events);
    report.scenarios.push_back(ingest);
    return report;
}

TEST(Report, RatioIsToTheCeilingsFirstMetric)
{
    auto report = sample_report();
    const auto& ingest = report.scenarios[1];
    auto ratio = report.ratio(ingest, ingest.result.metrics[0]);
    ASSERT_TRUE(ratio);
    EXPECT_DOUBLE_EQ(*ratio, 0.25);
    EXPECT_FALSE(report.ratio(report.scenarios[0], report.scenarios[0].result.metrics[0]));
}

TEST(Report, NoRatioWhenTheCeilingFailed)
{
    auto report = sample_report();
    report.scenarios[0].ok = false;
    const auto& ingest = report.scenarios[1];
    EXPECT_FALSE(report.ratio(ingest, ingest.result.metrics[0]));
}

TEST(Report, ErrorsFailTheScenario)
{
    ScenarioOutcome outcome;
    outcome.name = "x";
    Metric m;
    m.name = "ops";
    m.count = 10;
    m.errors = 2;
    outcome.result.metrics.push_back(m);
    check_errors(outcome);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.error.find("2 of 12"), std::string::npos) << outcome.error;
}

TEST(Report, TableShowsFiguresRatioAndMemory)
{
    std::ostringstream out;
    print_table(out, sample_report());
    const auto text = out.str();
    EXPECT_NE(text.find("Test CPU"), std::string::npos) << text;
    EXPECT_NE(text.find("40,000"), std::string::npos) << text;
    EXPECT_NE(text.find("0.250 of http_ceiling"), std::string::npos) << text;
    EXPECT_NE(text.find("8.8 MiB"), std::string::npos) << text;
    EXPECT_NE(text.find("ok in"), std::string::npos) << text;
}

TEST(Report, JsonCarriesEverything)
{
    auto json = to_json(sample_report());
    EXPECT_EQ(json.at("machine").at("cores"), 2);
    EXPECT_TRUE(json.at("ok").get<bool>());
    const auto& scenarios = json.at("scenarios");
    ASSERT_EQ(scenarios.size(), 2u);
    EXPECT_EQ(scenarios[0].at("metrics")[0].at("latency_ms").at("p99"), 2.0);
    EXPECT_EQ(scenarios[0].at("server_memory_kib").at("peak_rss"), 9000);
    EXPECT_EQ(scenarios[1].at("metrics")[0].at("ratio").at("to"), "http_ceiling");
    EXPECT_DOUBLE_EQ(scenarios[1].at("metrics")[0].at("ratio").at("value").get<double>(), 0.25);
}

TEST(Report, FiguresGetPrecisionByMagnitude)
{
    EXPECT_EQ(format_figure(54149.4), "54,149");
    EXPECT_EQ(format_figure(1234567), "1,234,567");
    EXPECT_EQ(format_figure(163.84), "163.8");
    EXPECT_EQ(format_figure(22.784), "22.78");
    EXPECT_EQ(format_figure(2.921), "2.92");
    EXPECT_EQ(format_figure(0.4991), "0.499");
    EXPECT_EQ(format_figure(0), "0.00");
}

} // namespace
} // namespace ravenous::bench
