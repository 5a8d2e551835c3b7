#include "bench/report.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ravenous::bench {
namespace {

std::string fixed(double value, int decimals)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

std::string with_thousands(double value)
{
    auto digits = std::to_string(static_cast<long long>(std::llround(value)));
    std::string out;
    auto first = digits[0] == '-' ? 1u : 0u;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > first && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

std::string mib(std::uint64_t kib)
{
    return fixed(static_cast<double>(kib) / 1024.0, 1) + " MiB";
}

// Left-aligned columns whose widths fit their longest cell.
void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - row[i].size() + 2, ' ');
            }
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << "\n";
    }
}

} // namespace

std::string format_figure(double value)
{
    const double magnitude = std::fabs(value);
    if (magnitude >= 1000) {
        return with_thousands(value);
    }
    if (magnitude >= 100) {
        return fixed(value, 1);
    }
    if (magnitude >= 10) {
        return fixed(value, 2);
    }
    return fixed(value, magnitude >= 1 || magnitude == 0 ? 2 : 3);
}

bool Report::ok() const
{
    for (const auto& s : scenarios) {
        if (!s.ok) {
            return false;
        }
    }
    return true;
}

std::optional<double> Report::ratio(const ScenarioOutcome& scenario, const Metric& metric) const
{
    if (!metric.vs_ceiling || scenario.bound_by.empty()) {
        return std::nullopt;
    }
    for (const auto& s : scenarios) {
        if (s.name == scenario.bound_by && s.ok && !s.result.metrics.empty() &&
            s.result.metrics.front().value > 0) {
            return metric.value / s.result.metrics.front().value;
        }
    }
    return std::nullopt;
}

void check_errors(ScenarioOutcome& outcome)
{
    for (const auto& m : outcome.result.metrics) {
        if (m.errors > 0) {
            outcome.ok = false;
            if (!outcome.error.empty()) {
                outcome.error += "; ";
            }
            outcome.error += m.name + ": " + std::to_string(m.errors) + " of " +
                             std::to_string(m.count + m.errors) + " operations failed";
        }
    }
}

void print_table(std::ostream& out, const Report& report)
{
    out << "ravenous-bench" << (report.quick ? " --quick" : "") << ", " << report.started_at
        << "\nmachine: " << to_string(report.machine) << "\n\n";
    std::vector<std::vector<std::string>> rows{{"scenario", "metric", "value", "unit", "p50 ms",
                                                "p90 ms", "p99 ms", "max ms", "ratio",
                                                "server peak RSS"}};
    for (const auto& s : report.scenarios) {
        const std::string name = s.name + (s.requested ? "" : " *");
        if (!s.ok && s.result.metrics.empty()) {
            rows.push_back({name, "FAILED"});
            continue;
        }
        bool first = true;
        for (const auto& m : s.result.metrics) {
            std::vector<std::string> row{first ? name : "", m.name, format_figure(m.value), m.unit};
            if (m.latency) {
                for (double v : {m.latency->p50, m.latency->p90, m.latency->p99, m.latency->max}) {
                    row.push_back(format_figure(v));
                }
            } else {
                row.insert(row.end(), 4, "-");
            }
            auto r = report.ratio(s, m);
            row.push_back(r ? fixed(*r, 3) + " of " + s.bound_by : "-");
            if (m.server_memory) {
                row.push_back(mib(m.server_memory->peak_rss_kib));
            } else if (first) {
                row.push_back(s.result.server_memory ? mib(s.result.server_memory->peak_rss_kib)
                                                     : "-");
            }
            rows.push_back(std::move(row));
            first = false;
        }
    }
    print_columns(out, rows);
    bool any_helper = false;
    for (const auto& s : report.scenarios) {
        any_helper = any_helper || !s.requested;
        for (const auto& note : s.result.notes) {
            out << "  " << s.name << ": " << note << "\n";
        }
        if (!s.ok) {
            out << "  " << s.name << ": FAILED: " << s.error << "\n";
        }
    }
    out << "  server peak RSS: VmHWM of the server process during the scenario's work (reset "
           "once it answers; start-up's peak is cold_start's)\n";
    if (any_helper) {
        out << "  * run only as the ceiling of a selected scenario (for its ratio)\n";
    }
    out << "\n"
        << (report.ok() ? "ok" : "FAILED") << " in " << fixed(report.seconds, 1)
        << " s; figures are this machine's at this moment, ratios are what to compare\n";
}

nlohmann::json to_json(const Report& report)
{
    using nlohmann::json;
    const auto& m = report.machine;
    json out{{"command", report.command},
             {"started_at", report.started_at},
             {"quick", report.quick},
             {"seconds", report.seconds},
             {"ok", report.ok()},
             {"machine",
              {{"cores", m.cores},
               {"cpu_model", m.cpu_model},
               {"cpu_mhz", m.cpu_mhz},
               {"memory_mib", m.memory_mib},
               {"kernel", m.kernel},
               {"load_average_at_start", m.load_average}}},
             {"scenarios", json::array()}};
    for (const auto& s : report.scenarios) {
        json metrics = json::array();
        for (const auto& metric : s.result.metrics) {
            json j{{"name", metric.name},   {"value", metric.value},   {"unit", metric.unit},
                   {"count", metric.count}, {"errors", metric.errors}, {"note", metric.note}};
            if (metric.latency) {
                const auto& l = *metric.latency;
                j["latency_ms"] = {{"count", l.count}, {"p50", l.p50}, {"p90", l.p90},
                                   {"p99", l.p99},     {"max", l.max}, {"mean", l.mean}};
            }
            if (metric.server_memory) {
                j["server_memory_kib"] = {{"peak_rss", metric.server_memory->peak_rss_kib},
                                          {"rss", metric.server_memory->current_rss_kib}};
            }
            if (auto r = report.ratio(s, metric)) {
                j["ratio"] = {{"to", s.bound_by}, {"value", *r}};
            }
            metrics.push_back(std::move(j));
        }
        json scenario{{"name", s.name},     {"requested", s.requested}, {"ok", s.ok},
                      {"error", s.error},   {"seconds", s.seconds},     {"bound_by", s.bound_by},
                      {"metrics", metrics}, {"notes", s.result.notes}};
        if (s.result.server_memory) {
            scenario["server_memory_kib"] = {{"peak_rss", s.result.server_memory->peak_rss_kib},
                                             {"rss", s.result.server_memory->current_rss_kib}};
        }
        out["scenarios"].push_back(std::move(scenario));
    }
    return out;
}

} // namespace ravenous::bench
